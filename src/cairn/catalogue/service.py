"""Designing, reviewing, publishing and retiring micro-credential specifications.

Educators and issuer administrators of the owning organisation edit drafts; only issuer
administrators (registrars) publish, and only a version that passes its profile check. A
published version is frozen: changing it means a new version, which starts as a copy."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.catalogue import profile_check
from cairn.catalogue import repository as repo
from cairn.catalogue.enums import VersionStatus
from cairn.catalogue.models import (
    Endorsement,
    LearningOutcome,
    Specification,
    SpecificationVersion,
)
from cairn.catalogue.profile_check import Draft, ProfileCheck
from cairn.catalogue.schemas import SpecificationCreate, SpecificationFields
from cairn.kit.actor import Actor, Role, Scope, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import lazy_gettext
from cairn.orgs import repository as orgs_repository
from cairn.orgs.models import Organisation
from cairn.orgs.permissions import is_org_admin, visible_organisation
from cairn.taxonomy import repository as taxonomy_repository

DESIGNERS = frozenset({Role.EDUCATOR, Role.ISSUER_ADMIN})
"""Who drafts and revises an organisation's specifications."""
PUBLISHERS = frozenset({Role.ISSUER_ADMIN})
"""Who publishes and retires them: the registrar's office."""

COPIED = [
    "title",
    "summary",
    "profile",
    "language",
    "country",
    "region",
    "workload_hours",
    "ects",
    "eqf_level",
    "national_level",
    "assessment_type",
    "summative",
    "participation",
    "quality_assurance",
    "prerequisites",
    "identity_check",
    "grading_scheme",
    "stackability",
    "transcriptable",
    "price_minor",
    "currency",
    "starts_on",
    "ends_on",
    "accessibility",
]
"""The elements a new version starts from."""


def _require(
    session: Session, actor: Actor, org_id: uuid.UUID, roles: frozenset[Role]
) -> Organisation:
    require_scope(actor, Scope.CATALOGUE_WRITE)
    org = visible_organisation(session, actor, org_id)
    if not (can_publish(actor, org_id) if roles == PUBLISHERS else can_design(actor, org_id)):
        raise PermissionDenied(
            lazy_gettext(
                "Only the issuer's educators and registrars can change its specifications."
            )
            if roles == DESIGNERS
            else lazy_gettext("Only the issuer's registrars can publish or retire a specification.")
        )
    return org


def can_design(actor: Actor, org_id: uuid.UUID) -> bool:
    return actor.is_platform_admin or actor.has_any_role(org_id, DESIGNERS)


def can_publish(actor: Actor, org_id: uuid.UUID) -> bool:
    return actor.is_platform_admin or actor.has_any_role(org_id, PUBLISHERS)


def require_designer(session: Session, actor: Actor, org_id: uuid.UUID) -> Organisation:
    """The organisation, if ``actor`` may draft its specifications (forms are shown only then)."""
    return _require(session, actor, org_id, DESIGNERS)


@dataclass(frozen=True)
class VersionView:
    specification: Specification
    version: SpecificationVersion
    draft: Draft
    check: ProfileCheck
    prerequisites: list[list[uuid.UUID]]
    """Clauses of specifications to hold first: one of each clause (decision 0044)."""


