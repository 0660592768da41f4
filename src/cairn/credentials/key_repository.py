"""Queries for issuers' signing keys."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.credentials.key_models import IssuerKey


def keys_of(session: Session, org_id: uuid.UUID) -> Sequence[IssuerKey]:
    """The active key first, then retired ones from the most recently retired."""
    return session.scalars(
        select(IssuerKey)
        .where(IssuerKey.org_id == org_id)
        .order_by(IssuerKey.retired_at.is_not(None), IssuerKey.created_at.desc())
    ).all()


def active_key(session: Session, org_id: uuid.UUID, *, lock: bool = False) -> IssuerKey | None:
    query = (
        select(IssuerKey)
        .where(IssuerKey.org_id == org_id, IssuerKey.retired_at.is_(None))
        .order_by(IssuerKey.created_at.desc())
        .limit(1)
    )
    return session.scalars(query.with_for_update() if lock else query).first()
