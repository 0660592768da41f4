"""Queries of the assessment domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cairn.assessment.enums import AttemptStatus
from cairn.assessment.models import (
    Attempt,
    Item,
    ItemBank,
    Response,
)


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


def get_bank(session: Session, bank_id: uuid.UUID) -> ItemBank | None:
    return session.get(ItemBank, bank_id)


def get_item(session: Session, item_id: uuid.UUID) -> Item | None:
    return session.get(Item, item_id)


def items_by_ids(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Item]:
    found = session.scalars(select(Item).where(Item.id.in_(list(ids)))).all()
    return {item.id: item for item in found}


def count_exposure(session: Session, item_id: uuid.UUID) -> None:
    """One more showing, counted in the database so concurrent tests do not lose any."""
    session.execute(update(Item).where(Item.id == item_id).values(exposures=Item.exposures + 1))


def get_attempt(session: Session, attempt_id: uuid.UUID) -> Attempt | None:
    return session.get(Attempt, attempt_id)


def attempt_for_update(session: Session, attempt_id: uuid.UUID) -> Attempt | None:
    """The attempt, locked on PostgreSQL so that two answers sent at once are taken in turn."""
    return session.scalar(
        select(Attempt).where(Attempt.id == attempt_id).with_for_update(of=Attempt)
    )


def attempts_of(session: Session, person_id: uuid.UUID) -> Sequence[Attempt]:
    return session.scalars(
        select(Attempt).where(Attempt.person_id == person_id).order_by(Attempt.created_at.desc())
    ).all()


def open_attempt(
    session: Session,
    person_id: uuid.UUID,
    bank_id: uuid.UUID,
    scope_skill_id: uuid.UUID | None,
    campaign_id: uuid.UUID | None,
) -> Attempt | None:
    """The person's unfinished attempt at the same test, to resume rather than restart."""
    query = select(Attempt).where(
        Attempt.person_id == person_id,
        Attempt.bank_id == bank_id,
        Attempt.status == AttemptStatus.IN_PROGRESS,
        Attempt.scope_skill_id.is_(None)
        if scope_skill_id is None
        else Attempt.scope_skill_id == scope_skill_id,
        Attempt.campaign_id.is_(None)
        if campaign_id is None
        else Attempt.campaign_id == campaign_id,
    )
    return session.scalars(query.order_by(Attempt.created_at.desc())).first()


def responses_of(session: Session, attempt_id: uuid.UUID) -> Sequence[tuple[Response, Item]]:
    rows = session.execute(
        select(Response, Item)
        .join(Item, Item.id == Response.item_id)
        .where(Response.attempt_id == attempt_id)
        .order_by(Response.position)
    ).all()
    return [(response, item) for response, item in rows]


def finished_campaign_attempt(
    session: Session, person_id: uuid.UUID, campaign_id: uuid.UUID
) -> Attempt | None:
    return session.scalars(
        select(Attempt).where(
            Attempt.person_id == person_id,
            Attempt.campaign_id == campaign_id,
            Attempt.status == AttemptStatus.COMPLETED,
        )
    ).first()


def bank_responses(session: Session, bank_id: uuid.UUID) -> Sequence[tuple[uuid.UUID, str, int]]:
    """(attempt, item key, category) for every answer to a current item of the bank in a
    finished attempt: the data calibration estimates from."""
    rows = session.execute(
        select(Response.attempt_id, Item.key, Response.category)
        .join(Item, Item.id == Response.item_id)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(
            Item.bank_id == bank_id,
            Item.is_current.is_(True),
            Attempt.status == AttemptStatus.COMPLETED,
        )
    ).all()
    return [(attempt_id, key, category) for attempt_id, key, category in rows]
