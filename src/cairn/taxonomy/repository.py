"""Queries of the taxonomy domain (search has its own module: it is dialect-specific)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, and_, delete, func, insert, or_, select, tuple_
from sqlalchemy.orm import Session

from cairn.kit.pagination import Paged, PageParams, paginate
from cairn.taxonomy.models import (
    Crosswalk,
    CrosswalkEntry,
    Framework,
    Occupation,
    OccupationSkill,
    OccupationTask,
    ProficiencyScale,
    Skill,
    SkillBroader,
    SkillCollection,
    SkillCollectionMember,
    SkillLevelDescriptor,
    SkillRelation,
)

# --- frameworks and scales ------------------------------------------------------------


def get_framework(session: Session, framework_id: uuid.UUID) -> Framework | None:
    return session.get(Framework, framework_id)


def find_framework(session: Session, slug: str, version: str | None = None) -> Framework | None:
    """A framework by slug and version, or the newest imported version of the slug."""
    query = select(Framework).where(Framework.slug == slug)
    if version is not None:
        return session.scalar(query.where(Framework.version == version))
    return session.scalar(query.order_by(Framework.imported_at.desc().nulls_last()).limit(1))


def list_frameworks(session: Session, org_ids: Iterable[uuid.UUID] | None) -> Sequence[Framework]:
    """Public frameworks and those owned by ``org_ids`` (None: every framework)."""
    query = select(Framework).order_by(Framework.title, Framework.version)
    if org_ids is not None:
        query = query.where(
            or_(Framework.owner_org_id.is_(None), Framework.owner_org_id.in_(list(org_ids)))
        )
    return session.scalars(query).all()


def get_scale(session: Session, slug: str) -> ProficiencyScale | None:
    return session.scalar(select(ProficiencyScale).where(ProficiencyScale.slug == slug))


def framework_counts(session: Session, framework_id: uuid.UUID) -> dict[str, int]:
    """What a framework holds, for its page and for import summaries."""

    def count(query: Select[Any]) -> int:
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0

    skills = select(Skill.id).where(Skill.framework_id == framework_id)
    occupations = select(Occupation.id).where(Occupation.framework_id == framework_id)
    framework_skills = skills
    framework_occupations = occupations
    return {
        "skills": count(skills.where(Skill.is_group.is_(False))),
        "skill_groups": count(skills.where(Skill.is_group.is_(True))),
        "occupations": count(occupations.where(Occupation.is_group.is_(False))),
        "occupation_groups": count(occupations.where(Occupation.is_group.is_(True))),
        "hierarchy_links": count(
            select(SkillBroader.skill_id).where(SkillBroader.skill_id.in_(framework_skills))
        ),
        "skill_relations": count(
            select(SkillRelation.skill_id).where(SkillRelation.skill_id.in_(framework_skills))
        ),
        "occupation_skills": count(
            select(OccupationSkill.skill_id).where(
                OccupationSkill.occupation_id.in_(framework_occupations)
            )
        ),
        "collections": count(
            select(SkillCollection.id).where(SkillCollection.framework_id == framework_id)
        ),
        "tasks": count(
            select(OccupationTask.id).where(OccupationTask.occupation_id.in_(framework_occupations))
        ),
    }


# --- skills ---------------------------------------------------------------------------


def get_skill(session: Session, skill_id: uuid.UUID) -> Skill | None:
    return session.get(Skill, skill_id)


def find_skill_by_uri(session: Session, uri: str) -> Sequence[Skill]:
    """Every version's skill with this URI, newest framework import first."""
    return session.scalars(
        select(Skill)
        .join(Framework, Framework.id == Skill.framework_id)
        .where(Skill.uri == uri)
        .order_by(Framework.imported_at.desc().nulls_last())
    ).all()


def skills_by_uri(session: Session, framework_id: uuid.UUID) -> dict[str, Skill]:
    return {
        skill.uri: skill
        for skill in session.scalars(select(Skill).where(Skill.framework_id == framework_id))
    }


