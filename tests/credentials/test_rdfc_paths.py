"""The fast canonicaliser's less travelled paths, each driven by a small JSON-LD document:
what it handles must come out as pyld's canonical N-Quads byte for byte (a signature made
over one must verify over the other), and what it leaves to pyld must be refused by the
fast path and still come out of ``canonical_nquads`` exactly as pyld gives it -- the same
N-Quads, or the same kind of error."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from enum import StrEnum
from typing import Any

import pytest

from cairn.credentials import rdfc
from cairn.credentials.jsonld import (
    DocumentLoader,
    JsonObject,
    canonical_nquads,
    pyld_nquads,
    undefined_terms,
)

V2 = "https://www.w3.org/ns/credentials/v2"
EX = "https://vocab.example/"
XSD = "http://www.w3.org/2001/XMLSchema#"

Edges = list[tuple[int, str, int]]


class Colour(StrEnum):
    """What an integrator's code might put in a credential instead of a plain string."""

    TEAL = "teal"


def inline(context: JsonObject, **members: Any) -> JsonObject:
    return {"@context": context, **members}


def vocab(**members: Any) -> JsonObject:
    """A node about ``EX``'s ``s`` where every term falls to the example vocabulary."""
    return inline({"@vocab": EX}, **{"@id": f"{EX}s", **members})


def blank_graph(edges: Edges) -> JsonObject:
    """Blank nodes linked as ``edges`` say (from, property, to): the symmetric shapes that
    RDFC-1.0 must tell apart by its n-degree hashing."""
    nodes: dict[int, dict[str, list[str]]] = {}
    for start, prop, end in edges:
        nodes.setdefault(start, {}).setdefault(prop, []).append(f"_:n{end}")
    return inline(
        {"@vocab": EX, **{prop: {"@type": "@id"} for prop in "pq"}},
        **{"@graph": [{"@id": f"_:n{node}", **props} for node, props in sorted(nodes.items())]},
    )


def twice(edges: Edges, size: int) -> Edges:
    """Two copies of a graph of ``size`` nodes, so each node has a twin it cannot be told
    from by its first-degree hash."""
    return edges + [(start + size, prop, end + size) for start, prop, end in edges]


def keyword_alias_over_set(keyword: str, member: Any) -> JsonObject:
    """A node whose own context makes the property it is the value of a keyword alias:
    pyld then expands the ``@set`` members as that keyword's bare values, which no
    property may hold, and fails converting them to RDF."""
    return vocab(p={"@context": {"p": keyword}, "@set": [member]})


