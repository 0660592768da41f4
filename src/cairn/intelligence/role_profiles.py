"""Starting a role's skill profile from a job description: the skills the text names, each
with a target level read from the words around it ("extensive experience with SQL"), for
an administrator to confirm or change before anything is stored.

The levels are read with English cue words only: a job description in another language
still gets its skills, each proposed at the middle of the scale with no cue named."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from cairn.intelligence import service as intelligence_service
from cairn.intelligence.text import Piece, sentences
from cairn.kit.actor import Actor
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.orgs import skill_profiles
from cairn.orgs.schemas import SkillProfileItemWrite
from cairn.orgs.skill_profiles import Target
from cairn.taxonomy import service as taxonomy_service
from cairn.taxonomy.models import Framework, ProficiencyLevel

DEFAULT_TOP = 20
GENERIC_RANKS = (1, 2, 3, 4, 5)
"""A framework without a scale is stored on the generic 1-5 one, as when a profile is
started from an occupation."""


class Cue(StrEnum):
    """Which part of the framework's scale a job description's words point to."""

    TOP = "top"
    MIDDLE = "middle"
    LOWEST = "lowest"


CUE_WORDS: dict[Cue, tuple[str, ...]] = {
    Cue.TOP: (
        "expert",
        "expertise",
        "advanced",
        "senior",
        "extensive",
        "extensively",
        "in-depth",
        "in depth",
        "deep knowledge",
        "deep understanding",
        "mastery",
        "highly skilled",
        "lead",
    ),
    Cue.MIDDLE: (
        "strong",
        "proficient",
        "proficiency",
        "solid",
        "competent",
        "experience with",
        "experience in",
        "experience of",
        "experienced",
        "working knowledge",
        "good knowledge",
        "good understanding",
        "hands-on",
    ),
    Cue.LOWEST: (
        "basic",
        "basics",
        "familiar",
        "familiarity",
        "exposure",
        "awareness",
        "aware of",
        "nice to have",
        "nice-to-have",
        "desirable",
        "a plus",
        "an advantage",
        "advantageous",
        "willing to learn",
        "junior",
        "entry-level",
        "entry level",
        "introductory",
    ),
}
"""The English words a job description uses to say how well a skill is needed, by the part
of the scale they point to: the top for an expert, the lowest for a beginner, the middle
for plain experience. "N years" counts too: at least ``YEARS_FOR_TOP`` points to the top,
at least ``YEARS_FOR_MIDDLE`` to the middle, fewer to the lowest level. A skill whose
sentence has none of them is proposed at the middle. Matching is by whole words, in any
case, for English only: other languages find no cue and so get the middle.

English mostly puts them before the skill ("basic Excel"). After it, only the phrases of
``CUES_AFTER_THE_SKILL`` and "N years" count ("SQL is nice to have", "SQL: 5+ years"),
and any cue right after it past a colon, dash or bracket ("SQL (advanced)"): in "lead a
team of junior analysts", "junior" is about the analysts."""
CUES_AFTER_THE_SKILL = frozenset(
    ["nice to have", "nice-to-have", "desirable", "a plus", "an advantage", "advantageous"]
)
YEARS_FOR_TOP = 5
YEARS_FOR_MIDDLE = 2
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_NUMBER = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + ")"
_YEARS = re.compile(
    rf"\b{_NUMBER}\s*(?:\+|plus)?\s*(?:(?:-|\u2013|to)\s*{_NUMBER}\s*\+?\s*)?(?:years?|yrs?)\b",
    re.IGNORECASE,
)
""""5+ years", "3-5 years", "two years": the first number counts."""


def _words_pattern(words: Sequence[str]) -> re.Pattern[str]:
    longest_first = sorted(words, key=len, reverse=True)
    spelled = (re.escape(word).replace(r"\ ", r"\s+") for word in longest_first)
    return re.compile(r"\b(?:" + "|".join(spelled) + r")\b", re.IGNORECASE)


_CUE_PATTERNS = {cue: _words_pattern(words) for cue, words in CUE_WORDS.items()}
_JOINER = re.compile(r"(?:[\s,/&-]|\b(?:and|or|of|with|in)\b)*", re.IGNORECASE)
"""What may stand between two cues of one phrase: "extensive, hands-on experience with"."""
_CLAUSE_END = re.compile(r"[,;]")
_RIGHT_AFTER = re.compile(r"[\s:(\[\-\u2013\u2014]*")


