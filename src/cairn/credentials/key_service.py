"""Issuers' signing keys: made on first use, rotated by registrars, never forgotten."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.catalogue.service import can_publish
from cairn.credentials import key_repository as repo
from cairn.credentials.did import PublishedKey, did_document
from cairn.credentials.jsonld import JsonObject
from cairn.credentials.key_models import IssuerKey
from cairn.credentials.keystore import KeyStore, Signer
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import PermissionDenied
from cairn.kit.i18n import lazy_gettext
from cairn.orgs.permissions import visible_organisation


@dataclass(frozen=True)
class SigningKey:
    key: IssuerKey
    signer: Signer


def _new_key(session: Session, store: KeyStore, org_id: uuid.UUID) -> IssuerKey:
    key_id = uuid.uuid4()
    made = store.generate(key_id)
    key = IssuerKey(
        id=key_id,
        org_id=org_id,
        public_key=made.public_key,
        store=store.name,
        sealed_secret=made.sealed_secret,
    )
    session.add(key)
    session.flush()
    return key


def signing_key(session: Session, store: KeyStore, org_id: uuid.UUID) -> SigningKey:
    """The organisation's active key, made on its first credential. The row is locked so
    two first credentials at once do not make two keys."""
    key = repo.active_key(session, org_id, lock=True) or _new_key(session, store, org_id)
    return SigningKey(key, store.signer(key.id, key.sealed_secret))


def rotate(session: Session, actor: Actor, store: KeyStore, org_id: uuid.UUID) -> IssuerKey:
    """Retire the active key and make a new one; the old key stays published so what it
    signed still verifies."""
    require_scope(actor, Scope.CATALOGUE_WRITE)
    visible_organisation(session, actor, org_id)
    if not can_publish(actor, org_id):
        raise PermissionDenied(lazy_gettext("Only the issuer's registrars can rotate its keys."))
    current = repo.active_key(session, org_id, lock=True)
    if current is not None:
        current.retired_at = utcnow()
    return _new_key(session, store, org_id)


def published_keys(session: Session, org_id: uuid.UUID) -> Sequence[PublishedKey]:
    return [PublishedKey(k.public_key, k.retired_at is None) for k in repo.keys_of(session, org_id)]


def document_for(session: Session, did: str, org_id: uuid.UUID) -> JsonObject:
    """The DID document of an organisation, public like its published credentials."""
    return did_document(did, published_keys(session, org_id))
