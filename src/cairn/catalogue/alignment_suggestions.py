"""Skills suggested for a draft's learning outcomes from the words of each outcome, and the
educator's picks among them stored through the ordinary edit rules.

Skill intelligence only suggests: nothing is stored until a person chooses, and choosing
is editing the draft, so only those who may edit it may ask, and only while it is a
draft. Outcomes align only to public frameworks and the issuer's own (as ``update_draft``
checks), so suggestions come from no other."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.catalogue import service as catalogue_service
from cairn.catalogue.alignment import Alignment, alignments
from cairn.catalogue.models import SpecificationVersion
from cairn.catalogue.schemas import (
    AlignmentSuggestionsRead,
    OutcomeSuggestionsRead,
    SkillSuggestionRead,
    SpecificationFields,
)
from cairn.catalogue.service import VersionView
from cairn.intelligence import service as intelligence_service
from cairn.intelligence.service import Suggestion
from cairn.kit.actor import Actor
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.kit.validation import field_errors
from cairn.taxonomy import service as taxonomy_service
from cairn.taxonomy.models import Framework
from cairn.taxonomy.schemas import FrameworkRef, ScaleLevelRead

DEFAULT_TOP = 3
"""Enough to choose from at a glance; the right skill is nearly always among them."""

Choices = Mapping[int, tuple[uuid.UUID, int | None]]
"""Outcome position (from 1) → the skill chosen for it and the level reached, if given."""


@dataclass(frozen=True)
class OutcomeSuggestions:
    position: int
    statement: str
    current: Alignment | None
    """What the outcome is aligned to now, shown beside the suggestions."""
    suggestions: list[Suggestion]
    """Best first; each quotes the words of the statement it was found in."""


@dataclass(frozen=True)
class AlignmentSuggestions:
    version: SpecificationVersion
    framework: Framework
    """Where every suggested skill comes from, and so whose scale the levels are on."""
    outcomes: list[OutcomeSuggestions]

    @property
    def levels(self) -> list[tuple[int, str]]:
        """The framework's scale as (rank, label), for a level select; empty without one."""
        scale = self.framework.scale
        return [(level.rank, level.label) for level in scale.levels] if scale else []


def editable(session: Session, actor: Actor, version_id: uuid.UUID) -> VersionView:
    """The version, if the actor may edit it now: the edit page's check, then the draft's."""
    view = catalogue_service.view(session, actor, version_id)
    catalogue_service.require_designer(session, actor, view.specification.owner_org_id)
    catalogue_service.require_draft(view.version)
    return view


def _alignable(framework: Framework, view: VersionView) -> bool:
    return framework.owner_org_id in (None, view.specification.owner_org_id)


def frameworks(session: Session, actor: Actor, view: VersionView) -> list[Framework]:
    """The frameworks a version's outcomes can take suggestions from, for a page's choice:
    those with skills the actor may see, public or the issuer's own."""
    return [
        framework
        for framework in intelligence_service.frameworks_with_skills(
            session, actor.without_scopes()
        )
        if _alignable(framework, view)
    ]


def _framework_name(
    session: Session,
    reader: Actor,
    view: VersionView,
    name: str | None,
    current: dict[int, Alignment],
) -> str | None:
    """``slug@version`` of the framework to suggest from: the one named, else the one the
    outcomes already align to (so a draft stays in one framework), else ESCO (None), else
    where there is no ESCO the first that can be offered."""
    name = (name or "").strip()
    if not name:
        aligned = [
            alignment.framework
            for _, alignment in sorted(current.items())
            if alignment.linked and _alignable(alignment.framework, view)
        ]
        offered = aligned or frameworks(session, reader, view)
        if not aligned and any(f.slug == intelligence_service.DEFAULT_FRAMEWORK for f in offered):
            return None
        return f"{offered[0].slug}@{offered[0].version}" if offered else None
    framework = taxonomy_service.framework_by_slug(session, reader, name)
    if not _alignable(framework, view):
        message = lazy_gettext("Outcomes align only to public frameworks and the issuer's own.")
        raise InvalidInput(message, [FieldError("framework", message)])
    return f"{framework.slug}@{framework.version}"


