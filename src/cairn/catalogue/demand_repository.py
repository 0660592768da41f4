"""Queries of skills demand: posting batches, and the three signals counted per skill.

The signals are read as grouped counts, never as rows of postings: 10,000 postings with
their skills reduce to a few thousand (skill, region, month) counts in one ``SELECT``.
Employers' needs and role profiles are other features' tables, only read here."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, delete, extract, func, insert, or_, select
from sqlalchemy.orm import Session

from cairn.catalogue.codesign_models import NeedSkill, NetworkMember, SkillsNeed
from cairn.catalogue.demand_models import JobPosting, PostingBatch, PostingSkill
from cairn.catalogue.enums import NeedStatus
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation, SkillProfile, SkillProfileItem
from cairn.taxonomy.models import Skill

CHUNK = 1_000
"""Rows per ``INSERT``, and ids per ``IN (...)``: well inside every driver's limits."""
Columns = TypeVarTuple("Columns")
DEMANDING_NEEDS = (NeedStatus.OPEN, NeedStatus.AGREED)
"""A need still to be met, or met by a course being made: closed and withdrawn ones are not."""


@dataclass(frozen=True)
class SkillLabels:
    id: uuid.UUID
    uri: str
    code: str | None
    preferred_label: str
    alt_labels: tuple[str, ...]


@dataclass(frozen=True)
class SkillHead:
    id: uuid.UUID
    uri: str
    preferred_label: str
    framework_id: uuid.UUID


@dataclass(frozen=True)
class PostingCount:
    skill_id: uuid.UUID
    region: str | None
    year: int
    month: int
    postings: int


@dataclass(frozen=True)
class SkillFilter:
    """Which skills to count: some skills, or every skill of some frameworks."""

    skill_ids: Collection[uuid.UUID] | None = None
    framework_ids: Collection[uuid.UUID] | None = None

    def apply(self, query: Select[*Columns], skill_column: Any) -> Select[*Columns]:
        if self.skill_ids is not None:
            query = query.where(skill_column.in_(list(self.skill_ids)))
        if self.framework_ids is not None:
            query = query.join(Skill, Skill.id == skill_column).where(
                Skill.framework_id.in_(list(self.framework_ids))
            )
        return query


def _same_region(column: Any, region: str) -> ColumnElement[bool]:
    """Regions are typed by people: "Sudbury" and "sudbury" are one region."""
    return func.lower(column) == region.lower()


# --- batches ------------------------------------------------------------------------------


def get_batch(session: Session, batch_id: uuid.UUID) -> PostingBatch | None:
    return session.get(PostingBatch, batch_id)


def batches(session: Session, org_ids: Collection[uuid.UUID] | None) -> Sequence[PostingBatch]:
    """The batches of these organisations (None: every batch, the platform's own too),
    newest first."""
    query = select(PostingBatch).order_by(PostingBatch.imported_at.desc(), PostingBatch.id)
    if org_ids is not None:
        query = query.where(PostingBatch.org_id.in_(list(org_ids)))
    return session.scalars(query).all()


def delete_batch(session: Session, batch_id: uuid.UUID) -> None:
    """Its postings and their skills go with it (the foreign keys cascade)."""
    session.execute(delete(PostingBatch).where(PostingBatch.id == batch_id))


