"""JSON-LD processing offline: contexts come from copies shipped with the package.

A verifier that fetches contexts at run time can be made to read whatever an attacker
serves at a context URL, and breaks when the network does. Cairn loads only the contexts
in ``contexts/index.json`` (each with its licence beside it) and refuses any other URL
unless the caller passes extra documents explicitly (decision 0031)."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from pyld import jsonld

from cairn.credentials import rdfc

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

    pyld may keep references to what a loader returns, so each call hands out a copy.
    The contexts processed from what this loader serves are kept with it (``contexts``),
    never shared with another loader, which may serve other documents at the same URLs."""

    def __init__(self, extra: Mapping[str, JsonObject] | None = None) -> None:
        self._documents = {**shipped_contexts(), **(extra or {})}
        self.contexts = rdfc.ContextTree(self)

    def __call__(self, url: str, options: object = None) -> JsonObject:
        document = self._documents.get(url)
        if document is None:
            raise UnknownContext(url)
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(document)}


OFFLINE = DocumentLoader()

_PYLD = threading.Lock()
"""pyld keeps module-wide caches that are not safe across threads (the web app verifies in
a thread pool); its pure-Python work holds the GIL anyway, so taking turns costs nothing."""


def as_list(value: Any) -> list[Any]:
    """JSON-LD lets one value stand for a list of one; absent is an empty list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def canonical_nquads(document: Mapping[str, Any], loader: DocumentLoader = OFFLINE) -> str:
    """RDF Dataset Canonicalization (RDFC-1.0, which pyld calls URDNA2015) as N-Quads.

    ``rdfc`` gives pyld's output byte for byte about ten times faster for the documents
    credentials are made of; pyld itself takes any other (and reports any error)."""
    fast = rdfc.canonical_nquads(document, loader.contexts)
    return fast if fast is not None else pyld_nquads(document, loader)


def pyld_nquads(document: Mapping[str, Any], loader: DocumentLoader = OFFLINE) -> str:
    """Canonical N-Quads by pyld alone: the reference the fast path is held to."""
    with _PYLD:
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


UNDEFINED_TERMS_VOCABULARY = "https://www.w3.org/ns/credentials/issuer-dependent#"
"""Where VC 2.0 sends terms no context defines; Cairn sends them there for VC 1.1 too."""


def undefined_terms(document: Mapping[str, Any], loader: DocumentLoader = OFFLINE) -> list[str]:
    """The terms and types in ``document`` that its contexts do not define.

    Expansion silently drops such terms (VC 1.1) or maps them to issuer-dependent IRIs
    (VC 2.0); either way a proof over the RDF says nothing about them. Expanding with the
    issuer-dependent vocabulary as the starting context makes both visible."""
    start = {"@vocab": UNDEFINED_TERMS_VOCABULARY}
    expanded = rdfc.expand(document, loader.contexts, start)
    if expanded is None:
        with _PYLD:
            expanded = jsonld.expand(
                dict(document), {"documentLoader": loader, "expandContext": start, "base": None}
            )
    found: set[str] = set()
    pending: list[Any] = [expanded]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key.startswith(UNDEFINED_TERMS_VOCABULARY):
                    found.add(key.removeprefix(UNDEFINED_TERMS_VOCABULARY))
                if key == "@type":
                    found.update(
                        kind.removeprefix(UNDEFINED_TERMS_VOCABULARY)
                        for kind in (value if isinstance(value, list) else [value])
                        if isinstance(kind, str) and kind.startswith(UNDEFINED_TERMS_VOCABULARY)
                    )
                elif key != "@value":
                    pending.append(value)
    return sorted(found)


def reason_of(error: jsonld.JsonLdError) -> str:
    """pyld's own sentence for why a document is not valid JSON-LD: its ``str`` is the
    argument tuple's repr followed by type, code and details, not for people to read."""
    return str(error.args[0])  # pyld always gives its message first


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
