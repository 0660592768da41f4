"""The official ESCO CSV download (classification, English): a folder or the zip, each
table as ``.csv`` or ``.csv.gz``. Tables that are absent are skipped, so a partial download
(or several folders together) imports what it holds."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.kit.progress import Progress
from cairn.taxonomy import repository
from cairn.taxonomy.enums import Relation, ReuseLevel, SkillType
from cairn.taxonomy.importers.source import Problems, Row, Source, read_table, split_labels
from cairn.taxonomy.importers.writer import (
    FrameworkInfo,
    ImportSummary,
    resolve,
    sync_links,
    upsert_concepts,
    upsert_framework,
)
from cairn.taxonomy.models import (
    Occupation,
    OccupationSkill,
    Skill,
    SkillBroader,
    SkillCollection,
    SkillCollectionMember,
    SkillRelation,
)
from cairn.taxonomy.scales import GENERIC_5, ensure_scale

SLUG = "esco"
LICENCE = "CC BY 4.0, © European Union (ESCO)"
SOURCE_URL = "https://esco.ec.europa.eu/en/use-esco/download"
SKILL_TYPES = {"skill/competence": SkillType.SKILL, "knowledge": SkillType.KNOWLEDGE}
COLLECTION_TITLES = {
    "digital": "Digital skills",
    "digcomp": "Digital competences (DigComp)",
    "green": "Green skills",
    "language": "Language skills",
    "transversal": "Transversal skills",
    "research": "Research skills",
}
VERSION_IN_PATH = re.compile(r"v(\d+\.\d+(?:\.\d+)?)")


def detect_version(paths: Sequence[Path]) -> str | None:
    """ESCO names its downloads and folders with the version, e.g. ``ESCO dataset - v1.2.0``."""
    for path in paths:
        match = VERSION_IN_PATH.search(str(path))
        if match:
            return f"v{match.group(1)}"
    return None


def import_esco(
    session: Session, paths: Sequence[Path], *, version: str | None, progress: Progress
) -> ImportSummary:
    version = version or detect_version(paths)
    if not version:
        message = lazy_gettext("Name the ESCO version (e.g. v1.2.0): it is not in the path.")
        raise InvalidInput(message, [FieldError("version", message)])
    source = Source(paths)
    problems = Problems()
    tables = _read(source, problems)
    if not tables["skills_en"] and not tables["skillgroups_en"] and not problems.found:
        problems.add(
            ", ".join(str(path) for path in paths),
            0,
            "-",
            lazy_gettext("No skills_en.csv or skillGroups_en.csv here: is this an ESCO download?"),
        )
    skills = _skill_records(tables["skillgroups_en"], tables["skills_en"], problems)
    occupations = _occupation_records(tables["iscogroups_en"], tables["occupations_en"], problems)
    problems.raise_if_any()

    summary = ImportSummary(framework=f"ESCO {version}")
    scale = ensure_scale(session, GENERIC_5)
    framework, summary.tallies["framework"] = upsert_framework(
        session,
        FrameworkInfo(
            slug=SLUG,
            version=version,
            title="ESCO",
            publisher="European Commission",
            description="European Skills, Competences, Qualifications and Occupations.",
            licence=LICENCE,
            source=SOURCE_URL,
            code_system="ESCO",
            scale_id=scale.id,
        ),
    )
    skill_ids: dict[str, Any] = repository.skills_by_uri(session, framework.id)
    summary.tallies["skills"] = upsert_concepts(
        session, Skill, framework.id, skills, skill_ids, progress, "Skills and groups"
    )
    occupation_ids: dict[str, Any] = repository.occupations_by_uri(session, framework.id)
    summary.tallies["occupations"] = upsert_concepts(
        session, Occupation, framework.id, occupations, occupation_ids, progress, "Occupations"
    )
    all_skill_ids = [_id(value) for value in skill_ids.values()]

    if tables["broaderrelationsskillpillar_en"]:
        desired: dict[tuple[Any, Any], dict[str, Any]] = {}
        for row in tables["broaderrelationsskillpillar_en"]:
            narrower = resolve(
                skill_ids, row.get("conceptUri"), summary, "hierarchy: unknown concept"
            )
            broader = resolve(
                skill_ids, row.get("broaderUri"), summary, "hierarchy: unknown concept"
            )
            if narrower and broader and narrower != broader:
                desired[(narrower, broader)] = {"skill_id": narrower, "broader_id": broader}
        summary.tallies["skill hierarchy"] = sync_links(
            session, SkillBroader, "skill_id", all_skill_ids, desired, progress, "Skill hierarchy"
        )

    if tables["skillskillrelations_en"]:
        desired = {}
        for row in tables["skillskillrelations_en"]:
            skill = resolve(
                skill_ids, row.get("originalSkillUri"), summary, "relations: unknown skill"
            )
            related = resolve(
                skill_ids, row.get("relatedSkillUri"), summary, "relations: unknown skill"
            )
            if skill and related:
                desired[(skill, related)] = {
                    "skill_id": skill,
                    "related_id": related,
                    "relation": Relation(row.get("relationType")),
                }
        summary.tallies["skill relations"] = sync_links(
            session, SkillRelation, "skill_id", all_skill_ids, desired, progress, "Skill relations"
        )

    if tables["collections"]:
        summary.tallies["collection members"] = _collections(
            session, framework.id, tables["collections"], skill_ids, summary, progress
        )

    _occupation_hierarchy(session, framework.id, tables["broaderrelationsoccpillar_en"], summary)

    if tables["occupationskillrelations_en"]:
        desired = {}
        for row in tables["occupationskillrelations_en"]:
            occupation = resolve(
                occupation_ids,
                row.get("occupationUri"),
                summary,
                "occupation skills: unknown occupation",
            )
            skill = resolve(
                skill_ids, row.get("skillUri"), summary, "occupation skills: unknown skill"
            )
            if occupation and skill:
                desired[(occupation, skill)] = {
                    "occupation_id": occupation,
                    "skill_id": skill,
                    "relation": Relation(row.get("relationType")),
                    "importance": None,
                    "level": None,
                    "details": None,
                }
        summary.tallies["occupation skills"] = sync_links(
            session,
            OccupationSkill,
            "occupation_id",
            [_id(value) for value in occupation_ids.values()],
            desired,
            progress,
            "Occupation skills",
        )
    return summary


def _id(value: Any) -> uuid.UUID:
    identifier: uuid.UUID = value.id
    return identifier


REQUIRED = {
    "skills_en": ("conceptUri", "preferredLabel"),
    "skillgroups_en": ("conceptUri", "preferredLabel"),
    "broaderrelationsskillpillar_en": ("conceptUri", "broaderUri"),
    "skillskillrelations_en": ("originalSkillUri", "relationType", "relatedSkillUri"),
    "occupations_en": ("conceptUri", "preferredLabel"),
    "iscogroups_en": ("conceptUri", "code", "preferredLabel"),
    "broaderrelationsoccpillar_en": ("conceptUri", "broaderUri"),
    "occupationskillrelations_en": ("occupationUri", "relationType", "skillUri"),
}


def _read(source: Source, problems: Problems) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for table, required in REQUIRED.items():
        file = source.find(table)
        tables[table] = read_table(file, problems, required=required) if file else []
    for table in ("skillskillrelations_en", "occupationskillrelations_en"):
        for row in tables[table]:
            if row.get("relationType") not in {relation.value for relation in Relation}:
                problems.add(
                    row.file,
                    row.line,
                    "relationType",
                    lazy_gettext(
                        "'%(value)s' is not essential or optional.", value=row.get("relationType")
                    ),
                )
    tables["collections"] = [
        (
            name.removesuffix("skillscollection_en"),
            read_table(file, problems, required=("conceptUri",)),
        )
        for name, file in source.matching(r".+skillscollection_en")
    ]
    return tables


def _check_concept(
    row: Row, problems: Problems, seen: set[str], uri_column: str = "conceptUri"
) -> bool:
    uri = row.get(uri_column)
    ok = True
    if not uri.startswith(("http://", "https://")):
        problems.add(
            row.file, row.line, uri_column, lazy_gettext("A concept URI (http…) is required.")
        )
        ok = False
    elif uri in seen:
        problems.add(row.file, row.line, uri_column, lazy_gettext("This URI appears twice."))
        ok = False
    seen.add(uri)
    if not row.get("preferredLabel"):
        problems.add(
            row.file, row.line, "preferredLabel", lazy_gettext("A preferred label is required.")
        )
        ok = False
    return ok


def _skill_records(
    groups: list[Row], skills: list[Row], problems: Problems
) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in groups:
        if _check_concept(row, problems, seen):
            records.append(
                {
                    "uri": row.get("conceptUri"),
                    "code": row.get("code") or None,
                    "preferred_label": row.get("preferredLabel"),
                    "alt_labels": split_labels(row.get("altLabels")),
                    "description": row.get("description") or None,
                    "skill_type": None,
                    "reuse_level": None,
                    "is_group": True,
                }
            )
    reuse_levels = {level.value for level in ReuseLevel}
    for row in skills:
        valid = _check_concept(row, problems, seen)
        skill_type = row.get("skillType")
        if skill_type and skill_type not in SKILL_TYPES:
            problems.add(
                row.file,
                row.line,
                "skillType",
                lazy_gettext("'%(value)s' is not skill/competence or knowledge.", value=skill_type),
            )
            valid = False
        reuse = row.get("reuseLevel")
        if reuse and reuse not in reuse_levels:
            problems.add(
                row.file,
                row.line,
                "reuseLevel",
                lazy_gettext(
                    "'%(value)s' is not one of %(allowed)s.",
                    value=reuse,
                    allowed=", ".join(sorted(reuse_levels)),
                ),
            )
            valid = False
        if valid:
            records.append(
                {
                    "uri": row.get("conceptUri"),
                    "code": None,
                    "preferred_label": row.get("preferredLabel"),
                    "alt_labels": split_labels(row.get("altLabels")),
                    "description": row.get("description") or None,
                    "skill_type": SKILL_TYPES.get(skill_type),
                    "reuse_level": ReuseLevel(reuse) if reuse else None,
                    "is_group": False,
                }
            )
    return records


def _occupation_records(
    groups: list[Row], occupations: list[Row], problems: Problems
) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in groups:
        if _check_concept(row, problems, seen):
            records.append(
                {
                    "uri": row.get("conceptUri"),
                    "code": row.get("code"),
                    "isco_code": row.get("code"),
                    "preferred_label": row.get("preferredLabel"),
                    "alt_labels": split_labels(row.get("altLabels")),
                    "description": row.get("description") or None,
                    "is_group": True,
                }
            )
    for row in occupations:
        if _check_concept(row, problems, seen):
            records.append(
                {
                    "uri": row.get("conceptUri"),
                    "code": row.get("code") or None,
                    "isco_code": row.get("iscoGroup") or None,
                    "preferred_label": row.get("preferredLabel"),
                    "alt_labels": split_labels(row.get("altLabels")),
                    "description": row.get("description") or None,
                    "is_group": False,
                }
            )
    return records


def _collections(
    session: Session,
    framework_id: uuid.UUID,
    collections: list[tuple[str, list[Row]]],
    skill_ids: dict[str, Any],
    summary: ImportSummary,
    progress: Progress,
) -> Any:
    existing = {c.slug: c for c in repository.list_collections(session, framework_id)}
    desired: dict[tuple[Any, Any], dict[str, Any]] = {}
    for slug, rows in collections:
        collection = existing.get(slug)
        if collection is None:
            collection = SkillCollection(
                framework_id=framework_id,
                slug=slug,
                title=COLLECTION_TITLES.get(slug, f"{slug.title()} skills"),
            )
            session.add(collection)
            session.flush()
            existing[slug] = collection
        for row in rows:
            skill = resolve(skill_ids, row.get("conceptUri"), summary, "collections: unknown skill")
            if skill:
                desired[(collection.id, skill)] = {
                    "collection_id": collection.id,
                    "skill_id": skill,
                }
    return sync_links(
        session,
        SkillCollectionMember,
        "collection_id",
        [collection.id for collection in existing.values()],
        desired,
        progress,
        "Collections",
    )


def _occupation_hierarchy(
    session: Session, framework_id: uuid.UUID, rows: list[Row], summary: ImportSummary
) -> None:
    """Each occupation sits under one ISCO group or broader occupation."""
    if not rows:
        return
    occupations = repository.occupations_by_uri(session, framework_id)
    for row in rows:
        occupation = occupations.get(row.get("conceptUri"))
        broader = occupations.get(row.get("broaderUri"))
        if occupation is None or broader is None:
            summary.skip("occupation hierarchy: unknown concept")
            continue
        if occupation.broader_id != broader.id:
            occupation.broader_id = broader.id
    session.flush()
