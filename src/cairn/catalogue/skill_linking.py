"""Finding a framework's skills in job postings, behind one interface.

Postings are linked in two steps: first by exact means (the skills a posting lists itself
as URIs, codes or labels, and the framework's labels found word for word in its title and
text), then by the skill-intelligence linker, which finds skills named in other words
(decision 0040). Both sit behind ``SkillLinker``, prepared once per framework and import
(decision 0026)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from cairn.catalogue import demand_repository as repo
from cairn.catalogue.demand_repository import SkillLabels
from cairn.catalogue.enums import SkillMatch
from cairn.intelligence import service as intelligence_service
from cairn.taxonomy.models import Framework

SPAN_LENGTH = 300
"""The column's width: a longer span is cut, it only explains the count."""
_TOKEN = re.compile(r"\w+(?:[.'\u2019]\w+)*[+#]*")
"""A word: letters and digits, with inner dots and apostrophes (``Node.js``, ``it's``) and
trailing ``+`` or ``#`` (``C++``, ``C#``). Hyphens and slashes separate words, so
``problem-solving`` reads as ``problem solving``."""
_EXACT = "\0"
"""Marks a trie key that must match as written (a word with a capital letter)."""


@dataclass(frozen=True)
class PostingText:
    """What a linker reads of a posting."""

    title: str
    text: str
    listed: tuple[str, ...] = ()
    """The posting's own skills field: URIs, codes or labels."""


@dataclass(frozen=True)
class Match:
    skill_id: uuid.UUID
    matched_by: SkillMatch
    span: str | None
    """The words that matched, or the listed entry as written."""


class SkillLinker(Protocol):
    """The interface: ``name`` is stored with each batch, so figures from different
    linkers can be told apart; ``link_all`` lets a linker work in batches (a model scores
    many postings at once), and must answer as ``link`` would for each posting. Every
    listed entry a linker understands gets a ``LISTED`` match whose span is the entry as
    written; an entry without one is refused as unknown."""

    name: str

    def link(self, posting: PostingText) -> list[Match]: ...

    def link_all(self, postings: Sequence[PostingText]) -> list[list[Match]]:
        return [self.link(posting) for posting in postings]


PrepareLinker = Callable[[Session, Framework], SkillLinker]
"""Builds a linker for one framework, once per import: what ``import_postings`` takes."""


Trie = dict[str, Any]
"""Word key → the trie below it; the key ``""`` (no word is empty) holds the skill a label
ending there names. Plain dictionaries: the walk is most of linking's time."""
_END = ""


