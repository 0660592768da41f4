"""A set of concepts with their label vectors, computed once and kept on disk.

Vectors are stored per framework version and model under the data directory
(``embeddings/``, decision 0040) as float16, with the fingerprint of the texts they were
computed from: a file whose fingerprint differs is never used."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cairn.intelligence.concepts import Concept, fingerprint
from cairn.intelligence.embedders import Embedder, Vectors
from cairn.intelligence.lexical import LexicalIndex
from cairn.intelligence.text import folded
from cairn.kit.progress import NoProgress, Progress

CHUNK = 2048
"""Texts embedded between progress reports."""
COARSE_WIDTH = 64
"""Leading dimensions a first pass compares (WordLlama is trained to keep 64 meaningful)."""


@dataclass
class ConceptIndex:
    concepts: Sequence[Concept]
    embedder_name: str
    fingerprint: str
    labels: Vectors
    """One row per concept, its preferred label."""
    alts: Vectors
    """Alternative labels, grouped by concept: concept ``i`` owns rows
    ``alt_start[i]:alt_start[i + 1]``."""
    alt_start: npt.NDArray[np.int64]
    coarse_width: int = COARSE_WIDTH
    alt_owner: npt.NDArray[np.int64] = field(init=False)

    def __post_init__(self) -> None:
        self.alt_owner = np.repeat(
            np.arange(len(self.concepts), dtype=np.int64), np.diff(self.alt_start)
        )

    @cached_property
    def coarse_labels(self) -> Vectors:
        prefix = self.labels[:, : self.coarse_width]
        norms = np.linalg.norm(prefix, axis=1, keepdims=True)
        return np.ascontiguousarray(prefix / np.maximum(norms, 1e-12), dtype=np.float32)

    @cached_property
    def names(self) -> dict[str, list[tuple[int, int]]]:
        """Every name, case-folded with single spaces → the concepts it names, as
        ``(position, alternative)``; alternative -1 is the preferred label."""
        found: dict[str, list[tuple[int, int]]] = {}
        for position, concept in enumerate(self.concepts):
            for number, name in enumerate((concept.label, *concept.alt_labels)):
                found.setdefault(folded(name), []).append((position, number - 1))
        return found

    @cached_property
    def every_name(self) -> Vectors:
        """Labels then alternative labels in one matrix, for comparing a query with every
        name at once (job titles); ``name_owner`` says whose each row is."""
        return np.vstack([self.labels, self.alts]) if len(self.alts) else self.labels

    @cached_property
    def name_owner(self) -> npt.NDArray[np.int64]:
        return np.concatenate([np.arange(len(self.concepts), dtype=np.int64), self.alt_owner])

    @cached_property
    def lexical(self) -> LexicalIndex:
        return LexicalIndex([concept.label for concept in self.concepts])

    def __len__(self) -> int:
        return len(self.concepts)


def compute(
    concepts: Sequence[Concept],
    embedder: Embedder,
    progress: Progress | None = None,
    description: str = "",
) -> ConceptIndex:
    progress = progress or NoProgress()
    alt_texts = [alt for concept in concepts for alt in concept.alt_labels]
    texts = [concept.label for concept in concepts] + alt_texts
    progress.start(description, len(texts))
    vectors: list[Vectors] = []
    for start in range(0, len(texts), CHUNK):
        chunk = texts[start : start + CHUNK]
        vectors.append(embedder.embed(chunk))
        progress.advance(len(chunk))
    dimension = vectors[0].shape[1] if vectors else 0
    every = np.vstack(vectors) if vectors else np.zeros((0, dimension), np.float32)
    counts = [len(concept.alt_labels) for concept in concepts]
    return ConceptIndex(
        concepts=concepts,
        embedder_name=embedder.name,
        fingerprint=fingerprint(concepts, embedder.name),
        labels=every[: len(concepts)],
        alts=every[len(concepts) :],
        alt_start=np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).astype(np.int64),
    )


def save(index: ConceptIndex, path: Path) -> None:
    """Written under a temporary name and moved into place, so a reader never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(
                out,
                fingerprint=np.asarray(index.fingerprint),
                embedder=np.asarray(index.embedder_name),
                labels=index.labels.astype(np.float16),
                alts=index.alts.astype(np.float16),
                alt_start=index.alt_start,
            )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def is_current(path: Path, concepts: Sequence[Concept], embedder_name: str) -> bool:
    """Whether the file holds vectors of exactly these texts for this model; reads the
    fingerprint alone, not the vectors."""
    if not path.is_file():
        return False
    with np.load(path) as stored:
        return str(stored["fingerprint"]) == fingerprint(concepts, embedder_name)


def load(path: Path, concepts: Sequence[Concept], embedder_name: str) -> ConceptIndex | None:
    """The stored vectors of these concepts for this model, or None when there are none
    or they were computed from other texts."""
    if not path.is_file():
        return None
    expected = fingerprint(concepts, embedder_name)
    with np.load(path) as stored:
        if str(stored["fingerprint"]) != expected:
            return None
        return ConceptIndex(
            concepts=concepts,
            embedder_name=embedder_name,
            fingerprint=expected,
            labels=stored["labels"].astype(np.float32),
            alts=stored["alts"].astype(np.float32),
            alt_start=stored["alt_start"].astype(np.int64),
        )
