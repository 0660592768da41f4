"""Issuers' Ed25519 signing keys, the secret half sealed by a key store (decision 0033)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin
from cairn.orgs import models as orgs_models  # noqa: F401 - keys belong to organisations


class IssuerKey(IdMixin, Base):
    """One signing key of an issuing organisation.

    A rotated key is retired, never deleted: credentials it signed must stay verifiable,
    so it stays in the organisation's DID document. Only the newest active key signs."""

    __tablename__ = "issuer_keys"

    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    store: Mapped[str] = mapped_column(String(40))
    """The key store that holds the secret half: ``local`` is Cairn's encrypted store."""
    sealed_secret: Mapped[bytes] = mapped_column(LargeBinary)
    """What the store needs to sign: for ``local``, the seed encrypted with AES-256-GCM."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]
