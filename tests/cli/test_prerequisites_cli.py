"""``cairn catalogue prerequisites set``: a draft's clauses from the command line, by
catalogue address, each refusal naming the ``--clause`` at fault; run for real."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy.orm import Session

from cairn.catalogue import service
from cairn.kit.actor import Actor
from tests.cli import database, run_cairn
from tests.factories.catalogue import make_specification
from tests.factories.credentials import make_issuer


def test_clauses_are_set_by_address_and_refusals_name_the_clause(tmp_path: Path) -> None:
    assert run_cairn(tmp_path, "db", "upgrade").returncode == 0
    with database(tmp_path) as engine, Session(engine) as session:
        college = make_issuer(session, name="Lakeshore College")
        first_aid = college.publish(session, "first-aid", title="First aid")
        hygiene = college.publish(session, "hand-hygiene", title="Hand hygiene")
        draft = make_specification(session, college.educator, college.org, slug="wound-care")
        slug, draft_id = college.org.slug, str(draft.id)
        wanted = [{first_aid.specification_id, hygiene.specification_id}]
        wanted.append({hygiene.specification_id})
        hygiene_id = hygiene.specification_id
        session.commit()

    result = run_cairn(
        tmp_path,
        "catalogue",
        "prerequisites",
        "set",
        draft_id,
        "--clause",
        f"{slug}/first-aid,{hygiene_id}",
        "--clause",
        f"{slug}/hand-hygiene",
    )
    refused = run_cairn(
        tmp_path,
        "catalogue",
        "prerequisites",
        "set",
        draft_id,
        "--clause",
        f"{slug}/first-aid",
        "--clause",
        f"{slug}/wound-care",
    )

    assert result.returncode == 0, result.stderr
    assert "1. One of: First aid; Hand hygiene" in result.stdout
    assert "2. Hand hygiene" in result.stdout
    assert refused.returncode == 1
    assert "--clause 2: A micro-credential cannot be its own prerequisite." in refused.stderr
    with database(tmp_path) as engine, Session(engine) as session:
        clauses = service.view(session, Actor.operator(), uuid.UUID(draft_id)).prerequisites
        assert [set(clause) for clause in clauses] == wanted
