"""``cairn bulk-issue`` runs for real on a SQLite file: a bad file is refused with every
bad line on stderr and logged, a dry run issues nothing, a clean file is issued in the
format asked for, and ``log`` and ``show`` read the runs back."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn import migrations
from cairn.credentials.issued_models import BatchStatus, IssueBatch, IssuedCredential, ProofFormat
from tests.cli import database, error_lines, run_cairn
from tests.factories.bulk_issue import learners_csv
from tests.factories.credentials import make_issuer
from tests.factories.orgs import make_person


def test_a_file_is_refused_checked_issued_and_logged_from_the_command_line(
    tmp_path: Path,
) -> None:
    with database(tmp_path) as engine:
        migrations.upgrade(engine)
        with Session(engine) as session:
            college = make_issuer(session)
            college.publish(session, "wound-care")
            for name in ("lena", "marc"):
                make_person(session, email=f"{name}@example.org")
            slug = college.org.slug
            session.commit()
    header = ("email", "awarded_on", "grade")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        learners_csv(
            [("lena@example.org", "2026-03-02", "Pass"), ("nobody@example.org", "2026-03-02", "")],
            header,
        )
    )
    good = tmp_path / "cohort.csv"
    good.write_bytes(
        learners_csv(
            [("lena@example.org", "2026-03-02", "Pass"), ("marc@example.org", "2026-03-02", "")],
            header,
        )
    )
    issuer = ("--org", slug, "--specification", "wound-care")

    refused = run_cairn(tmp_path, "bulk-issue", "run", str(bad), *issuer)
    assert refused.returncode == 1
    assert "bad.csv:3: email: Nobody on Cairn has this e-mail address." in refused.stderr
    [error] = error_lines(refused.stderr)
    assert error.startswith("error: The file has problems; nothing was issued (batch ")

    checked = run_cairn(tmp_path, "bulk-issue", "run", str(good), *issuer, "--dry-run")
    assert checked.returncode == 0, checked.stderr
    assert "All 2 rows are good; nothing was issued (dry run, batch " in checked.stdout

    issued = run_cairn(
        tmp_path, "bulk-issue", "run", str(good), *issuer, "--proof", "eddsa-jcs-2022"
    )
    assert issued.returncode == 0, issued.stderr
    assert "Issued 2 credentials (batch " in issued.stdout

    log = run_cairn(tmp_path, "bulk-issue", "log", "--org", slug)
    assert log.returncode == 0, log.stderr
    outcomes = [line.split("  ")[2:4] for line in log.stdout.splitlines()]
    assert outcomes == [
        ["Issued", "2/2"],
        ["Checked, nothing issued", "0/2"],
        ["Refused, nothing issued", "0/2"],
    ]
    refused_id = log.stdout.splitlines()[2].split("  ")[0]
    shown = run_cairn(tmp_path, "bulk-issue", "show", refused_id)
    assert shown.returncode == 0, shown.stderr
    assert "bad.csv:3: email: Nobody on Cairn has this e-mail address." in shown.stdout

    with database(tmp_path) as engine, Session(engine) as session:
        statuses = session.scalars(select(IssueBatch.status)).all()
        formats = session.scalars(select(IssuedCredential.proof_format)).all()
    assert sorted(statuses) == sorted(BatchStatus)
    assert formats == [ProofFormat.EDDSA_JCS_2022] * 2
