"""``cairn offerings`` and ``cairn enrol`` run for real on a SQLite file: a bad run is
refused naming the option, a learner is enrolled at the split shown, and completion pays."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn import migrations
from cairn.accounts.enums import HoldStatus
from cairn.accounts.ledger_models import Hold
from cairn.catalogue.models import Specification
from tests.cli import database, error_lines, run_cairn
from tests.factories.catalogue import make_funded_course


def test_a_learner_is_enrolled_at_the_split_shown_and_completion_pays(tmp_path: Path) -> None:
    with database(tmp_path) as engine:
        migrations.upgrade(engine)
        with Session(engine) as session:
            course = make_funded_course(session)
            college, email = course.college.slug, course.learner.email
            offering = str(course.offering.id)
            spec = session.get_one(Specification, course.version.specification_id).slug
            session.commit()

    added = run_cairn(
        tmp_path,
        *("offerings", "add", "--specification", spec, "--org", college, "--code", "DA-LATE"),
        *("--starts-on", "2031-09-01", "--ends-on", "2031-10-30", "--price-minor", "-5"),
        *("--currency", "SGD", "--hours", "30"),
    )
    assert error_lines(added.stderr) == [
        "error: --price-minor: The price cannot be negative; 0 is free."
    ]
    confirmed = run_cairn(tmp_path, "enrol", "confirm", "--user", email, "--offering", offering)
    assert confirmed.returncode == 0, confirmed.stderr
    assert "Employer share" in confirmed.stdout
    assert "Enrolled:" in confirmed.stdout
    completed = run_cairn(tmp_path, "enrol", "complete", "--user", email, "--offering", offering)
    assert completed.returncode == 0, completed.stderr

    with database(tmp_path) as engine, Session(engine) as session:
        assert set(session.scalars(select(Hold.status))) == {HoldStatus.CAPTURED}