def _version(
    session: Session, actor: Actor, version_id: uuid.UUID, *, lock: bool = False
) -> tuple[Specification, SpecificationVersion]:
    """A version the actor may see: published ones are public, one in review is open to
    the administrators of any organisation (its partners review and endorse it), and a
    draft stays inside the owning organisation (decision 0023)."""
    version = (
        repo.version_for_update(session, version_id)
        if lock
        else repo.get_version(session, version_id)
    )
    specification = repo.get_specification(session, version.specification_id) if version else None
    if version is None or specification is None:
        raise NotFound(lazy_gettext("Specification not found."))
    public = version.status in (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
    reviewer = version.status is VersionStatus.IN_REVIEW and any(
        is_org_admin(actor, org_id) for org_id in actor.org_ids
    )
    inside = actor.is_platform_admin or specification.owner_org_id in actor.org_ids
    if not (public or reviewer or inside):
        raise NotFound(lazy_gettext("Specification not found."))
    return specification, version


def view(session: Session, actor: Actor, version_id: uuid.UUID) -> VersionView:
    require_scope(actor, Scope.CATALOGUE_READ)
    specification, version = _version(session, actor, version_id)
    draft = _draft(session, specification, version)
    prerequisites = repo.prerequisites_of(session, [version.id]).get(version.id, [])
    return VersionView(specification, version, draft, profile_check.check(draft), prerequisites)


def _draft(session: Session, specification: Specification, version: SpecificationVersion) -> Draft:
    issuers = [specification.owner_org_id, *repo.co_issuer_ids(session, version.id)]
    endorsers = [e for e in repo.endorser_ids(session, version.id) if e not in issuers]
    names = orgs_repository.organisations_by_ids(session, [*issuers, *endorsers])
    return Draft(
        version=version,
        outcomes=repo.outcomes_of(session, version.id),
        issuer_names=[names[i].name for i in issuers if i in names],
        endorser_names=[names[e].name for e in endorsers if e in names],
    )


def list_for_organisation(
    session: Session, actor: Actor, org_id: uuid.UUID
) -> Sequence[tuple[Specification, SpecificationVersion]]:
    require_scope(actor, Scope.CATALOGUE_READ)
    visible_organisation(session, actor, org_id)
    return repo.specifications_of(session, org_id)


def create_specification(
    session: Session, actor: Actor, org_id: uuid.UUID, data: SpecificationCreate
) -> SpecificationVersion:
    """A new specification, as version 1 in draft."""
    _require(session, actor, org_id, DESIGNERS)
    if repo.find_specification(session, org_id, data.slug) is not None:
        message = lazy_gettext(
            "This organisation already has a specification with this short name."
        )
        raise Conflict(message, [FieldError("slug", message)])
    specification = Specification(owner_org_id=org_id, slug=data.slug)
    session.add(specification)
    session.flush()
    version = SpecificationVersion(
        specification_id=specification.id,
        number=1,
        title=data.title,
        profile=data.profile,
        language=data.language,
        created_by_id=None if actor.system else actor.person_id,
    )
    session.add(version)
    session.flush()
    _apply(session, specification, version, data.model_dump(exclude={"slug"}, exclude_unset=True))
    return version


def update_draft(
    session: Session, actor: Actor, version_id: uuid.UUID, data: SpecificationFields
) -> SpecificationVersion:
    """Change a draft; anything else is refused, so a published version never changes."""
    specification, version = lock_draft(session, actor, version_id)
    _apply(session, specification, version, data.model_dump(exclude_unset=True))
    return version


def lock_draft(
    session: Session, actor: Actor, version_id: uuid.UUID
) -> tuple[Specification, SpecificationVersion]:
    """The version, locked, if ``actor`` may change its elements now: a draft, by its
    issuer's designers. Every change to a version's elements goes through this."""
    specification, version = _version(session, actor, version_id, lock=True)
    _require(session, actor, specification.owner_org_id, DESIGNERS)
    require_draft(version)
    return specification, version


def require_draft(version: SpecificationVersion) -> None:
    """Refuse anything that would change a version past its draft: what was reviewed or
    published stays as it was."""
    if version.status is not VersionStatus.DRAFT:
        raise Conflict(
            lazy_gettext("Only a draft can be changed: return it to draft, or make a new version.")
        )


def _apply(
    session: Session,
    specification: Specification,
    version: SpecificationVersion,
    values: dict[str, object],
) -> None:
    outcomes = values.pop("outcomes", None)
    co_issuers = values.pop("co_issuer_ids", None)
    for name, value in values.items():
        setattr(version, name, value)
    if version.starts_on and version.ends_on and version.ends_on < version.starts_on:
        message = lazy_gettext("The course cannot end before it starts.")
        raise InvalidInput(message, [FieldError("ends_on", message)])
    if isinstance(co_issuers, list):
        _set_co_issuers(session, specification, version, co_issuers)
    if isinstance(outcomes, list):
        _set_outcomes(session, specification, version, outcomes)
    _index_text(session, version)
    session.flush()


def _index_text(session: Session, version: SpecificationVersion) -> None:
    """Gather the words catalogue search looks in into the one column its full-text index
    reads. Only drafts change, so a published version's text is final."""
    statements = [outcome.statement for outcome in repo.outcomes_of(session, version.id)]
    parts = (version.title, version.summary, *statements)
    version.search_text = "\n".join(part for part in parts if part)


def _set_co_issuers(
    session: Session,
    specification: Specification,
    version: SpecificationVersion,
    org_ids: list[uuid.UUID],
) -> None:
    wanted = [org_id for org_id in dict.fromkeys(org_ids) if org_id != specification.owner_org_id]
    found = orgs_repository.organisations_by_ids(session, wanted)
    if len(found) != len(wanted):
        message = lazy_gettext("A co-issuer is not an organisation on Cairn.")
        raise InvalidInput(message, [FieldError("co_issuer_ids", message)])
    repo.replace_co_issuers(session, version.id, wanted)


def _set_outcomes(
    session: Session,
    specification: Specification,
    version: SpecificationVersion,
    outcomes: list[dict[str, object]],
) -> None:
    problems = []
    rows = []
    for position, outcome in enumerate(outcomes, start=1):
        skill_id = outcome.get("skill_id")
        level = outcome.get("level")
        if isinstance(skill_id, uuid.UUID):
            skill = taxonomy_repository.get_skill(session, skill_id)
            framework = (
                taxonomy_repository.get_framework(session, skill.framework_id) if skill else None
            )
            if framework is None or framework.owner_org_id not in (
                None,
                specification.owner_org_id,
            ):
                problems.append(
                    FieldError(f"outcomes.{position}.skill_id", lazy_gettext("No such skill."))
                )
            elif isinstance(level, int) and framework.scale and level > len(framework.scale.levels):
                problems.append(
                    FieldError(
                        f"outcomes.{position}.level",
                        lazy_gettext(
                            "The skill's scale has %(count)s levels.",
                            count=len(framework.scale.levels),
                        ),
                    )
                )
        elif level is not None:
            problems.append(
                FieldError(
                    f"outcomes.{position}.level",
                    lazy_gettext("A level needs a skill to be a level of."),
                )
            )
        rows.append(
            LearningOutcome(
                version_id=version.id,
                position=position,
                statement=str(outcome["statement"]),
                skill_id=skill_id if isinstance(skill_id, uuid.UUID) else None,
                level=level if isinstance(level, int) else None,
            )
        )
    if problems:
        raise InvalidInput(problems[0].message, problems)
    repo.replace_outcomes(session, version.id, rows)


def submit_for_review(
    session: Session, actor: Actor, version_id: uuid.UUID
) -> SpecificationVersion:
    specification, version = _version(session, actor, version_id, lock=True)
    _require(session, actor, specification.owner_org_id, DESIGNERS)
    _expect(version, VersionStatus.DRAFT)
    version.status = VersionStatus.IN_REVIEW
    version.submitted_at = utcnow()
    session.flush()
    return version


def return_to_draft(session: Session, actor: Actor, version_id: uuid.UUID) -> SpecificationVersion:
    specification, version = _version(session, actor, version_id, lock=True)
    _require(session, actor, specification.owner_org_id, DESIGNERS)
    _expect(version, VersionStatus.IN_REVIEW)
    version.status = VersionStatus.DRAFT
    session.flush()
    return version


def publish(session: Session, actor: Actor, version_id: uuid.UUID) -> SpecificationVersion:
    """Publish a version in review that passes its profile check; any earlier published
    version of the same specification is retired, so one edition is on offer at a time."""
    specification, version = _version(session, actor, version_id, lock=True)
    _require(session, actor, specification.owner_org_id, PUBLISHERS)
    _expect(version, VersionStatus.IN_REVIEW)
    result = profile_check.check(_draft(session, specification, version))
    if not result.passed:
        raise InvalidInput(
            lazy_gettext(
                "It cannot be published yet: %(count)s elements of its profile are missing.",
                count=len(result.missing),
            ),
            [FieldError(f.element, f.missing or f.label) for f in result.missing],
        )
    now = utcnow()
    for other in repo.versions_of(session, specification.id):
        if other.status is VersionStatus.PUBLISHED:
            other.status, other.retired_at = VersionStatus.RETIRED, now
    version.status, version.published_at = VersionStatus.PUBLISHED, now
    session.flush()
    return version


def retire(session: Session, actor: Actor, version_id: uuid.UUID) -> SpecificationVersion:
    specification, version = _version(session, actor, version_id, lock=True)
    _require(session, actor, specification.owner_org_id, PUBLISHERS)
    _expect(version, VersionStatus.PUBLISHED)
    version.status, version.retired_at = VersionStatus.RETIRED, utcnow()
    session.flush()
    return version


def new_version(session: Session, actor: Actor, version_id: uuid.UUID) -> SpecificationVersion:
    """A draft copied from a published or retired version (its prerequisites included),
    numbered after the newest; one draft or review at a time per specification."""
    specification, source = _version(session, actor, version_id)
    _require(session, actor, specification.owner_org_id, DESIGNERS)
    if any(
        v.status in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)
        for v in repo.versions_of(session, specification.id)
    ):
        raise Conflict(lazy_gettext("This specification already has a version being prepared."))
    version = SpecificationVersion(
        specification_id=specification.id,
        number=repo.latest_number(session, specification.id) + 1,
        created_by_id=None if actor.system else actor.person_id,
        **{name: getattr(source, name) for name in COPIED},
    )
    session.add(version)
    session.flush()
    repo.replace_co_issuers(session, version.id, list(repo.co_issuer_ids(session, source.id)))
    repo.replace_outcomes(
        session,
        version.id,
        [
            LearningOutcome(
                version_id=version.id,
                position=o.position,
                statement=o.statement,
                skill_id=o.skill_id,
                level=o.level,
            )
            for o in repo.outcomes_of(session, source.id)
        ],
    )
    repo.replace_prerequisites(
        session, version.id, repo.prerequisites_of(session, [source.id]).get(source.id, [])
    )
    _index_text(session, version)
    session.flush()
    return version


