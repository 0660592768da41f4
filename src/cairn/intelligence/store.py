"""Where concept vectors live: files under ``<data dir>/embeddings/``, one per framework
version, kind of concept and model, and a small in-process cache in front of them so a
request never reads them twice."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from pathlib import Path

from cairn.config import get_settings
from cairn.intelligence import index as concept_index
from cairn.intelligence.concepts import Concept
from cairn.intelligence.embedders import Embedder
from cairn.intelligence.index import ConceptIndex
from cairn.kit.progress import Progress

KEPT_IN_MEMORY = 4
"""Indexes held at once: a framework's skills and occupations, and the eval's labels."""

_cache: OrderedDict[Hashable, ConceptIndex] = OrderedDict()
_lock = threading.Lock()


def directory() -> Path:
    return get_settings().data_dir / "embeddings"


def file_name(*parts: str) -> str:
    return "-".join(re.sub(r"[^A-Za-z0-9.]+", "_", part) for part in parts) + ".npz"


def cached(key: Hashable) -> ConceptIndex | None:
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
        return found


def remember(key: Hashable, index: ConceptIndex) -> ConceptIndex:
    with _lock:
        _cache[key] = index
        _cache.move_to_end(key)
        while len(_cache) > KEPT_IN_MEMORY:
            _cache.popitem(last=False)
    return index


def stored(name: str, concepts: Sequence[Concept], embedder: Embedder) -> ConceptIndex | None:
    return concept_index.load(directory() / name, concepts, embedder.name)


def is_current(name: str, concepts: Sequence[Concept], embedder: Embedder) -> bool:
    return concept_index.is_current(directory() / name, concepts, embedder.name)


def build(
    name: str,
    concepts: Sequence[Concept],
    embedder: Embedder,
    progress: Progress,
    description: str,
) -> ConceptIndex:
    built = concept_index.compute(concepts, embedder, progress, description)
    concept_index.save(built, directory() / name)
    return built
