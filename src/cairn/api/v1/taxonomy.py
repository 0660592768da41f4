"""Skills frameworks, skills and occupations: read-only, for tokens with taxonomy:read."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from cairn.api.v1.common import ERROR_RESPONSES, PageQuery, to_page
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.kit.pagination import Page
from cairn.taxonomy import browse, service
from cairn.taxonomy.enums import SkillType
from cairn.taxonomy.models import (
    Crosswalk,
    CrosswalkEntry,
    Framework,
    Occupation,
    OccupationSkill,
    Skill,
    SkillCollection,
)
from cairn.taxonomy.schemas import (
    CollectionRead,
    CrosswalkEntryRead,
    FrameworkCounts,
    FrameworkRead,
    FrameworkRef,
    FrameworkSizes,
    FrameworkSummaryRead,
    OccupationNeedRead,
    OccupationRead,
    OccupationRef,
    OccupationSearchResults,
    OccupationSummaryRead,
    RelatedSkillRead,
    ScaleLevelRead,
    ScaleRead,
    SkillGroupRead,
    SkillLevelRead,
    SkillNeedRead,
    SkillRead,
    SkillRef,
    SkillSearchResults,
    SkillSummaryRead,
    TaskRead,
)

router = APIRouter(tags=["taxonomy"], responses=ERROR_RESPONSES)

FrameworkFilter = Annotated[
    str | None,
    Query(
        max_length=120,
        description="Only this framework: its short name (newest version) or name@version, "
        "e.g. esco or esco@v1.2.0.",
    ),
]


# --- conversions ----------------------------------------------------------------------


def framework_ref(framework: Framework) -> FrameworkRef:
    return FrameworkRef(
        id=framework.id, slug=framework.slug, version=framework.version, title=framework.title
    )


def _framework_fields(framework: Framework) -> dict[str, object]:
    return {
        **framework_ref(framework).model_dump(),
        "publisher": framework.publisher,
        "licence": framework.licence,
        "source": framework.source,
        "code_system": framework.code_system,
        "public": framework.owner_org_id is None,
        "imported_at": framework.imported_at,
    }


def framework_summary(summary: browse.FrameworkSummary) -> FrameworkSummaryRead:
    return FrameworkSummaryRead.model_validate(
        {**_framework_fields(summary.framework), "counts": FrameworkSizes(**summary.sizes)}
    )


def collection_read(collection: SkillCollection) -> CollectionRead:
    return CollectionRead(id=collection.id, slug=collection.slug, title=collection.title)


def skill_ref(skill: Skill) -> SkillRef:
    return SkillRef(
        id=skill.id,
        uri=skill.uri,
        code=skill.code,
        preferred_label=skill.preferred_label,
        is_group=skill.is_group,
    )


def skill_summary(skill: Skill, framework: Framework) -> SkillSummaryRead:
    return SkillSummaryRead(
        **skill_ref(skill).model_dump(),
        alt_labels=skill.alt_label_list,
        skill_type=skill.skill_type,
        reuse_level=skill.reuse_level,
        framework=framework_ref(framework),
    )


def occupation_ref(occupation: Occupation) -> OccupationRef:
    return OccupationRef(
        id=occupation.id,
        uri=occupation.uri,
        code=occupation.code,
        preferred_label=occupation.preferred_label,
    )


def occupation_summary(occupation: Occupation, framework: Framework) -> OccupationSummaryRead:
    return OccupationSummaryRead(
        **occupation_ref(occupation).model_dump(),
        isco_code=occupation.isco_code,
        alt_labels=occupation.alt_label_list,
        is_group=occupation.is_group,
        job_zone=occupation.job_zone,
        framework=framework_ref(framework),
    )


def crosswalk_read(crosswalk: Crosswalk, entry: CrosswalkEntry) -> CrosswalkEntryRead:
    return CrosswalkEntryRead(
        crosswalk=crosswalk.slug,
        title=crosswalk.title,
        source_system=crosswalk.source_system,
        source_code=entry.source_code,
        source_label=entry.source_label,
        target_system=crosswalk.target_system,
        target_code=entry.target_code,
        target_label=entry.target_label,
        note=entry.note,
    )


def framework_read(view: service.FrameworkView) -> FrameworkRead:
    framework = view.framework
    scale = framework.scale
    return FrameworkRead.model_validate(
        {
            **_framework_fields(framework),
            "description": framework.description,
            "counts": FrameworkCounts(**view.counts),
            "scale": ScaleRead(
                slug=scale.slug,
                name=scale.name,
                description=scale.description,
                levels=[
                    ScaleLevelRead(rank=level.rank, label=level.label, descriptor=level.descriptor)
                    for level in view.levels
                ],
            )
            if scale is not None
            else None,
            "collections": [collection_read(c) for c in view.collections],
            "top_groups": [skill_ref(group) for group in view.top_groups],
        }
    )


def skill_read(view: service.SkillView) -> SkillRead:
    return SkillRead(
        **skill_summary(view.skill, view.framework).model_dump(),
        description=view.skill.description,
        breadcrumb=[skill_ref(s) for s in view.breadcrumb],
        broader=[skill_ref(s) for s in view.broader],
        narrower=[skill_ref(s) for s in view.narrower],
        related=[
            RelatedSkillRead(skill=skill_ref(related), relation=link.relation)
            for related, link in view.related
        ],
        collections=[collection_read(c) for c in view.collections],
        levels=[
            SkillLevelRead(
                rank=level.rank,
                label=level.label,
                descriptor=level.descriptor,
                skill_descriptor=level.skill_descriptor,
            )
            for level in browse.skill_levels(view)
        ],
        occupations=[
            OccupationNeedRead(
                occupation=occupation_ref(occupation),
                relation=need.relation,
                importance=need.importance,
                level=need.level,
            )
            for occupation, need in view.occupations
        ],
        crosswalks=[crosswalk_read(crosswalk, entry) for crosswalk, entry in view.crosswalks],
    )


def occupation_read(view: service.OccupationView) -> OccupationRead:
    def needs(lines: list[tuple[Skill, OccupationSkill]]) -> list[SkillNeedRead]:
        return [
            SkillNeedRead(
                skill=skill_ref(skill),
                relation=need.relation,
                importance=need.importance,
                level=need.level,
            )
            for skill, need in lines
        ]

    occupation = view.occupation
    return OccupationRead(
        **occupation_summary(occupation, view.framework).model_dump(),
        description=occupation.description,
        broader=[occupation_ref(o) for o in view.broader],
        narrower=[occupation_ref(o) for o in view.narrower],
        skill_groups=[
            SkillGroupRead(
                group=group.group, essential=needs(group.essential), optional=needs(group.optional)
            )
            for group in view.skill_groups
        ],
        tasks=[TaskRead(code=task.code, text=task.text, core=task.core) for task in view.tasks],
        crosswalks=[crosswalk_read(crosswalk, entry) for crosswalk, entry in view.crosswalks],
    )


# --- frameworks -----------------------------------------------------------------------


@router.get(
    "/frameworks",
    response_model=list[FrameworkSummaryRead],
    summary="List the skills frameworks I can see, with their sizes",
)
def list_frameworks(session: DbSession, actor: ApiActor) -> list[FrameworkSummaryRead]:
    return [framework_summary(summary) for summary in browse.framework_summaries(session, actor)]


@router.get(
    "/frameworks/{framework_id}",
    response_model=FrameworkRead,
    summary="Read a framework: its licence, scale levels, collections and sizes",
)
def read_framework(framework_id: uuid.UUID, session: DbSession, actor: ApiActor) -> FrameworkRead:
    return framework_read(service.framework_view(session, actor, framework_id))


@router.get(
    "/frameworks/{framework_id}/skills",
    response_model=Page[SkillSummaryRead],
    summary="List a framework's skills in alphabetical order",
)
def list_framework_skills(
    framework_id: uuid.UUID, session: DbSession, actor: ApiActor, params: PageQuery
) -> Page[SkillSummaryRead]:
    framework = service.get_framework(session, actor, framework_id)
    skills = service.list_skills(session, actor, framework.id, params)
    return to_page(skills, lambda skill: skill_summary(skill, framework))


@router.get(
    "/frameworks/{framework_id}/occupations",
    response_model=Page[OccupationSummaryRead],
    summary="List a framework's occupations in alphabetical order, or those matching a title",
)
def list_framework_occupations(
    framework_id: uuid.UUID,
    session: DbSession,
    actor: ApiActor,
    params: PageQuery,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Only occupations whose title contains this."),
    ] = None,
) -> Page[OccupationSummaryRead]:
    framework = service.get_framework(session, actor, framework_id)
    found = browse.occupations(session, actor, framework.id, params, q)
    return to_page(found, lambda occupation: occupation_summary(occupation, framework))


# --- skills ---------------------------------------------------------------------------


@router.get(
    "/skills",
    response_model=SkillSearchResults,
    summary="Search skills by words, best match first; typing mistakes are corrected",
)
def search_skills(
    session: DbSession,
    actor: ApiActor,
    q: Annotated[
        str,
        Query(min_length=1, max_length=200, description="Words to look for, e.g. spreadsheets."),
    ],
    framework: FrameworkFilter = None,
    skill_type: Annotated[
        SkillType | None, Query(alias="type", description="Only skills of this type.")
    ] = None,
    collection: Annotated[
        str | None,
        Query(max_length=80, description="Only skills in this collection, e.g. digital."),
    ] = None,
    groups: Annotated[bool, Query(description="Include skill groups.")] = False,
    limit: Annotated[
        int, Query(ge=1, le=service.MAX_LIMIT, description="How many results at most.")
    ] = 20,
) -> SkillSearchResults:
    query = service.SkillQuery(
        text=q,
        framework=framework or None,
        skill_type=skill_type,
        collection=collection or None,
        include_groups=groups,
        limit=limit,
    )
    skills = service.search_skills(session, actor, query)
    frameworks = {f.id: f for f in service.list_frameworks(session, actor)}
    return SkillSearchResults(
        items=[skill_summary(skill, frameworks[skill.framework_id]) for skill in skills]
    )


@router.get(
    "/skills/{skill_id}",
    response_model=SkillRead,
    summary="Read a skill: its hierarchy, related skills, levels, occupations and equivalents",
)
def read_skill(skill_id: uuid.UUID, session: DbSession, actor: ApiActor) -> SkillRead:
    return skill_read(service.skill_view(session, actor, skill_id))


# --- occupations ----------------------------------------------------------------------


@router.get(
    "/occupations",
    response_model=OccupationSearchResults,
    summary="Search occupations by title or alternative title",
)
def search_occupations(
    session: DbSession,
    actor: ApiActor,
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="Part of a title, e.g. nurse.")
    ],
    framework: FrameworkFilter = None,
    limit: Annotated[
        int, Query(ge=1, le=service.MAX_LIMIT, description="How many results at most.")
    ] = 20,
) -> OccupationSearchResults:
    found = service.search_occupations(session, actor, q, framework or None, limit)
    frameworks = {f.id: f for f in service.list_frameworks(session, actor)}
    return OccupationSearchResults(
        items=[occupation_summary(o, frameworks[o.framework_id]) for o in found]
    )


@router.get(
    "/occupations/{occupation_id}",
    response_model=OccupationRead,
    summary="Read an occupation: the skills it needs by group, its tasks and equivalents",
)
def read_occupation(
    occupation_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> OccupationRead:
    return occupation_read(service.occupation_view(session, actor, occupation_id))
