"""The taxonomy's rules: who sees which framework, search with filters, and the views of a
framework, a skill and an occupation. Public frameworks are for every signed-in person; an
organisation's own framework only for its members."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import lazy_gettext
from cairn.kit.pagination import Paged, PageParams
from cairn.taxonomy import repository, search
from cairn.taxonomy.enums import Relation, SkillType
from cairn.taxonomy.importers.writer import ImportSummary
from cairn.taxonomy.models import (
    Crosswalk,
    CrosswalkEntry,
    Framework,
    Occupation,
    OccupationSkill,
    OccupationTask,
    ProficiencyLevel,
    Skill,
    SkillCollection,
    SkillLevelDescriptor,
    SkillRelation,
)
from cairn.taxonomy.search_repository import SkillFilter, refresh_statistics

MAX_LIMIT = 100
SHOWN_OCCUPATIONS = 50
SHOWN_NARROWER = 200


def can_see(actor: Actor, framework: Framework) -> bool:
    return (
        framework.owner_org_id is None
        or actor.is_platform_admin
        or framework.owner_org_id in actor.org_ids
    )


def require_importer(actor: Actor, owner_org_id: uuid.UUID | None) -> None:
    """Public frameworks are the platform's; an organisation's own, its administrators'
    (checked by the caller, which knows organisations)."""
    if owner_org_id is None and not actor.is_platform_admin:
        raise PermissionDenied(
            lazy_gettext("Only a platform administrator can import a public framework.")
        )


def list_frameworks(session: Session, actor: Actor) -> Sequence[Framework]:
    require_scope(actor, Scope.TAXONOMY_READ)
    return repository.list_frameworks(session, None if actor.is_platform_admin else actor.org_ids)


def get_framework(session: Session, actor: Actor, framework_id: uuid.UUID) -> Framework:
    require_scope(actor, Scope.TAXONOMY_READ)
    framework = repository.get_framework(session, framework_id)
    if framework is None or not can_see(actor, framework):
        raise NotFound(lazy_gettext("Framework not found."))
    return framework


def framework_by_slug(
    session: Session, actor: Actor, slug: str, version: str | None = None
) -> Framework:
    """``esco`` (newest version) or ``esco@v1.2.0``, as people type it."""
    require_scope(actor, Scope.TAXONOMY_READ)
    if version is None and "@" in slug:
        slug, version = slug.split("@", 1)
    framework = repository.find_framework(session, slug, version)
    if framework is None or not can_see(actor, framework):
        message = lazy_gettext("No framework called %(name)s.", name=slug)
        raise InvalidInput(message, [FieldError("framework", message)])
    return framework


@dataclass(frozen=True)
class SkillQuery:
    text: str
    framework: str | None = None
    skill_type: SkillType | None = None
    collection: str | None = None
    include_groups: bool = False
    limit: int = 20


def search_skills(session: Session, actor: Actor, query: SkillQuery) -> list[Skill]:
    return search.search_skills(session, query.text, _filter(session, actor, query), query.limit)


def interpreted_query(session: Session, actor: Actor, query: SkillQuery) -> str | None:
    """What the search looked for instead of what was typed, if typos were corrected."""
    return search.interpretation(session, query.text, _filter(session, actor, query))


def _filter(session: Session, actor: Actor, query: SkillQuery) -> SkillFilter:
    if not 1 <= query.limit <= MAX_LIMIT:
        message = lazy_gettext("Ask for 1 to %(max)s results.", max=MAX_LIMIT)
        raise InvalidInput(message, [FieldError("limit", message)])
    frameworks = (
        [framework_by_slug(session, actor, query.framework)]
        if query.framework
        else list(list_frameworks(session, actor))
    )
    collection_ids: list[uuid.UUID] | None = None
    if query.collection:
        # The same slug (e.g. "digital") may name a collection in several frameworks.
        collection_ids = [
            collection.id
            for framework in frameworks
            for collection in repository.list_collections(session, framework.id)
            if collection.slug == query.collection
        ]
        if not collection_ids:
            message = lazy_gettext("No collection called %(name)s.", name=query.collection)
            raise InvalidInput(message, [FieldError("collection", message)])
    return SkillFilter(
        framework_ids=[framework.id for framework in frameworks],
        skill_type=query.skill_type,
        collection_ids=collection_ids,
        include_groups=query.include_groups,
    )


@dataclass(frozen=True)
class SkillView:
    skill: Skill
    framework: Framework
    breadcrumb: list[Skill]
    """From the top of the hierarchy down to the skill's first broader concept."""
    broader: Sequence[Skill]
    narrower: Sequence[Skill]
    related: Sequence[tuple[Skill, SkillRelation]]
    collections: Sequence[SkillCollection]
    occupations: Sequence[tuple[Occupation, OccupationSkill]]
    levels: Sequence[ProficiencyLevel]
    level_descriptors: Sequence[SkillLevelDescriptor]
    crosswalks: Sequence[tuple[Crosswalk, CrosswalkEntry]]


