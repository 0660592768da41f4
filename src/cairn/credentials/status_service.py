"""Bitstring Status Lists: a place for every credential, flipped to revoke or suspend, and
published as a signed credential anyone can fetch (decision 0034).

Each issuer has lists per purpose. A credential gets a random free position in the
newest list of each purpose, so its position says nothing about when it was issued or to
whom; a list is closed once half full, which keeps random picks cheap and the lists
large enough to hide in."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from cairn.config import get_settings
from cairn.credentials import bitstring, data_integrity, key_service
from cairn.credentials import issued_repository as repo
from cairn.credentials.data_integrity import Cryptosuite, ProofOptions
from cairn.credentials.did import did_web, method_id
from cairn.credentials.issued_models import StatusEntry, StatusList, StatusPurpose
from cairn.credentials.jsonld import JsonObject
from cairn.credentials.keystore import KeyStore, configured_store
from cairn.credentials.openbadges import VC_V2, xsd_datetime
from cairn.kit.clock import utcnow
from cairn.kit.errors import NotFound
from cairn.kit.i18n import lazy_gettext

ENTRY_TYPE = "BitstringStatusListEntry"
LIST_TYPE = "BitstringStatusListCredential"
FULL_AT = bitstring.MINIMUM_ENTRIES // 2


def list_url(list_id: uuid.UUID) -> str:
    return f"{get_settings().base_url.rstrip('/')}/credentials/status/{list_id}"


def list_id_of(url: str) -> uuid.UUID | None:
    """The id of one of this installation's lists from its URL, or None if it is not one."""
    prefix = f"{get_settings().base_url.rstrip('/')}/credentials/status/"
    if not url.startswith(prefix):
        return None
    try:
        return uuid.UUID(url.removeprefix(prefix))
    except ValueError:
        return None


class _Positions:
    """The taken positions of one list, read once per transaction: a bulk issue of
    thousands picks each position without asking the database again."""

    def __init__(self, session: Session, listing: StatusList) -> None:
        self.listing = listing
        self.taken = repo.positions_in(session, listing.id)


def _open_list(session: Session, org_id: uuid.UUID, purpose: StatusPurpose) -> _Positions:
    cache: dict[tuple[uuid.UUID, StatusPurpose], _Positions] = session.info.setdefault(
        "cairn.status_positions", {}
    )
    found = cache.get((org_id, purpose))
    if found is not None and len(found.taken) < FULL_AT:
        return found
    # Lock the issuer's newest list so two transactions do not pick the same position.
    listing = repo.newest_list(session, org_id, purpose, lock=True)
    positions = _Positions(session, listing) if listing is not None else None
    if positions is None or len(positions.taken) >= FULL_AT:
        size = bitstring.MINIMUM_ENTRIES
        listing = StatusList(
            org_id=org_id, purpose=purpose, size=size, bits=bytes(bitstring.empty(size))
        )
        session.add(listing)
        session.flush()
        positions = _Positions(session, listing)
    cache[(org_id, purpose)] = positions
    return positions


@dataclass(frozen=True)
class Allocation:
    entries: list[JsonObject]
    """The ``credentialStatus`` entries to put in the credential."""
    rows: list[StatusEntry]
    """To add once the credential's own row is added."""


def allocate(session: Session, org_id: uuid.UUID, credential_id: uuid.UUID) -> Allocation:
    """Give a new credential a random place in a revocation and a suspension list."""
    entries: list[JsonObject] = []
    rows: list[StatusEntry] = []
    for purpose in (StatusPurpose.REVOCATION, StatusPurpose.SUSPENSION):
        positions = _open_list(session, org_id, purpose)
        position = bitstring.random_free_index(positions.listing.size, positions.taken)
        positions.taken.add(position)
        rows.append(
            StatusEntry(
                credential_id=credential_id, list_id=positions.listing.id, position=position
            )
        )
        url = list_url(positions.listing.id)
        entries.append(
            {
                "id": f"{url}#{position}",
                "type": ENTRY_TYPE,
                "statusPurpose": purpose.value,
                "statusListIndex": str(position),
                "statusListCredential": url,
            }
        )
    return Allocation(entries, rows)


def set_status(
    session: Session, credential_id: uuid.UUID, purpose: StatusPurpose, flagged: bool
) -> bool:
    """Flip the credential's bit in its list of ``purpose``; False if it has no such list
    (a credential issued without status cannot be revoked that way)."""
    for entry, listing in repo.entries_of(session, credential_id):
        if listing.purpose is not purpose:
            continue
        repo.lock(session, listing)
        bits = bytearray(listing.bits)
        bitstring.set_bit(bits, entry.position, flagged)
        listing.bits = bytes(bits)
        listing.published = None
        listing.updated_at = utcnow()
        return True
    return False


def list_credential(listing: StatusList, issuer_did: str, now: datetime) -> JsonObject:
    """The unsigned BitstringStatusListCredential for a list as it stands."""
    url = list_url(listing.id)
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", LIST_TYPE],
        "issuer": issuer_did,
        "validFrom": xsd_datetime(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": listing.purpose.value,
            "encodedList": bitstring.encode(listing.bits),
        },
    }


def published(session: Session, list_id: uuid.UUID, store: KeyStore | None = None) -> str:
    """The signed status list credential, public by design: signed again only after a
    bit changed, so verifiers fetching it often cost one read."""
    listing = repo.status_list(session, list_id)
    if listing is None:
        raise NotFound(lazy_gettext("There is no such status list."))
    if listing.published is not None:
        return listing.published
    org = repo.owner_of(session, listing)
    issuer = did_web(get_settings().base_url, org.slug)
    signing = key_service.signing_key(session, store or configured_store(), org.id)
    now = utcnow()
    signed = data_integrity.sign(
        list_credential(listing, issuer, now),
        signing.signer,  # type: ignore[arg-type]
        ProofOptions(method_id(issuer, signing.key.public_key), xsd_datetime(now)),
        Cryptosuite.EDDSA_RDFC_2022,
    )
    listing.published = json.dumps(signed, ensure_ascii=False)
    return listing.published
