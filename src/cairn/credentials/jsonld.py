"""JSON-LD processing offline: contexts come from copies shipped with the package.

A verifier that fetches contexts at run time can be made to read whatever an attacker
serves at a context URL, and breaks when the network does. Cairn loads only the contexts
in ``contexts/index.json`` (each with its licence beside it) and refuses any other URL
unless the caller passes extra documents explicitly (decision 0031)."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from pyld import jsonld

JsonObject = dict[str, Any]


class UnknownContext(ValueError):
    """A document names a context that is not shipped and was not supplied."""

    def __init__(self, url: str) -> None:
        super().__init__(f"the JSON-LD context {url} is not known to Cairn, so it was not loaded")
        self.url = url


@cache
def shipped_contexts() -> Mapping[str, JsonObject]:
    """Every shipped context document by URL, parsed once per process."""
    folder = resources.files("cairn.credentials").joinpath("contexts")
    index: dict[str, dict[str, str]] = json.loads(folder.joinpath("index.json").read_text("utf-8"))
    return {
        url: json.loads(folder.joinpath(entry["file"]).read_text("utf-8"))
        for url, entry in index.items()
    }


class DocumentLoader:
    """A pyld document loader over the shipped contexts and any ``extra`` documents.

    pyld may keep references to what a loader returns, so each call hands out a copy;
    the processed contexts themselves are cached by pyld's own context resolver."""

    def __init__(self, extra: Mapping[str, JsonObject] | None = None) -> None:
        self._documents = {**shipped_contexts(), **(extra or {})}

    def __call__(self, url: str, options: object = None) -> JsonObject:
        document = self._documents.get(url)
        if document is None:
            raise UnknownContext(url)
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(document)}


OFFLINE = DocumentLoader()


def canonical_nquads(document: Mapping[str, Any], loader: DocumentLoader = OFFLINE) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0, which pyld calls URDNA2015) as N-Quads."""
    result: str = jsonld.normalize(
        dict(document),
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": loader,
            "base": None,
        },
    )
    return result


def unknown_context_of(error: BaseException) -> UnknownContext | None:
    """pyld wraps a loader's exception in its own; find ours inside it."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, UnknownContext):
            return seen
        details = getattr(seen, "details", None)
        cause = details.get("cause") if isinstance(details, dict) else None
        seen = cause if isinstance(cause, BaseException) else seen.__cause__
    return None
