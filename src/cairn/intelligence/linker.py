"""Ranking concepts for a piece of text: retrieve by meaning and by words, then rerank.

For one sentence, every concept gets
  ``sentence`` the cosine of the whole sentence and the concept's label,
  ``window``   the best cosine of any run of one to three words of it and the label,
  ``lexical``  BM25 of the sentence against the label, scaled so the best is 1,
and the first score is their sum, with the lexical part weighted 0.3. The top 50 are then
reranked with the concept's alternative labels: where one of them fits the sentence or a
window better than the preferred label does, half the difference is added, and a name
written word for word in the text counts in full (it is a mention). A skill is
rarely the subject of a whole sentence but usually named in a few words of it, which is
why the windows matter; alternative labels hold the synonyms people actually write.

The weights were chosen on the dev splits of Decorte et al.'s benchmark only (decision
0040); ``benchmarks/skill_linking.py`` shows each part alone and together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from cairn.intelligence.embedders import Embedder
from cairn.intelligence.errors import EmptyText
from cairn.intelligence.index import ConceptIndex
from cairn.intelligence.text import Piece, folded, sentences, windows, words
from cairn.kit.i18n import lazy_gettext

LONGEST_WINDOW = 3
LEXICAL_WEIGHT = 0.3
RERANK_DEPTH = 50
SHORTLIST = 300
"""Concepts whose window scores are computed again at full width."""
ALT_LABEL_WEIGHT = 0.5
VERBATIM = 0.995
"""A window this close to a label has the label's own words."""
PER_SENTENCE = 3
WORDS_PER_FINDING = 4
MAX_TEXT_CHARS = 100_000
"""About 40 pages: a CV or a job ad is far shorter; longer input is refused, not cut."""


@dataclass(frozen=True)
class Ranked:
    position: int
    """The concept's place in the index."""
    score: float
    span: Piece
    """The words of the text that fit the concept best."""
    matched_label: str
    """The label (preferred or alternative) those words fit."""


@dataclass(frozen=True)
class _Dense:
    queries: npt.NDArray[np.float32]
    """The sentence's vector, then each window's."""
    sentence: npt.NDArray[np.float32]
    window: npt.NDArray[np.float32]
    best_window: npt.NDArray[np.int64]
    """Each concept's best window, where the full-width pass found it (else -1)."""
    coarse: npt.NDArray[np.float32] | None = None
    """The first pass's similarities, concepts by queries."""

    @classmethod
    def none(cls, count: int) -> _Dense:
        zeros = np.zeros(count, dtype=np.float32)
        return cls(np.zeros((0, 0), np.float32), zeros, zeros, np.full(count, -1, np.int64))

    def window_of(self, position: int) -> int:
        """The best window of a concept, read from the first pass when the second
        did not see it (the explanation only)."""
        found = int(self.best_window[position])
        if found < 0 and self.coarse is not None:
            found = int(self.coarse[position, 1:].argmax())
        return found


@dataclass(frozen=True)
class Scored:
    """Every concept's score for one sentence, and the reranked head with explanations."""

    scores: npt.NDArray[np.float32]
    head: list[Ranked]


def checked_text(text: object) -> str:
    """The text a person gave, or a clear refusal: empty, binary or too long."""
    if not isinstance(text, str):
        raise EmptyText(lazy_gettext("The text must be plain text."))
    if "\x00" in text:
        raise EmptyText(lazy_gettext("The text looks like a binary file, not plain text."))
    if not any(character.isalnum() for character in text):
        raise EmptyText(lazy_gettext("The text is empty: give a sentence or more to read."))
    if len(text) > MAX_TEXT_CHARS:
        raise EmptyText(
            lazy_gettext(
                "The text is longer than %(limit)s characters; split it into parts.",
                limit=f"{MAX_TEXT_CHARS:,}",
            )
        )
    return text


