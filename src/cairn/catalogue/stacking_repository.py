"""Queries of stacking rules, equivalences and RPL routes.

Evaluation reads every rule at once, so these return plain rows of the few columns it
needs rather than ORM objects: 1,000 rules load in a handful of ``SELECT``s."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cairn.catalogue.enums import VersionStatus
from cairn.catalogue.models import Specification, SpecificationVersion
from cairn.catalogue.stacking import Equivalence as EquivalenceValue
from cairn.catalogue.stacking import Rule
from cairn.catalogue.stacking_models import Equivalence, RplRoute, StackRule, StackRuleComponent


def get_rule(session: Session, rule_id: uuid.UUID) -> StackRule | None:
    return session.get(StackRule, rule_id)


def rule_for_update(session: Session, rule_id: uuid.UUID) -> StackRule | None:
    return session.scalar(select(StackRule).where(StackRule.id == rule_id).with_for_update())


def find_rule(session: Session, owner_org_id: uuid.UUID, slug: str) -> StackRule | None:
    return session.scalar(
        select(StackRule).where(StackRule.owner_org_id == owner_org_id, StackRule.slug == slug)
    )


def rules_of(session: Session, owner_org_id: uuid.UUID | None = None) -> Sequence[StackRule]:
    query = select(StackRule).order_by(StackRule.title, StackRule.id)
    if owner_org_id is not None:
        query = query.where(StackRule.owner_org_id == owner_org_id)
    return session.scalars(query).all()


@dataclass(frozen=True)
class RuleHead:
    id: uuid.UUID
    title: str
    owner_org_id: uuid.UUID
    target_specification_id: uuid.UUID | None
    program_name: str | None
    program_code: str | None


def rule_heads(session: Session, rule_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, RuleHead]:
    """What a learner's list shows of each rule, as plain rows: hundreds of rules may count."""
    if not rule_ids:
        return {}
    rows = session.execute(
        select(
            StackRule.id,
            StackRule.title,
            StackRule.owner_org_id,
            StackRule.target_specification_id,
            StackRule.program_name,
            StackRule.program_code,
        ).where(StackRule.id.in_(list(rule_ids)))
    ).all()
    return {row.id: RuleHead(*row) for row in rows}


def components_of(
    session: Session, rule_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[list[uuid.UUID], list[uuid.UUID]]]:
    """Rule → (its specifications, its nested rules)."""
    found: dict[uuid.UUID, tuple[list[uuid.UUID], list[uuid.UUID]]] = {
        rule_id: ([], []) for rule_id in rule_ids
    }
    if not rule_ids:
        return found
    rows = session.execute(
        select(
            StackRuleComponent.rule_id,
            StackRuleComponent.specification_id,
            StackRuleComponent.nested_rule_id,
        ).where(StackRuleComponent.rule_id.in_(list(rule_ids)))
    ).all()
    for rule_id, specification_id, nested_rule_id in rows:
        specifications, rules = found[rule_id]
        if specification_id is not None:
            specifications.append(specification_id)
        if nested_rule_id is not None:
            rules.append(nested_rule_id)
    return found


def all_rules(session: Session) -> list[Rule]:
    """Every rule on the platform as evaluation values: rules are public, and a rule may
    include another organisation's, so cycles are looked for across all of them."""
    heads = session.execute(
        select(
            StackRule.id,
            StackRule.title,
            StackRule.kind,
            StackRule.n,
            StackRule.credits_required,
            StackRule.target_specification_id,
        ).order_by(StackRule.created_at, StackRule.id)
    ).all()
    specifications: dict[uuid.UUID, list[uuid.UUID]] = {}
    nested: dict[uuid.UUID, list[uuid.UUID]] = {}
    # Two narrow queries rather than one with a null in every row: half the UUIDs to parse.
    for rule_id, specification_id in session.execute(
        select(StackRuleComponent.rule_id, StackRuleComponent.specification_id).where(
            StackRuleComponent.specification_id.is_not(None)
        )
    ):
        if specification_id is not None:  # always, by the query: for the type checker
            specifications.setdefault(rule_id, []).append(specification_id)
    for rule_id, nested_rule_id in session.execute(
        select(StackRuleComponent.rule_id, StackRuleComponent.nested_rule_id).where(
            StackRuleComponent.nested_rule_id.is_not(None)
        )
    ):
        if nested_rule_id is not None:
            nested.setdefault(rule_id, []).append(nested_rule_id)
    return [
        Rule(
            id=rule_id,
            title=title,
            kind=kind,
            specification_ids=tuple(specifications.get(rule_id, ())),
            rule_ids=tuple(nested.get(rule_id, ())),
            n=n,
            credits_required=credits_required,
            target_specification_id=target,
        )
        for rule_id, title, kind, n, credits_required, target in heads
    ]


