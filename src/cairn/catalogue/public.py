"""What anyone may read of a specification: every version that was ever published, each
with its outcomes and aligned skills, issuers, endorsements and prerequisites. Drafts and
versions in review do not exist here, whoever asks (decision 0023)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.catalogue import repository as catalogue_repository
from cairn.catalogue import search_repository as repo
from cairn.catalogue.enums import VersionStatus
from cairn.catalogue.models import Endorsement, Specification, SpecificationVersion
from cairn.catalogue.search_repository import PublicLink
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.errors import NotFound
from cairn.kit.i18n import lazy_gettext
from cairn.orgs.models import Organisation
from cairn.taxonomy.models import Framework, Skill


@dataclass(frozen=True)
class OutcomeView:
    position: int
    statement: str
    skill: Skill | None
    framework: Framework | None
    level: int | None
    level_label: str | None
    """The level's name on the skill's framework scale, e.g. "Advanced"."""


@dataclass(frozen=True)
class PublicSpecification:
    specification: Specification
    owner: Organisation
    version: SpecificationVersion
    versions: list[SpecificationVersion]
    """Every version ever published, newest first; the one shown is among them."""
    outcomes: list[OutcomeView]
    co_issuers: list[Organisation]
    endorsements: list[tuple[Endorsement, Organisation]]
    prerequisites: list[list[PublicLink]]
    """Credentials to hold first: one of each clause. Only published ones are named, by
    title; a clause naming none of them is left out (its words are in ``prerequisites``)."""

    @property
    def on_offer(self) -> bool:
        return self.version.status is VersionStatus.PUBLISHED

    @property
    def issuers(self) -> list[Organisation]:
        return [self.owner, *self.co_issuers]


def _not_found() -> NotFound:
    return NotFound(lazy_gettext("No published micro-credential has this address."))


def published_specification(
    session: Session,
    actor: Actor | None,
    org_slug: str,
    spec_slug: str,
    number: int | None = None,
) -> PublicSpecification:
    """The version on offer, or the newest one published when all are retired; with
    ``number``, that version if it was ever published."""
    if actor is not None:
        require_scope(actor, Scope.CATALOGUE_READ)
    found = repo.public_versions(session, org_slug, spec_slug)
    if found is None or not found[2]:
        raise _not_found()
    specification, owner, versions = found
    if number is None:
        offered = [v for v in versions if v.status is VersionStatus.PUBLISHED]
        version = offered[0] if offered else versions[0]
    else:
        chosen = [v for v in versions if v.number == number]
        if not chosen:
            raise _not_found()
        version = chosen[0]
    return _view(session, specification, owner, version, versions)


def specifications_on_offer(
    session: Session, actor: Actor | None, owner: Organisation | None = None
) -> list[PublicSpecification]:
    """Every version on offer, or one issuer's: what an export to a registry publishes."""
    if actor is not None:
        require_scope(actor, Scope.CATALOGUE_READ)
    return [
        _view(session, specification, org, version, [version])
        for version, specification, org in repo.on_offer(session, owner.id if owner else None)
    ]


def _view(
    session: Session,
    specification: Specification,
    owner: Organisation,
    version: SpecificationVersion,
    versions: Sequence[SpecificationVersion],
) -> PublicSpecification:
    outcomes = [
        OutcomeView(
            position=outcome.position,
            statement=outcome.statement,
            skill=skill,
            framework=framework,
            level=outcome.level,
            level_label=_level_label(framework, outcome.level),
        )
        for outcome, skill, framework in repo.outcome_skills(session, version.id)
    ]
    return PublicSpecification(
        specification=specification,
        owner=owner,
        version=version,
        versions=list(versions),
        outcomes=outcomes,
        co_issuers=[o for o in repo.issuers_of(session, version.id) if o.id != owner.id],
        endorsements=repo.endorsements_of(session, version.id),
        prerequisites=_prerequisites(session, version),
    )


def _prerequisites(session: Session, version: SpecificationVersion) -> list[list[PublicLink]]:
    clauses = catalogue_repository.prerequisites_of(session, [version.id]).get(version.id, [])
    links = repo.public_links(session, {s for clause in clauses for s in clause})
    shown = [
        sorted((links[s] for s in clause if s in links), key=lambda link: link.title.casefold())
        for clause in clauses
    ]
    return [clause for clause in shown if clause]


def _level_label(framework: Framework | None, level: int | None) -> str | None:
    if framework is None or framework.scale is None or level is None:
        return None
    return next((lv.label for lv in framework.scale.levels if lv.rank == level), None)
