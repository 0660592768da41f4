"""``cairn catalogue suggest-alignments`` lists the skills suggested for a draft's outcomes
and, with ``--apply``, keeps the first for each outcome not aligned yet; run for real."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

from sqlalchemy.orm import Session

from cairn.catalogue import service
from cairn.intelligence import store
from cairn.kit.actor import Actor, Role
from cairn.orgs.enums import OrgKind
from tests.cli import database, error_lines, run_cairn
from tests.factories.catalogue import WAREHOUSE_OUTCOMES, make_warehouse_draft
from tests.factories.intelligence import make_linkable_framework
from tests.factories.orgs import actor, make_member, make_org


def test_suggestions_are_listed_then_applied_to_the_outcomes_without_a_skill(
    tmp_path: Path,
) -> None:
    assert run_cairn(tmp_path, "db", "upgrade").returncode == 0
    with database(tmp_path) as engine, Session(engine) as session:
        college = make_org(session, kind=OrgKind.PROVIDER)
        educator = actor(session, make_member(session, college, Role.EDUCATOR))
        linkable = make_linkable_framework(session, slug="everyday")
        draft_id = make_warehouse_draft(session, educator, college).id
        forklift = linkable.skill_id("forklift operation")
        spreadsheets = linkable.skill_id("use spreadsheets software")
        framework_key = linkable.framework.id.hex
        session.commit()
    # The factory stored the embeddings in this process's data directory, not the command's.
    (tmp_path / "embeddings").mkdir()
    for built in store.directory().glob(f"*{framework_key}*"):
        shutil.copy(built, tmp_path / "embeddings" / built.name)

    listed = run_cairn(
        tmp_path, "catalogue", "suggest-alignments", str(draft_id), "--framework", "everyday"
    )
    assert listed.returncode == 0, listed.stderr
    assert "forklift operation" in listed.stdout
    assert "Everyday skills" in listed.stdout

    applied = run_cairn(
        tmp_path,
        "catalogue",
        "suggest-alignments",
        str(draft_id),
        "--framework",
        "everyday",
        "--top",
        "1",
        "--apply",
        "--json",
    )
    assert applied.returncode == 0, applied.stderr
    body = json.loads(applied.stdout)
    assert [o["statement"] for o in body["outcomes"]] == list(WAREHOUSE_OUTCOMES)
    assert body["outcomes"][0]["suggestions"][0]["skill_id"] == str(forklift)
    assert body["applied"] == [1, 2]
    with database(tmp_path) as engine, Session(engine) as session:
        outcomes = service.view(session, Actor.operator(), draft_id).draft.outcomes
        assert [(o.skill_id, o.level) for o in outcomes] == [
            (forklift, None),
            (spreadsheets, None),
            (None, None),
        ]

    missing = run_cairn(tmp_path, "catalogue", "suggest-alignments", str(uuid.uuid4()))
    assert missing.returncode == 1
    assert error_lines(missing.stderr) == ["error: Specification not found."]
