"""BM25 over preferred labels (``bm25s``): the lexical half of retrieval.

Only preferred labels are indexed: on the dev sets, adding alternative labels or
descriptions to the BM25 documents lowered RP@5 by 10 to 15 points (decision 0040);
alternative labels take part through the embeddings instead."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import bm25s
import numpy as np
import numpy.typing as npt

_TOKEN = re.compile(r"\w+")
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets itself to DEBUG on import


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


class LexicalIndex:
    def __init__(self, documents: Sequence[str]) -> None:
        self._size = len(documents)
        self._bm25 = bm25s.BM25()
        self._bm25.index([tokens(document) for document in documents], show_progress=False)
        self._vocabulary: dict[str, int] = self._bm25.vocab_dict

    def scores(self, query: str) -> npt.NDArray[np.float32]:
        """Scaled so the best document scores 1: BM25's raw scale grows with the query's
        length, and the linker adds it to cosine similarities."""
        known = [token for token in tokens(query) if token in self._vocabulary]
        if not known:
            return np.zeros(self._size, dtype=np.float32)
        raw = np.asarray(self._bm25.get_scores(known), dtype=np.float32)
        best = float(raw.max())
        return raw / best if best > 0 else raw