def get_skill(session: Session, actor: Actor, skill_id: uuid.UUID) -> Skill:
    skill = repository.get_skill(session, skill_id)
    if skill is None:
        raise NotFound(lazy_gettext("Skill not found."))
    get_framework(session, actor, skill.framework_id)  # visibility, as a 404
    return skill


def skill_view(session: Session, actor: Actor, skill_id: uuid.UUID) -> SkillView:
    skill = get_skill(session, actor, skill_id)
    framework = get_framework(session, actor, skill.framework_id)
    return SkillView(
        skill=skill,
        framework=framework,
        breadcrumb=breadcrumb(session, skill),
        broader=repository.broader_of(session, skill.id),
        narrower=repository.narrower_of(session, skill.id, SHOWN_NARROWER),
        related=repository.related_skills(session, skill.id),
        collections=repository.collections_of(session, skill.id),
        occupations=repository.occupations_needing(session, skill.id, SHOWN_OCCUPATIONS),
        levels=framework.scale.levels if framework.scale else [],
        level_descriptors=repository.level_descriptors(session, skill.id),
        crosswalks=repository.crosswalk_entries_for(
            session, framework.code_system or framework.slug, [skill.uri, skill.code or ""]
        ),
    )


def breadcrumb(session: Session, skill: Skill) -> list[Skill]:
    """Follows the first broader concept upwards; ESCO allows several, and cycles are cut."""
    trail: list[Skill] = []
    seen = {skill.id}
    current = skill
    while broader := repository.broader_of(session, current.id):
        current = broader[0]
        if current.id in seen:
            break
        seen.add(current.id)
        trail.append(current)
    return list(reversed(trail))


@dataclass(frozen=True)
class SkillGroupOfNeeds:
    """An occupation's skills under one top-level group of the hierarchy."""

    group: str
    essential: list[tuple[Skill, OccupationSkill]]
    optional: list[tuple[Skill, OccupationSkill]]


@dataclass(frozen=True)
class OccupationView:
    occupation: Occupation
    framework: Framework
    broader: list[Occupation]
    narrower: Sequence[Occupation]
    skill_groups: list[SkillGroupOfNeeds]
    tasks: Sequence[OccupationTask]
    crosswalks: Sequence[tuple[Crosswalk, CrosswalkEntry]]


def get_occupation(session: Session, actor: Actor, occupation_id: uuid.UUID) -> Occupation:
    occupation = repository.get_occupation(session, occupation_id)
    if occupation is None:
        raise NotFound(lazy_gettext("Occupation not found."))
    get_framework(session, actor, occupation.framework_id)
    return occupation


def occupation_by_uri(session: Session, actor: Actor, uri: str) -> Occupation:
    """The newest visible version of an occupation, by URI or, failing that, by code."""
    for occupation in repository.find_occupation_by_uri(session, uri):
        framework = repository.get_framework(session, occupation.framework_id)
        if framework is not None and can_see(actor, framework):
            return occupation
    message = lazy_gettext("No occupation has the URI %(uri)s.", uri=uri)
    raise InvalidInput(message, [FieldError("occupation", message)])


