"""Queries of the learner's wallet: the items a person holds and the links that share them."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cairn.credentials.wallet_models import HolderKey, Share, WalletItem
from cairn.orgs.models import Person


def held_items(session: Session, owner_id: uuid.UUID) -> Sequence[WalletItem]:
    """What the person holds now, newest first; removed items are gone for them."""
    return session.scalars(
        select(WalletItem)
        .where(WalletItem.owner_id == owner_id, WalletItem.removed_at.is_(None))
        .order_by(WalletItem.added_at.desc(), WalletItem.id)
    ).all()


def held_item(session: Session, owner_id: uuid.UUID, item_id: uuid.UUID) -> WalletItem | None:
    """One item, only if ``owner_id`` holds it and has not removed it."""
    return session.scalar(
        select(WalletItem).where(
            WalletItem.id == item_id,
            WalletItem.owner_id == owner_id,
            WalletItem.removed_at.is_(None),
        )
    )


def held_items_by_id(
    session: Session, owner_id: uuid.UUID, item_ids: Collection[uuid.UUID]
) -> Sequence[WalletItem]:
    return session.scalars(
        select(WalletItem)
        .where(
            WalletItem.id.in_(item_ids),
            WalletItem.owner_id == owner_id,
            WalletItem.removed_at.is_(None),
        )
        .order_by(WalletItem.added_at.desc(), WalletItem.id)
    ).all()


def held_documents(session: Session, owner_id: uuid.UUID) -> Sequence[str]:
    """The documents the person holds now: what an import must not repeat."""
    return session.scalars(
        select(WalletItem.document).where(
            WalletItem.owner_id == owner_id, WalletItem.removed_at.is_(None)
        )
    ).all()


def shares_of(session: Session, item_id: uuid.UUID) -> Sequence[Share]:
    """Every link ever made for an item, newest first, revoked and expired ones too."""
    return session.scalars(
        select(Share).where(Share.item_id == item_id).order_by(Share.consented_at.desc(), Share.id)
    ).all()


def owned_share(session: Session, owner_id: uuid.UUID, share_id: uuid.UUID) -> Share | None:
    return session.scalar(select(Share).where(Share.id == share_id, Share.owner_id == owner_id))


def share_by_token(session: Session, token: str) -> tuple[Share, WalletItem, Person] | None:
    row = session.execute(
        select(Share, WalletItem, Person)
        .join(WalletItem, WalletItem.id == Share.item_id)
        .join(Person, Person.id == WalletItem.owner_id)
        .where(Share.token == token)
    ).first()
    return None if row is None else (row[0], row[1], row[2])


def revoke_shares_of(session: Session, item_id: uuid.UUID, when: datetime) -> None:
    """Revoke every link of an item that is not revoked yet, in one statement."""
    session.execute(
        update(Share)
        .where(Share.item_id == item_id, Share.revoked_at.is_(None))
        .values(revoked_at=when)
    )


def holder_key_of(session: Session, person_id: uuid.UUID) -> HolderKey:
    """The person's holder key, which must exist: make it first with ``holder_did``."""
    return session.scalars(select(HolderKey).where(HolderKey.person_id == person_id)).one()


def count_view(session: Session, share: Share, when: datetime) -> None:
    """One more view, added in the database so two visitors at once both count."""
    session.execute(
        update(Share)
        .where(Share.id == share.id)
        .values(views=Share.views + 1, last_viewed_at=when)
        .execution_options(synchronize_session="fetch")
    )
