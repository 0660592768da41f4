"""Issuers' keys: sealed at rest, made on first use, rotated by registrars only, and
every key ever used kept in the organisation's DID document."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy.orm import Session

from cairn.credentials import did, key_service
from cairn.credentials.key_models import IssuerKey
from cairn.credentials.keystore import KeyStoreError, LocalKeyStore
from cairn.credentials.multikey import public_multikey
from cairn.kit.actor import Role
from cairn.kit.errors import NotFound, PermissionDenied
from cairn.orgs.enums import OrgKind
from tests.factories.orgs import actor, make_member, make_org


def test_a_sealed_secret_opens_only_with_its_key_encryption_key_and_its_own_id() -> None:
    store = LocalKeyStore(os.urandom(32))
    key_id, other_id = uuid.uuid4(), uuid.uuid4()
    made = store.generate(key_id)

    signature = store.signer(key_id, made.sealed_secret).sign(b"data")

    assert len(signature) == 64
    with pytest.raises(KeyStoreError, match="CAIRN_KEY_ENCRYPTION_KEY"):
        LocalKeyStore(os.urandom(32)).signer(key_id, made.sealed_secret)
    with pytest.raises(KeyStoreError):
        store.signer(other_id, made.sealed_secret)  # a sealed key moved to another row


def test_the_first_credential_makes_the_key_and_later_ones_reuse_it(session: Session) -> None:
    college = make_org(session, kind=OrgKind.PROVIDER)
    store = LocalKeyStore(os.urandom(32))

    first = key_service.signing_key(session, store, college.id)
    again = key_service.signing_key(session, store, college.id)

    assert first.key.id == again.key.id
    stored = session.get(IssuerKey, first.key.id)
    assert stored is not None
    seed = first.signer.private_bytes_raw()  # type: ignore[attr-defined]
    assert seed not in stored.sealed_secret  # encrypted at rest


def test_a_rotation_keeps_the_old_key_for_verifying_but_not_for_signing(session: Session) -> None:
    college = make_org(session, kind=OrgKind.PROVIDER)
    registrar = actor(session, make_member(session, college, Role.ISSUER_ADMIN))
    store = LocalKeyStore(os.urandom(32))
    old = key_service.signing_key(session, store, college.id).key

    new = key_service.rotate(session, registrar, store, college.id)
    identifier = did.did_web("https://cairn.example", college.slug)
    document = key_service.document_for(session, identifier, college.id)

    assert key_service.signing_key(session, store, college.id).key.id == new.id
    assert [m["publicKeyMultibase"] for m in document["verificationMethod"]] == [
        public_multikey(new.public_key),
        public_multikey(old.public_key),
    ]
    # What the old key signed still verifies: it remains an assertion method.
    assert document["assertionMethod"] == [
        did.method_id(identifier, new.public_key),
        did.method_id(identifier, old.public_key),
    ]


def test_rotating_before_anything_was_signed_makes_the_first_key(session: Session) -> None:
    college = make_org(session, kind=OrgKind.PROVIDER)
    registrar = actor(session, make_member(session, college, Role.ISSUER_ADMIN))
    store = LocalKeyStore(os.urandom(32))

    first = key_service.rotate(session, registrar, store, college.id)

    assert first.retired_at is None
    assert key_service.published_keys(session, college.id) == [
        did.PublishedKey(first.public_key, True)
    ]
    assert key_service.signing_key(session, store, college.id).key.id == first.id


def test_only_the_issuers_registrars_rotate_its_keys(session: Session) -> None:
    college = make_org(session, kind=OrgKind.PROVIDER)
    elsewhere = make_org(session, kind=OrgKind.PROVIDER)
    store = LocalKeyStore(os.urandom(32))
    educator = actor(session, make_member(session, college, Role.EDUCATOR))
    outsider = actor(session, make_member(session, elsewhere, Role.ISSUER_ADMIN))

    with pytest.raises(PermissionDenied):
        key_service.rotate(session, educator, store, college.id)
    with pytest.raises(NotFound):
        key_service.rotate(session, outsider, store, college.id)
    assert key_service.published_keys(session, college.id) == []


@pytest.mark.parametrize(
    ("base_url", "identifier", "url"),
    [
        (
            "https://cairn.example",
            "did:web:cairn.example:orgs:lakeshore",
            "https://cairn.example/orgs/lakeshore/did.json",
        ),
        (
            "http://127.0.0.1:8000",
            "did:web:127.0.0.1%3A8000:orgs:lakeshore",
            "http://127.0.0.1:8000/orgs/lakeshore/did.json",
        ),
        (
            "https://skills.example.org/cairn/",
            "did:web:skills.example.org:cairn:orgs:lakeshore",
            "https://skills.example.org/cairn/orgs/lakeshore/did.json",
        ),
    ],
)
def test_an_organisations_did_web_resolves_to_where_cairn_serves_it(
    base_url: str, identifier: str, url: str
) -> None:
    assert did.did_web(base_url, "lakeshore") == identifier
    assert did.did_web_url(identifier) == url
    assert did.did_web_url(identifier + "#key-1") == url


def test_a_bare_domain_did_web_lives_under_well_known() -> None:
    assert did.did_web_url("did:web:example.com") == "https://example.com/.well-known/did.json"
