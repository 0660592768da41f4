"""The audit trail of a co-design thread: one append-only event per change, saying who
did what for which organisation and which fields went from what to what."""

from __future__ import annotations

import uuid
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from cairn.catalogue.codesign_models import CodesignEvent, Proposal, SkillsNeed
from cairn.catalogue.enums import CodesignAction
from cairn.kit.actor import Actor


def plain(value: object) -> Any:
    """A value as JSON keeps it: dates as ISO text, ids as text, enums as their value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def change(before: object, after: object) -> dict[str, Any]:
    return {"from": plain(before), "to": plain(after)}


def apply(target: object, values: dict[str, Any]) -> dict[str, Any]:
    """Set each value on ``target`` and return the fields that changed, old → new."""
    changed: dict[str, Any] = {}
    for name, value in values.items():
        before = getattr(target, name)
        if before != value:
            changed[name] = change(before, value)
            setattr(target, name, value)
    return changed


def record(
    session: Session,
    actor: Actor,
    need: SkillsNeed,
    action: CodesignAction,
    org_id: uuid.UUID,
    *,
    proposal: Proposal | None = None,
    detail: dict[str, Any] | None = None,
) -> CodesignEvent:
    event = CodesignEvent(
        need_id=need.id,
        proposal_id=proposal.id if proposal else None,
        action=action,
        actor_id=None if actor.system else actor.person_id,
        org_id=org_id,
        detail=detail or {},
    )
    session.add(event)
    session.flush()
    return event