def skill_ids_by_uri(session: Session, framework_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = session.execute(select(Skill.uri, Skill.id).where(Skill.framework_id == framework_id))
    return dict(rows)


def skills_by_ids(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Skill]:
    wanted = list(ids)
    if not wanted:
        return {}
    return {skill.id: skill for skill in session.scalars(select(Skill).where(Skill.id.in_(wanted)))}


def broader_of(session: Session, skill_id: uuid.UUID) -> Sequence[Skill]:
    return session.scalars(
        select(Skill)
        .join(SkillBroader, SkillBroader.broader_id == Skill.id)
        .where(SkillBroader.skill_id == skill_id)
        .order_by(Skill.preferred_label)
    ).all()


def broader_map(session: Session, framework_id: uuid.UUID) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Every skill's broader concepts in one query, to build breadcrumbs and groupings."""
    rows = session.execute(
        select(SkillBroader.skill_id, SkillBroader.broader_id)
        .join(Skill, Skill.id == SkillBroader.skill_id)
        .where(Skill.framework_id == framework_id)
    )
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    for skill_id, broader_id in rows:
        found.setdefault(skill_id, []).append(broader_id)
    return found


def narrower_of(session: Session, skill_id: uuid.UUID, limit: int) -> Sequence[Skill]:
    return session.scalars(
        select(Skill)
        .join(SkillBroader, SkillBroader.skill_id == Skill.id)
        .where(SkillBroader.broader_id == skill_id)
        .order_by(Skill.is_group.desc(), Skill.preferred_label)
        .limit(limit)
    ).all()


def top_groups(session: Session, framework_id: uuid.UUID) -> Sequence[Skill]:
    """Groups (or skills) with nothing broader: the roots of the hierarchy."""
    has_broader = select(SkillBroader.skill_id)
    return session.scalars(
        select(Skill)
        .where(Skill.framework_id == framework_id, Skill.is_group.is_(True))
        .where(Skill.id.not_in(has_broader))
        .order_by(Skill.code, Skill.preferred_label)
    ).all()


def related_skills(session: Session, skill_id: uuid.UUID) -> Sequence[tuple[Skill, SkillRelation]]:
    return session.execute(
        select(Skill, SkillRelation)
        .join(SkillRelation, SkillRelation.related_id == Skill.id)
        .where(SkillRelation.skill_id == skill_id)
        .order_by(SkillRelation.relation, Skill.preferred_label)
    ).all()


def level_descriptors(session: Session, skill_id: uuid.UUID) -> Sequence[SkillLevelDescriptor]:
    return session.scalars(
        select(SkillLevelDescriptor)
        .where(SkillLevelDescriptor.skill_id == skill_id)
        .order_by(SkillLevelDescriptor.rank)
    ).all()


def collections_of(session: Session, skill_id: uuid.UUID) -> Sequence[SkillCollection]:
    return session.scalars(
        select(SkillCollection)
        .join(SkillCollectionMember, SkillCollectionMember.collection_id == SkillCollection.id)
        .where(SkillCollectionMember.skill_id == skill_id)
        .order_by(SkillCollection.title)
    ).all()


def list_collections(session: Session, framework_id: uuid.UUID) -> Sequence[SkillCollection]:
    return session.scalars(
        select(SkillCollection)
        .where(SkillCollection.framework_id == framework_id)
        .order_by(SkillCollection.title)
    ).all()


def occupations_needing(
    session: Session, skill_id: uuid.UUID, limit: int
) -> Sequence[tuple[Occupation, OccupationSkill]]:
    return session.execute(
        select(Occupation, OccupationSkill)
        .join(OccupationSkill, OccupationSkill.occupation_id == Occupation.id)
        .where(OccupationSkill.skill_id == skill_id)
        .order_by(
            OccupationSkill.relation,
            OccupationSkill.importance.desc().nulls_last(),
            Occupation.preferred_label,
        )
        .limit(limit)
    ).all()


def list_skills(
    session: Session, framework_id: uuid.UUID, params: PageParams, *, groups: bool | None = None
) -> Paged[Skill]:
    query = select(Skill).where(Skill.framework_id == framework_id)
    if groups is not None:
        query = query.where(Skill.is_group.is_(groups))
    return paginate(session, query.order_by(Skill.preferred_label, Skill.id), params)


# --- occupations ----------------------------------------------------------------------


def get_occupation(session: Session, occupation_id: uuid.UUID) -> Occupation | None:
    return session.get(Occupation, occupation_id)


def find_occupation_by_uri(session: Session, uri: str) -> Sequence[Occupation]:
    return session.scalars(
        select(Occupation)
        .join(Framework, Framework.id == Occupation.framework_id)
        .where(Occupation.uri == uri)
        .order_by(Framework.imported_at.desc().nulls_last())
    ).all()


def find_occupations_by_code(
    session: Session, framework_id: uuid.UUID, codes: Iterable[str]
) -> Sequence[Occupation]:
    wanted = list(codes)
    if not wanted:
        return []
    return session.scalars(
        select(Occupation).where(
            Occupation.framework_id == framework_id, Occupation.code.in_(wanted)
        )
    ).all()


def occupations_by_uri(session: Session, framework_id: uuid.UUID) -> dict[str, Occupation]:
    return {
        occupation.uri: occupation
        for occupation in session.scalars(
            select(Occupation).where(Occupation.framework_id == framework_id)
        )
    }


def occupation_skills(
    session: Session, occupation_id: uuid.UUID
) -> Sequence[tuple[Skill, OccupationSkill]]:
    return session.execute(
        select(Skill, OccupationSkill)
        .join(OccupationSkill, OccupationSkill.skill_id == Skill.id)
        .where(OccupationSkill.occupation_id == occupation_id)
        .order_by(
            OccupationSkill.relation,
            OccupationSkill.importance.desc().nulls_last(),
            Skill.preferred_label,
        )
    ).all()


def occupation_tasks(session: Session, occupation_id: uuid.UUID) -> Sequence[OccupationTask]:
    return session.scalars(
        select(OccupationTask)
        .where(OccupationTask.occupation_id == occupation_id)
        .order_by(OccupationTask.core.desc().nulls_last(), OccupationTask.code)
    ).all()


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape character ``\\``) for lower-cased text containing ``text``."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_occupations(
    session: Session,
    text: str,
    framework_ids: Sequence[uuid.UUID],
    limit: int,
) -> Sequence[Occupation]:
    """Occupations whose label or alternative titles contain ``text``, label matches first."""
    pattern = contains_pattern(text)
    label_match = func.lower(Occupation.preferred_label).like(pattern, escape="\\")
    return session.scalars(
        select(Occupation)
        .where(Occupation.framework_id.in_(list(framework_ids)), Occupation.is_group.is_(False))
        .where(or_(label_match, func.lower(Occupation.alt_labels).like(pattern, escape="\\")))
        .order_by(label_match.desc(), func.length(Occupation.preferred_label), Occupation.id)
        .limit(limit)
    ).all()


