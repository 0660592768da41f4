"""What only platform administrators see: the local mail outbox."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from cairn.kit import mail
from cairn.kit.actor import Actor
from cairn.kit.errors import NotFound
from cairn.kit.i18n import lazy_gettext
from cairn.kit.mail import OutboxMessage


def _require_platform_admin(actor: Actor) -> None:
    if not actor.is_platform_admin or actor.scopes is not None:
        # Invisible to everyone else, like another organisation's objects.
        raise NotFound(lazy_gettext("This page does not exist, or you do not have access to it."))


def read_outbox(session: Session, actor: Actor) -> Sequence[OutboxMessage]:
    """The newest messages the outbox mail backend kept instead of sending."""
    _require_platform_admin(actor)
    return mail.list_outbox(session)


def read_outbox_message(session: Session, actor: Actor, message_id: uuid.UUID) -> OutboxMessage:
    _require_platform_admin(actor)
    message = mail.get_outbox_message(session, message_id)
    if message is None:
        raise NotFound(lazy_gettext("Message not found."))
    return message