def insert_postings(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    _insert(session, JobPosting.__table__, rows)


def insert_posting_skills(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    _insert(session, PostingSkill.__table__, rows)


def _insert(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Core inserts of the tables, not the ORM's bulk path: no objects are wanted back,
    and a 10,000-posting batch writes five times faster."""
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), list(rows[start : start + CHUNK]))


# --- skills -------------------------------------------------------------------------------


def skill_labels(session: Session, framework_id: uuid.UUID) -> list[SkillLabels]:
    """Every skill of a framework with its labels; groups are categories, not skills."""
    rows = session.execute(
        select(Skill.id, Skill.uri, Skill.code, Skill.preferred_label, Skill.alt_labels).where(
            Skill.framework_id == framework_id, Skill.is_group.is_(False)
        )
    )
    return [
        SkillLabels(
            id=row.id,
            uri=row.uri,
            code=row.code,
            preferred_label=row.preferred_label,
            alt_labels=tuple(label for label in row.alt_labels.splitlines() if label.strip()),
        )
        for row in rows
    ]


def skill_heads(session: Session, skill_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, SkillHead]:
    wanted = list(skill_ids)
    found: dict[uuid.UUID, SkillHead] = {}
    for start in range(0, len(wanted), CHUNK):
        rows = session.execute(
            select(Skill.id, Skill.uri, Skill.preferred_label, Skill.framework_id).where(
                Skill.id.in_(wanted[start : start + CHUNK])
            )
        )
        found.update({row.id: SkillHead(*row) for row in rows})
    return found


# --- the three signals --------------------------------------------------------------------


def posting_totals(
    session: Session, skills: SkillFilter, *, region: str | None, since: date | None
) -> dict[uuid.UUID, int]:
    """Postings naming each skill, to rank them before breaking the first down."""
    query = select(PostingSkill.skill_id, func.count()).join(
        JobPosting, JobPosting.id == PostingSkill.posting_id
    )
    query = _postings_within(skills.apply(query, PostingSkill.skill_id), region, since)
    return dict(session.execute(query.group_by(PostingSkill.skill_id)).all())


def posting_counts(
    session: Session, skills: SkillFilter, *, region: str | None, since: date | None
) -> list[PostingCount]:
    """Postings naming each skill, by region and calendar month."""
    year = extract("year", JobPosting.posted_on)
    month = extract("month", JobPosting.posted_on)
    query = select(PostingSkill.skill_id, JobPosting.region, year, month, func.count()).join(
        JobPosting, JobPosting.id == PostingSkill.posting_id
    )
    query = _postings_within(skills.apply(query, PostingSkill.skill_id), region, since)
    rows = session.execute(query.group_by(PostingSkill.skill_id, JobPosting.region, year, month))
    return [
        PostingCount(skill_id, found_region, int(found_year), int(found_month), count)
        for skill_id, found_region, found_year, found_month, count in rows
    ]


def postings_total(session: Session, *, region: str | None, since: date | None) -> int:
    query = _postings_within(select(func.count()).select_from(JobPosting), region, since)
    return session.scalar(query) or 0


def _postings_within(
    query: Select[*Columns], region: str | None, since: date | None
) -> Select[*Columns]:
    if region is not None:
        query = query.where(_same_region(JobPosting.region, region))
    if since is not None:
        query = query.where(JobPosting.posted_on >= since)
    return query


def need_counts(
    session: Session,
    skills: SkillFilter,
    *,
    region: str | None,
    viewer_org_ids: Collection[uuid.UUID] | None,
) -> dict[uuid.UUID, tuple[int, int]]:
    """Skill → (open or agreed needs naming it, their headcount). Only needs the viewer
    could read count: shared with everyone, with a network of one of the viewer's
    organisations, or the viewer's own (None: every need, for platform administrators).
    A need without a headcount counts as one person."""
    query = (
        select(
            NeedSkill.skill_id,
            func.count(),
            func.sum(func.coalesce(SkillsNeed.headcount, 1)),
        )
        .join(SkillsNeed, SkillsNeed.id == NeedSkill.need_id)
        .where(SkillsNeed.status.in_(DEMANDING_NEEDS))
    )
    if region is not None:
        query = query.join(Organisation, Organisation.id == SkillsNeed.org_id).where(
            _same_region(func.coalesce(SkillsNeed.region, Organisation.region), region)
        )
    if viewer_org_ids is not None:
        orgs = list(viewer_org_ids)
        query = query.where(
            or_(
                SkillsNeed.network_id.is_(None),
                SkillsNeed.org_id.in_(orgs),
                SkillsNeed.network_id.in_(
                    select(NetworkMember.network_id).where(NetworkMember.org_id.in_(orgs))
                ),
            )
        )
    rows = session.execute(skills.apply(query, NeedSkill.skill_id).group_by(NeedSkill.skill_id))
    return {skill_id: (needs, int(headcount or 0)) for skill_id, needs, headcount in rows}


def role_profile_counts(
    session: Session, skills: SkillFilter, *, region: str | None
) -> dict[uuid.UUID, int]:
    """Skill → employers' job-role profiles requiring it (department profiles describe a
    team, not a job, and are left out)."""
    query = (
        select(SkillProfileItem.skill_id, func.count())
        .join(SkillProfile, SkillProfile.id == SkillProfileItem.profile_id)
        .join(Organisation, Organisation.id == SkillProfile.org_id)
        .where(SkillProfile.position_id.is_not(None), Organisation.kind == OrgKind.EMPLOYER)
    )
    if region is not None:
        query = query.where(_same_region(Organisation.region, region))
    rows = session.execute(
        skills.apply(query, SkillProfileItem.skill_id).group_by(SkillProfileItem.skill_id)
    )
    return dict(rows.all())


def posting_regions(session: Session) -> list[str]:
    """The regions postings name, for the filter's choices."""
    return list(
        session.scalars(
            select(JobPosting.region)
            .where(JobPosting.region.is_not(None))
            .distinct()
            .order_by(JobPosting.region)
        )
    )