def narrower_occupations(session: Session, occupation_id: uuid.UUID) -> Sequence[Occupation]:
    return session.scalars(
        select(Occupation)
        .where(Occupation.broader_id == occupation_id)
        .order_by(Occupation.is_group.desc(), Occupation.code, Occupation.preferred_label)
    ).all()


def list_occupations(
    session: Session, framework_id: uuid.UUID, params: PageParams
) -> Paged[Occupation]:
    query = select(Occupation).where(
        Occupation.framework_id == framework_id, Occupation.is_group.is_(False)
    )
    return paginate(session, query.order_by(Occupation.preferred_label, Occupation.id), params)


# --- crosswalks -----------------------------------------------------------------------


def get_crosswalk(session: Session, slug: str) -> Crosswalk | None:
    return session.scalar(select(Crosswalk).where(Crosswalk.slug == slug))


def list_crosswalks(session: Session) -> Sequence[Crosswalk]:
    return session.scalars(select(Crosswalk).order_by(Crosswalk.title)).all()


def crosswalk_entries_for(
    session: Session, system: str, codes: Iterable[str]
) -> Sequence[tuple[Crosswalk, CrosswalkEntry]]:
    """Entries that map from or to any of ``codes`` in ``system``."""
    wanted = [code for code in codes if code]
    if not wanted:
        return []
    source_side = and_(Crosswalk.source_system == system, CrosswalkEntry.source_code.in_(wanted))
    target_side = and_(Crosswalk.target_system == system, CrosswalkEntry.target_code.in_(wanted))
    return session.execute(
        select(Crosswalk, CrosswalkEntry)
        .join(CrosswalkEntry, CrosswalkEntry.crosswalk_id == Crosswalk.id)
        .where(or_(source_side, target_side))
        .order_by(Crosswalk.title, CrosswalkEntry.source_code, CrosswalkEntry.target_code)
    ).all()