def _words(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def _keys(word: str) -> tuple[str, ...]:
    """The trie keys a word of a text may follow: its lower case, and as written when it
    has a capital (a label word with one, ``LESS``, ``Chef``, ``IT``, is a name or an
    acronym and matches only as written)."""
    folded = word.lower()
    return (folded,) if folded == word else (folded, _EXACT + word)


def _key(word: str) -> str:
    """A label word's key: lower-case words match in any case, others only as written."""
    return word if word == word.lower() else _EXACT + word


class ExactLinker(SkillLinker):
    """Listed skills by URI, code, preferred or alternative label; then labels in the text,
    word for word on word boundaries, longest first, left to right without overlaps.

    The labels sit in a trie of words built once, so linking a posting costs one pass over
    its words whatever the framework's size."""

    name = "exact-label-v1"

    def __init__(self, skills: Sequence[SkillLabels]) -> None:
        self._by_uri: dict[str, uuid.UUID] = {}
        self._by_code: dict[str, uuid.UUID] = {}
        self._by_label: dict[str, uuid.UUID] = {}
        self._trie: Trie = {}
        # Preferred labels first: a label that is one skill's name and another's synonym
        # names the first. Among equals, the first skill in URI order.
        ordered = sorted(skills, key=lambda skill: skill.uri)
        for skill in ordered:
            self._by_uri.setdefault(skill.uri, skill.id)
            if skill.code:
                self._by_code.setdefault(skill.code.lower(), skill.id)
        for preferred in (True, False):
            for skill in ordered:
                labels = [skill.preferred_label] if preferred else skill.alt_labels
                for label in labels:
                    self._by_label.setdefault(" ".join(label.lower().split()), skill.id)
                    self._add(label, skill.id)

    def _add(self, label: str, skill_id: uuid.UUID) -> None:
        words = [match.group() for match in _words(label)]
        if not words or len("".join(words)) < 2:  # one letter names nothing reliably
            return
        node = self._trie
        for word in words:
            node = node.setdefault(_key(word), {})
        node.setdefault(_END, skill_id)

    def link(self, posting: PostingText) -> list[Match]:
        found: dict[uuid.UUID, Match] = {}
        for entry in posting.listed:
            skill_id = self._listed(entry)
            if skill_id is not None and skill_id not in found:
                found[skill_id] = Match(skill_id, SkillMatch.LISTED, entry[:SPAN_LENGTH])
        for text in (posting.title, posting.text):
            for skill_id, span in self._labels_in(text):
                if skill_id not in found:
                    found[skill_id] = Match(skill_id, SkillMatch.LABEL, span[:SPAN_LENGTH])
        return list(found.values())

    def _listed(self, entry: str) -> uuid.UUID | None:
        entry = entry.strip()
        return (
            self._by_uri.get(entry)
            or self._by_code.get(entry.lower())
            or self._by_label.get(" ".join(entry.lower().split()))
        )

    def _labels_in(self, text: str) -> list[tuple[uuid.UUID, str]]:
        """Leftmost-longest: at each word, the longest label starting there, then on past
        it. A word may follow its lower-case and its as-written branch, so the walk keeps
        the few nodes it is at."""
        words = _words(text)
        keys = [_keys(word.group()) for word in words]
        root = self._trie
        found: list[tuple[uuid.UUID, str]] = []
        start, count = 0, len(keys)
        while start < count:
            nodes = [child for key in keys[start] if (child := root.get(key)) is not None]
            end, skill_id = start, None
            position = start + 1
            while nodes:
                ending = next((node[_END] for node in nodes if _END in node), None)
                if ending is not None:
                    end, skill_id = position, ending
                if position == count:
                    break
                following = keys[position]
                nodes = [
                    child
                    for node in nodes
                    for key in following
                    if (child := node.get(key)) is not None
                ]
                position += 1
            if skill_id is None:
                start += 1
                continue
            found.append((skill_id, text[words[start].start() : words[end - 1].end()]))
            start = end
        return found


def exact_linker(session: Session, framework: Framework) -> SkillLinker:
    """The default: the framework's skills (not its groups) with every label, read once."""
    return ExactLinker(repo.skill_labels(session, framework.id))


class ModelLinker(SkillLinker):
    """The exact linker's findings, then the skill-intelligence linker's for the title and
    text together: a skill written out keeps its ``LISTED`` or ``LABEL`` match, and the
    model adds what is named in other words as ``MODEL``."""

    def __init__(self, exact: ExactLinker, model: intelligence_service.TextLinker) -> None:
        self._exact = exact
        self._model = model
        self.name = f"exact-label-v1+{model.name}"

    def link(self, posting: PostingText) -> list[Match]:
        found = self._exact.link(posting)
        seen = {match.skill_id for match in found}
        text = "\n".join(part for part in (posting.title, posting.text) if part.strip())
        for suggestion in self._model.suggest(text):
            if suggestion.concept_id not in seen:
                seen.add(suggestion.concept_id)
                found.append(
                    Match(suggestion.concept_id, SkillMatch.MODEL, suggestion.quote[:SPAN_LENGTH])
                )
        return found


def model_linker(session: Session, framework: Framework) -> SkillLinker:
    """The default: exact matches and the skill-intelligence linker. A framework whose
    embeddings were never built is refused with the command that builds them."""
    return ModelLinker(
        ExactLinker(repo.skill_labels(session, framework.id)),
        intelligence_service.text_linker(session, framework),
    )
