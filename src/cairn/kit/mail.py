"""Outgoing mail behind one interface: a local outbox by default, SMTP when configured.

The outbox is a table written in the sender's transaction, so a rolled-back invitation
never leaves a stray e-mail, and anyone running the demo can read what would have gone out.
"""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from cairn.config import MailBackend, Settings
from cairn.kit.clock import utcnow
from cairn.kit.db import Base, IdMixin


class OutboxMessage(IdMixin, Base):
    __tablename__ = "outbox_messages"

    recipient: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class Mail:
    recipient: str
    subject: str
    body: str


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


class OutboxMailer:
    """Writes mail into the sender's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def send(self, mail: Mail) -> None:
        self._session.add(
            OutboxMessage(recipient=mail.recipient, subject=mail.subject, body=mail.body)
        )
        self._session.flush()


class SmtpMailer:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def send(self, mail: Mail) -> None:
        message = EmailMessage()
        message["From"] = self._settings.mail_from
        message["To"] = mail.recipient
        message["Subject"] = mail.subject
        message.set_content(mail.body)
        with smtplib.SMTP(self._settings.smtp_host, self._settings.smtp_port, timeout=30) as smtp:
            if self._settings.smtp_starttls:
                smtp.starttls()
            if self._settings.smtp_username and self._settings.smtp_password:
                smtp.login(
                    self._settings.smtp_username, self._settings.smtp_password.get_secret_value()
                )
            smtp.send_message(message)


def mailer_for(settings: Settings, session: Session) -> Mailer:
    if settings.mail_backend is MailBackend.SMTP:
        return SmtpMailer(settings)
    return OutboxMailer(session)


def list_outbox(
    session: Session, *, recipient: str | None = None, limit: int = 100
) -> Sequence[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc()).limit(limit)
    if recipient is not None:
        query = query.where(OutboxMessage.recipient == recipient)
    return session.scalars(query).all()


def get_outbox_message(session: Session, message_id: uuid.UUID) -> OutboxMessage | None:
    return session.get(OutboxMessage, message_id)