HANDLED: dict[str, Callable[[], JsonObject]] = {
    "a term with a colon that is no IRI scheme": lambda: vocab(**{"1x:y": "v"}),
    "a term defined as null is dropped": lambda: inline(
        {"@vocab": EX, "dropped": None}, dropped="x", kept="y"
    ),
    "a context given as one URL": lambda: {
        "@context": V2,
        "type": "VerifiableCredential",
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:subject"},
    },
    "true and 1 are different values, repeats are kept once": lambda: vocab(
        flag=[True, 1, True, 1.0, False, 0]
    ),
    "a document with only an identifier has no quads": lambda: inline(
        {"@vocab": EX}, **{"@id": f"{EX}lonely"}
    ),
    "lists of lists": lambda: inline(
        {"@vocab": EX, "matrix": {"@container": "@list"}}, matrix=[[1, 2], [3, [4]], []]
    ),
    "nulls in arrays are skipped": lambda: vocab(tags=["a", None, "b"]),
    "a string straight in @graph is dropped": lambda: inline(
        {"@vocab": EX}, **{"@graph": ["loose", {"@id": f"{EX}a", "p": "x"}]}
    ),
    "a value object straight in @graph is dropped": lambda: inline(
        {"@vocab": EX}, **{"@graph": [{"@value": "loose"}, {"@id": f"{EX}a", "p": "x"}]}
    ),
    "a null @value is dropped": lambda: vocab(maybe={"@value": None}, kept="y"),
    "an explicit @set": lambda: vocab(p={"@set": ["a", "b"]}),
    "an object with only @language is dropped": lambda: vocab(p={"@language": "en"}, q="x"),
    "a node with @language among its properties": lambda: vocab(p={"@language": "EN", "q": "x"}),
    "a StrEnum member in value objects": lambda: vocab(
        c={"@value": Colour.TEAL},
        d={"@value": Colour.TEAL, "@language": "en"},
        e={"@value": Colour.TEAL, "@type": f"{XSD}token"},
    ),
    "strings and nodes under an @graph container": lambda: inline(
        {"@vocab": EX, "claims": {"@container": "@graph"}},
        **{"@id": f"{EX}s", "claims": ["text", {"q": 1}]},
    ),
    "a list under an @graph container": lambda: inline(
        {"@vocab": EX, "claims": {"@container": "@graph"}},
        **{"@id": f"{EX}s", "claims": {"@list": [{"q": 1}, "x"]}},
    ),
    "a blank node as a property": lambda: vocab(**{"_:p": "x", "q": "y"}),
    "a named graph with a relative name is dropped": lambda: inline(
        {"@vocab": EX},
        **{"@id": "relative-graph", "@graph": [{"@id": f"{EX}a", "p": "x"}]},
    ),
    "two alike pairs of blank nodes (n-degree hashing)": lambda: vocab(
        has=[{"name": "same", "child": {"n": 1}}, {"name": "same", "child": {"n": 1}}]
    ),
    "three blank nodes that all know each other (n-degree hashing)": lambda: blank_graph(
        [(start, "p", end) for start in range(3) for end in range(3) if start != end]
    ),
    "a blank node with two alike neighbours, twice (n-degree hashing)": lambda: blank_graph(
        twice([(0, "p", 1), (0, "p", 2)], 3)
    ),
    "a pair and a chain, twice (n-degree hashing)": lambda: blank_graph(
        twice([(0, "p", 1), (2, "p", 3), (3, "p", 0), (3, "p", 2)], 4)
    ),
}

LEFT_TO_PYLD: dict[str, Callable[[], JsonObject]] = {
    "a context with a number JSON cannot write (NaN)": lambda: inline(
        {"@vocab": EX, "@version": math.nan}, p="x"
    ),
    "a StrEnum member as a plain value": lambda: vocab(colour=Colour.TEAL),
    "a context wrapped in another @context": lambda: inline({"@context": {"@vocab": EX}}, p="x"),
    "a property a scoped context turns into @reverse": lambda: inline(
        {"@vocab": EX, "p": {"@id": f"{EX}p", "@context": {"p": "@reverse"}}},
        **{"@id": f"{EX}s", "p": {"@id": f"{EX}o", "q": "x"}},
    ),
    "a type that looks like a keyword": lambda: vocab(**{"@type": "@thing"}),
    "an object as @value without @json": lambda: vocab(p={"@value": {"a": 1}}),
    "a number as @language": lambda: vocab(p={"@value": "x", "@language": 5}),
    "a string as @graph": lambda: vocab(**{"@graph": "x"}),
    "a list straight in @graph": lambda: inline({"@vocab": EX}, **{"@graph": [{"@list": ["a"]}]}),
    "@list beside @id": lambda: vocab(p={"@list": ["a"], "@id": f"{EX}l"}),
    "@value with both @type and @language": lambda: vocab(
        p={"@value": "x", "@type": f"{EX}t", "@language": "en"}
    ),
    "@value beside @id": lambda: vocab(p={"@value": "x", "@id": f"{EX}v"}),
    "@value with a list of types": lambda: vocab(p={"@value": "x", "@type": [f"{EX}t"]}),
    "a number tagged with a language": lambda: vocab(p={"@value": 5, "@language": "en"}),
    "a base direction from the context": lambda: inline({"@vocab": EX, "@direction": "rtl"}, p="x"),
    "an IRI as the bare value of an @id alias": lambda: keyword_alias_over_set(
        "@id", "https://x.example/@value"
    ),
    "an IRI as the bare value of an @type alias": lambda: keyword_alias_over_set(
        "@type", "https://x.example/@value"
    ),
    "an IRI as the bare value of an @language alias": lambda: keyword_alias_over_set(
        "@language", "https://x.example/@value"
    ),
    "a number as the bare value of an @language alias": lambda: keyword_alias_over_set(
        "@language", 5
    ),
}


