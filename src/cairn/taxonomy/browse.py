"""Browsing the taxonomy, for the API and the pages: the visible frameworks with their sizes,
the collections a search can be narrowed to, occupations page by page, and a skill's levels
beside the framework's scale. Who sees what is the service's rule; this module only lists."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.kit.actor import Actor
from cairn.kit.pagination import Paged, PageParams
from cairn.taxonomy import repository, service
from cairn.taxonomy.models import Framework, Occupation, SkillCollection
from cairn.taxonomy.service import SkillView


@dataclass(frozen=True)
class FrameworkSummary:
    framework: Framework
    sizes: dict[str, int]
    """skills, skill_groups, occupations, occupation_groups, collections."""


def framework_summaries(session: Session, actor: Actor) -> list[FrameworkSummary]:
    frameworks = service.list_frameworks(session, actor)
    sizes = repository.framework_sizes(session, [framework.id for framework in frameworks])
    return [FrameworkSummary(framework, sizes[framework.id]) for framework in frameworks]


def search_collections(
    session: Session, actor: Actor, framework: str | None = None
) -> list[SkillCollection]:
    """What a skill search can be narrowed to: the named framework's collections, or every
    visible framework's, one per slug (the search looks a collection up by its slug)."""
    frameworks = (
        [service.framework_by_slug(session, actor, framework)]
        if framework
        else service.list_frameworks(session, actor)
    )
    found: dict[str, SkillCollection] = {}
    for collection in repository.collections_of_frameworks(session, [f.id for f in frameworks]):
        found.setdefault(collection.slug, collection)
    return list(found.values())


def occupations(
    session: Session,
    actor: Actor,
    framework_id: uuid.UUID,
    params: PageParams,
    text: str | None = None,
) -> Paged[Occupation]:
    """A framework's occupations by label, or those matching ``text``, page by page."""
    wanted = (text or "").strip()
    if not wanted:
        return service.list_occupations(session, actor, framework_id, params)
    framework = service.get_framework(session, actor, framework_id)
    return repository.search_occupations_page(session, framework.id, wanted, params)


@dataclass(frozen=True)
class SkillLevel:
    rank: int
    label: str | None
    """The level's name on the framework's scale (None for a rank the scale lacks)."""
    descriptor: str | None
    """What the level means on the scale in general."""
    skill_descriptor: str | None
    """What it looks like for this skill, where the framework says."""


def skill_levels(view: SkillView) -> list[SkillLevel]:
    """The scale's levels, each with this skill's own descriptor where there is one."""
    own = {descriptor.rank: descriptor.descriptor for descriptor in view.level_descriptors}
    levels = [
        SkillLevel(level.rank, level.label, level.descriptor, own.get(level.rank))
        for level in view.levels
    ]
    on_scale = {level.rank for level in view.levels}
    levels += [
        SkillLevel(rank, None, None, text)
        for rank, text in sorted(own.items())
        if rank not in on_scale
    ]
    return levels
