"""Cairn's own digital-competence framework, shipped inside the package
(``builtin/digital_competence.json``) so that every installation has a framework with
levels to work with before anyone imports ESCO or O*NET."""

from __future__ import annotations

import json
import uuid
from importlib import resources
from typing import Any, NotRequired, TypedDict, cast

from sqlalchemy.orm import Session

from cairn.kit.progress import Progress
from cairn.taxonomy import repository
from cairn.taxonomy.enums import SkillType
from cairn.taxonomy.importers.framework_csv import Concept, write_concepts
from cairn.taxonomy.importers.source import split_labels
from cairn.taxonomy.importers.writer import (
    FrameworkInfo,
    ImportSummary,
    sync_links,
    upsert_framework,
)
from cairn.taxonomy.models import SkillCollection, SkillCollectionMember
from cairn.taxonomy.scales import LevelDefinition, ScaleDefinition, ensure_scale

PUBLISHER = "Cairn"
SOURCE = "cairn/taxonomy/builtin/digital_competence.json"
"""Where the data comes from: the file inside the installed package."""
COLLECTION_SLUG = "digital"
COLLECTION_TITLE = "Digital competences"


class LevelData(TypedDict):
    rank: int
    label: str
    descriptor: str


class ScaleData(TypedDict):
    slug: str
    name: str
    description: NotRequired[str]
    levels: list[LevelData]


class CompetenceData(TypedDict):
    code: str
    label: str
    alt_labels: list[str]
    description: str
    type: str
    levels: list[str]
    """One descriptor per level of the scale, lowest first."""


class AreaData(TypedDict):
    code: str
    label: str
    description: str
    competences: list[CompetenceData]


class FrameworkData(TypedDict):
    slug: str
    version: str
    title: str
    publisher: str
    description: str
    licence: str
    uri_base: str
    scale: ScaleData
    areas: list[AreaData]


def read_digital_framework() -> FrameworkData:
    """The shipped file, read through importlib.resources so it is found in a wheel too."""
    path = resources.files("cairn.taxonomy") / "builtin" / "digital_competence.json"
    return cast(FrameworkData, json.loads(path.read_text(encoding="utf-8")))


def load_digital_framework(session: Session, *, progress: Progress) -> ImportSummary:
    """Create or refresh the built-in framework: areas as groups, competences as skills under
    them with a descriptor for each of the 8 levels, and the ``digital`` collection of every
    competence. Loading it again changes nothing."""
    data = read_digital_framework()
    summary = ImportSummary(framework=f"{data['title']} {data['version']}")
    scale_definition = _scale(data)
    scale = ensure_scale(session, scale_definition)
    framework, summary.tallies["framework"] = upsert_framework(
        session,
        FrameworkInfo(
            slug=data["slug"],
            version=data["version"],
            title=data["title"],
            publisher=PUBLISHER,
            description=data["description"],
            licence=data["licence"],
            source=SOURCE,
            code_system=None,
            scale_id=scale.id,
            owner_org_id=None,
        ),
    )
    concepts = _concepts(data, [level.rank for level in scale_definition.levels])
    skill_ids = write_concepts(session, framework.id, concepts, summary, progress)

    collection = _collection(session, framework.id)
    desired: dict[tuple[Any, Any], dict[str, Any]] = {}
    for concept in concepts:
        if not concept.is_group:
            skill_id = skill_ids[concept.uri].id
            desired[(collection.id, skill_id)] = {
                "collection_id": collection.id,
                "skill_id": skill_id,
            }
    summary.tallies["collection members"] = sync_links(
        session,
        SkillCollectionMember,
        "collection_id",
        [collection.id],
        desired,
        progress,
        "Collections",
    )
    return summary


def _scale(data: FrameworkData) -> ScaleDefinition:
    scale = data["scale"]
    levels = tuple(
        LevelDefinition(level["rank"], level["label"], level["descriptor"])
        for level in sorted(scale["levels"], key=lambda level: level["rank"])
    )
    return ScaleDefinition(
        slug=scale["slug"],
        name=scale["name"],
        description=scale.get("description")
        or f"The {len(levels)} proficiency levels of {data['title']}.",
        levels=levels,
    )


def _concepts(data: FrameworkData, ranks: list[int]) -> list[Concept]:
    """Areas, each followed by its competences; a competence's descriptors are matched to the
    scale's levels in order (strictly: a missing or extra one is a bug in the shipped file)."""
    base = data["uri_base"]
    concepts: list[Concept] = []
    for area in data["areas"]:
        area_uri = f"{base}area/{area['code']}"
        concepts.append(
            Concept(
                uri=area_uri,
                code=area["code"],
                label=area["label"],
                is_group=True,
                description=area["description"] or None,
            )
        )
        for competence in area["competences"]:
            concepts.append(
                Concept(
                    uri=f"{base}competence/{competence['code']}",
                    code=competence["code"],
                    label=competence["label"],
                    is_group=False,
                    skill_type=SkillType(competence["type"]),
                    alt_labels=split_labels("\n".join(competence["alt_labels"])),
                    description=competence["description"] or None,
                    parents=(area_uri,),
                    levels=dict(zip(ranks, competence["levels"], strict=True)),
                )
            )
    return concepts


def _collection(session: Session, framework_id: uuid.UUID) -> SkillCollection:
    collection = next(
        (
            found
            for found in repository.list_collections(session, framework_id)
            if found.slug == COLLECTION_SLUG
        ),
        None,
    )
    if collection is None:
        collection = SkillCollection(
            framework_id=framework_id, slug=COLLECTION_SLUG, title=COLLECTION_TITLE
        )
        session.add(collection)
    elif collection.title != COLLECTION_TITLE:
        collection.title = COLLECTION_TITLE
    session.flush()
    return collection
