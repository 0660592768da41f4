"""``cairn roles suggest`` run for real: skills and levels read from a job description file,
shown as a table or JSON, and added to the role's profile with --apply."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.orgs.models import Organisation, Position
from tests.cli import database, error_lines, run_cairn

JOB = (
    "Office coordinator\n"
    "- Extensive experience with troubleshooting\n"
    "- Keep files tidy in cloud storage\n"
)


def test_a_job_description_suggests_skills_at_levels_and_apply_adds_them(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "install"
    for command in (
        ("db", "upgrade"),
        ("taxonomy", "import", "builtin"),
        ("orgs", "create", "--name", "Acme Tools", "--kind", "employer", "--size-band", "small"),
    ):
        done = run_cairn(data_dir, *command)
        assert done.returncode == 0, done.stderr
    with database(data_dir) as engine, Session(engine) as session:
        org = session.scalars(select(Organisation).where(Organisation.slug == "acme-tools")).one()
        session.add(Position(org_id=org.id, title="Office Coordinator"))
        session.commit()
    job = tmp_path / "job.txt"
    job.write_text(JOB, encoding="utf-8")
    suggest = ("roles", "suggest", "office coordinator", "--org", "acme-tools", "--file", str(job))
    digital = ("--framework", "cairn-digital")

    table = run_cairn(data_dir, *suggest, *digital)
    assert table.returncode == 0, table.stderr
    assert "Skills suggested for office coordinator" in table.stdout
    assert "“Extensive" in table.stdout  # the cue, in a column 80 characters wrap

    shown = run_cairn(data_dir, *suggest, *digital, "--json")
    assert shown.returncode == 0, shown.stderr
    found = {item["label"]: item for item in json.loads(shown.stdout)["suggestions"]}
    troubleshooting = found["fix technical problems"]
    assert (troubleshooting["quote"], troubleshooting["target_level"]) == ("troubleshooting", 8)
    assert troubleshooting["target_label"] == "Highly specialised 8"  # the top of the scale
    assert found["organise, store and retrieve data and files"]["target_level"] == 5  # middle

    applied = run_cairn(data_dir, *suggest, *digital, "--apply", "--json")
    assert applied.returncode == 0, applied.stderr
    assert json.loads(applied.stdout)["applied"] == {"added": len(found), "updated": 0}
    profile = run_cairn(data_dir, "roles", "profile", "Office Coordinator", "--org", "acme-tools")
    assert "fix technical problems" in profile.stdout
    assert "Highly specialised 8" in profile.stdout

    missing = run_cairn(
        data_dir, "roles", "suggest", "office coordinator", "--org", "acme-tools", "--file", "nope"
    )
    assert missing.returncode == 1
    assert error_lines(missing.stderr) == ["error: nope: No such file or directory"]
