"""``cairn profile suggest`` runs for real: the skills of a learner's CV shown as JSON with
nothing stored, then added to their profile as self-reported with --apply; files other
than UTF-8 text and unknown people are refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence
from cairn.kit.db import make_session_factory, unit_of_work
from tests.cli import database, error_lines, run_cairn
from tests.factories.intelligence import make_linkable_framework
from tests.factories.orgs import make_member, make_org
from tests.profiles.test_cv_suggestions import CV, PRIVATE_WORDS


def test_a_cv_is_suggested_then_applied_and_other_files_are_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "install"
    assert run_cairn(data_dir, "db", "upgrade").returncode == 0
    with database(data_dir) as engine, unit_of_work(make_session_factory(engine)) as session:
        linkable = make_linkable_framework(session)
        learner = make_member(session, make_org(session))
        slug, email, learner_id = linkable.framework.slug, learner.email, learner.id
    assert run_cairn(data_dir, "skills", "index", "--framework", slug).returncode == 0
    cv = tmp_path / "cv.txt"
    cv.write_text(CV, encoding="utf-8")
    suggest = ("profile", "suggest", "--user", email, "--file", str(cv), "--framework", slug)

    shown = run_cairn(data_dir, *suggest, "--json")

    assert shown.returncode == 0, shown.stderr
    found = json.loads(shown.stdout)
    labels = {item["label"] for item in found["results"]}
    assert {"cook meals", "customer service", "use spreadsheets software"} <= labels
    assert all(item["has_evidence"] is False for item in found["results"])
    assert found["added"] == []
    with database(data_dir) as engine, unit_of_work(make_session_factory(engine)) as session:
        assert session.scalars(select(Evidence)).all() == []

    applied = run_cairn(data_dir, *suggest, "--apply")
    assert applied.returncode == 0, applied.stderr
    assert f"Added {len(labels)} skills to {email}'s profile as self-reported." in applied.stdout
    with database(data_dir) as engine, unit_of_work(make_session_factory(engine)) as session:
        evidence = session.scalars(select(Evidence)).all()
        assert {e.person_id for e in evidence} == {learner_id}
        assert {(e.source, e.level) for e in evidence} == {(EvidenceSource.SELF_ASSESSMENT, 1)}
        assert all(e.details["origin"] == "cv" for e in evidence)
    assert PRIVATE_WORDS.encode() not in (data_dir / "cairn.db").read_bytes()
    again = run_cairn(data_dir, *suggest, "--apply", "--json")
    assert json.loads(again.stdout)["added"] == []  # what the profile holds is left alone

    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    refused = run_cairn(data_dir, "profile", "suggest", "--user", email, "--file", str(pdf))
    assert refused.returncode == 1
    [line] = error_lines(refused.stderr)
    assert line.startswith("error: --file: Only a .txt file of plain text can be read.")
    unknown = run_cairn(data_dir, *suggest[:2], "--user", "nobody@example.org", *suggest[4:])
    assert unknown.returncode == 1
    assert error_lines(unknown.stderr) == ["error: nobody is registered as nobody@example.org."]
