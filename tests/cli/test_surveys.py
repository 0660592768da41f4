"""``cairn awards record`` and ``cairn surveys send-due`` run for real on a SQLite file:
the award schedules the learner's survey, and the job mails it once it is due."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn import migrations
from cairn.kit.mail import OutboxMessage
from tests.cli import database, run_cairn
from tests.factories.credentials import make_issuer
from tests.factories.orgs import make_person


def test_an_award_from_the_command_line_is_surveyed_when_due(tmp_path: Path) -> None:
    with database(tmp_path) as engine:
        migrations.upgrade(engine)
        with Session(engine) as session:
            college = make_issuer(session)
            college.publish(session, "wound-care")
            make_person(session, email="lena@example.org")
            slug = college.org.slug
            session.commit()

    recorded = run_cairn(
        tmp_path,
        *("awards", "record", "--org", slug, "--learner", "lena@example.org"),
        *("--specification", "wound-care", "--awarded-on", "2026-01-15", "--grade", "Pass"),
    )
    assert recorded.returncode == 0, recorded.stderr
    assert "lena@example.org holds Wound care essentials (version 1)." in recorded.stdout
    sent = run_cairn(tmp_path, "surveys", "send-due", "--today", "2026-01-15")
    assert sent.returncode == 0, sent.stderr
    assert "Surveys sent: 1" in sent.stdout

    with database(tmp_path) as engine, Session(engine) as session:
        [mail] = session.scalars(select(OutboxMessage)).all()
    assert mail.recipient == "lena@example.org"
    assert "/surveys/" in mail.body
