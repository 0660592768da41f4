"""Skills a learner's CV names, suggested for their own profile, and the ones they confirm
recorded as self-reported evidence.

The CV is read and forgotten: its text, and the words quoted from it, are never stored;
only the skills the person ticks are kept, each as a
self-assessment (the weakest kind of evidence, never shown as verified) made the same way
as the self-ratings of ``assessment.ratings``, marked as coming from a CV."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn

from sqlalchemy.orm import Session

from cairn.assessment import ratings
from cairn.assessment.merge import MergedLevel, merge
from cairn.assessment.models import Evidence
from cairn.assessment.rating_schemas import MAX_SKILLS, RatingsWrite, SkillRating
from cairn.assessment.ratings import LevelChoice, RatableSkill
from cairn.intelligence import service as intelligence_service
from cairn.kit.actor import Actor, Scope, require_person, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import LazyString, lazy_gettext
from cairn.profiles import repository
from cairn.taxonomy.models import Framework, Skill

DEFAULT_TOP = 25
"""A CV names more skills than a job ad's line does; more than this is hard to review."""
CV_ORIGIN = "cv"
"""``Evidence.details["origin"]`` of skills claimed from a CV."""
MAX_FILE_BYTES = 512 * 1024
"""Far more than a CV's text: anything bigger is not the plain text of one."""


@dataclass(frozen=True)
class SkillToClaim:
    """A skill offered on the form, with the words of the CV it was found in."""

    ratable: RatableSkill
    quote: str
    current: MergedLevel | None
    """What the profile already holds for the skill; None when there is no evidence."""

    @property
    def skill(self) -> Skill:
        return self.ratable.skill

    @property
    def framework(self) -> Framework:
        return self.ratable.framework

    @property
    def levels(self) -> list[LevelChoice]:
        return self.ratable.levels

    @property
    def has_evidence(self) -> bool:
        return self.current is not None

    @property
    def default_level(self) -> int:
        """The level the profile holds already, so a claim does not lower it; else the
        lowest of the scale."""
        ranks = [level.rank for level in self.levels]
        if self.current is not None and self.current.level in ranks:
            return self.current.level
        return ranks[0]

    @property
    def current_level_label(self) -> str | None:
        if self.current is None:
            return None
        return next((c.label for c in self.levels if c.rank == self.current.level), None)


@dataclass(frozen=True)
class CvSuggestion(SkillToClaim):
    score: float
    """About 1.1 to 2.5, higher is better; not a probability."""
    start: int
    end: int
    """Where the quote is in the text given."""
    matched_label: str


@dataclass(frozen=True)
class CvSuggestions:
    framework: Framework
    embedder: str
    items: list[CvSuggestion]


def suggest_from_cv(
    session: Session,
    actor: Actor,
    *,
    text: str,
    framework: str | None = None,
    top: int = DEFAULT_TOP,
) -> CvSuggestions:
    """The skills the signed-in person's CV names, best first, each saying whether their
    profile has evidence of it already. Suggestions only: nothing is stored, not even the
    text, until the person confirms some with ``claim_skills``."""
    require_person(actor)
    require_scope(actor, Scope.ASSESSMENT_READ)
    # The skills read are part of the person's own self-assessment, as in ``ratings``.
    found = intelligence_service.suggest_skills(
        session, actor.without_scopes(), text=text, framework=framework, top=top
    )
    ratable = _ratable(session, actor, [suggestion.concept_id for suggestion in found.items])
    current = _current_levels(session, actor)
    items: list[CvSuggestion] = []
    for suggestion in found.items:
        item = ratable.pop(suggestion.concept_id, None)  # popped: each skill once, best first
        if item is None:
            continue
        items.append(
            CvSuggestion(
                ratable=item,
                quote=suggestion.quote,
                current=current.get(item.skill.id),
                score=suggestion.score,
                start=suggestion.start,
                end=suggestion.end,
                matched_label=suggestion.matched_label,
            )
        )
    return CvSuggestions(found.framework, found.embedder, items)