def outcome(canonicalise: Callable[[JsonObject], str], document: JsonObject) -> Any:
    """The canonical form, or the class of the error raised instead."""
    try:
        return canonicalise(copy.deepcopy(document))
    except Exception as error:  # the refusal is part of the behaviour
        return type(error)


@pytest.mark.parametrize("name", sorted(HANDLED))
def test_the_fast_path_gives_pyld_s_canonical_form(name: str) -> None:
    document = HANDLED[name]()

    fast = rdfc.canonical_nquads(copy.deepcopy(document), DocumentLoader().contexts)

    assert fast is not None
    assert fast == pyld_nquads(document)


@pytest.mark.parametrize("name", sorted(LEFT_TO_PYLD))
def test_what_the_fast_path_leaves_to_pyld_comes_out_as_pyld_s(name: str) -> None:
    document = LEFT_TO_PYLD[name]()

    fast = rdfc.canonical_nquads(copy.deepcopy(document), DocumentLoader().contexts)

    assert fast is None
    assert outcome(canonical_nquads, document) == outcome(pyld_nquads, document)


def test_a_bare_iri_where_a_value_belongs_gives_no_quad_where_pyld_fails() -> None:
    """The fast path once wrote ``<https://x.example/@value>`` as the value of ``p`` here,
    a quad pyld never gives: a signature over it could be checked by nobody else."""
    document = keyword_alias_over_set("@id", "https://x.example/@value")

    with pytest.raises(AttributeError):
        pyld_nquads(document)
    assert rdfc.canonical_nquads(document, DocumentLoader().contexts) is None
    with pytest.raises(AttributeError):
        canonical_nquads(document)


def test_more_terms_than_a_context_remembers_still_come_out_as_pyld_s() -> None:
    count = rdfc._MAX_TERMS + 10
    document = vocab(**{f"term{index}": index for index in range(count)})
    tree = DocumentLoader().contexts

    fast = rdfc.canonical_nquads(document, tree)

    assert fast == pyld_nquads(document)
    assert fast is not None
    assert fast.count("\n") == count
    context = tree.embedded(tree.root, {"@vocab": EX})
    assert len(context.terms) <= rdfc._MAX_TERMS
    assert len(context.vocab_iris) <= rdfc._MAX_TERMS


def test_more_identifiers_than_a_context_remembers_still_come_out_as_pyld_s() -> None:
    count = rdfc._MAX_IDS + 10
    document = inline(
        {"@vocab": EX},
        **{"@graph": [{"@id": f"{EX}n{index}", "p": index} for index in range(count)]},
    )
    tree = DocumentLoader().contexts

    fast = rdfc.canonical_nquads(document, tree)

    assert fast == pyld_nquads(document)
    assert len(tree.embedded(tree.root, {"@vocab": EX}).iris) <= rdfc._MAX_IDS


def test_more_inline_contexts_than_a_context_remembers_still_come_out_as_pyld_s() -> None:
    """Every node bringing a context of its own: what is kept under the document's context
    stays bounded, and every node still gets its own terms."""
    count = rdfc._MAX_TERMS + 10
    document = vocab(
        item=[
            {"@context": {f"alias{index}": f"{EX}label"}, f"alias{index}": f"item {index}"}
            for index in range(count)
        ]
    )
    tree = DocumentLoader().contexts

    fast = rdfc.canonical_nquads(document, tree)

    assert fast == pyld_nquads(document)
    assert fast is not None
    assert fast.count(f"<{EX}label>") == count
    assert len(tree.embedded(tree.root, {"@vocab": EX}).children) <= rdfc._MAX_TERMS


def test_undefined_terms_are_found_in_a_document_the_fast_path_leaves_to_pyld() -> None:
    """``@nest`` is pyld's to expand; the terms nested under it are still checked."""
    document: JsonObject = {
        "@context": [V2, {"meta": "@nest"}],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:subject"},
        "meta": {"favouriteColour": "teal"},
    }

    assert rdfc.expand(document, DocumentLoader().contexts, {"@vocab": EX}) is None
    assert undefined_terms(document) == ["favouriteColour"]
