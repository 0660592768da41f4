"""What the pages and the API show around stacking rules: the specifications they name
(by title and issuer, not by id), what a specification counts toward, the choices a rule's
form offers, and an issuer's recognition-of-prior-learning routes.

Rules, equivalences and the published specifications they are made of are public
(decision 0024)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.catalogue import repository as catalogue_repository
from cairn.catalogue import stacking_repository as repo
from cairn.catalogue.enums import VersionStatus
from cairn.catalogue.stacking_models import RplRoute, StackRule
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.orgs import repository as orgs_repository
from cairn.orgs.permissions import visible_organisation


@dataclass(frozen=True)
class SpecificationHead:
    """A specification as a rule names it: the issued version to link to, its issuer."""

    specification_id: uuid.UUID
    version_id: uuid.UUID
    title: str
    owner_org_id: uuid.UUID
    issuer: str
    ects: float | None
    status: VersionStatus
    """Published while on offer; retired after; a draft only for its own organisation."""


@dataclass(frozen=True)
class CountsToward:
    """A rule a specification counts toward, directly or as the recognised equivalent of
    ``through`` (another specification the rule includes)."""

    rule: StackRule
    through: SpecificationHead | None


def _heads(
    session: Session, specification_ids: Collection[uuid.UUID] | None
) -> list[SpecificationHead]:
    versions = repo.issued_versions(session, specification_ids)
    names = orgs_repository.organisations_by_ids(
        session, list({version.owner_org_id for version in versions})
    )
    return [
        SpecificationHead(
            specification_id=version.specification_id,
            version_id=version.version_id,
            title=version.title,
            owner_org_id=version.owner_org_id,
            issuer=names[version.owner_org_id].name if version.owner_org_id in names else "",
            ects=version.ects,
            status=version.status,
        )
        for version in versions
    ]


def specification_heads(
    session: Session, actor: Actor, specification_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, SpecificationHead]:
    """The specifications among ``specification_ids`` the actor may see: issued ones, and
    the newest version of one never issued (a larger credential still being designed)
    for its own organisation's members only."""
    require_scope(actor, Scope.CATALOGUE_READ)
    found = {head.specification_id: head for head in _heads(session, specification_ids)}
    for specification_id in set(specification_ids) - set(found):
        specification = catalogue_repository.get_specification(session, specification_id)
        if specification is None or not (
            actor.is_platform_admin or specification.owner_org_id in actor.org_ids
        ):
            continue
        versions = catalogue_repository.versions_of(session, specification_id)
        owner = orgs_repository.get_organisation(session, specification.owner_org_id)
        if versions and owner is not None:
            newest = versions[-1]
            found[specification_id] = SpecificationHead(
                specification_id=specification_id,
                version_id=newest.id,
                title=newest.title,
                owner_org_id=specification.owner_org_id,
                issuer=owner.name,
                ects=newest.ects,
                status=newest.status,
            )
    return found


def rule_titles(
    session: Session, actor: Actor, rule_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, str]:
    require_scope(actor, Scope.CATALOGUE_READ)
    return {rule_id: head.title for rule_id, head in repo.rule_heads(session, rule_ids).items()}


def component_choices(session: Session, actor: Actor) -> list[SpecificationHead]:
    """Every specification on offer now, of any issuer, by title: what a rule may include
    or an equivalence recognise."""
    require_scope(actor, Scope.CATALOGUE_READ)
    return [head for head in _heads(session, None) if head.status is VersionStatus.PUBLISHED]


def counts_toward(
    session: Session, actor: Actor, specification_id: uuid.UUID
) -> list[CountsToward]:
    """The rules that include a specification, then those that include one whose owner
    recognises it as equivalent, each rule once, by title."""
    require_scope(actor, Scope.CATALOGUE_READ)
    recognising = repo.equivalents_recognising(session, specification_id)
    heads = specification_heads(session, actor, recognising)
    found: dict[uuid.UUID, CountsToward] = {}
    for rule, included in repo.rules_with_specifications(session, [specification_id, *recognising]):
        through = None if included == specification_id else heads.get(included)
        if included != specification_id and through is None:
            continue  # recognised by a specification no longer issued
        if rule.id not in found or through is None:
            found[rule.id] = CountsToward(rule, through)
    return sorted(
        found.values(), key=lambda counted: (counted.through is not None, counted.rule.title)
    )


def owner_names(
    session: Session, actor: Actor, org_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The names of the organisations that own rules: public, like the rules."""
    require_scope(actor, Scope.CATALOGUE_READ)
    found = orgs_repository.organisations_by_ids(session, list(org_ids))
    return {org_id: org.name for org_id, org in found.items()}


def included_in(session: Session, actor: Actor, rule_id: uuid.UUID) -> Sequence[StackRule]:
    """The rules that count this one's achievement as a component."""
    require_scope(actor, Scope.CATALOGUE_READ)
    return repo.rules_including(session, rule_id)


def rpl_routes_of_organisation(
    session: Session, actor: Actor, org_id: uuid.UUID
) -> Sequence[RplRoute]:
    """An organisation's routes, drafts' included: for its own members' pages."""
    require_scope(actor, Scope.CATALOGUE_READ)
    visible_organisation(session, actor, org_id)
    return repo.rpl_routes_of_organisation(session, org_id)
