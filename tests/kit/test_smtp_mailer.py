"""The SMTP backend delivers to a real SMTP server on localhost (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy.orm import Session as DbSession

from cairn.config import MailBackend, Settings
from cairn.kit.mail import Mail, OutboxMailer, SmtpMailer, mailer_for
from tests.conftest import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, Message]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        assert isinstance(envelope.content, bytes)
        self.messages.append((envelope, message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_the_backend_is_chosen_by_settings(session: DbSession) -> None:
    assert isinstance(mailer_for(Settings(mail_backend=MailBackend.SMTP), session), SmtpMailer)
    assert isinstance(mailer_for(Settings(), session), OutboxMailer)


def test_smtp_backend_delivers_the_invitation_text(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    settings = Settings(
        mail_backend=MailBackend.SMTP,
        smtp_host="127.0.0.1",
        smtp_port=port,
        mail_from="Cairn <cairn@example.org>",
    )

    SmtpMailer(settings).send(
        Mail(
            recipient="newcomer@example.org",
            subject="Join Northwind",
            body="Open this link: http://x/invitations/t",
        ),
    )

    assert len(inbox.messages) == 1
    envelope, message = inbox.messages[0]
    assert envelope.rcpt_tos == ["newcomer@example.org"]
    assert message["Subject"] == "Join Northwind"
    assert message["From"] == "Cairn <cairn@example.org>"
    assert "http://x/invitations/t" in message.get_payload(decode=True).decode()  # type: ignore[union-attr]