def crosswalk_entry_keys(
    session: Session, crosswalk_id: uuid.UUID
) -> dict[tuple[str, str], CrosswalkEntry]:
    return {
        (entry.source_code, entry.target_code): entry
        for entry in session.scalars(
            select(CrosswalkEntry).where(CrosswalkEntry.crosswalk_id == crosswalk_id)
        )
    }


# --- bulk writes for the importers ----------------------------------------------------


def insert_rows(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(model), list(rows))


LINK_KEYS: dict[type[Any], tuple[str, str]] = {
    SkillBroader: ("skill_id", "broader_id"),
    SkillRelation: ("skill_id", "related_id"),
    SkillCollectionMember: ("collection_id", "skill_id"),
    OccupationSkill: ("occupation_id", "skill_id"),
    SkillLevelDescriptor: ("skill_id", "rank"),
}


def existing_links(
    session: Session, model: type[Any], owner_column: str, owner_ids: Sequence[uuid.UUID]
) -> dict[tuple[Any, Any], dict[str, Any]]:
    """Rows of a link table whose ``owner_column`` is in ``owner_ids``, keyed by their key."""
    first, second = LINK_KEYS[model]
    found: dict[tuple[Any, Any], dict[str, Any]] = {}
    columns = [getattr(model, column.key) for column in model.__table__.columns]
    for chunk in _chunks(owner_ids):
        # Plain rows, not ORM objects: a re-import compares tens of thousands of links.
        for row in session.execute(
            select(*columns).where(getattr(model, owner_column).in_(chunk))
        ).mappings():
            values = dict(row)
            found[(values[first], values[second])] = values
    return found


def delete_links(session: Session, model: type[Any], keys: Sequence[tuple[Any, Any]]) -> None:
    first, second = LINK_KEYS[model]
    columns = tuple_(getattr(model, first), getattr(model, second))
    for chunk in _chunks(keys):
        session.execute(delete(model).where(columns.in_(chunk)))