class Linker:
    def __init__(
        self,
        index: ConceptIndex,
        embedder: Embedder,
        *,
        use_windows: bool = True,
        use_lexical: bool = True,
        use_dense: bool = True,
        use_alt_labels: bool = True,
    ) -> None:
        """The switches exist for the benchmark, which measures each part alone."""
        self.index = index
        self._embedder = embedder
        self._windows = use_windows and use_dense
        self._lexical = use_lexical
        self._dense = use_dense
        self._alts = use_alt_labels and use_dense and len(index.alts) > 0

    def score(self, text: str, sentence: Piece) -> Scored:
        index = self.index
        count = len(index)
        total = np.zeros(count, dtype=np.float32)
        if self._lexical:
            total += LEXICAL_WEIGHT * index.lexical.scores(text[sentence.start : sentence.end])
        spans: list[Piece] = []
        dense = _Dense.none(count)
        if self._dense:
            if self._windows:
                spans = windows(text, words(text, sentence), LONGEST_WINDOW)
            queries = self._embedder.embed_pieces(text, [sentence, *spans])
            dense = self._dense_scores(queries, total)
            total += dense.sentence + dense.window
        depth = min(RERANK_DEPTH, count)
        if depth == 0:
            return Scored(total, [])
        head = np.argpartition(-total, depth - 1)[:depth]
        alt_choice: dict[int, tuple[int, int]] = {}
        if self._alts:
            written: dict[int, tuple[int, int]] = {}
            for row, piece in enumerate(spans):
                for position, alt in index.names.get(folded(text[piece.start : piece.end]), ()):
                    written.setdefault(position, (row, alt))
            bonus, alt_choice = self._alt_bonus(head, dense, written)
            total[head] += bonus
        ranked: list[Ranked] = []
        for slot, position in enumerate(head.tolist()):
            concept = index.concepts[position]
            span, label = sentence, concept.label
            if slot in alt_choice:
                row, alt = alt_choice[slot]
                span = sentence if row == 0 else spans[row - 1]
                label = concept.alt_labels[alt] if alt >= 0 else concept.label
            elif spans and dense.window[position] > dense.sentence[position]:
                span = spans[dense.window_of(position)]
            ranked.append(Ranked(position, float(total[position]), span, label))
        ranked.sort(key=lambda item: -item.score)
        return Scored(total, ranked)

    def _dense_scores(
        self, queries: npt.NDArray[np.float32], so_far: npt.NDArray[np.float32]
    ) -> _Dense:
        """The sentence's and the best window's cosine with every label, in two passes:
        all labels against the vectors' first dimensions (the model is trained so that a
        prefix of its vector is itself an embedding), then the shortlist again at full
        width. The second pass fixes the score of every concept that can reach the head."""
        index = self.index
        count = len(index)
        if queries.shape[0] == 1:  # the sentence alone: one product, no need to shortlist
            sentence_only = index.labels @ queries[0]
            zeros = np.zeros(count, dtype=np.float32)
            return _Dense(queries, sentence_only, zeros, np.full(count, -1, dtype=np.int64))
        prefix = queries[:, : index.coarse_width]
        prefix = prefix / np.maximum(np.linalg.norm(prefix, axis=1, keepdims=True), 1e-12)
        similarity = index.coarse_labels @ prefix.T  # concepts by queries: rows contiguous
        sentence = np.ascontiguousarray(similarity[:, 0])
        window = similarity[:, 1:].max(axis=1)
        depth = min(SHORTLIST, count)
        shortlist = np.argpartition(-(so_far + sentence + window), depth - 1)[:depth]
        exact = index.labels[shortlist] @ queries.T
        sentence[shortlist] = exact[:, 0]
        best_exact = exact[:, 1:].argmax(axis=1)
        window[shortlist] = exact[np.arange(depth), best_exact + 1]
        best_window = np.full(count, -1, dtype=np.int64)
        best_window[shortlist] = best_exact
        return _Dense(queries, sentence, window, best_window, similarity)

    def _alt_bonus(
        self, head: npt.NDArray[np.int64], dense: _Dense, written: dict[int, tuple[int, int]]
    ) -> tuple[npt.NDArray[np.float32], dict[int, tuple[int, int]]]:
        """How much better the concept's alternative labels fit than its preferred label:
        the sentence and the best window are each compared with every name the concept
        has, and the gains are weighted by ``ALT_LABEL_WEIGHT``; a name written out in the
        text (``written``: concept → its window and name) is a mention and counts in full.
        Also which words and which alternative (-1: the preferred label) explain it."""
        index = self.index
        starts, ends = index.alt_start[head], index.alt_start[head + 1]
        widths = ends - starts
        bonus = np.zeros(len(head), dtype=np.float32)
        chosen: dict[int, tuple[int, int]] = {}
        if widths.sum() > 0:
            group = np.repeat(np.arange(len(head)), widths)
            rows = np.arange(len(group)) - np.repeat(np.cumsum(widths) - widths, widths)
            rows += np.repeat(starts, widths)
            similarity = dense.queries @ index.alts[rows].T  # queries by alternative labels
            sentence_fit = similarity[0]
            best_row = similarity[1:].argmax(axis=0) + 1 if len(similarity) > 1 else None
            window_fit = (
                similarity[best_row, np.arange(len(rows))] if best_row is not None else None
            )
            own_sentence = np.full(len(head), -np.inf, dtype=np.float32)
            np.maximum.at(own_sentence, group, sentence_fit)
            gain = np.maximum(0.0, own_sentence - dense.sentence[head])
            window_gain = np.zeros(len(head), dtype=np.float32)
            best_alt = np.full(len(head), -1, dtype=np.int64)
            if window_fit is not None:
                own_window = np.full(len(head), -np.inf, dtype=np.float32)
                np.maximum.at(own_window, group, window_fit)
                window_gain = np.maximum(0.0, own_window - dense.window[head])
                tops = np.nonzero(window_fit >= own_window[group])[0]
                slots, first = np.unique(group[tops], return_index=True)
                best_alt[slots] = tops[first]
            bonus = (ALT_LABEL_WEIGHT * (gain + window_gain)).astype(np.float32)
            offsets = np.cumsum(widths) - widths
            for slot in np.nonzero(gain + window_gain > 0)[0].tolist():
                if window_gain[slot] > 0 and best_row is not None:
                    alt = int(best_alt[slot])
                    chosen[slot] = (int(best_row[alt]), alt - int(offsets[slot]))
                else:
                    local = slice(int(offsets[slot]), int(offsets[slot] + widths[slot]))
                    chosen[slot] = (0, int(sentence_fit[local].argmax()))
        for slot, position in enumerate(head.tolist()):
            mention = written.get(position)
            if mention is not None:
                bonus[slot] = max(0.0, 1.0 - float(dense.window[position]))
                chosen[slot] = (mention[0] + 1, mention[1])
        return bonus, chosen

    def rank(self, text: str) -> npt.NDArray[np.float32]:
        """Every concept's score for a text read as one sentence (the benchmark's task)."""
        return self.score(text, Piece(0, len(text))).scores

    def link(self, text: str, top: int) -> list[Ranked]:
        """The concepts a text names: each sentence's best few (one more for every four
        words, since a long sentence lists more), one concept per quoted span so that
        "French" does not also bring "write French" and "understand written French", then
        the best overall. A concept found in several sentences keeps its best finding."""
        text = checked_text(text)
        found: dict[int, Ranked] = {}
        for sentence in sentences(text):
            allowed = max(PER_SENTENCE, len(words(text, sentence)) // WORDS_PER_FINDING)
            spans: set[Piece] = set()
            kept_here = 0
            for ranked in self.score(text, sentence).head:
                if kept_here == allowed:
                    break
                if ranked.span in spans:
                    continue
                spans.add(ranked.span)
                kept_here += 1
                kept = found.get(ranked.position)
                if kept is None or ranked.score > kept.score:
                    found[ranked.position] = ranked
        return sorted(found.values(), key=lambda item: -item.score)[:top]


TITLE_LEXICAL_WEIGHT = 0.3
TITLE_WINDOW_WEIGHT = 0.5
"""Half: a window of a title ("driver") often names a broader or other occupation."""
EXACT_TITLE_BONUS = 1.0
"""A title that is word for word an occupation's label or alternative title names it."""


@dataclass(frozen=True)
class TitleMatch:
    position: int
    score: float
    matched_label: str


class TitleMatcher:
    """Job titles to occupations. Titles carry noise ("RN, nights", "Cook (m/f/d) -
    Leeds"), so, as for sentences, the whole title and each window of one to three words
    are compared, here with every name an occupation has (its label and all alternative
    titles: occupations are few enough to compare them all); plus BM25 on the label and a
    bonus for a title that is word for word one of its names."""

    def __init__(self, index: ConceptIndex, embedder: Embedder) -> None:
        self.index = index
        self._embedder = embedder

    def _best_by_concept(self, similarity: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        best = np.full(len(self.index), -1.0, dtype=np.float32)
        np.maximum.at(best, self.index.name_owner, similarity)
        return best

    def _scores(self, title: str) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Every occupation's score, and the title's own vector (to explain the best)."""
        whole = Piece(0, len(title))
        spans = windows(title, words(title, whole), LONGEST_WINDOW)
        queries = self._embedder.embed_pieces(title, [whole, *spans])
        similarity = self.index.every_name @ queries.T  # names by queries
        total = self._best_by_concept(similarity[:, 0])
        if spans:
            total += TITLE_WINDOW_WEIGHT * self._best_by_concept(similarity[:, 1:].max(axis=1))
        total += TITLE_LEXICAL_WEIGHT * self.index.lexical.scores(title)
        exact = self.index.names.get(folded(title))
        if exact:
            total[exact[0][0]] += EXACT_TITLE_BONUS
        return total, queries[0]

    def scores(self, title: str) -> npt.NDArray[np.float32]:
        return self._scores(title)[0]

    def match(self, title: str, top: int) -> list[TitleMatch]:
        total, query = self._scores(title)
        found: list[TitleMatch] = []
        for position in best_positions(total, top):
            concept = self.index.concepts[position]
            names = (concept.label, *concept.alt_labels)
            start, end = self.index.alt_start[position], self.index.alt_start[position + 1]
            fits = np.concatenate(
                [[self.index.labels[position] @ query], self.index.alts[start:end] @ query]
            )
            found.append(TitleMatch(position, float(total[position]), names[int(fits.argmax())]))
        return found


def best_positions(scores: npt.NDArray[np.float32], count: int) -> Sequence[int]:
    """The ``count`` best positions, best first."""
    count = min(count, len(scores))
    if count <= 0:
        return []
    head = np.argpartition(-scores, count - 1)[:count]
    ordered: list[int] = head[np.argsort(-scores[head], kind="stable")].tolist()
    return ordered
