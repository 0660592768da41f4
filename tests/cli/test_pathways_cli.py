"""``cairn pathways`` runs for real: a plan explained, saved, listed, shown and re-planned
for a learner; an infeasible plan exits non-zero naming what blocks it."""

from __future__ import annotations

import json
from pathlib import Path

from cairn.kit.db import make_session_factory, unit_of_work
from tests.cli import database, run_cairn
from tests.factories.pathways import make_world


def test_a_pathway_is_planned_saved_shown_and_replanned(tmp_path: Path) -> None:
    data_dir = tmp_path / "install"
    assert run_cairn(data_dir, "db", "upgrade").returncode == 0
    with database(data_dir) as engine, unit_of_work(make_session_factory(engine)) as session:
        world = make_world(session)
        email, profile = world.learner.email, str(world.profile.id)
    target = ("--user", email, "--role-profile", profile)

    short = run_cairn(data_dir, "pathways", "plan", *target, "--budget", "90000")
    assert short.returncode == 1
    assert "Budget short by CA$100.00." in short.stdout

    shown = run_cairn(data_dir, "pathways", "plan", *target)
    assert shown.returncode == 0, shown.stderr
    assert "1. SQL and charts" in shown.stdout
    assert "You pay CA$1,000.00 in all" in shown.stdout

    saved = run_cairn(data_dir, "pathways", "plan", *target, "--save", "--json")
    assert saved.returncode == 0, saved.stderr
    pathway_id = json.loads(saved.stdout)["id"]
    listed = run_cairn(data_dir, "pathways", "list", "--user", email)
    assert pathway_id in listed.stdout
    assert (
        "Following" in run_cairn(data_dir, "pathways", "show", pathway_id, "--user", email).stdout
    )
    replanned = run_cairn(data_dir, "pathways", "replan", pathway_id, "--user", email, "--json")
    assert json.loads(replanned.stdout)["dropped"] == 2
    unknown = run_cairn(data_dir, "pathways", "list", "--user", "nobody@example.org")
    assert unknown.returncode == 1
    assert "nobody is registered as nobody@example.org" in unknown.stderr