def occupation_view(session: Session, actor: Actor, occupation_id: uuid.UUID) -> OccupationView:
    occupation = get_occupation(session, actor, occupation_id)
    framework = get_framework(session, actor, occupation.framework_id)
    broader: list[Occupation] = []
    current = occupation
    while current.broader_id is not None and len(broader) < 10:
        parent = repository.get_occupation(session, current.broader_id)
        if parent is None:
            break
        broader.insert(0, parent)
        current = parent
    codes = [occupation.code or "", occupation.uri]
    crosswalks = list(
        repository.crosswalk_entries_for(session, framework.code_system or framework.slug, codes)
    )
    if occupation.isco_code:
        crosswalks += repository.crosswalk_entries_for(session, "ISCO-08", [occupation.isco_code])
    return OccupationView(
        occupation=occupation,
        framework=framework,
        broader=broader,
        narrower=repository.narrower_occupations(session, occupation.id),
        skill_groups=_grouped_needs(
            session, framework, repository.occupation_skills(session, occupation.id)
        ),
        tasks=repository.occupation_tasks(session, occupation.id),
        crosswalks=crosswalks,
    )


def _grouped_needs(
    session: Session, framework: Framework, needs: Sequence[tuple[Skill, OccupationSkill]]
) -> list[SkillGroupOfNeeds]:
    if not needs:
        return []
    hierarchy = repository.broader_map(session, framework.id)
    labels = {skill.id: skill.preferred_label for skill, _ in needs}

    def root(skill_id: uuid.UUID) -> uuid.UUID:
        seen = {skill_id}
        current = skill_id
        while (parents := hierarchy.get(current)) and parents[0] not in seen:
            current = parents[0]
            seen.add(current)
        return current

    groups: dict[str, SkillGroupOfNeeds] = {}
    root_ids = {skill.id: root(skill.id) for skill, _ in needs}
    missing = [rid for rid in set(root_ids.values()) if rid not in labels]
    labels.update(
        {rid: s.preferred_label for rid, s in repository.skills_by_ids(session, missing).items()}
    )
    for skill, need in needs:
        top = root_ids[skill.id]
        name = labels[top] if top != skill.id else str(lazy_gettext("Other skills"))
        group = groups.setdefault(name, SkillGroupOfNeeds(name, [], []))
        essential = need.relation is Relation.ESSENTIAL
        (group.essential if essential else group.optional).append((skill, need))
    return sorted(groups.values(), key=lambda group: (-len(group.essential), group.group))


@dataclass(frozen=True)
class FrameworkView:
    framework: Framework
    counts: dict[str, int]
    top_groups: Sequence[Skill]
    collections: Sequence[SkillCollection]
    levels: Sequence[ProficiencyLevel]


def framework_view(session: Session, actor: Actor, framework_id: uuid.UUID) -> FrameworkView:
    framework = get_framework(session, actor, framework_id)
    return FrameworkView(
        framework=framework,
        counts=repository.framework_counts(session, framework.id),
        top_groups=repository.top_groups(session, framework.id),
        collections=repository.list_collections(session, framework.id),
        levels=framework.scale.levels if framework.scale else [],
    )


def list_skills(
    session: Session, actor: Actor, framework_id: uuid.UUID, params: PageParams
) -> Paged[Skill]:
    framework = get_framework(session, actor, framework_id)
    return repository.list_skills(session, framework.id, params, groups=False)


def list_occupations(
    session: Session, actor: Actor, framework_id: uuid.UUID, params: PageParams
) -> Paged[Occupation]:
    framework = get_framework(session, actor, framework_id)
    return repository.list_occupations(session, framework.id, params)


def search_occupations(
    session: Session, actor: Actor, text: str, framework: str | None = None, limit: int = 20
) -> Sequence[Occupation]:
    frameworks = (
        [framework_by_slug(session, actor, framework)]
        if framework
        else list(list_frameworks(session, actor))
    )
    if not text.strip():
        return []
    return repository.search_occupations(
        session, text.strip(), [f.id for f in frameworks], min(limit, MAX_LIMIT)
    )


def run_import(
    session: Session,
    actor: Actor,
    job: Callable[[], ImportSummary],
    *,
    owner_org_id: uuid.UUID | None = None,
) -> ImportSummary:
    """Every importer runs through here: the permission check before, statistics after."""
    require_importer(actor, owner_org_id)
    summary = job()
    refresh_statistics(session)
    return summary
