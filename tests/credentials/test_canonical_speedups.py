"""The fast canonicaliser (``cairn.credentials.rdfc``) gives pyld's canonical N-Quads byte
for byte: a signature made with one verifies with the other, so a divergence would break
every credential Cairn or anyone else signed. Checked over a varied corpus and a seeded
random one; documents the fast path leaves to pyld must come out the same too."""

from __future__ import annotations

import copy
import json
import random
import threading
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld import jsonld as pyld_jsonld
from pyld.jsonld import JsonLdError

from cairn.credentials import data_integrity, multikey, rdfc
from cairn.credentials.data_integrity import Cryptosuite, ProofOptions
from cairn.credentials.jsonld import (
    OFFLINE,
    UNDEFINED_TERMS_VOCABULARY,
    DocumentLoader,
    JsonObject,
    canonical_nquads,
    pyld_nquads,
    undefined_terms,
    unknown_context_of,
)
from tests.shared_data import shared_data

V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_301 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json"
XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "https://vocab.example/"

SKILLS = [
    ("S1.4", "Collaborate through digital technologies"),
    ("S4.2", "Protect personal data"),
    ("S5.1", "Solve technical problems"),
    ("S5.6.1", "Use spreadsheet software"),
    ("S3.1", "Develop digital content"),
]


def badge(index: int = 0, skills: int = 3) -> JsonObject:
    """An Open Badge as Cairn issues one: issuer profile, achievement with criteria,
    aligned skills and a result description, the learner's result and evidence."""
    return {
        "@context": [V2, OB],
        "id": f"urn:uuid:5c4f2a8e-0000-4000-8000-{index:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Spreadsheet Foundations",
        "issuer": {
            "id": "did:web:cairn.example:issuers:lakeshore",
            "type": ["Profile"],
            "name": "Lakeshore College",
            "url": "https://lakeshore.example/",
        },
        "validFrom": f"2026-11-{1 + index % 28:02d}T10:00:00Z",
        "credentialSubject": {
            "id": f"did:example:learner-{index}",
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": False,
                    "identityHash": f"learner{index}@example.org",
                }
            ],
            "achievement": {
                "id": "https://cairn.example/specifications/spreadsheets/versions/3",
                "type": ["Achievement"],
                "name": "Spreadsheet Foundations",
                "description": "Build, check and share spreadsheets colleagues can trust.",
                "criteria": {"narrative": "Four practical tasks and a proctored assessment."},
                "creditsAvailable": 1.5,
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": name,
                        "targetCode": code,
                        "targetUrl": f"https://cairn.example/skills/{code}",
                    }
                    for code, name in SKILLS[:skills]
                ],
                "resultDescription": [
                    {
                        "id": "https://cairn.example/results/final",
                        "type": ["ResultDescription"],
                        "name": "Final assessment",
                        "resultType": "Percent",
                        "requiredValue": "70",
                    }
                ],
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": "https://cairn.example/results/final",
                    "value": str(70 + index % 30),
                }
            ],
        },
        "evidence": [
            {
                "id": f"https://cairn.example/evidence/{index}",
                "type": ["Evidence"],
                "name": "Budget workbook",
                "genre": "Portfolio",
            }
        ],
    }


def signed(document: JsonObject, suite: Cryptosuite = Cryptosuite.EDDSA_RDFC_2022) -> JsonObject:
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    method = multikey.did_key_method(key.public_key().public_bytes_raw())
    return data_integrity.sign(document, key, ProofOptions(method, "2026-12-04T10:00:00Z"), suite)


def inline(context: JsonObject, **members: Any) -> JsonObject:
    return {"@context": context, **members}