def update_links(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """Rewrite changed link rows (their key stays, their values change)."""
    first, second = LINK_KEYS[model]
    for row in rows:
        values = {key: value for key, value in row.items() if key not in (first, second)}
        session.execute(
            model.__table__.update()
            .where(getattr(model, first) == row[first], getattr(model, second) == row[second])
            .values(**values)
        )


def delete_tasks(session: Session, task_ids: Sequence[uuid.UUID]) -> None:
    for chunk in _chunks(task_ids):
        session.execute(delete(OccupationTask).where(OccupationTask.id.in_(chunk)))


def tasks_by_key(
    session: Session, framework_id: uuid.UUID
) -> dict[tuple[uuid.UUID, str], OccupationTask]:
    rows = session.scalars(
        select(OccupationTask)
        .join(Occupation, Occupation.id == OccupationTask.occupation_id)
        .where(Occupation.framework_id == framework_id)
    )
    return {(task.occupation_id, task.code): task for task in rows}


def _chunks(values: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    """Keep IN lists under SQLite's bound-parameter limit."""
    return [values[start : start + size] for start in range(0, len(values), size)]


def find_skill_by_code(session: Session, framework_id: uuid.UUID, code: str) -> Skill | None:
    return session.scalar(
        select(Skill).where(Skill.framework_id == framework_id, Skill.code == code)
    )


# --- browsing: listings for the pages and the API --------------------------------------


def framework_sizes(
    session: Session, framework_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, int]]:
    """Skills, groups, occupations and collections of several frameworks in three queries."""
    keys = ("skills", "skill_groups", "occupations", "occupation_groups", "collections")
    sizes = {framework_id: dict.fromkeys(keys, 0) for framework_id in framework_ids}
    if not sizes:
        return sizes
    wanted = list(sizes)
    for model, single, grouped in (
        (Skill, "skills", "skill_groups"),
        (Occupation, "occupations", "occupation_groups"),
    ):
        rows = session.execute(
            select(model.framework_id, model.is_group, func.count())
            .where(model.framework_id.in_(wanted))
            .group_by(model.framework_id, model.is_group)
        )
        for framework_id, is_group, count in rows:
            sizes[framework_id][grouped if is_group else single] = count
    collections = session.execute(
        select(SkillCollection.framework_id, func.count())
        .where(SkillCollection.framework_id.in_(wanted))
        .group_by(SkillCollection.framework_id)
    )
    for framework_id, count in collections:
        sizes[framework_id]["collections"] = count
    return sizes


def collections_of_frameworks(
    session: Session, framework_ids: Sequence[uuid.UUID]
) -> Sequence[SkillCollection]:
    if not framework_ids:
        return []
    return session.scalars(
        select(SkillCollection)
        .where(SkillCollection.framework_id.in_(list(framework_ids)))
        .order_by(SkillCollection.title, SkillCollection.slug)
    ).all()


def search_occupations_page(
    session: Session, framework_id: uuid.UUID, text: str, params: PageParams
) -> Paged[Occupation]:
    """One framework's occupations whose label or alternative titles contain ``text``,
    label matches first, page by page."""
    pattern = contains_pattern(text)
    label_match = func.lower(Occupation.preferred_label).like(pattern, escape="\\")
    query = (
        select(Occupation)
        .where(Occupation.framework_id == framework_id, Occupation.is_group.is_(False))
        .where(or_(label_match, func.lower(Occupation.alt_labels).like(pattern, escape="\\")))
        .order_by(
            label_match.desc(),
            func.length(Occupation.preferred_label),
            Occupation.preferred_label,
            Occupation.id,
        )
    )
    return paginate(session, query, params)


# --- crosswalk import (importers/crosswalk.py) -----------------------------------------


def delete_crosswalk_entries(session: Session, entry_ids: Sequence[uuid.UUID]) -> None:
    """Entries a re-imported crosswalk no longer lists."""
    for chunk in _chunks(entry_ids):
        session.execute(delete(CrosswalkEntry).where(CrosswalkEntry.id.in_(chunk)))


# --- export: a whole framework in a few queries, never one per skill --------------------


def framework_skills(session: Session, framework_id: uuid.UUID) -> Sequence[Skill]:
    """Every skill and group of a framework, by URI (the order is the caller's to choose)."""
    return session.scalars(
        select(Skill).where(Skill.framework_id == framework_id).order_by(Skill.uri)
    ).all()


def level_descriptor_map(
    session: Session, framework_id: uuid.UUID
) -> dict[uuid.UUID, dict[int, str]]:
    """Every skill's level descriptors (rank → text) in one query."""
    rows = session.execute(
        select(
            SkillLevelDescriptor.skill_id,
            SkillLevelDescriptor.rank,
            SkillLevelDescriptor.descriptor,
        )
        .join(Skill, Skill.id == SkillLevelDescriptor.skill_id)
        .where(Skill.framework_id == framework_id)
    )
    found: dict[uuid.UUID, dict[int, str]] = {}
    for skill_id, rank, descriptor in rows:
        found.setdefault(skill_id, {})[rank] = descriptor
    return found


def relation_pairs(
    session: Session, framework_id: uuid.UUID
) -> list[tuple[uuid.UUID, uuid.UUID, str]]:
    """Every skill-to-skill relation of a framework: (skill, related skill, relation)."""
    rows = session.execute(
        select(SkillRelation.skill_id, SkillRelation.related_id, SkillRelation.relation)
        .join(Skill, Skill.id == SkillRelation.skill_id)
        .where(Skill.framework_id == framework_id)
    )
    return [(skill_id, related_id, str(relation)) for skill_id, related_id, relation in rows]


def frameworks_by_ids(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Framework]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = session.scalars(select(Framework).where(Framework.id.in_(wanted)))
    return {framework.id: framework for framework in rows}