def _expect(version: SpecificationVersion, status: VersionStatus) -> None:
    if version.status is not status:
        messages = {
            VersionStatus.DRAFT: lazy_gettext("Only a draft can be sent for review."),
            VersionStatus.IN_REVIEW: lazy_gettext("Only a version in review can do that."),
            VersionStatus.PUBLISHED: lazy_gettext("Only a published version can be retired."),
        }
        raise Conflict(messages.get(status, lazy_gettext("Not possible in this state.")))


def endorse(
    session: Session,
    actor: Actor,
    version_id: uuid.UUID,
    org_id: uuid.UUID,
    statement: str | None = None,
) -> Endorsement:
    """An administrator of an organisation other than the issuers endorses a version in
    review or published; the endorsement holds for that version only."""
    require_scope(actor, Scope.CATALOGUE_WRITE)
    specification, version = _version(session, actor, version_id)
    endorser = visible_organisation(session, actor, org_id)
    if not is_org_admin(actor, org_id):
        raise PermissionDenied(
            lazy_gettext("Only an administrator can endorse for an organisation.")
        )
    if org_id == specification.owner_org_id or org_id in repo.co_issuer_ids(session, version.id):
        message = lazy_gettext("An issuer cannot endorse its own specification.")
        raise InvalidInput(message, [FieldError("org_id", message)])
    if version.status not in (VersionStatus.IN_REVIEW, VersionStatus.PUBLISHED):
        raise Conflict(lazy_gettext("Only a version in review or published can be endorsed."))
    if org_id in repo.endorser_ids(session, version.id):
        raise Conflict(lazy_gettext("%(org)s already endorses this version.", org=endorser.name))
    endorsement = Endorsement(
        version_id=version.id,
        org_id=org_id,
        endorsed_by_id=None if actor.system else actor.person_id,
        statement=statement,
    )
    session.add(endorsement)
    session.flush()
    return endorsement