def endorsed() -> JsonObject:
    document = badge(1)
    endorsement = signed(
        {
            "@context": [V2, OB],
            "id": "urn:uuid:7b1c0d5e-0000-4000-8000-000000000001",
            "type": ["VerifiableCredential", "EndorsementCredential"],
            "issuer": {"id": "did:web:employer.example", "type": ["Profile"], "name": "Northwind"},
            "validFrom": "2026-10-01T00:00:00Z",
            "credentialSubject": {
                "id": "https://cairn.example/specifications/spreadsheets/versions/3",
                "type": ["EndorsementSubject"],
                "endorsementComment": "Exactly what our analysts need.",
            },
        }
    )
    document["credentialSubject"]["achievement"]["endorsement"] = [endorsement]
    return document


def presentation(*credentials: JsonObject) -> JsonObject:
    return {
        "@context": [V2],
        "type": ["VerifiablePresentation"],
        "holder": "did:example:learner-2",
        "verifiableCredential": list(credentials),
    }


SUPPORTED: dict[str, Any] = {
    "an Open Badge": lambda: badge(),
    "an Open Badge with five skills": lambda: badge(7, skills=5),
    "a proof configuration": lambda: {
        **ProofOptions("did:key:z6Mk#z6Mk", "2026-12-04T10:00:00Z").as_json(
            Cryptosuite.EDDSA_RDFC_2022
        ),
        "@context": [V2, OB],
    },
    "a VC 1.1 Open Badge": lambda: {
        **{key: value for key, value in badge(4).items() if key != "validFrom"},
        "@context": [V1, OB_301],
        "issuanceDate": "2026-11-04T10:00:00Z",
    },
    "an Open Badge endorsed by a signed credential": endorsed,
    "a presentation of a signed credential": lambda: presentation(signed(badge(2))),
    "terms no context defines": lambda: {**badge(5), "favouriteColour": "teal", "type": ["X"]},
    "a VC 1.1 credential with undefined terms": lambda: {
        "@context": [V1],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:s", "nickname": "dropped"},
    },
    "blank nodes named in the document": lambda: inline(
        {"@vocab": EX, "knows": {"@type": "@id"}},
        **{
            "@graph": [
                {"@id": "_:alice", "name": "Alice", "knows": "_:bob"},
                {"@id": "_:bob", "name": "Bob", "knows": "_:alice"},
            ]
        },
    ),
    "lists, nested and empty": lambda: inline(
        {"@vocab": EX, "steps": {"@container": "@list"}, "nothing": {"@container": "@list"}},
        steps=["one", {"@list": ["a", 2]}, {"label": "three"}],
        nothing=[],
        explicit={"@list": [True, 1.5]},
    ),
    "language-tagged strings": lambda: inline(
        {"@vocab": EX, "@language": "EN", "titre": {"@id": f"{EX}title", "@language": "fr"}},
        name="Cairn",
        titre="Tableur",
        untagged={"@value": "plain", "@language": None},
        tagged={"@value": "Grüße", "@language": "de-CH"},
    ),
    "@json literals": lambda: inline(
        {"@vocab": EX, "data": {"@type": "@json"}},
        data={"b": [1, 2.5, "ü"], "a": None, "c": {"z": True}},
        inline={"@value": [3, 2, 1], "@type": "@json"},
    ),
    "numbers, booleans and typed values": lambda: inline(
        {"@vocab": EX, "score": {"@type": f"{XSD}double"}, "when": {"@type": f"{XSD}dateTime"}},
        count=3,
        whole=2.0,
        fraction=0.1,
        huge=10**21,
        negative=-7,
        flag=False,
        score="72.5",
        bad_score={"@value": "n/a", "@type": f"{XSD}double"},
        when="2026-12-04T10:00:00Z",
    ),
    "strings that need escaping": lambda: inline(
        {"@vocab": EX},
        text='tab\there "quoted" back\\slash\nnew line\r\x01 ünïcødé ✓ 𝄞',
    ),
    "relative and compact IRIs": lambda: inline(
        {"@vocab": EX, "ex": EX, "@base": "https://base.example/", "link": {"@type": "@id"}},
        **{"@id": "relative/id", "@type": ["ex:Thing", "relative-type"]},
        link="ex:target",
        other_link={"@id": "also/relative"},
    ),
    "scoped contexts that do and do not propagate": lambda: inline(
        {
            "@vocab": EX,
            "Course": {"@id": f"{EX}Course", "@context": {"@propagate": False, "code": f"{EX}c"}},
            "part": {"@id": f"{EX}part", "@context": {"title": f"{EX}partTitle"}},
        },
        type="Course",
        code="X1",
        part={"title": "inside", "code": "not scoped here", "part": {"title": "deeper"}},
        nested={"type": "Course", "code": "Y2", "child": {"code": "reverted"}},
    ),
    "the same node described twice": lambda: inline(
        {"@vocab": EX, "friend": {"@type": "@id"}},
        **{
            "@graph": [
                {"@id": f"{EX}a", "name": ["A", "A"], "age": 3},
                {"@id": f"{EX}a", "name": "Another A", "friend": f"{EX}b"},
                {"@id": f"{EX}b", "friend": f"{EX}a"},
            ]
        },
    ),
    "a named graph": lambda: inline(
        {"@vocab": EX}, **{"@id": f"{EX}g", "@graph": [{"@id": f"{EX}s", "p": "in a graph"}]}
    ),
    "a presentation of two badges with the same alignments (n-degree hashing)": lambda: (
        presentation(signed(badge(2)), signed(badge(3), Cryptosuite.EDDSA_JCS_2022))
    ),
    "two blank nodes alike (n-degree hashing)": lambda: inline(
        {"@vocab": EX}, **{"@id": f"{EX}s", "has": [{"name": "same"}, {"name": "same"}]}
    ),
    "identical alignments": lambda: {
        **badge(8),
        "credentialSubject": {
            **badge(8)["credentialSubject"],
            "achievement": {
                **badge(8)["credentialSubject"]["achievement"],
                "alignment": [{"type": ["Alignment"], "targetName": "Same"}] * 2,
            },
        },
    },
    "a ring of blank nodes alike (n-degree hashing)": lambda: inline(
        {"@vocab": EX, "next": {"@type": "@id"}},
        **{
            "@graph": [
                {"@id": f"_:n{index}", "next": f"_:n{(index + 1) % 4}"} for index in range(4)
            ]
        },
    ),
}

