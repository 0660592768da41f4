"""did:web identifiers: where each one's document is fetched from, and the refusal of
strings that only look like one, so no request is made to a made-up address."""

from __future__ import annotations

import pytest

from cairn.credentials import did
from cairn.credentials.multikey import InvalidKey


@pytest.mark.parametrize(
    ("base_url", "identifier", "document_url"),
    [
        (
            "https://cairn.example",
            "did:web:cairn.example:orgs:lakeshore",
            "https://cairn.example/orgs/lakeshore/did.json",
        ),
        (
            "https://cairn.example/tenant/",
            "did:web:cairn.example:tenant:orgs:lakeshore",
            "https://cairn.example/tenant/orgs/lakeshore/did.json",
        ),
        (
            "http://localhost:8000",
            "did:web:localhost%3A8000:orgs:lakeshore",
            "http://localhost:8000/orgs/lakeshore/did.json",
        ),
    ],
)
def test_an_organisations_did_names_where_its_document_is_served(
    base_url: str, identifier: str, document_url: str
) -> None:
    assert did.did_web(base_url, "lakeshore") == identifier
    assert did.did_web_url(identifier) == document_url
    assert did.did_web_url(f"{identifier}#z6MkKey") == document_url


def test_a_bare_host_did_web_is_served_from_its_well_known_address() -> None:
    assert did.did_web_url("did:web:cairn.example") == "https://cairn.example/.well-known/did.json"


@pytest.mark.parametrize("identifier", ["did:key:z6MkKey", "https://cairn.example/did.json"])
def test_an_identifier_of_another_kind_has_no_did_web_address(identifier: str) -> None:
    with pytest.raises(InvalidKey, match="not a did:web"):
        did.did_web_url(identifier)


@pytest.mark.parametrize(
    "identifier",
    ["did:web:", "did:web:#key", "did:web:cairn.example::lakeshore", "did:web:cairn.example:orgs:"],
)
def test_a_did_web_with_an_empty_host_or_path_segment_is_refused(identifier: str) -> None:
    with pytest.raises(InvalidKey, match="not a well-formed did:web"):
        did.did_web_url(identifier)
