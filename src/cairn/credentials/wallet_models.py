"""The learner's wallet: holder keys, credentials held, and share links.

Every credential a learner holds is a wallet item, whether Cairn issued it or the learner
imported it from elsewhere; shares point at items, so one rule governs both (decision
0036)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cairn.credentials import issued_models  # noqa: F401 - items cite issued credentials
from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin, str_enum


class HolderKey(IdMixin, Base):
    """A learner's Ed25519 key: the learner's ``did:key`` is the subject of what Cairn
    issues to them, and signs their presentations. Sealed by the key store like an
    issuer's key."""

    __tablename__ = "holder_keys"

    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), unique=True
    )
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    store: Mapped[str] = mapped_column(String(40))
    sealed_secret: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ItemSource(StrEnum):
    ISSUED = "issued"
    """Issued by Cairn to this learner."""
    JSON = "json"
    PNG = "png"
    SVG = "svg"
    URL = "url"


class WalletItem(IdMixin, Base):
    __tablename__ = "wallet_items"

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[ItemSource] = mapped_column(str_enum(ItemSource, "wallet_item_source"))
    issued_credential_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("issued_credentials.id", ondelete="CASCADE"), index=True
    )
    source_url: Mapped[str | None] = mapped_column(String(2000))
    document: Mapped[str] = mapped_column(Text)
    """The credential as held: JSON, or a compact JWT."""
    title: Mapped[str] = mapped_column(String(300))
    issuer_name: Mapped[str] = mapped_column(String(300))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]


class Share(IdMixin, Base):
    """A link that shows one wallet item to whoever holds it, until it expires or the
    learner revokes it. Created only with the learner's explicit consent, recorded with
    the words they agreed to."""

    __tablename__ = "credential_shares"

    item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("wallet_items.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    audience: Mapped[str | None] = mapped_column(String(300))
    """Who the learner meant it for, in their words: shown back to them, never enforced."""
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    views: Mapped[int] = mapped_column(Integer, default=0)
    last_viewed_at: Mapped[datetime | None]