LEFT_TO_PYLD: dict[str, Any] = {
    "a reverse property": lambda: inline(
        {"@vocab": EX, "parentOf": {"@reverse": f"{EX}child"}},
        **{"@id": f"{EX}p", "parentOf": {"@id": f"{EX}c"}},
    ),
    "@nest": lambda: inline({"@vocab": EX, "meta": "@nest"}, meta={"author": "me"}),
    "@index": lambda: inline({"@vocab": EX}, item={"@value": "x", "@index": "i"}),
    "a base direction": lambda: inline(
        {"@vocab": EX}, text={"@value": "مرحبا", "@language": "ar", "@direction": "rtl"}
    ),
    "a language map": lambda: inline(
        {"@vocab": EX, "label": {"@container": "@language"}}, label={"en": "Hi", "fr": "Salut"}
    ),
    "@included": lambda: inline(
        {"@vocab": EX}, **{"@id": f"{EX}a", "@included": [{"@id": f"{EX}b", "p": 1}]}
    ),
}


def both(document: JsonObject) -> tuple[str | type[BaseException], str | type[BaseException]]:
    """Cairn's canonical form and pyld's, or the class of the error each raised."""
    results: list[str | type[BaseException]] = []
    for canonicalise in (canonical_nquads, pyld_nquads):
        try:
            results.append(canonicalise(copy.deepcopy(document)))
        except Exception as error:  # the error itself must match too
            results.append(type(error))
    return results[0], results[1]


@pytest.mark.parametrize("name", sorted(SUPPORTED))
def test_the_fast_path_gives_pyld_s_canonical_form(name: str) -> None:
    document = SUPPORTED[name]()

    fast = rdfc.canonical_nquads(document, DocumentLoader().contexts)

    assert fast is not None
    assert fast == pyld_nquads(document)


