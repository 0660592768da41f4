"""Full-text queries over skills: FTS5 on SQLite, weighted tsvector and trigram on
PostgreSQL. The indexes they rely on are made by the taxonomy migration (0002)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from cairn.taxonomy.enums import SkillType
from cairn.taxonomy.models import Framework, Skill, SkillCollectionMember

LABEL_WEIGHT, ALT_LABEL_WEIGHT, DESCRIPTION_WEIGHT = 10.0, 4.0, 1.0
"""SQLite bm25 column weights: a word in the preferred label counts most."""


@dataclass(frozen=True)
class SkillFilter:
    framework_ids: Sequence[uuid.UUID]
    skill_type: SkillType | None = None
    collection_ids: Sequence[uuid.UUID] | None = None
    include_groups: bool = False


def _filtered(
    query: Select[tuple[uuid.UUID, float]], filters: SkillFilter
) -> Select[tuple[uuid.UUID, float]]:
    query = query.where(Skill.framework_id.in_(list(filters.framework_ids)))
    if not filters.include_groups:
        query = query.where(Skill.is_group.is_(False))
    if filters.skill_type is not None:
        query = query.where(Skill.skill_type == filters.skill_type)
    if filters.collection_ids is not None:
        members = select(SkillCollectionMember.skill_id).where(
            SkillCollectionMember.collection_id.in_(list(filters.collection_ids))
        )
        query = query.where(Skill.id.in_(members))
    return query


def match(
    session: Session, words: Sequence[str], *, every: bool, filters: SkillFilter, limit: int
) -> list[uuid.UUID]:
    """Skills matching every word (or any), best first; each word also matches as a prefix
    of a stemmed word, so "spreadsheet" finds "spreadsheets"."""
    if not words or not filters.framework_ids:
        return []
    if session.get_bind().dialect.name == "sqlite":
        joiner = " AND " if every else " OR "
        expression = joiner.join(f'"{word}"*' for word in words)
        fts = table("skills_fts")
        rank = func.bm25(
            literal_column("skills_fts"), LABEL_WEIGHT, ALT_LABEL_WEIGHT, DESCRIPTION_WEIGHT
        )
        query = (
            select(Skill.id, rank.label("rank"))
            .select_from(fts)
            .join(Skill, literal_column("skills.rowid") == literal_column("skills_fts.rowid"))
            .where(literal_column("skills_fts").op("MATCH")(expression))
            .order_by(rank, Skill.preferred_label)
        )
    else:
        joiner = " & " if every else " | "
        tsquery = func.to_tsquery(_english(), joiner.join(f"{word}:*" for word in words))
        vector = _pg_vector()
        rank = func.ts_rank_cd(vector, tsquery)
        query = (
            select(Skill.id, rank.label("rank"))
            .where(vector.op("@@")(tsquery))
            .order_by(rank.desc(), Skill.preferred_label)
        )
    return list(session.scalars(_filtered(query, filters).limit(limit)))


def vocabulary_key(session: Session, framework_ids: Sequence[uuid.UUID]) -> tuple[object, ...]:
    """Changes whenever one of the frameworks is re-imported: the cache key of its words."""
    rows = session.execute(
        select(Framework.id, Framework.imported_at)
        .where(Framework.id.in_(list(framework_ids)))
        .order_by(Framework.id)
    )
    return tuple(rows)


def texts(session: Session, framework_ids: Sequence[uuid.UUID]) -> Iterator[str]:
    """Every label and description of the frameworks' skills, to learn their words from."""
    rows = session.execute(
        select(Skill.preferred_label, Skill.alt_labels, Skill.description).where(
            Skill.framework_id.in_(list(framework_ids))
        )
    )
    for label, alt_labels, description in rows:
        yield label
        yield alt_labels
        if description:
            yield description


def refresh_statistics(session: Session) -> None:
    """PostgreSQL plans with table statistics; after a bulk import they are stale until
    autovacuum catches up, and a stale plan scans every skill instead of the index."""
    if session.get_bind().dialect.name == "postgresql":
        for name in ("skills", "skill_broader", "occupations", "occupation_skills"):
            session.execute(text(f"ANALYZE {name}"))


def _english() -> ColumnElement[object]:
    return literal_column("'english'::regconfig")


def _pg_vector() -> ColumnElement[object]:
    """The stored, weighted tsvector the taxonomy migration adds on PostgreSQL only."""
    return literal_column("skills.search_vector")
