"""``cairn worker --once`` runs for real: the jobs queued in the database are run, each
outcome is one line, and a second run finds nothing left to do."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from cairn.catalogue import demand_service
from cairn.catalogue.demand_import import PostingsFile
from cairn.catalogue.demand_models import PostingBatch
from cairn.kit.db import make_session_factory, unit_of_work
from tests.cli import database, run_cairn
from tests.factories.demand import make_importer, postings_csv


def test_the_worker_runs_what_is_queued_then_stops(tmp_path: Path) -> None:
    data_dir = tmp_path / "install"
    assert run_cairn(data_dir, "db", "upgrade").returncode == 0
    assert run_cairn(data_dir, "taxonomy", "import", "builtin").returncode == 0
    files = {
        "good.csv": postings_csv([("Clerk", "Troubleshooting.", "Sudbury", "2026-02-01")]),
        "bad.csv": postings_csv([("Clerk", "Troubleshooting.", "Sudbury", "01/02/2026")]),
    }
    with database(data_dir) as engine, unit_of_work(make_session_factory(engine)) as session:
        importer = make_importer(session)
        good, bad = (
            demand_service.queue_import(
                session,
                importer.actor,
                source="Jobs",
                postings=PostingsFile(name, data),
                framework="cairn-digital",
                org_id=importer.authority.id,
            ).id
            for name, data in files.items()
        )

    ran = run_cairn(data_dir, "worker", "--once")

    assert ran.returncode == 0, ran.stderr
    assert f"Import of job postings {good}: done." in ran.stdout
    assert "2 jobs run." in ran.stdout
    assert (
        f"Import of job postings {bad} failed: 1 problem in the postings; nothing was imported."
        in ran.stderr
    )
    with database(data_dir) as engine, unit_of_work(make_session_factory(engine)) as session:
        assert session.scalars(select(PostingBatch.filename)).all() == ["good.csv"]
    again = run_cairn(data_dir, "worker", "--once")
    assert again.returncode == 0
    assert "0 jobs run." in again.stdout
