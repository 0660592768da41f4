"""Credentials from issuers outside Cairn, and wallet items, for wallet tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from cairn.credentials import data_integrity, jose, wallet_service
from cairn.credentials.data_integrity import ProofOptions
from cairn.credentials.did import method_id
from cairn.credentials.jsonld import JsonObject
from cairn.credentials.multikey import did_key
from cairn.credentials.openbadges import CONTEXTS
from cairn.credentials.wallet_models import WalletItem
from cairn.kit.actor import Actor


@dataclass(frozen=True)
class ForeignIssuer:
    """An issuer elsewhere, identified by a did:key, so its credentials verify offline."""

    key: Ed25519PrivateKey
    name: str

    @property
    def did(self) -> str:
        return did_key(self.key.public_key().public_bytes_raw())

    @property
    def method(self) -> str:
        return method_id(self.did, self.key.public_key().public_bytes_raw())

    def unsigned(self, title: str = "Forklift safety", **changes: Any) -> JsonObject:
        credential: JsonObject = {
            "@context": list(CONTEXTS),
            "id": f"urn:uuid:{title.lower().replace(' ', '-')}-{self.did[-8:]}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": self.did, "type": ["Profile"], "name": self.name},
            "validFrom": "2025-03-01T09:00:00Z",
            "name": title,
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "achievement": {
                    "id": "https://training.example/achievements/forklift",
                    "type": ["Achievement"],
                    "name": title,
                    "description": "Operates a counterbalance forklift safely.",
                    "criteria": {"narrative": "Passed a practical test."},
                },
            },
        }
        credential.update(changes)
        return credential

    def sign(self, credential: JsonObject) -> str:
        """The credential with an eddsa-rdfc-2022 proof, as JSON text."""
        options = ProofOptions(self.method, "2025-03-01T09:00:00Z")
        return json.dumps(data_integrity.sign(credential, self.key, options))

    def sign_jwt(self, credential: JsonObject) -> str:
        return jose.sign(credential, self.key, self.method)


def make_foreign_issuer(name: str = "Harbour Training Co") -> ForeignIssuer:
    return ForeignIssuer(Ed25519PrivateKey.generate(), name)


def make_foreign_credential(title: str = "Forklift safety", **changes: Any) -> str:
    """A credential signed by an issuer outside Cairn, as JSON text."""
    issuer = make_foreign_issuer()
    return issuer.sign(issuer.unsigned(title, **changes))


def make_held(session: Session, owner: Actor, document: str | None = None) -> WalletItem:
    """An imported credential in ``owner``'s wallet."""
    return wallet_service.import_text(session, owner, document or make_foreign_credential()).item
