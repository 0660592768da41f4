"""CTDL export: each published version becomes a MicroCredential that the Credential Engine
Registry can take, checked against the published CTDL JSON-LD context and schema.

The context and schema are Credential Engine's own files; Cairn does not ship them
(decision 0030). ``tests/interop/fetch_ctdl.py`` fetches them before the suite runs (the
suite itself never uses the network); their SHA-256 digests are pinned, so the check always
runs against the same documents. Without them the schema checks are skipped, saying why,
except in CI (``CAIRN_REQUIRE_INTEROP=1``); the structural checks always run."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import ctdl, public
from tests.factories.catalogue import SmallCatalogue, make_catalogue
from tests.interop import fetch_ctdl

BASE = "http://testserver.example"
PINNED = {
    "context.json": "ddb6b4586c38df5fa43aa5f6a558de407dd7acdec9bc1329ce790e164bf40db5",
    "schema.json": "a2dd28cb08f9e5e0324fe155e7381c276d70e69cb95521dab120f042cc538776",
}
"""https://credreg.net/ctdl/schema/context/json and .../schema/encoding/json, as vendored
by ctdl-validate 0.2.1 (retrieved 2026-08-06)."""
CTID = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
NAMESPACES = ("https://purl.org/ctdl/terms/", "https://schema.org/")


@pytest.fixture
def catalogue(session: Session) -> SmallCatalogue:
    return make_catalogue(session)


@pytest.fixture
def exported(session: Session, catalogue: SmallCatalogue) -> dict[str, Any]:
    return ctdl.document(public.specifications_on_offer(session, None), BASE)


def nodes(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["@id"]: node for node in document["@graph"]}


def test_every_version_on_offer_and_each_organisation_appears_once(
    exported: dict[str, Any], catalogue: SmallCatalogue
) -> None:
    graph = exported["@graph"]
    assert exported["@context"] == "https://credreg.net/ctdl/schema/context/json"
    credentials = [n for n in graph if n["@type"] == "ceterms:MicroCredential"]
    assert {n["ceterms:ctid"] for n in credentials} == {
        ctdl.ctid(v.id)
        for v in (catalogue.wound_care, catalogue.infection_control, catalogue.records_v2)
    }
    organisations = [
        name for n in graph if "Organization" in n["@type"] for name in n["ceterms:name"].values()
    ]
    assert sorted(organisations) == ["Lakeshore College", "Northwind Care", "Partner University"]
    by_id = nodes(exported)
    for node in graph:
        assert CTID.match(node["ceterms:ctid"]), node["ceterms:ctid"]
        assert node["@id"] == ctdl.REGISTRY_RESOURCES + node["ceterms:ctid"]
        for reference in _references(node):
            assert reference in by_id, f"{reference} is not in the graph"


def _references(node: Any) -> Iterator[str]:
    """Every Registry resource a node points to."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "@id":
                yield from _references(value)
    elif isinstance(node, list):
        for item in node:
            yield from _references(item)
    elif isinstance(node, str) and node.startswith(ctdl.REGISTRY_RESOURCES):
        yield node


def test_a_version_maps_its_elements_and_the_same_version_keeps_its_ctid(
    session: Session, catalogue: SmallCatalogue
) -> None:
    view = public.published_specification(
        session, None, catalogue.college.slug, "wound-care-essentials"
    )
    first, again = (ctdl.document([view], BASE) for _ in range(2))
    assert first == again
    credential, assessment = first["@graph"][:2]
    assert credential["ceterms:name"] == {"en": "Wound care essentials"}
    assert credential["ceterms:inLanguage"] == ["en"]
    assert credential["ceterms:subjectWebpage"] == (
        f"{BASE}/catalogue/{catalogue.college.slug}/wound-care-essentials"
    )
    assert credential["ceterms:estimatedDuration"][0]["ceterms:timeRequired"] == "PT30H"
    assert credential["ceterms:estimatedCost"][0]["ceterms:price"] == 0
    assert credential["ceterms:learningDeliveryType"][0]["ceterms:targetNode"] == (
        "deliveryType:OnlineOnly"
    )
    earning, prerequisites = credential["ceterms:requires"]
    (competency,) = earning["ceterms:targetCompetency"]
    assert competency["ceterms:targetNode"] == catalogue.wounds.uri
    assert competency["ceterms:targetNodeName"] == {"en": "dress wounds"}
    assert earning["ceterms:creditValue"][0]["schema:value"] == 1
    assert earning["ceterms:targetAssessment"] == [assessment["@id"]]
    assert prerequisites["ceterms:description"] == {"en": "A first-aid certificate."}
    assert assessment["ceterms:isProctored"] is True
    assert assessment["ceterms:assessmentMethodType"][0]["ceterms:targetNode"] == (
        "assessMethod:Performance"
    )
    assert credential["ceterms:recognizedBy"] == [ctdl.resource(ctdl.ctid(catalogue.employer.id))]