@dataclass(frozen=True)
class CueReading:
    """The part of the scale the words around a skill point to, and those words."""

    cue: Cue | None
    words: str | None


@dataclass(frozen=True)
class _Found:
    cue: Cue
    start: int
    end: int
    may_follow: bool
    """Says the level when written after the skill too."""


def _years_cue(number: str) -> Cue:
    years = _NUMBER_WORDS.get(number.lower()) or int(number)
    if years >= YEARS_FOR_TOP:
        return Cue.TOP
    return Cue.MIDDLE if years >= YEARS_FOR_MIDDLE else Cue.LOWEST


def _cues_in(text: str, sentence: Piece, skill: Piece, own_words: str) -> list[_Found]:
    """Every cue of the sentence, except words of the skill's own name ("Lead a team"
    names the skill "manage a team"; it says nothing of the level)."""
    part = text[sentence.start : sentence.end]
    found = [
        _Found(
            cue,
            sentence.start + match.start(),
            sentence.start + match.end(),
            " ".join(match.group(0).lower().split()) in CUES_AFTER_THE_SKILL,
        )
        for cue, pattern in _CUE_PATTERNS.items()
        for match in pattern.finditer(part)
    ]
    found.extend(
        _Found(
            _years_cue(match.group(1)),
            sentence.start + match.start(),
            sentence.start + match.end(),
            may_follow=True,
        )
        for match in _YEARS.finditer(part)
    )
    return [
        item
        for item in found
        if not (
            item.start < skill.end
            and skill.start < item.end
            and text[item.start : item.end].casefold() in own_words.casefold()
        )
    ]


def _sentence_of(text: str, start: int, end: int) -> Piece:
    return next(
        (piece for piece in sentences(text) if piece.start <= start and end <= piece.end),
        Piece(start, end),
    )


def read_cue(text: str, start: int, end: int, own_words: str = "") -> CueReading:
    """What the sentence around ``text[start:end]`` (a skill's words) says of the level.

    English puts the level before the skill ("basic Excel", "5+ years of SQL"), so the
    nearest cue before it wins, with the cues joined to it ("extensive, hands-on experience
    with"): a word that picks out the top or the lowest level outweighs plain "experience
    with". Only when nothing comes before does a cue after it count, within its clause
    ("SQL is nice to have", but not for Python in "Python, SQL is nice to have")."""
    sentence = _sentence_of(text, start, end)
    found = _cues_in(text, sentence, Piece(start, end), own_words)
    before = [item for item in found if item.end <= end]
    if before:
        nearest = max(before, key=lambda item: (item.end, -item.start))
        phrase = [nearest]
        first = nearest.start
        joined = True
        while joined:
            joined = False
            for item in before:
                if (
                    item not in phrase
                    and item.start < first
                    and _JOINER.fullmatch(text, min(item.end, first), first)
                ):
                    phrase.append(item)
                    first = item.start
                    joined = True
        pointed = next((item.cue for item in phrase if item.cue is not Cue.MIDDLE), Cue.MIDDLE)
        return CueReading(pointed, " ".join(text[first : nearest.end].split()))
    clause = _CLAUSE_END.search(text, end, sentence.end)
    clause_end = clause.start() if clause else sentence.end
    after = [
        item
        for item in found
        if item.start >= end
        and item.end <= clause_end
        and (item.may_follow or _RIGHT_AFTER.fullmatch(text, end, item.start))
    ]
    if after:
        nearest = min(after, key=lambda item: (item.start, -item.end))
        return CueReading(nearest.cue, " ".join(text[nearest.start : nearest.end].split()))
    return CueReading(None, None)


def level_for(cue: Cue | None, ranks: Sequence[int]) -> int | None:
    """The rank a cue points to on a scale; None when the framework has no scale."""
    return _rank_for(cue, ranks) if ranks else None


