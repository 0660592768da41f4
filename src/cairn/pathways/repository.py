"""Queries of pathways and of what planning one reads: role profiles to aim at, published
specifications and their outcomes, prerequisites and stacking rules, offerings on offer,
the learner's enrolments, and where they stand in their learning-account programs."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from cairn.catalogue.enums import OfferingStatus, Participation, VersionStatus
from cairn.catalogue.models import (
    LearningOutcome,
    Specification,
    SpecificationVersion,
)
from cairn.catalogue.offering_models import Enrolment, Offering
from cairn.catalogue.stacking_models import StackRule, StackRuleComponent
from cairn.orgs.models import Department, Organisation, Position, SkillProfile
from cairn.pathways.models import Pathway, PathwayStep

# Pathways ----------------------------------------------------------------------------------


def pathways_of(session: Session, person_id: uuid.UUID) -> Sequence[Pathway]:
    return session.scalars(
        select(Pathway)
        .where(Pathway.person_id == person_id)
        .order_by(Pathway.created_at.desc(), Pathway.id)
    ).all()


def get_pathway(session: Session, pathway_id: uuid.UUID) -> Pathway | None:
    return session.get(Pathway, pathway_id)


def steps_of(session: Session, pathway_id: uuid.UUID) -> Sequence[PathwayStep]:
    return session.scalars(
        select(PathwayStep)
        .where(PathwayStep.pathway_id == pathway_id)
        .order_by(PathwayStep.position)
    ).all()


# Targets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleProfileHead:
    profile: SkillProfile
    organisation: Organisation
    name: str
    """The job role's title or the department's name."""


def role_profiles_in(session: Session, org_ids: Collection[uuid.UUID]) -> list[RoleProfileHead]:
    """The skill profiles of these organisations' job roles and departments, by name."""
    if not org_ids:
        return []
    rows = session.execute(
        select(SkillProfile, Organisation, Position.title, Department.name)
        .join(Organisation, Organisation.id == SkillProfile.org_id)
        .outerjoin(Position, Position.id == SkillProfile.position_id)
        .outerjoin(Department, Department.id == SkillProfile.department_id)
        .where(SkillProfile.org_id.in_(list(org_ids)))
    ).all()
    heads = [
        RoleProfileHead(profile, org, title if title is not None else name or "")
        for profile, org, title, name in rows
    ]
    return sorted(heads, key=lambda head: (head.organisation.name, head.name.casefold()))


def get_role_profile(session: Session, profile_id: uuid.UUID) -> RoleProfileHead | None:
    found = [
        head
        for head in role_profiles_in(
            session,
            session.scalars(select(SkillProfile.org_id).where(SkillProfile.id == profile_id)).all(),
        )
        if head.profile.id == profile_id
    ]
    return found[0] if found else None