def replace_components(
    session: Session,
    rule_id: uuid.UUID,
    specification_ids: Sequence[uuid.UUID],
    rule_ids: Sequence[uuid.UUID],
) -> None:
    session.execute(delete(StackRuleComponent).where(StackRuleComponent.rule_id == rule_id))
    session.add_all(
        StackRuleComponent(rule_id=rule_id, specification_id=specification_id)
        for specification_id in specification_ids
    )
    session.add_all(
        StackRuleComponent(rule_id=rule_id, nested_rule_id=nested_rule_id)
        for nested_rule_id in rule_ids
    )


def rules_including(session: Session, rule_id: uuid.UUID) -> Sequence[StackRule]:
    return session.scalars(
        select(StackRule)
        .join(StackRuleComponent, StackRuleComponent.rule_id == StackRule.id)
        .where(StackRuleComponent.nested_rule_id == rule_id)
        .order_by(StackRule.title)
    ).all()


def published_specification_ids(
    session: Session, specification_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """Those of ``specification_ids`` with a version on offer now."""
    if not specification_ids:
        return set()
    return set(
        session.scalars(
            select(SpecificationVersion.specification_id)
            .where(
                SpecificationVersion.specification_id.in_(list(specification_ids)),
                SpecificationVersion.status == VersionStatus.PUBLISHED,
            )
            .distinct()
        )
    )


def credit_values(
    session: Session, specification_ids: Collection[uuid.UUID] | None = None
) -> dict[uuid.UUID, float | None]:
    """Each specification's ECTS from its newest version that has been published (on offer
    now or since retired: a credential earned under it still carries its credits)."""
    issued = (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
    newest = select(
        SpecificationVersion.specification_id,
        func.max(SpecificationVersion.number).label("number"),
    ).where(SpecificationVersion.status.in_(issued))
    if specification_ids is not None:
        if not specification_ids:
            return {}
        newest = newest.where(SpecificationVersion.specification_id.in_(list(specification_ids)))
    latest = newest.group_by(SpecificationVersion.specification_id).subquery()
    rows = session.execute(
        select(SpecificationVersion.specification_id, SpecificationVersion.ects).join(
            latest,
            (latest.c.specification_id == SpecificationVersion.specification_id)
            & (latest.c.number == SpecificationVersion.number),
        )
    ).all()
    return {row.specification_id: row.ects for row in rows}


def fingerprint(session: Session) -> tuple[object, ...]:
    """Changes whenever what evaluation reads changes: a rule or its components written
    (every write stamps the rule's ``updated_at``) or deleted, an equivalence declared or
    withdrawn, a version published. Four aggregates, about a millisecond."""
    rules = session.execute(select(func.count(), func.max(StackRule.updated_at))).one()
    components = session.scalar(select(func.count()).select_from(StackRuleComponent))
    equivalences = session.execute(
        select(func.count(), func.max(Equivalence.created_at)).select_from(Equivalence)
    ).one()
    published = session.scalar(select(func.max(SpecificationVersion.published_at)))
    return (*rules, components, *equivalences, published)


def all_equivalences(session: Session) -> list[EquivalenceValue]:
    return [
        EquivalenceValue(specification_id, equivalent_id)
        for specification_id, equivalent_id in session.execute(
            select(Equivalence.specification_id, Equivalence.equivalent_specification_id)
        )
    ]


def find_equivalence(
    session: Session, specification_id: uuid.UUID, equivalent_id: uuid.UUID
) -> Equivalence | None:
    return session.scalar(
        select(Equivalence).where(
            Equivalence.specification_id == specification_id,
            Equivalence.equivalent_specification_id == equivalent_id,
        )
    )


def get_equivalence(session: Session, equivalence_id: uuid.UUID) -> Equivalence | None:
    return session.get(Equivalence, equivalence_id)


def equivalences_of(session: Session, owner_org_id: uuid.UUID) -> Sequence[Equivalence]:
    return session.scalars(
        select(Equivalence)
        .join(Specification, Specification.id == Equivalence.specification_id)
        .where(Specification.owner_org_id == owner_org_id)
        .order_by(Equivalence.created_at)
    ).all()


def rpl_specification_ids(
    session: Session, specification_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    if not specification_ids:
        return set()
    return set(
        session.scalars(
            select(RplRoute.specification_id)
            .where(RplRoute.specification_id.in_(list(specification_ids)))
            .distinct()
        )
    )


def rpl_routes_of(session: Session, specification_id: uuid.UUID) -> Sequence[RplRoute]:
    return session.scalars(
        select(RplRoute)
        .where(RplRoute.specification_id == specification_id)
        .order_by(RplRoute.created_at)
    ).all()


@dataclass(frozen=True)
class IssuedVersion:
    """The version of a specification that names it in rules: its newest published or
    retired one (a credential earned under it still counts)."""

    specification_id: uuid.UUID
    version_id: uuid.UUID
    title: str
    owner_org_id: uuid.UUID
    ects: float | None
    status: VersionStatus


def issued_versions(
    session: Session, specification_ids: Collection[uuid.UUID] | None = None
) -> list[IssuedVersion]:
    """Each specification's newest issued version, by title; every one when ids are None."""
    issued = (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
    newest = select(
        SpecificationVersion.specification_id,
        func.max(SpecificationVersion.number).label("number"),
    ).where(SpecificationVersion.status.in_(issued))
    if specification_ids is not None:
        if not specification_ids:
            return []
        newest = newest.where(SpecificationVersion.specification_id.in_(list(specification_ids)))
    latest = newest.group_by(SpecificationVersion.specification_id).subquery()
    rows = session.execute(
        select(
            SpecificationVersion.specification_id,
            SpecificationVersion.id,
            SpecificationVersion.title,
            Specification.owner_org_id,
            SpecificationVersion.ects,
            SpecificationVersion.status,
        )
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .join(
            latest,
            (latest.c.specification_id == SpecificationVersion.specification_id)
            & (latest.c.number == SpecificationVersion.number),
        )
        .order_by(SpecificationVersion.title, SpecificationVersion.id)
    ).all()
    return [IssuedVersion(*row) for row in rows]


def rules_with_specifications(
    session: Session, specification_ids: Collection[uuid.UUID]
) -> list[tuple[StackRule, uuid.UUID]]:
    """Rules that include any of ``specification_ids``, with the one they include."""
    if not specification_ids:
        return []
    rows = session.execute(
        select(StackRule, StackRuleComponent.specification_id)
        .join(StackRuleComponent, StackRuleComponent.rule_id == StackRule.id)
        .where(StackRuleComponent.specification_id.in_(list(specification_ids)))
        .order_by(StackRule.title, StackRule.id)
    ).all()
    return [(rule, specification_id) for rule, specification_id in rows if specification_id]


def equivalents_recognising(session: Session, equivalent_id: uuid.UUID) -> list[uuid.UUID]:
    """The specifications whose owners recognise ``equivalent_id`` as standing in for them."""
    return list(
        session.scalars(
            select(Equivalence.specification_id).where(
                Equivalence.equivalent_specification_id == equivalent_id
            )
        )
    )


def rpl_routes_of_organisation(session: Session, owner_org_id: uuid.UUID) -> Sequence[RplRoute]:
    return session.scalars(
        select(RplRoute)
        .join(Specification, Specification.id == RplRoute.specification_id)
        .where(Specification.owner_org_id == owner_org_id)
        .order_by(RplRoute.created_at)
    ).all()
