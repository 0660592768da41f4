"""RDF Dataset Canonicalization (RDFC-1.0) of JSON-LD credentials, fast and byte for byte
what pyld gives.

pyld spends most of a credential's canonicalisation processing the same two or three
shipped contexts again (hundreds of term definitions, every time) and the rest in generic
code paths: about 5 ms for an Open Badge, so a verifier managed ~130 a second. Here the
processed contexts are kept, one tree per document loader, and the rest of the pipeline --
expansion, the node map, RDF and RDFC-1.0 with its n-degree hashing -- is a port of
pyld's own algorithms narrowed to what credentials use, so the output is pyld's byte for
byte (tests compare the two over a varied and a random corpus). Context processing itself
is still pyld's, called once per context and loader.

Anything outside that narrow path -- framing keywords, ``@reverse``, ``@nest``,
``@included``, ``@index``, ``@direction``, language/index/id/type maps, and any document
pyld would reject -- raises :class:`Unsupported`, and the caller hands the document to
pyld, which gives the answer (or the error) as before."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Hashable, Mapping
from functools import lru_cache
from numbers import Integral, Real
from typing import Any

from pyld import jsonld
from pyld.canon import permutations
from pyld.context_resolver import ContextResolver

Loader = Callable[..., Any]
Quad = tuple[str, str, str, str]
"""Subject, predicate, object and graph as N-Quads terms; the graph is "" for the default."""

_KEYWORDS = frozenset(jsonld.KEYWORDS)
_KEYWORD_LIKE = re.compile(jsonld.KEYWORD_PATTERN)
_ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")
_DOUBLE_EXPONENT = re.compile(r"(\d)0*E\+?(-)?0*(\d)")

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = f"<{_RDF}type>"
_RDF_FIRST = f"<{_RDF}first>"
_RDF_REST = f"<{_RDF}rest>"
_RDF_NIL = f"<{_RDF}nil>"
_RDF_JSON = f"{_RDF}JSON"
_RDF_LANGSTRING = f"{_RDF}langString"
_XSD_BOOLEAN = f"{_XSD}boolean"
_XSD_DOUBLE = f"{_XSD}double"
_XSD_INTEGER = f"{_XSD}integer"
_XSD_STRING = f"{_XSD}string"

MAX_CONTEXTS = 256
"""Processed contexts kept per loader before the tree starts again: documents with their
own inline contexts must not grow it without end. Cairn's credentials need a few dozen."""
_MAX_TERMS = 1024
"""Terms, types and scoped contexts remembered per processed context; past it, worked out
each time. With ``MAX_CONTEXTS`` this bounds what a stream of odd documents can pin."""
_MAX_IDS = 256
"""Identifiers remembered per processed context: most are a learner's own, seen once."""


class Unsupported(Exception):
    """The document uses something the fast path leaves to pyld."""


@lru_cache(maxsize=4 * _MAX_TERMS)
def _is_absolute(value: str) -> bool:
    return _ABSOLUTE_IRI.match(value) is not None


def _expand_iri(raw: Mapping[str, Any], value: Any, vocab: bool) -> Any:
    """pyld's ``_expand_iri`` after context processing, with no document base."""
    if not isinstance(value, str) or value in _KEYWORDS:
        return value
    if _KEYWORD_LIKE.match(value):
        return None
    mappings = raw["mappings"]
    if vocab and value in mappings:
        mapping = mappings.get(value)
        return None if mapping is None else mapping["@id"]
    if value.find(":") > 0:
        prefix, suffix = value.split(":", 1)
        if prefix == "_" or suffix.startswith("//"):
            return value
        mapping = mappings.get(prefix)
        if mapping and mapping["_prefix"]:
            return mapping["@id"] + suffix
        if _is_absolute(value):
            return value
    if vocab and "@vocab" in raw:
        return raw["@vocab"] + value
    return value


