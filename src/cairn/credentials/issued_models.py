"""Issued verifiable credentials, the status lists that can revoke them, and bulk batches.

Cairn keeps every credential it signs exactly as it was signed: a verifier checks the
bytes the learner holds, so the stored document is never re-rendered (decision 0035)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cairn.credentials import models as award_models  # noqa: F401 - credentials cite awards
from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin, str_enum


class CredentialKind(StrEnum):
    ACHIEVEMENT = "achievement"
    """An OpenBadgeCredential for one award."""
    CLR = "clr"
    """A ClrCredential bundling a learner's achievement credentials."""
    ENDORSEMENT = "endorsement"
    """An EndorsementCredential by an endorsing organisation about an achievement."""


class ProofFormat(StrEnum):
    EDDSA_RDFC_2022 = "eddsa-rdfc-2022"
    EDDSA_JCS_2022 = "eddsa-jcs-2022"
    VC_JWT = "vc+jwt"


class StatusPurpose(StrEnum):
    REVOCATION = "revocation"
    SUSPENSION = "suspension"


class StatusList(IdMixin, Base):
    """One Bitstring Status List of an issuer, published as a signed credential.

    The bits are the truth; ``published`` caches the signed list credential and is cleared
    whenever a bit changes, so the list is signed again on its next request."""

    __tablename__ = "status_lists"

    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    purpose: Mapped[StatusPurpose] = mapped_column(str_enum(StatusPurpose, "status_purpose"))
    size: Mapped[int] = mapped_column(Integer)
    bits: Mapped[bytes] = mapped_column(LargeBinary)
    published: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class IssuedCredential(IdMixin, Base):
    """A credential Cairn signed; its id is the credential's ``urn:uuid:``."""

    __tablename__ = "issued_credentials"

    issuer_org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[CredentialKind] = mapped_column(str_enum(CredentialKind, "credential_kind"))
    proof_format: Mapped[ProofFormat] = mapped_column(str_enum(ProofFormat, "proof_format"))
    learner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    award_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("awards.id", ondelete="RESTRICT"), index=True
    )
    endorsement_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("endorsements.id", ondelete="SET NULL"), index=True
    )
    """For an EndorsementCredential: the catalogue endorsement it was signed for."""
    batch_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("issue_batches.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    """The achievement's name when issued, for lists; the document is the record."""
    document: Mapped[str] = mapped_column(Text)
    """The signed credential exactly as issued: JSON, or a compact JWT for ``vc+jwt``."""
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime | None]
    issued_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    suspended_at: Mapped[datetime | None]
    suspension_reason: Mapped[str | None] = mapped_column(Text)


class StatusEntry(Base):
    """Where a credential sits in one of its issuer's status lists."""

    __tablename__ = "status_entries"
    __table_args__ = (UniqueConstraint("list_id", "position"),)

    credential_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("issued_credentials.id", ondelete="CASCADE"), primary_key=True
    )
    list_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("status_lists.id", ondelete="RESTRICT"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer)


class BatchStatus(StrEnum):
    CHECKED = "checked"
    """A dry run: every row was checked, nothing was issued."""
    REFUSED = "refused"
    ISSUED = "issued"


class IssueBatch(IdMixin, Base):
    """One bulk issue from a CSV file: its log, kept after the run."""

    __tablename__ = "issue_batches"

    org_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("specification_versions.id", ondelete="RESTRICT")
    )
    filename: Mapped[str] = mapped_column(String(300))
    status: Mapped[BatchStatus] = mapped_column(str_enum(BatchStatus, "batch_status"))
    rows: Mapped[int] = mapped_column(Integer)
    issued: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[str | None] = mapped_column(Text)
    """The refused rows, one per line, as they were reported."""
    started_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
