"""Queries of the assessment domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.assessment.models import Item, ItemBank


def find_bank(session: Session, slug: str, version: str) -> ItemBank | None:
    return session.scalar(
        select(ItemBank).where(ItemBank.slug == slug, ItemBank.version == version)
    )


def list_banks(session: Session, org_ids: Sequence[uuid.UUID] | None) -> Sequence[ItemBank]:
    """Public banks and those owned by ``org_ids`` (None: every bank)."""
    query = select(ItemBank).order_by(ItemBank.title, ItemBank.version)
    if org_ids is not None:
        query = query.where(
            ItemBank.owner_org_id.is_(None) | ItemBank.owner_org_id.in_(list(org_ids))
        )
    return session.scalars(query).all()


def current_items(session: Session, bank_id: uuid.UUID) -> Sequence[Item]:
    return session.scalars(
        select(Item).where(Item.bank_id == bank_id, Item.is_current.is_(True)).order_by(Item.key)
    ).all()


def item_versions(session: Session, bank_id: uuid.UUID, key: str) -> Sequence[Item]:
    return session.scalars(
        select(Item).where(Item.bank_id == bank_id, Item.key == key).order_by(Item.version)
    ).all()