class _Same:
    """A dictionary key that is one particular object (a scoped context in a term
    definition), holding it so its ``id`` is not reused while the key exists."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.value is self.value


class _Term:
    """What expansion needs to know about one key in one active context."""

    __slots__ = (
        "coerce",
        "direction",
        "graph",
        "language",
        "list",
        "maps",
        "prop",
        "reverse",
        "scoped",
    )

    def __init__(self, ctx: _Context, key: str | None) -> None:
        entry = ctx.mappings.get(key) if key is not None else None
        self.prop: Any = ctx.vocab(key)
        self.scoped: Any = None if entry is None else entry.get("@context")
        self.coerce: Any = None if entry is None else entry.get("@type")
        self.reverse = bool(entry and entry.get("reverse"))
        container = _arrayify(None if entry is None else entry.get("@container"))
        self.list = "@list" in container
        self.graph = "@graph" in container and "@id" not in container and "@index" not in container
        self.maps = any(kind in container for kind in ("@language", "@index", "@id", "@type"))
        # pyld's get_context_value for @language and @direction (a string value's tags)
        self.language: Any = None
        self.direction: Any = None
        if key is not None:
            self.language = ctx.raw.get("@language")
            self.direction = ctx.raw.get("@direction")
            if entry is not None:  # pyld keeps a definition, never None, for each term
                self.language = entry.get("@language", self.language)
                self.direction = entry.get("@direction", self.direction)


class _Context:
    """One processed active context with what has been worked out from it."""

    __slots__ = (
        "children",
        "iris",
        "mappings",
        "mode_11",
        "previous",
        "raw",
        "terms",
        "vocab_iris",
    )

    def __init__(self, raw: Mapping[str, Any], previous: _Context | None) -> None:
        self.raw = raw
        self.mappings: Mapping[str, Any] = raw["mappings"]
        self.previous = previous
        self.mode_11 = str(raw.get("processingMode")) >= "json-ld-1.1"
        self.vocab_iris: dict[str, Any] = {}
        self.iris: dict[str, Any] = {}
        self.terms: dict[str | None, _Term] = {}
        self.children: dict[Hashable, _Context] = {}

    def vocab(self, value: Any) -> Any:
        """A term, compact IRI or IRI as a property or type: against ``@vocab`` too."""
        if not isinstance(value, str):
            return value
        try:
            return self.vocab_iris[value]
        except KeyError:
            result = _expand_iri(self.raw, value, vocab=True)
            if len(self.vocab_iris) < _MAX_TERMS:
                self.vocab_iris[value] = result
            return result

    def iri(self, value: str) -> Any:
        """An ``@id``: compact IRIs expand, nothing is resolved against a base."""
        try:
            return self.iris[value]
        except KeyError:
            result = _expand_iri(self.raw, value, vocab=False)
            if len(self.iris) < _MAX_IDS:
                self.iris[value] = result
            return result

    def term(self, key: str | None) -> _Term:
        try:
            return self.terms[key]
        except KeyError:
            found = _Term(self, key)
            if len(self.terms) < _MAX_TERMS:
                self.terms[key] = found
            return found


class ContextTree:
    """The active contexts processed so far with one document loader, each kept with
    the contexts processed on top of it, so a context is processed once per loader.

    Lookups read plain dictionaries (atomic under the GIL); working out a missing
    context runs pyld under a lock, since pyld's own caches are not thread-safe. The
    tree is bounded and starts afresh past ``MAX_CONTEXTS``; a document being expanded
    keeps the contexts it already holds."""

    def __init__(self, loader: Loader) -> None:
        self._loader = loader
        self._lock = threading.Lock()
        self._processor = jsonld.JsonLdProcessor()
        self._reset()

    def __len__(self) -> int:
        """How many processed contexts are kept."""
        return len(self._by_raw)

    def _reset(self) -> None:
        self._by_raw: dict[int, _Context] = {}
        self.root = self._wrap(
            self._processor._get_initial_context({"processingMode": "json-ld-1.1"})
        )

    def _wrap(self, raw: Mapping[str, Any]) -> _Context:
        known = self._by_raw.get(id(raw))
        if known is not None and known.raw is raw:
            return known
        previous_raw = raw.get("previousContext")
        previous = None if previous_raw is None else self._wrap(previous_raw)
        context = _Context(raw, previous)
        self._by_raw[id(raw)] = context
        return context

    def child(
        self,
        parent: _Context,
        key: Hashable,
        local: Any,
        override_protected: bool = False,
        propagate: bool = True,
    ) -> _Context:
        """``local`` processed on top of ``parent`` (pyld's ``_process_context``). Two threads
        asking at once for a context not yet kept may both process it: the same answer, so
        the lock only guards the caches, not against the repeat."""
        memo_key = (key, override_protected, propagate)
        found = parent.children.get(memo_key)
        if found is not None:
            return found
        with self._lock:
            if len(self._by_raw) > MAX_CONTEXTS:
                self._reset()
            options = {
                "base": None,
                "documentLoader": self._loader,
                "contextResolver": ContextResolver({}, self._loader),
                "processingMode": "json-ld-1.1",
                "isFrame": False,
                "keepFreeFloatingNodes": False,
                "extractAllScripts": False,
            }
            raw = self._processor._process_context(
                parent.raw,
                local,
                options,
                override_protected=override_protected,
                propagate=propagate,
            )
            context = self._wrap(raw)
            if len(parent.children) < _MAX_TERMS:
                parent.children[memo_key] = context
            return context

    def scoped(
        self,
        parent: _Context,
        local: Any,
        override_protected: bool = False,
        propagate: bool = True,
    ) -> _Context:
        """A context from a term definition, known by identity: it belongs to a kept context."""
        return self.child(parent, _Same(local), local, override_protected, propagate)

    def embedded(self, parent: _Context, local: Any) -> _Context:
        """A document's own ``@context``, known by its JSON."""
        if isinstance(local, str):
            key: Hashable = local
        elif isinstance(local, list) and all(isinstance(item, str) for item in local):
            key = tuple(local)
        else:
            try:
                key = ("json", json.dumps(local, sort_keys=True, allow_nan=False))
            except (TypeError, ValueError) as error:
                raise Unsupported from error
        return self.child(parent, key, local)


def _identifier(value: Any) -> str:
    """An expanded ``@id``; pyld fails on one that came out null (``"@foo"``), so it may."""
    if not isinstance(value, str):
        raise Unsupported
    return value


def _arrayify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _strict_equal(first: Any, second: Any) -> bool:
    """pyld's value equality: True is not 1."""
    if isinstance(first, bool) or isinstance(second, bool):
        return type(first) is type(second) and first == second
    return bool(first == second)


def _same_value(first: Any, second: Any) -> bool:
    """pyld's ``compare_values``, which decides what the node map keeps once."""
    if first is second:
        return True
    if not isinstance(first, dict) or not isinstance(second, dict):
        return _strict_equal(first, second)  # @type IRIs (a dict is never equal to one)
    if "@value" in first and "@value" in second:
        return (
            first.get("@type") == second.get("@type")
            and first.get("@language") == second.get("@language")
            and first.get("@index") == second.get("@index")
            and _strict_equal(first["@value"], second["@value"])
        )
    identifier = first.get("@id")
    return identifier is not None and identifier == second.get("@id")


def _add_once(node: dict[str, Any], prop: str, value: Any) -> None:
    values = node.get(prop)
    if values is None:
        node[prop] = [value]
    elif not any(_same_value(existing, value) for existing in values):
        values.append(value)


def _add(parent: dict[str, Any], prop: str, value: Any, as_array: bool) -> None:
    """pyld's ``add_value`` with duplicates allowed."""
    if isinstance(value, list):
        if not value and as_array and prop not in parent:
            parent[prop] = []
        for item in value:
            _add(parent, prop, item, as_array)
    elif prop in parent:
        if not isinstance(parent[prop], list):
            parent[prop] = [parent[prop]]
        parent[prop].append(value)
    else:
        parent[prop] = [value] if as_array else value


class _Expansion:
    """pyld's expansion algorithm (``_expand``, ``_expand_object``, ``_expand_value``)
    for one document, without framing and without the features left to pyld."""

    __slots__ = ("tree",)

    def __init__(self, tree: ContextTree) -> None:
        self.tree = tree

    def document(self, document: Mapping[str, Any], start: Any = None) -> list[Any]:
        """pyld's ``expand``; ``start`` is its ``expandContext`` option."""
        ctx = self.tree.root if start is None else self.tree.embedded(self.tree.root, start)
        expanded = self.expand(ctx, None, dict(document))
        if isinstance(expanded, dict) and "@graph" in expanded and len(expanded) == 1:
            expanded = expanded["@graph"]
        elif expanded is None:
            expanded = []
        return _arrayify(expanded)

    def expand(
        self,
        ctx: _Context,
        active_property: str | None,
        element: Any,
        inside_list: bool = False,
        type_scoped: _Context | None = None,
    ) -> Any:
        if element is None:
            return None
        if type(element) is dict:
            return self.node(ctx, active_property, element, inside_list, type_scoped)
        if type(element) is list:
            inside_list = inside_list or ctx.term(active_property).list
            result: list[Any] = []
            for item in element:
                expanded = self.expand(ctx, active_property, item, inside_list, type_scoped)
                if inside_list and type(expanded) is list:
                    expanded = {"@list": expanded}
                if expanded is not None:
                    if type(expanded) is list:
                        result.extend(expanded)
                    else:
                        result.append(expanded)
            return result
        if type(element) not in (str, int, float, bool):
            raise Unsupported
        term = ctx.term(active_property)
        if not inside_list and (active_property is None or term.prop == "@graph"):
            return None
        return self.value(ctx, term, element)

    def node(
        self,
        ctx: _Context,
        active_property: str | None,
        element: dict[str, Any],
        inside_list: bool,
        type_scoped: _Context | None,
    ) -> Any:
        active = ctx.term(active_property)
        if type_scoped is None and ctx.previous is not None:
            type_scoped = ctx
        must_revert = True
        if type_scoped is not None and len(element) <= 2 and "@context" not in element:
            for key in sorted(element):
                expanded_key = type_scoped.vocab(key)
                if expanded_key == "@value":
                    must_revert = False
                    ctx = type_scoped
                    break
                if expanded_key == "@id" and len(element) == 1:
                    must_revert = False
                    break
        if must_revert and ctx.previous is not None:
            ctx = ctx.previous
        if active.scoped is not None:
            ctx = self.tree.scoped(ctx, active.scoped, override_protected=True)

        # pyld's _prepare_nested_context
        if "@context" in element:
            local = element["@context"]
            if isinstance(local, dict) and len(local) == 1 and "@context" in local:
                raise Unsupported
            ctx = self.tree.embedded(ctx, local)
        type_scoped = ctx
        keys = sorted(element)
        type_key = None
        for key in keys:
            if ctx.vocab(key) != "@type":
                continue
            type_key = type_key or key
            value = element[key]
            kinds = value if type(value) is list else [value]
            for kind in sorted(item for item in kinds if type(item) is str):
                scoped = type_scoped.term(kind).scoped
                if scoped is not None and scoped is not False:
                    ctx = self.tree.scoped(ctx, scoped, propagate=False)

        result: dict[str, Any] = {}
        self.entries(
            ctx, active_property, active.prop, element, keys, result, type_key, type_scoped
        )
        return self.finish(ctx, active_property, active.prop, element, result, inside_list)

    def entries(
        self,
        ctx: _Context,
        active_property: str | None,
        expanded_active_property: Any,
        element: dict[str, Any],
        keys: list[str],
        result: dict[str, Any],
        type_key: str | None,
        type_scoped: _Context,
    ) -> None:
        is_json_type = False
        if type_key is not None:
            kinds = element[type_key]
            first = kinds[0] if kinds and type(kinds) is list else kinds
            is_json_type = ctx.vocab(first) == "@json"

        for key in keys:
            if key == "@context":
                continue
            value = element[key]
            term = ctx.term(key)
            prop = term.prop
            if prop is None:
                continue
            if prop in _KEYWORDS:
                if expanded_active_property == "@reverse":
                    raise Unsupported
                if prop in result and prop != "@type":
                    raise Unsupported
                if prop == "@id":
                    if type(value) is not str:
                        raise Unsupported
                    result["@id"] = _identifier(ctx.iri(value))
                    continue
                if prop == "@type":
                    for kind in value if type(value) is list else [value]:
                        if type(kind) is not str:
                            raise Unsupported
                        expanded = type_scoped.vocab(kind)
                        if type(expanded) is not str:
                            raise Unsupported
                        _add(result, "@type", expanded, as_array=False)
                    continue
                if prop == "@value":
                    if not (is_json_type and ctx.mode_11) and isinstance(value, dict | list):
                        raise Unsupported
                    result["@value"] = value
                    continue
                if prop == "@language":
                    if value is None:
                        continue
                    if type(value) is not str:
                        raise Unsupported
                    result["@language"] = value.lower()
                    continue
                if prop == "@graph":
                    if not isinstance(value, dict | list):
                        raise Unsupported
                elif prop not in ("@list", "@set"):
                    raise Unsupported
            elif not _is_absolute(prop):
                continue

            term_ctx = ctx
            if term.scoped is not None:
                term_ctx = self.tree.scoped(ctx, term.scoped, override_protected=True)
            if term.maps and isinstance(value, dict):
                raise Unsupported
            is_list = prop == "@list"
            if is_list or prop == "@set":
                next_property = active_property
                if is_list and expanded_active_property == "@graph":
                    next_property = None
                expanded_value = self.expand(term_ctx, next_property, value, inside_list=is_list)
            elif term.coerce == "@json":
                expanded_value = {"@type": "@json", "@value": value}
            else:
                expanded_value = self.expand(term_ctx, key, value)
            if expanded_value is None:
                continue
            if (
                term.list
                and not is_list
                and not (type(expanded_value) is dict and "@list" in expanded_value)
            ):
                expanded_value = {"@list": _arrayify(expanded_value)}
            if term.graph:
                expanded_value = [{"@graph": [item]} for item in _arrayify(expanded_value)]
            if (term if term_ctx is ctx else term_ctx.term(key)).reverse:
                raise Unsupported
            _add(result, prop, expanded_value, as_array=True)

    def finish(
        self,
        ctx: _Context,
        active_property: str | None,
        expanded_active_property: Any,
        element: dict[str, Any],
        result: dict[str, Any],
        inside_list: bool,
    ) -> Any:
        """The checks and simplifications at the end of pyld's ``_expand``."""
        count = len(result)
        final: Any = result
        if count > 1 and ("@set" in result or "@list" in result):
            raise Unsupported  # pyld keeps such a node with no identifier, and may fail on it
        if "@value" in result:
            if "@type" in result and "@language" in result:
                raise Unsupported
            if count - 1 - ("@type" in result) - ("@language" in result) != 0:
                raise Unsupported
            if "@type" in result and any(
                ctx.vocab(key) == "@type" and type(value) is list for key, value in element.items()
            ):
                raise Unsupported
            values = _arrayify(result["@value"])
            kinds = _arrayify(result.get("@type", []))
            if ctx.mode_11 and "@json" in kinds and len(kinds) == 1:
                pass
            elif result["@value"] is None:
                final = None
            elif (
                "@language" in result
                and not all(isinstance(value, str) or value == {} for value in values)
            ) or not all(
                kind == {}
                or (isinstance(kind, str) and _is_absolute(kind) and not kind.startswith("_:"))
                for kind in kinds
            ):
                raise Unsupported
        elif "@type" in result:
            if type(result["@type"]) is not list:
                result["@type"] = [result["@type"]]
        elif "@set" in result:
            final = result["@set"]
            count = len(final)
        elif count == 1 and "@language" in result:
            final = None

        if (
            type(final) is dict
            and not inside_list
            and (active_property is None or expanded_active_property == "@graph")
            and (
                count == 0
                or "@value" in final
                or "@list" in final
                or (count == 1 and "@id" in final)
            )
        ):
            if "@list" in final:
                raise Unsupported  # pyld drops a free-floating list; keep its quirks its own
            final = None
        return final

    def value(self, ctx: _Context, term: _Term, value: Any) -> Any:
        """pyld's ``_expand_value`` for a string, number or boolean."""
        prop = term.prop
        if prop == "@id" or prop == "@type":
            # pyld gives the bare IRI, where only a value or node may stand, and then fails
            raise Unsupported
        kind = term.coerce
        if type(value) is str:
            if kind == "@id" or prop == "@graph":
                return {"@id": _identifier(ctx.iri(value))}
            if kind == "@vocab":
                return {"@id": _identifier(ctx.vocab(value))}
        if prop in _KEYWORDS:
            raise Unsupported  # pyld gives the bare value here too, and fails on it
        if kind is not None and kind not in ("@id", "@vocab", "@none"):
            return {"@type": kind, "@value": value}
        if type(value) is str:
            if term.direction is not None:
                raise Unsupported
            if term.language is not None:
                return {"@language": term.language, "@value": value}
        return {"@value": value}


def _canonical_double(value: Any) -> str:
    return _DOUBLE_EXPONENT.sub(r"\1E\2\3", f"{value:1.15E}")


def _is_integer(value: Any) -> bool:
    return isinstance(value, Integral) or (isinstance(value, Real) and float(value).is_integer())


def _is_double(value: Any) -> bool:
    return (
        not isinstance(value, Integral)
        and isinstance(value, Real)
        and not float(value).is_integer()
    )


def _escape(value: str) -> str:
    if not ("\\" in value or '"' in value or "\n" in value or "\r" in value or "\t" in value):
        return value
    return (
        value.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace('"', '\\"')
    )


def _literal(item: Mapping[str, Any]) -> str:
    """pyld's ``_object_to_rdf`` for a value object, serialised as its N-Quads term."""
    value = item["@value"]
    datatype = item.get("@type")
    if type(value) is str and "@language" not in item:  # the commonest: plain or typed text
        if not datatype or datatype in (_XSD_STRING, _RDF_LANGSTRING):
            return '"' + _escape(value) + '"'
        if datatype != "@json" and datatype != _XSD_DOUBLE:
            typed: str = '"' + _escape(value) + '"^^<' + datatype + ">"
            return typed
    language = None
    if type(value) is str and datatype != "@json" and datatype != _XSD_DOUBLE:
        text = value  # language-tagged: the other strings were written above
        datatype = datatype or _RDF_LANGSTRING
        language = item["@language"]
    elif datatype == "@json":
        text = jsonld.canonicalize(value).decode("utf-8")
        datatype = _RDF_JSON
    elif isinstance(value, bool):
        text = "true" if value else "false"
        datatype = datatype or _XSD_BOOLEAN
    elif _is_double(value):
        text = _canonical_double(value)
        datatype = datatype or _XSD_DOUBLE
    elif datatype == _XSD_DOUBLE:
        try:
            number = float(value)
        except (ValueError, TypeError):
            text = value
        else:
            text = _canonical_double(number)
    elif _is_integer(value) and abs(value) >= 1e21:
        text = _canonical_double(value)
        datatype = datatype or _XSD_DOUBLE
    elif _is_integer(value):
        text = str(int(value))
        datatype = datatype or _XSD_INTEGER
    elif "@language" in item:
        text = value
        datatype = datatype or _RDF_LANGSTRING
        language = item["@language"]
    else:
        text = value
        datatype = datatype or _XSD_STRING
    term = '"' + _escape(text) + '"'
    if datatype == _RDF_LANGSTRING:
        return term + "@" + language if language else term
    if datatype != _XSD_STRING:
        return term + "^^<" + datatype + ">"
    return term


class _Dataset:
    """pyld's node map and its conversion to RDF (``_create_node_map``,
    ``_graph_to_rdf``), giving quads of N-Quads terms."""

    __slots__ = ("graphs", "issued", "labels", "quads")

    def __init__(self) -> None:
        self.graphs: dict[str, dict[str, dict[str, Any]]] = {"@default": {}}
        self.labels: dict[str, str] = {}
        self.issued = 0
        self.quads: list[Quad] = []

    def blank(self, existing: str | None = None) -> str:
        """pyld's ``IdentifierIssuer``: a new label, the same one again for a known one."""
        if existing is not None:
            label = self.labels.get(existing)
            if label is not None:
                return label
        label = f"_:b{self.issued}"
        self.issued += 1
        if existing is not None:
            self.labels[existing] = label
        return label

    def add(
        self,
        element: Any,
        graph: str,
        subject: dict[str, Any] | None = None,
        prop: str | None = None,
        in_list: list[Any] | None = None,
    ) -> None:
        """One expanded value of ``prop`` of the ``subject`` node (or a member of a list)."""
        if type(element) is list:
            for item in element:
                self.add(item, graph, subject, prop, in_list)
            return
        if "@value" in element:
            # a list's member: a node's own values are added below, and a value alone in a
            # graph (a string under an @graph container) belongs to no node, so pyld drops it
            if in_list is not None:
                in_list.append(element)
            return
        if "@list" in element:
            members: list[Any] = []
            self.add(element["@list"], graph, subject, prop, members)
            holder = {"@list": members}
            if in_list is not None:
                in_list.append(holder)
            elif subject is not None and prop is not None:
                subject.setdefault(prop, []).append(holder)
            return
        identifier = element.get("@id")
        if identifier is None or identifier.startswith("_:"):
            identifier = self.blank(identifier)
        node = self.graphs.setdefault(graph, {}).setdefault(identifier, {"@id": identifier})
        if subject is not None and prop is not None:  # given together, or neither
            reference = {"@id": identifier}
            if in_list is not None:
                in_list.append(reference)
            else:
                _add_once(subject, prop, reference)
        for key in sorted(element):
            if key == "@id":
                continue
            objects = element[key]
            if key == "@graph":
                self.graphs.setdefault(identifier, {})
                self.add(objects, identifier)
            elif key != "@type" and key in _KEYWORDS:
                node[key] = objects
            else:
                if key.startswith("_:"):
                    key = self.blank(key)
                if not objects:
                    node.setdefault(key, [])
                elif key == "@type":
                    for kind in objects:
                        _add_once(
                            node, "@type", self.blank(kind) if kind.startswith("_:") else kind
                        )
                else:
                    for item in objects:
                        if "@value" in item:
                            _add_once(node, key, item)
                        else:
                            self.add(item, graph, node, key)

    def to_quads(self) -> list[Quad]:
        predicates: dict[str, str | None] = {"@type": _RDF_TYPE}
        for graph_name, nodes in self.graphs.items():
            if graph_name == "@default":
                graph = ""
            elif graph_name.startswith("_:"):
                graph = graph_name
            elif _is_absolute(graph_name):
                graph = "<" + graph_name + ">"
            else:
                continue
            for identifier, node in nodes.items():
                if not _is_absolute(identifier):
                    continue
                subject = identifier if identifier.startswith("_:") else "<" + identifier + ">"
                for prop, items in node.items():
                    try:
                        predicate = predicates[prop]
                    except KeyError:
                        predicate = predicates[prop] = (
                            None
                            if prop in _KEYWORDS or prop.startswith("_:") or not _is_absolute(prop)
                            else "<" + prop + ">"
                        )
                    if predicate is None:
                        continue
                    for item in items:
                        if type(item) is dict and "@value" in item:
                            self.quads.append((subject, predicate, _literal(item), graph))
                        else:
                            term = self.term(item, graph)
                            if term is not None:
                                self.quads.append((subject, predicate, term, graph))
        return self.quads

    def term(self, item: Any, graph: str) -> str | None:
        if type(item) is dict:
            if "@value" in item:
                return _literal(item)
            if "@list" in item:
                return self.collection(item["@list"], graph)
            identifier = item["@id"]
        else:
            identifier = item
        if identifier.startswith("_:"):
            return str(identifier)
        return "<" + identifier + ">" if _is_absolute(identifier) else None

    def collection(self, items: list[Any], graph: str) -> str:
        if not items:
            return _RDF_NIL
        head = subject = self.blank()
        for index, item in enumerate(items):
            term = self.term(item, graph)
            if term is None:
                raise Unsupported  # pyld fails on a relative IRI in a list; let it
            rest = _RDF_NIL if index == len(items) - 1 else self.blank()
            self.quads.append((subject, _RDF_FIRST, term, graph))
            self.quads.append((subject, _RDF_REST, rest, graph))
            subject = rest
        return head


def _line(quad: Quad) -> str:
    subject, predicate, obj, graph = quad
    if graph:
        return subject + " " + predicate + " " + obj + " " + graph + " .\n"
    return subject + " " + predicate + " " + obj + " .\n"


class _Issuer:
    """pyld's ``IdentifierIssuer``, for RDFC-1.0's canonical and temporary labels."""

    __slots__ = ("counter", "existing", "order", "prefix")

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.counter = 0
        self.existing: dict[str, str] = {}
        self.order: list[str] = []

    def get(self, old: str) -> str:
        found = self.existing.get(old)
        if found is not None:
            return found
        label = self.prefix + str(self.counter)
        self.counter += 1
        self.existing[old] = label
        self.order.append(old)
        return label

    def copy(self) -> _Issuer:
        twin = _Issuer(self.prefix)
        twin.counter = self.counter
        twin.existing = dict(self.existing)
        twin.order = list(self.order)
        return twin


class _Canonicalization:
    """RDFC-1.0 as pyld's ``URDNA2015`` runs it, over quads of N-Quads terms. Blank nodes
    whose first-degree hashes are unique (all of them, in a credential without two
    identical blank-node objects) are labelled in hash order; the rest go through the
    n-degree hashing, ported step for step with pyld's permutation order."""

    __slots__ = ("canonical", "first_degree", "mentions", "quads")

    def __init__(self, quads: list[Quad]) -> None:
        self.quads = quads
        self.mentions: dict[str, list[Quad]] = {}
        for quad in quads:
            subject, _, obj, graph = quad
            if subject[0] == "_":
                self.mentions.setdefault(subject, []).append(quad)
            if obj[0] == "_":
                self.mentions.setdefault(obj, []).append(quad)
            if graph and graph[0] == "_":
                self.mentions.setdefault(graph, []).append(quad)
        self.first_degree = {blank: self.hash_first_degree(blank) for blank in self.mentions}
        self.canonical = _Issuer("_:c14n")

    def hash_first_degree(self, blank: str) -> str:
        lines = sorted(
            _line(
                (
                    ("_:a" if subject == blank else "_:z") if subject[0] == "_" else subject,
                    predicate,
                    ("_:a" if obj == blank else "_:z") if obj[0] == "_" else obj,
                    ("_:a" if graph == blank else "_:z") if graph and graph[0] == "_" else graph,
                )
            )
            for subject, predicate, obj, graph in self.mentions[blank]
        )
        return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()

    def nquads(self) -> str:
        # steps 4-5: issue labels for unique first-degree hashes, in hash order
        by_hash: dict[str, list[str]] = {}
        for blank, digest in self.first_degree.items():
            by_hash.setdefault(digest, []).append(blank)
        for _, blanks in sorted(by_hash.items()):
            if len(blanks) == 1:
                self.canonical.get(blanks[0])
        # step 6: the shared hashes, each blank node by its n-degree hash
        for _, blanks in sorted(by_hash.items()):
            if len(blanks) == 1:
                continue
            paths = []
            for blank in blanks:
                if blank in self.canonical.existing:
                    continue
                issuer = _Issuer("_:b")
                issuer.get(blank)
                paths.append(self.hash_n_degree(blank, issuer))
            for _, issuer in sorted(paths, key=lambda result: result[0]):
                for existing in issuer.order:
                    self.canonical.get(existing)
        labels = self.canonical.existing
        return "".join(
            sorted(
                _line(
                    (
                        labels[subject] if subject[0] == "_" else subject,
                        predicate,
                        labels[obj] if obj[0] == "_" else obj,
                        labels[graph] if graph and graph[0] == "_" else graph,
                    )
                )
                for subject, predicate, obj, graph in self.quads
            )
        )

    def hash_related(self, related: str, predicate: str, issuer: _Issuer, position: str) -> str:
        label = (
            self.canonical.existing.get(related)
            or issuer.existing.get(related)
            or self.first_degree[related]
        )
        text = position + (predicate if position != "g" else "") + label
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def hash_n_degree(self, blank: str, issuer: _Issuer) -> tuple[str, _Issuer]:
        related_by_hash: dict[str, list[str]] = {}
        for subject, predicate, obj, graph in self.mentions[blank]:
            for position, term in (("s", subject), ("o", obj), ("g", graph)):
                if term and term[0] == "_" and term != blank:
                    digest = self.hash_related(term, predicate, issuer, position)
                    related_by_hash.setdefault(digest, []).append(term)
        data = hashlib.sha256()
        for digest, related_blanks in sorted(related_by_hash.items()):
            data.update(digest.encode("utf-8"))
            chosen_path = ""
            chosen_issuer = issuer
            for permutation in permutations(related_blanks):
                issuer_copy = issuer.copy()
                path = ""
                recursion: list[str] = []
                skip = False
                for related in permutation:
                    known = self.canonical.existing.get(related)
                    if known is not None:
                        path += known
                    else:
                        if related not in issuer_copy.existing:
                            recursion.append(related)
                        path += issuer_copy.get(related)
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                for related in recursion:
                    result_hash, result_issuer = self.hash_n_degree(related, issuer_copy)
                    path += issuer_copy.get(related) + "<" + result_hash + ">"
                    issuer_copy = result_issuer
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        skip = True
                        break
                if skip:
                    continue
                if not chosen_path or path < chosen_path:
                    chosen_path = path
                    chosen_issuer = issuer_copy
            data.update(chosen_path.encode("utf-8"))
            issuer = chosen_issuer
        return data.hexdigest(), issuer


def canonicalize(quads: list[Quad]) -> str:
    """The RDFC-1.0 canonical N-Quads of the quads, pyld's byte for byte."""
    return _Canonicalization(quads).nquads()


def canonical_nquads(document: Mapping[str, Any], tree: ContextTree) -> str | None:
    """The document's canonical N-Quads (pyld's ``normalize`` with URDNA2015 and no
    base), or ``None`` where pyld must do it.

    Raises nothing of its own: any error (an unknown context, say) means pyld takes the
    document and reports it in its own words."""
    try:
        expanded = _Expansion(tree).document(document)
        dataset = _Dataset()
        dataset.add(expanded, "@default")
        return canonicalize(dataset.to_quads())
    except Exception:  # pyld repeats the work and raises its own error
        return None


def expand(document: Mapping[str, Any], tree: ContextTree, start: Any = None) -> list[Any] | None:
    """pyld's expansion of the document (``start`` being its ``expandContext``), or
    ``None`` where pyld must do it."""
    try:
        return _Expansion(tree).document(document, start)
    except Exception:  # pyld repeats the work and raises its own error
        return None