def _rank_for(cue: Cue | None, ranks: Sequence[int]) -> int:
    """The top, the lowest, or the middle (where the occupation pre-fill puts levels too)."""
    ordered = sorted(ranks)
    if cue is Cue.TOP:
        return ordered[-1]
    if cue is Cue.LOWEST:
        return ordered[0]
    return ordered[len(ordered) // 2]


@dataclass(frozen=True)
class RoleSkillSuggestion:
    skill_id: uuid.UUID
    uri: str
    label: str
    score: float
    """Higher is better (about 1.1 to 2.5); not a probability."""
    quote: str
    """The words of the job description the skill was found in."""
    start: int
    end: int
    matched_label: str
    framework: Framework
    levels: list[ProficiencyLevel]
    """The framework's scale, lowest first; empty when it has none."""
    level: int | None
    """The proposed target level: a rank on ``levels``, None without a scale."""
    cue: Cue | None
    level_reason: str | None
    """The words the level was read from ("extensive experience with"); None when none
    was found and the middle of the scale is proposed."""
    in_profile: bool
    current_level: int | None
    """The profile's target level for the skill, when it is there already."""

    @property
    def level_label(self) -> str | None:
        return next((level.label for level in self.levels if level.rank == self.level), None)


def suggest_for_role(
    session: Session,
    actor: Actor,
    target: Target,
    *,
    text: str,
    framework: str | None = None,
    top: int = DEFAULT_TOP,
) -> list[RoleSkillSuggestion]:
    """The skills a job description names, best first, each with a proposed target level
    and whether the profile has it already. Nothing is stored: a person confirms them."""
    skill_profiles.require_editor(session, actor, target)
    # Whoever may edit the profile may read the frameworks it refers to, as set_item does:
    # an API token needs the scopes of editing the profile here, not taxonomy:read too.
    reader = actor.without_scopes()
    found = intelligence_service.suggest_skills(
        session, reader, text=text, framework=framework, top=top
    )
    levels = list(found.framework.scale.levels) if found.framework.scale else []
    ranks = [level.rank for level in levels]
    current = {
        line.skill.id: line.item.target_level
        for line in skill_profiles.view(session, reader, target).lines
    }
    suggestions: list[RoleSkillSuggestion] = []
    for item in found.items:
        reading = read_cue(text, item.start, item.end, item.matched_label)
        suggestions.append(
            RoleSkillSuggestion(
                skill_id=item.concept_id,
                uri=item.uri,
                label=item.label,
                score=item.score,
                quote=item.quote,
                start=item.start,
                end=item.end,
                matched_label=item.matched_label,
                framework=found.framework,
                levels=levels,
                level=level_for(reading.cue, ranks),
                cue=reading.cue if ranks else None,
                level_reason=reading.words if ranks else None,
                in_profile=item.concept_id in current,
                current_level=current.get(item.concept_id),
            )
        )
    return suggestions


@dataclass(frozen=True)
class Applied:
    added: int
    updated: int


def apply_suggestions(
    session: Session,
    actor: Actor,
    target: Target,
    items: Sequence[tuple[uuid.UUID, int | None]],
) -> Applied:
    """Add the chosen skills at their chosen levels, or change the level of those already
    in the profile (their weight stays). A level of None keeps an existing skill's level
    and puts a new one at the middle of its scale. All are checked before any is written."""
    skill_profiles.require_editor(session, actor, target)
    if not items:
        message = lazy_gettext("Choose at least one skill to add.")
        raise InvalidInput(message, [FieldError("items", message)])
    reader = actor.without_scopes()
    existing = {
        line.skill.id: line.item for line in skill_profiles.view(session, reader, target).lines
    }
    writes: list[SkillProfileItemWrite] = []
    for skill_id, level in items:
        stored = existing.get(skill_id)
        if level is None:
            level = stored.target_level if stored else _middle_of_scale(session, reader, skill_id)
        weight = stored.weight if stored else skill_profiles.DEFAULT_WEIGHT
        writes.append(SkillProfileItemWrite(skill_id=skill_id, target_level=level, weight=weight))
    skill_profiles.set_items(session, actor, target, writes)
    updated = sum(1 for skill_id, _ in items if skill_id in existing)
    return Applied(added=len(items) - updated, updated=updated)


def _middle_of_scale(session: Session, reader: Actor, skill_id: uuid.UUID) -> int:
    skill = taxonomy_service.get_skill(session, reader, skill_id)
    framework = taxonomy_service.get_framework(session, reader, skill.framework_id)
    ranks = [level.rank for level in framework.scale.levels] if framework.scale else []
    return _rank_for(Cue.MIDDLE, ranks or GENERIC_RANKS)