@pytest.mark.parametrize("name", sorted(LEFT_TO_PYLD))
def test_what_the_fast_path_leaves_to_pyld_still_comes_out_as_pyld_s(name: str) -> None:
    document = LEFT_TO_PYLD[name]()

    ours, theirs = both(document)

    assert rdfc.canonical_nquads(document, DocumentLoader().contexts) is None
    assert ours == theirs


def test_the_1edtech_vector_is_reproduced_by_the_fast_path() -> None:
    folder = shared_data("test-vectors", "ob3-eddsa-rdfc-2022")
    credential = json.loads(folder.joinpath("credential.json").read_text("utf-8"))
    expected = json.loads(folder.joinpath("expected.json").read_text("utf-8"))
    proof = ProofOptions(expected["verificationMethod"], expected["created"]).as_json(
        Cryptosuite.EDDSA_RDFC_2022
    )
    proof["@context"] = credential["@context"]
    contexts = DocumentLoader().contexts

    assert rdfc.canonical_nquads(credential, contexts) == folder.joinpath(
        "document-canon.nq"
    ).read_text("utf-8")
    assert rdfc.canonical_nquads(proof, contexts) == folder.joinpath("proof-canon.nq").read_text(
        "utf-8"
    )


def mutations(seed: int, count: int) -> list[JsonObject]:
    """Open Badges with members added, removed, duplicated or retyped at random."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not security
    values: list[Any] = [
        "text",
        "",
        7,
        -1.25,
        True,
        None,
        [],
        {},
        ["a", "a"],
        {"@value": "v", "@language": "EN"},
        {"@value": "3", "@type": f"{XSD}integer"},
        {"@list": ["x", 1]},
        {"@id": "https://cairn.example/x"},
        {"@id": "_:shared", "name": "shared"},
        {"type": "Alignment", "targetName": "added"},
        {"type": ["Result"], "value": "99"},
        "did:example:someone",
        "relative",
        "@keywordish",
    ]
    keys = [
        "name",
        "description",
        "id",
        "type",
        "value",
        "narrative",
        "targetName",
        "achievementType",
        "creditsAvailable",
        "undefinedTerm",
        "image",
        "url",
        "tag",
        "@id",
        "@type",
        "schema:keywords",
    ]
    documents = []
    for index in range(count):
        document = badge(index, skills=rng.randint(1, 5))
        for _ in range(rng.randint(1, 4)):
            nodes: list[dict[str, Any]] = []
            pending: list[Any] = [document]
            while pending:
                item = pending.pop()
                if isinstance(item, dict):
                    nodes.append(item)
                    pending.extend(item.values())
                elif isinstance(item, list):
                    pending.extend(item)
            node = rng.choice(nodes[1:] or nodes)
            roll = rng.random()
            if roll < 0.6:
                node[rng.choice(keys)] = copy.deepcopy(rng.choice(values))
            elif node:
                key = rng.choice(sorted(node))
                if roll < 0.8:
                    del node[key]
                else:
                    node[key] = [node[key], copy.deepcopy(node[key])]
        documents.append(document)
    return documents


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_randomly_changed_badges_come_out_as_pyld_s(seed: int) -> None:
    documents = mutations(seed, 40)
    loader = DocumentLoader()

    results = [both(document) for document in documents]
    valid = [
        document
        for document, (_, theirs) in zip(documents, results, strict=True)
        if isinstance(theirs, str)
    ]
    handled = [rdfc.canonical_nquads(document, loader.contexts) for document in valid]

    assert [ours for ours, _ in results] == [theirs for _, theirs in results]
    assert sum(fast is not None for fast in handled) >= 0.8 * len(valid)


@pytest.mark.parametrize("name", sorted(SUPPORTED))
def test_expansion_for_undefined_terms_is_pyld_s(name: str) -> None:
    document = SUPPORTED[name]()
    start = {"@vocab": UNDEFINED_TERMS_VOCABULARY}

    ours = rdfc.expand(document, DocumentLoader().contexts, start)
    theirs = pyld_jsonld.expand(
        copy.deepcopy(document), {"documentLoader": OFFLINE, "expandContext": start, "base": None}
    )

    assert ours == theirs


def test_undefined_terms_are_still_reported() -> None:
    document = {**badge(), "favouriteColour": "teal"}
    document["credentialSubject"]["achievement"]["type"] = ["Achievement", "Trophy"]

    assert undefined_terms(document) == ["Trophy", "favouriteColour"]
    assert undefined_terms(badge()) == []


def test_threads_canonicalising_at_once_agree_with_one_thread() -> None:
    documents = [signed(badge(index, skills=1 + index % 5)) for index in range(24)]
    expected = [pyld_nquads(document) for document in documents]
    loader = DocumentLoader()
    found: dict[int, str] = {}

    def work(offset: int) -> None:
        for step in range(len(documents)):
            index = (offset + step) % len(documents)
            found[index] = canonical_nquads(documents[index], loader)

    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [found[index] for index in range(len(documents))] == expected


def test_contexts_kept_per_loader_are_bounded() -> None:
    loader = DocumentLoader()
    for index in range(rdfc.MAX_CONTEXTS + 50):
        document = inline({"@vocab": f"https://vocab{index}.example/"}, name="n")
        assert canonical_nquads(document, loader) == pyld_nquads(document, loader)

    assert len(loader.contexts) <= rdfc.MAX_CONTEXTS + 1


def test_a_loader_s_contexts_are_its_own() -> None:
    """A context another loader was given must not leak into a loader that refuses it."""
    url = "https://partner.example/context.json"
    partner = DocumentLoader({url: {"@context": {"nickname": f"{EX}nickname"}}})
    document = {"@context": [V2, url], "type": ["VerifiableCredential"], "nickname": "Lee"}

    assert f"<{EX}nickname>" in canonical_nquads(document, partner)
    with pytest.raises(JsonLdError) as raised:
        canonical_nquads(document, OFFLINE)
    unknown = unknown_context_of(raised.value)
    assert unknown is not None
    assert unknown.url == url


def json_values(seed: int, count: int) -> list[JsonObject]:
    """JSON objects with the awkward cases of RFC 8785: numbers of every size, control
    characters, and keys that UTF-16 orders differently from code points."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not security
    characters = ["a", "Z", "é", "中", "\x00", "\x1f", "\x7f", '"', "\\", "\n", "\u2028"]
    characters += ["\ud7ff", "\ue000", "\uffff", "😀", "\U0010ffff"]
    numbers: list[Any] = [0, -7, 2**53 - 1, 2**53, 10**21, 1.5, 0.1, 1e-4, 9.99e-5, 1e16]
    numbers += [123456789.125, 2.0, -0.0, 5e-324, 1.7976931348623157e308, True, False, None]

    def text() -> str:
        return "".join(rng.choice(characters) for _ in range(rng.randint(0, 4)))

    def value(depth: int) -> Any:
        roll = rng.random()
        if depth > 2 or roll < 0.5:
            return rng.choice([text(), rng.random() * 10 ** rng.randint(-8, 22), *numbers])
        if roll < 0.75:
            return [value(depth + 1) for _ in range(rng.randint(0, 3))]
        return {text(): value(depth + 1) for _ in range(rng.randint(0, 3))}

    return [{text(): value(0) for _ in range(rng.randint(1, 5))} for _ in range(count)]


def jcs_or_error(canonicalise: Any, value: JsonObject) -> bytes | type[BaseException]:
    try:
        result: bytes = canonicalise(value)
    except Exception as error:  # the same refusal is part of the behaviour
        return type(error)
    return result


@pytest.mark.parametrize("seed", [1, 2])
def test_jcs_is_rfc8785_s_byte_for_byte(seed: int) -> None:
    values = [badge(index) for index in range(20)] + json_values(seed, 500)

    ours = [jcs_or_error(data_integrity.jcs, value) for value in values]
    theirs = [jcs_or_error(rfc8785.dumps, value) for value in values]

    assert ours == theirs
