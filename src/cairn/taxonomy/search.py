"""Skill search: every word first, then any word; a misspelt word is first replaced by the
closest word the framework uses, so "pyhton" finds Python on SQLite and PostgreSQL alike.
An exact label match always comes first."""

from __future__ import annotations

import bisect
import re
import threading
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from cairn.taxonomy import repository, search_repository
from cairn.taxonomy.models import Skill
from cairn.taxonomy.search_repository import SkillFilter

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12
TYPO_SCORE = 75
"""rapidfuzz ratio (0-100) from which a known word may stand for a misspelt one."""
CANDIDATES = 30
STEM_PREFIX = 4
"""A query word counts as known when a known word starts with it, or it starts with a known
word at least this long ("spreadsheet" / "spreadsheets", "programming" / "program")."""


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower())[:MAX_WORDS]


@dataclass(frozen=True)
class Vocabulary:
    words: list[str]
    """Sorted, for prefix lookups."""
    frequency: Counter[str]

    def knows(self, word: str) -> bool:
        at = bisect.bisect_left(self.words, word)
        if at < len(self.words) and self.words[at].startswith(word):
            return True
        return any(
            word[:end] in self.frequency for end in range(len(word) - 1, STEM_PREFIX - 1, -1)
        )

    def closest(self, word: str) -> str | None:
        first = word[:1]
        start = bisect.bisect_left(self.words, first)
        end = bisect.bisect_left(self.words, first + "\uffff")
        matches = process.extract(
            word, self.words[start:end], scorer=fuzz.ratio, score_cutoff=TYPO_SCORE, limit=5
        )
        if not matches:
            return None
        best = max(matches, key=lambda match: (match[1], self.frequency[match[0]]))
        return str(best[0])


_cache: dict[tuple[object, ...], Vocabulary] = {}
_cache_lock = threading.Lock()
CACHED_VOCABULARIES = 8


def vocabulary(session: Session, framework_ids: Sequence[uuid.UUID]) -> Vocabulary:
    """The words of the frameworks, learnt once per imported version and process."""
    key = search_repository.vocabulary_key(session, framework_ids)
    with _cache_lock:
        found = _cache.get(key)
    if found is not None:
        return found
    frequency: Counter[str] = Counter()
    for text in search_repository.texts(session, framework_ids):
        frequency.update(WORD.findall(text.lower()))
    built = Vocabulary(sorted(frequency), frequency)
    with _cache_lock:
        if len(_cache) >= CACHED_VOCABULARIES:
            _cache.pop(next(iter(_cache)))
        _cache[key] = built
    return built


def corrected(session: Session, words: list[str], filters: SkillFilter) -> list[str]:
    known = vocabulary(session, filters.framework_ids)
    result: list[str] = []
    for word in words:
        if known.knows(word):
            result.append(word)
        elif (replacement := known.closest(word)) is not None:
            result.append(replacement)
    return result


def interpretation(session: Session, text: str, filters: SkillFilter) -> str | None:
    """The words the search really looked for, when typo correction changed them, so the
    person sees "results for python" after typing "pyhton"."""
    typed = words_of(text)
    if not typed or not filters.framework_ids:
        return None
    used = corrected(session, typed, filters)
    return " ".join(used) if used != typed else None


def search_skills(session: Session, text: str, filters: SkillFilter, limit: int) -> list[Skill]:
    words = corrected(session, words_of(text), filters) if filters.framework_ids else []
    if not words:
        return []
    found: list[uuid.UUID] = []

    def add(ids: Sequence[uuid.UUID]) -> None:
        found.extend(skill_id for skill_id in ids if skill_id not in found)

    # More candidates than asked for, so an exact label match ranked lower can move up.
    candidates = max(limit * 3, CANDIDATES)
    add(search_repository.match(session, words, every=True, filters=filters, limit=candidates))
    if len(found) < limit and len(words) > 1:
        add(search_repository.match(session, words, every=False, filters=filters, limit=candidates))
    skills = repository.skills_by_ids(session, found)
    ranked = [skills[skill_id] for skill_id in found if skill_id in skills]
    wanted = " ".join(words)
    # sorted() is stable: exact label matches move to the front, the rest keep their rank.
    return sorted(ranked, key=lambda skill: wanted not in _labels_of(skill))[:limit]


def _labels_of(skill: Skill) -> set[str]:
    return {" ".join(words_of(label)) for label in [skill.preferred_label, *skill.alt_label_list]}
