"""Cutting free text into the pieces the linker ranks: sentences, words and short word
windows, each kept as character offsets so a match can quote the words it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(
    r"(?<=[.!?;])\s+(?=[A-Z0-9(\"'\u2018\u201c])|\s*\n\s*|\s+[\u2022\u25cf\u25aa\u2013\u2014*-]\s+"
)
"""A break after sentence punctuation before a capital, at a line break, or at a bullet:
job ads and CVs are mostly lists, and each item names its own skills."""
_WORD = re.compile(r"[\w+#][\w+#.'\u2019-]*[\w+#]|[\w+#]")
"""Letters and digits with inner dots, hyphens and apostrophes (``Node.js``, ``full-stack``)
and the ``+``/``#`` of ``C++`` and ``C#``."""
_BULLET = re.compile(r"^[\u2022\u25cf\u25aa*\u2013\u2014-]+\s*")
"""A list item's marker, which is not part of what it says."""
MIN_SENTENCE_CHARS = 3
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "nor",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "without",
        "into",
        "onto",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "we",
        "you",
        "i",
        "he",
        "she",
        "it",
        "they",
        "our",
        "your",
        "their",
        "its",
        "my",
        "his",
        "her",
        "this",
        "that",
        "these",
        "those",
        "who",
        "which",
        "what",
        "when",
        "where",
        "how",
        "than",
        "then",
        "so",
        "such",
        "not",
        "no",
        "very",
        "also",
        "etc",
    ]
)
"""English words that never begin or end a skill's name."""


@dataclass(frozen=True)
class Piece:
    """A stretch of the text: ``text[start:end]``."""

    start: int
    end: int


def folded(text: str) -> str:
    """A name or a run of words as compared word for word: case-folded, single spaces."""
    return " ".join(text.casefold().split())


def sentences(text: str) -> list[Piece]:
    """The sentences, list items and lines of a text, without empty ones."""
    pieces: list[Piece] = []
    start = 0
    for cut in [*_SENTENCE_END.finditer(text), None]:
        end = len(text) if cut is None else cut.start()
        chunk = text[start:end]
        stripped = _BULLET.sub("", chunk.strip())
        if len(stripped) >= MIN_SENTENCE_CHARS:
            offset = start + chunk.index(stripped)
            pieces.append(Piece(offset, offset + len(stripped)))
        if cut is not None:
            start = cut.end()
    return pieces


def words(text: str, within: Piece) -> list[Piece]:
    return [
        Piece(within.start + match.start(), within.start + match.end())
        for match in _WORD.finditer(text[within.start : within.end])
    ]


def windows(text: str, word_pieces: list[Piece], longest: int) -> list[Piece]:
    """Every run of one to ``longest`` consecutive words that neither starts nor ends with
    a function word: a skill is usually named in a few words inside a longer sentence, and
    the run that names it is its explanation. ``of the`` or ``and`` name nothing."""
    content = [text[piece.start : piece.end].lower() not in FUNCTION_WORDS for piece in word_pieces]
    found: list[Piece] = []
    for length in range(1, longest + 1):
        for first in range(len(word_pieces) - length + 1):
            last = first + length - 1
            if content[first] and content[last]:
                found.append(Piece(word_pieces[first].start, word_pieces[last].end))
    return found