def suggest_alignments(
    session: Session,
    actor: Actor,
    version_id: uuid.UUID,
    *,
    framework: str | None = None,
    top: int = DEFAULT_TOP,
) -> AlignmentSuggestions:
    """Up to ``top`` skills for each outcome of a draft, best first, with what each outcome
    is aligned to now. ``framework`` is a slug as people type it (``esco@v1.2.0``)."""
    view = editable(session, actor, version_id)
    # Reading the framework is part of editing the draft: a token needs no taxonomy scope.
    reader = actor.without_scopes()
    outcomes = view.draft.outcomes
    current = alignments(session, reader, outcomes)
    chosen, found = intelligence_service.suggest_skills_for_each(
        session,
        reader,
        texts=[outcome.statement for outcome in outcomes],
        framework=_framework_name(session, reader, view, framework, current),
        top=top,
    )
    return AlignmentSuggestions(
        version=view.version,
        framework=chosen,
        outcomes=[
            OutcomeSuggestions(
                position=outcome.position,
                statement=outcome.statement,
                current=current.get(outcome.position),
                suggestions=suggestions,
            )
            for outcome, suggestions in zip(outcomes, found, strict=True)
        ],
    )


def apply_alignments(
    session: Session, actor: Actor, version_id: uuid.UUID, choices: Choices
) -> SpecificationVersion:
    """Align the chosen outcomes to their skill and level and leave the others as they are,
    by the rules of any edit (the skill's framework, the level within its scale): all of
    them or, if one is refused, none."""
    view = editable(session, actor, version_id)
    outcomes: list[dict[str, object]] = [
        {"statement": o.statement, "skill_id": o.skill_id, "level": o.level}
        for o in view.draft.outcomes
    ]
    unknown = sorted(position for position in choices if not 1 <= position <= len(outcomes))
    if unknown:
        message = lazy_gettext("This draft has no learning outcome %(number)s.", number=unknown[0])
        raise InvalidInput(message, [FieldError(f"outcomes.{unknown[0]}", message)])
    for position, (skill_id, level) in choices.items():
        outcomes[position - 1].update(skill_id=skill_id, level=level)
    try:
        data = SpecificationFields.model_validate({"outcomes": outcomes})
    except ValidationError as error:
        problems = [
            FieldError(_by_position(item.field), item.message) for item in field_errors(error)
        ]
        raise InvalidInput(problems[0].message, problems) from None
    return catalogue_service.update_draft(session, actor, version_id, data)


def _by_position(field: str) -> str:
    """Validation counts outcomes from 0 (``outcomes.0.level``), the service and the pages
    from 1, as the outcomes are numbered."""
    parts = field.split(".")
    if len(parts) > 1 and parts[0] == "outcomes" and parts[1].isdigit():
        parts[1] = str(int(parts[1]) + 1)
    return ".".join(parts)


def best_unaligned(found: AlignmentSuggestions) -> dict[int, tuple[uuid.UUID, int | None]]:
    """The first suggestion for each outcome not aligned yet, no level: what someone who
    accepts the suggestions wholesale (``cairn catalogue suggest-alignments --apply``) keeps."""
    return {
        outcome.position: (outcome.suggestions[0].concept_id, None)
        for outcome in found.outcomes
        if outcome.current is None and outcome.suggestions
    }


def to_read(found: AlignmentSuggestions) -> AlignmentSuggestionsRead:
    """The API's and the CLI's JSON shape."""
    framework = found.framework
    scale = framework.scale
    return AlignmentSuggestionsRead(
        version_id=found.version.id,
        framework=FrameworkRef(
            id=framework.id, slug=framework.slug, version=framework.version, title=framework.title
        ),
        levels=[
            ScaleLevelRead(rank=level.rank, label=level.label, descriptor=level.descriptor)
            for level in (scale.levels if scale else [])
        ],
        outcomes=[
            OutcomeSuggestionsRead(
                position=outcome.position,
                statement=outcome.statement,
                skill_id=outcome.current.skill.id if outcome.current else None,
                level=outcome.current.level if outcome.current else None,
                suggestions=[
                    SkillSuggestionRead(
                        skill_id=item.concept_id,
                        uri=item.uri,
                        label=item.label,
                        score=item.score,
                        quote=item.quote,
                        start=item.start,
                        end=item.end,
                        matched_label=item.matched_label,
                    )
                    for item in outcome.suggestions
                ],
            )
            for outcome in found.outcomes
        ],
    )
