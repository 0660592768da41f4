"""Measuring the linker on public benchmarks, so its quality is shown, not claimed.

``sentence-skills`` reads Decorte et al.'s format (``sentence,span,sub_span,label``):
UNDERSPECIFIED and LABEL NOT PRESENT rows are dropped, rows are grouped by sentence, and
every label of the candidate file is ranked for each sentence. ``title-occupation`` reads
``vacancyTitle,conceptUri`` and ranks a framework's occupations for each title."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cairn.intelligence.errors import EvaluationFileError
from cairn.intelligence.linker import best_positions
from cairn.kit.i18n import lazy_gettext
from cairn.kit.progress import NoProgress, Progress

DROPPED_LABELS = frozenset({"UNDERSPECIFIED", "LABEL NOT PRESENT"})
SENTENCE_COLUMNS = ("sentence", "label")
TITLE_COLUMNS = ("vacancyTitle", "conceptUri")


@dataclass(frozen=True)
class Query:
    text: str
    gold: frozenset[str]


@dataclass(frozen=True)
class RankingReport:
    queries: int
    at: dict[int, float]
    """RP@k (sentence skills) or accuracy@k (titles), a rate from 0 to 1."""
    mrr: float
    gold_missing: int = 0
    """Gold answers that are not among the candidates: they count as misses."""
    notes: list[str] = field(default_factory=list)


def _rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """The file's rows with their line numbers, or a refusal naming the file and line."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise EvaluationFileError(
            lazy_gettext("%(file)s cannot be read: %(reason)s", file=path, reason=error.strerror)
        ) from error
    except UnicodeDecodeError as error:
        raise EvaluationFileError(lazy_gettext("%(file)s is not UTF-8 text.", file=path)) from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [column for column in columns if column not in header]
    if missing:
        raise EvaluationFileError(
            lazy_gettext(
                "%(file)s:1: the header must name the columns %(wanted)s; missing %(missing)s "
                "(found: %(found)s).",
                file=path,
                wanted=", ".join(columns),
                missing=", ".join(missing),
                found=", ".join(header) or "nothing",
            )
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        line = reader.line_num
        for column in columns:
            if not (row.get(column) or "").strip():
                raise EvaluationFileError(
                    lazy_gettext(
                        "%(file)s:%(line)s: column %(column)s is empty.",
                        file=path,
                        line=line,
                        column=column,
                    )
                )
        rows.append((line, row))
    if not rows:
        raise EvaluationFileError(lazy_gettext("%(file)s has a header but no rows.", file=path))
    return rows


def read_sentence_skills(path: Path) -> list[Query]:
    grouped: dict[str, set[str]] = {}
    for _, row in _rows(path, SENTENCE_COLUMNS):
        sentence, label = row["sentence"].strip(), row["label"].strip()
        labels = grouped.setdefault(sentence, set())
        if label not in DROPPED_LABELS:
            labels.add(label)
    return [Query(sentence, frozenset(labels)) for sentence, labels in grouped.items() if labels]


def read_titles(path: Path) -> list[Query]:
    grouped: dict[str, set[str]] = {}
    for _, row in _rows(path, TITLE_COLUMNS):
        grouped.setdefault(row["vacancyTitle"].strip(), set()).add(row["conceptUri"].strip())
    return [Query(title, frozenset(uris)) for title, uris in grouped.items()]


def read_labels(path: Path) -> list[str]:
    """One label a line; blank lines and repeats are skipped."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise EvaluationFileError(
            lazy_gettext("%(file)s cannot be read: %(reason)s", file=path, reason=error.strerror)
        ) from error
    except UnicodeDecodeError as error:
        raise EvaluationFileError(lazy_gettext("%(file)s is not UTF-8 text.", file=path)) from error
    labels = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    if not labels:
        raise EvaluationFileError(lazy_gettext("%(file)s holds no labels.", file=path))
    return labels


def r_precision_at(ranked: Sequence[str], gold: frozenset[str], k: int) -> float:
    """Hits in the top ``k`` over the most there could be, ``min(k, len(gold))``."""
    hits = sum(1 for candidate in ranked[:k] if candidate in gold)
    return hits / min(k, len(gold))


def hit_at(ranked: Sequence[str], gold: frozenset[str], k: int) -> float:
    return 1.0 if any(candidate in gold for candidate in ranked[:k]) else 0.0


def reciprocal_rank(ranked: Sequence[str], gold: frozenset[str]) -> float:
    for place, candidate in enumerate(ranked, start=1):
        if candidate in gold:
            return 1 / place
    return 0.0


Metric = Callable[[Sequence[str], frozenset[str], int], float]
DEPTH = 100
"""Candidates read per query: MRR below rank 100 is under 0.01."""


def evaluate(
    queries: Sequence[Query],
    candidates: Sequence[str],
    scores: Callable[[str], npt.NDArray[np.float32]],
    *,
    cutoffs: Sequence[int],
    metric: Metric,
    progress: Progress | None = None,
    description: str = "",
) -> RankingReport:
    """Ranks every candidate for each query and averages the metric at each cutoff and
    the reciprocal rank; ``candidates[i]`` is the answer that ``scores(...)[i]`` scores."""
    progress = progress or NoProgress()
    progress.start(description, len(queries))
    known = set(candidates)
    totals = dict.fromkeys(cutoffs, 0.0)
    reciprocal = 0.0
    for query in queries:
        ranked = [candidates[i] for i in best_positions(scores(query.text), DEPTH)]
        for k in cutoffs:
            totals[k] += metric(ranked, query.gold, k)
        reciprocal += reciprocal_rank(ranked, query.gold)
        progress.advance()
    count = len(queries)
    return RankingReport(
        queries=count,
        at={k: total / count if count else 0.0 for k, total in totals.items()},
        mrr=reciprocal / count if count else 0.0,
        gold_missing=sum(1 for query in queries for answer in query.gold if answer not in known),
    )