def published_specification(
    session: Session, specification_id: uuid.UUID
) -> tuple[Specification, SpecificationVersion] | None:
    """The specification with its version on offer now."""
    row = session.execute(
        select(Specification, SpecificationVersion)
        .join(SpecificationVersion, SpecificationVersion.specification_id == Specification.id)
        .where(
            Specification.id == specification_id,
            SpecificationVersion.status == VersionStatus.PUBLISHED,
        )
        .order_by(SpecificationVersion.number.desc())
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def published_specification_ids_by_slug(session: Session, slug: str) -> list[uuid.UUID]:
    return list(
        session.scalars(
            select(Specification.id)
            .join(SpecificationVersion, SpecificationVersion.specification_id == Specification.id)
            .where(
                Specification.slug == slug, SpecificationVersion.status == VersionStatus.PUBLISHED
            )
            .distinct()
        )
    )


def outcomes_of(session: Session, version_ids: Collection[uuid.UUID]) -> Sequence[LearningOutcome]:
    """Outcomes aligned to a skill, in order."""
    if not version_ids:
        return []
    return session.scalars(
        select(LearningOutcome)
        .where(
            LearningOutcome.version_id.in_(list(version_ids)),
            LearningOutcome.skill_id.is_not(None),
        )
        .order_by(LearningOutcome.version_id, LearningOutcome.position)
    ).all()


@dataclass(frozen=True)
class StackingHead:
    rule: StackRule
    specification_ids: tuple[uuid.UUID, ...]


def stacking_rule_to(session: Session, specification_id: uuid.UUID) -> StackingHead | None:
    """The (oldest) rule stacking into the specification, with its specification
    components."""
    rule = session.scalars(
        select(StackRule)
        .where(StackRule.target_specification_id == specification_id)
        .order_by(StackRule.created_at, StackRule.id)
        .limit(1)
    ).first()
    if rule is None:
        return None
    components = session.scalars(
        select(StackRuleComponent.specification_id).where(
            StackRuleComponent.rule_id == rule.id,
            StackRuleComponent.specification_id.is_not(None),
        )
    ).all()
    return StackingHead(rule, tuple(c for c in components if c is not None))


def titles_of(session: Session, specification_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each specification's title at its newest published (or retired) version."""
    if not specification_ids:
        return {}
    rows = session.execute(
        select(SpecificationVersion.specification_id, SpecificationVersion.title)
        .where(
            SpecificationVersion.specification_id.in_(list(specification_ids)),
            SpecificationVersion.status.in_((VersionStatus.PUBLISHED, VersionStatus.RETIRED)),
        )
        .order_by(SpecificationVersion.number)
    ).all()
    return {specification_id: title for specification_id, title in rows}  # noqa: C416 - rows are not pairs to mypy


# Offerings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferingLine:
    offering: Offering
    version: SpecificationVersion
    specification: Specification


def offerings_on_offer(
    session: Session,
    *,
    on: date,
    skill_ids: Collection[uuid.UUID],
    specification_ids: Collection[uuid.UUID],
    deliveries: Collection[Participation],
    currency: str | None,
) -> list[OfferingLine]:
    """Open offerings of published versions that start on or after ``on`` and still take
    enrolments, that teach one of ``skill_ids`` or run one of ``specification_ids``."""
    wanted = []
    if skill_ids:
        wanted.append(
            Offering.version_id.in_(
                select(LearningOutcome.version_id).where(
                    LearningOutcome.skill_id.in_(list(skill_ids))
                )
            )
        )
    if specification_ids:
        wanted.append(SpecificationVersion.specification_id.in_(list(specification_ids)))
    if not wanted:
        return []
    query = (
        select(Offering, SpecificationVersion, Specification)
        .join(SpecificationVersion, SpecificationVersion.id == Offering.version_id)
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .where(
            Offering.status == OfferingStatus.OPEN,
            SpecificationVersion.status == VersionStatus.PUBLISHED,
            Offering.starts_on >= on,
            or_(Offering.enrol_by.is_(None), Offering.enrol_by >= on),
            or_(*wanted),
        )
        .order_by(Offering.starts_on, Offering.code, Offering.id)
    )
    if deliveries:
        query = query.where(Offering.delivery.in_(list(deliveries)))
    if currency is not None:
        query = query.where(Offering.currency == currency)
    return [OfferingLine(*row) for row in session.execute(query).all()]


def offering_currencies(session: Session, skill_ids: Collection[uuid.UUID]) -> list[str]:
    """Currencies of open offerings teaching these skills, most common first."""
    if not skill_ids:
        return []
    rows = session.execute(
        select(Offering.currency, func.count())
        .join(LearningOutcome, LearningOutcome.version_id == Offering.version_id)
        .where(
            Offering.status == OfferingStatus.OPEN, LearningOutcome.skill_id.in_(list(skill_ids))
        )
        .group_by(Offering.currency)
        .order_by(func.count().desc(), Offering.currency)
    ).all()
    return [currency for currency, _ in rows]


def enrolments_in(
    session: Session, person_id: uuid.UUID, offering_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Enrolment]:
    """The learner's latest enrolment in each of these offerings."""
    if not offering_ids:
        return {}
    found: dict[uuid.UUID, Enrolment] = {}
    for enrolment in session.scalars(
        select(Enrolment)
        .where(Enrolment.person_id == person_id, Enrolment.offering_id.in_(list(offering_ids)))
        .order_by(Enrolment.enrolled_at)
    ):
        found[enrolment.offering_id] = enrolment
    return found
