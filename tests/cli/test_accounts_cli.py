"""``cairn accounts`` for programs run for real on a SQLite file: a program created from the
SkillsFuture rules file and opened, a learner joined, the daily run granting the
mid-career credit on the 40th birthday, then the balance, a statement and the finance CSV."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources
from pathlib import Path

from sqlalchemy.orm import Session

from cairn import migrations
from cairn.accounts import participation
from cairn.accounts.models import Program
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Person
from tests.cli import database, run_cairn
from tests.factories.accounts import make_facts
from tests.factories.orgs import actor, make_org, make_person


def test_a_program_is_created_run_and_reported_from_the_command_line(tmp_path: Path) -> None:
    with database(tmp_path) as engine:
        migrations.upgrade(engine)
        with Session(engine) as session:
            org = make_org(session, kind=OrgKind.PROGRAM_AUTHORITY).slug
            learner = make_person(session, email="lena@example.org")
            make_facts(session, learner, birth_date=date(1986, 6, 15))
            learner_id = learner.id
            session.commit()
    rules = resources.files("cairn.accounts").joinpath("examples", "skillsfuture.json")
    rules_file = tmp_path / "rules.json"
    rules_file.write_text(rules.read_text(encoding="utf-8"), encoding="utf-8")
    common = ("--org", org, "--name", "SkillsFuture Credit", "--slug", "skillsfuture")

    created = run_cairn(
        tmp_path, "accounts", "programs", "create", "--file", str(rules_file), *common
    )
    opened = run_cairn(tmp_path, "accounts", "programs", "open", f"{org}/skillsfuture")
    assert created.returncode == 0, created.stderr
    assert "Created the draft program" in created.stdout
    assert opened.returncode == 0, opened.stderr

    with database(tmp_path) as engine, Session(engine) as session:
        program = session.query(Program).one()
        participation.join(
            session,
            actor(session, session.get_one(Person, learner_id)),
            program.id,
            consent=True,
            on=date(2026, 1, 5),
        )
        session.commit()
    ran = run_cairn(tmp_path, "accounts", "run", "--as-of", "2026-06-15")
    balance = run_cairn(tmp_path, "accounts", "balance", "--user", "lena@example.org")
    statement = run_cairn(
        tmp_path, "accounts", "statement", "--user", "lena@example.org", "--month", "2026-06"
    )
    output = tmp_path / "transfers.csv"
    exported = run_cairn(
        tmp_path,
        *("accounts", "export", "--program", f"{org}/skillsfuture"),
        *("--from", "2026-01-01", "--to", "2026-12-31", "--output", str(output)),
    )

    assert ran.returncode == 0, ran.stderr
    assert "1 grants and 0 expiries posted" in ran.stdout
    assert balance.returncode == 0, balance.stderr
    assert "4,000.00" in balance.stdout
    assert statement.returncode == 0, statement.stderr
    assert "Opening balance" in statement.stdout
    assert exported.returncode == 0, exported.stderr
    with output.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["kind"] for row in rows] == ["grant"] * 4