def skills_to_claim(
    session: Session, actor: Actor, quoted: Sequence[tuple[uuid.UUID, str]]
) -> list[SkillToClaim]:
    """The form of suggestions again, from the skills and words it showed, when its answer
    is refused: the CV itself is gone by then."""
    require_person(actor)
    require_scope(actor, Scope.ASSESSMENT_READ)
    ratable = _ratable(session, actor, [skill_id for skill_id, _ in quoted])
    current = _current_levels(session, actor)
    return [
        SkillToClaim(ratable[skill_id], quote, current.get(skill_id))
        for skill_id, quote in dict(quoted).items()
        if skill_id in ratable
    ]


def claim_skills(
    session: Session,
    actor: Actor,
    items: Sequence[tuple[uuid.UUID, int | None]],
    *,
    source_note: str,
) -> list[Evidence]:
    """Record the skills the person confirmed as their own self-assessment, in one go: one
    refused item refuses them all. A level left out is the lowest of the skill's scale.
    ``source_note`` is kept with each as its comment (e.g. "From my CV")."""
    require_person(actor)
    require_scope(actor, Scope.ASSESSMENT_WRITE)
    if not items:
        _invalid(lazy_gettext("Choose at least one skill to add."), "items")
    if len(items) > MAX_SKILLS:
        _invalid(lazy_gettext("Add at most %(most)s skills at a time.", most=MAX_SKILLS), "items")
    ratable = _ratable(session, actor, [skill_id for skill_id, _ in items])
    chosen: list[SkillRating] = []
    for index, (skill_id, level) in enumerate(items):
        item = ratable.get(skill_id)
        if item is None:
            _invalid(
                lazy_gettext(
                    "This skill is not one you can add: it is unknown, in a framework you "
                    "cannot see, or a group of skills."
                ),
                f"items.{index}.skill_id",
            )
        chosen.append(
            SkillRating(skill_id=skill_id, level=item.levels[0].rank if level is None else level)
        )
    data = RatingsWrite(ratings=chosen, comment=source_note)
    try:
        return ratings.self_assess(session, actor, data, origin=CV_ORIGIN)
    except InvalidInput as refused:  # named as the items given, not as ratings
        raise InvalidInput(
            refused.message,
            [
                FieldError(error.field.replace("ratings", "items", 1), error.message)
                for error in refused.field_errors
            ],
        ) from None


def text_of_file(name: str, data: bytes) -> str:
    """A CV uploaded as a file: UTF-8 plain text only. Reading PDF or Word documents is
    not offered; the person pastes their text instead."""
    if not name.lower().endswith(".txt"):
        _invalid(
            lazy_gettext(
                "Only a .txt file of plain text can be read. For a PDF or Word document, "
                "copy its text and paste it in the box instead."
            ),
            "file",
        )
    if len(data) > MAX_FILE_BYTES:
        _invalid(
            lazy_gettext(
                "The file is larger than %(size)s KB, too large for the text of a CV; "
                "paste the part about your experience instead.",
                size=MAX_FILE_BYTES // 1024,
            ),
            "file",
        )
    try:
        text: str | None = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        _invalid(
            lazy_gettext(
                "The file is not UTF-8 plain text. Save it as UTF-8 text, or paste the text "
                "in the box instead."
            ),
            "file",
        )
    return text


def _ratable(
    session: Session, actor: Actor, skill_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, RatableSkill]:
    """The skills the person may rate themself in, with their levels; groups and skills of
    frameworks they cannot see are left out."""
    return {item.skill.id: item for item in ratings.ratable_skills(session, actor, skill_ids)}


def _current_levels(session: Session, actor: Actor) -> dict[uuid.UUID, MergedLevel]:
    return merge(repository.evidence_of(session, actor.person_id), utcnow())


def _invalid(message: LazyString, field: str) -> NoReturn:
    raise InvalidInput(message, [FieldError(field, message)])