def test_an_earlier_edition_exports_as_no_longer_offered(
    session: Session, catalogue: SmallCatalogue
) -> None:
    view = public.published_specification(session, None, catalogue.college.slug, "care-records", 1)
    credential = ctdl.document([view], BASE)["@graph"][0]
    status = credential["ceterms:credentialStatusType"][0]["ceterms:targetNode"]
    assert status == "credentialStat:Deprecated"
    assert credential["ceterms:subjectWebpage"].endswith("/care-records?version=1")


# --- against Credential Engine's published context and schema ---------------------------


@dataclass(frozen=True)
class Ctdl:
    context: dict[str, Any]
    terms: dict[str, dict[str, Any]]
    """Every class, property and concept of the schema, by compact IRI."""

    def expand(self, term: str) -> str:
        prefix, _, name = term.partition(":")
        namespace = self.context.get(prefix)
        assert isinstance(namespace, str), f"{term}: the CTDL context has no prefix {prefix}"
        return namespace + name

    def of_type(self, term: str, kind: str) -> dict[str, Any]:
        found = self.terms.get(term)
        assert found is not None, f"{term} is not a CTDL term"
        assert found["@type"] == kind, f"{term} is a {found['@type']}, not a {kind}"
        return found

    def ancestors(self, cls: str) -> set[str]:
        seen, todo = {cls}, [cls]
        while todo:
            for parent in self.terms.get(todo.pop(), {}).get("rdfs:subClassOf", []):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen


def _valid(folder: Path) -> bool:
    return all(
        (folder / name).is_file()
        and hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
        for name, digest in PINNED.items()
    )


@pytest.fixture(scope="session")
def published_ctdl() -> Ctdl:
    folder = fetch_ctdl.folder()
    if not all((folder / name).is_file() for name in PINNED):
        reason = f"the CTDL context and schema are not in {folder}: run python tests/interop/fetch_ctdl.py"
        if os.environ.get("CAIRN_REQUIRE_INTEROP") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    if not _valid(folder):
        pytest.fail(f"the CTDL files in {folder} do not match the pinned digests")
    context = json.loads((folder / "context.json").read_text(encoding="utf-8"))["@context"]
    schema = json.loads((folder / "schema.json").read_text(encoding="utf-8"))
    return Ctdl(context=context, terms={node["@id"]: node for node in schema["@graph"]})


def _check_node(ctdl_: Ctdl, node: dict[str, Any], where: str, problems: list[str]) -> None:
    cls = node["@type"]
    ctdl_.of_type(cls, "rdfs:Class")
    allowed = set(ctdl_.terms[cls].get("meta:domainFor", []))
    for key, value in node.items():
        if key.startswith("@"):
            continue
        at = f"{where}.{key}"
        if not ctdl_.expand(key).startswith(NAMESPACES):
            problems.append(f"{at}: expands outside the CTDL namespaces")
        prop = ctdl_.of_type(key, "rdf:Property")
        if key not in allowed:
            problems.append(f"{at}: not a property of {cls}")
        definition = ctdl_.context.get(key, {})
        if definition.get("@container") == "@language":
            if not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
                problems.append(f"{at}: a language map is expected")
            continue
        ranges = set(prop.get("schema:rangeIncludes", []))
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                if not ctdl_.ancestors(item["@type"]) & ranges:
                    problems.append(f"{at}: {item['@type']} is not in its range {sorted(ranges)}")
                _check_concept(ctdl_, item, at, problems)
                _check_node(ctdl_, item, at, problems)
            elif definition.get("@type") == "@id":
                if not _is_iri(ctdl_, item):
                    problems.append(f"{at}: {item!r} is not an IRI")
            elif isinstance(item, dict | list):
                problems.append(f"{at}: a literal is expected")


def _is_iri(ctdl_: Ctdl, value: Any) -> bool:
    if not isinstance(value, str):
        return False
    if value.startswith(("https://", "http://")):
        return True
    return ctdl_.terms.get(value, {}).get("@type") in ("skos:Concept", "skos:ConceptScheme")


def _check_concept(ctdl_: Ctdl, node: dict[str, Any], where: str, problems: list[str]) -> None:
    """A concept scheme value names a real concept of the scheme it says, by its label."""
    target = node.get("ceterms:targetNode", "")
    if node["@type"] != "ceterms:CredentialAlignmentObject" or not target or "//" in target:
        return
    concept = ctdl_.of_type(target, "skos:Concept")
    if node.get("ceterms:framework") not in concept.get("skos:inScheme", []):
        problems.append(f"{where}: {target} is not in {node.get('ceterms:framework')}")
    if node["ceterms:targetNodeName"] != concept["skos:prefLabel"]:
        problems.append(f"{where}: {target} is called {concept['skos:prefLabel']}")


def test_the_export_uses_only_ctdl_terms_in_their_domains_and_ranges(
    published_ctdl: Ctdl, exported: dict[str, Any]
) -> None:
    assert exported["@context"] == "https://credreg.net/ctdl/schema/context/json"
    problems: list[str] = []
    for number, node in enumerate(exported["@graph"]):
        _check_node(published_ctdl, node, f"@graph[{number}]", problems)
    assert problems == []
    for term in ("ceterms:MicroCredential", "ceterms:creditUnitType"):
        assert published_ctdl.expand(term).startswith("https://purl.org/ctdl/terms/")
