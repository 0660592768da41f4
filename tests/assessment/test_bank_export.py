"""Exporting a bank as Cairn's JSON: every current item with its metadata, read back by the
import unchanged, and only for those who may use the bank."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from cairn.assessment import repository
from cairn.assessment.bank_export import Format, export_bank
from cairn.assessment.bank_import import import_bank, load_builtin_bank
from cairn.kit.actor import Actor, Role
from cairn.kit.errors import InvalidInput
from cairn.kit.progress import NoProgress
from cairn.orgs.people import actor_for
from cairn.taxonomy.importers.builtin import load_digital_framework
from tests.factories.orgs import make_member, make_org

SHIPPED = "cairn-digital-items"


@pytest.fixture(autouse=True)
def digital(session: Session) -> None:
    load_digital_framework(session, progress=NoProgress())
    load_builtin_bank(session, progress=NoProgress())


def test_the_json_export_holds_every_current_item_with_its_metadata(session: Session) -> None:
    bank = repository.find_bank(session, SHIPPED, "1.0")
    assert bank is not None
    item = repository.current_items(session, bank.id)[0]
    item.guessing, item.exposures = 0.2, 41
    item.calibrated_at = datetime(2026, 6, 1, tzinfo=UTC)
    session.flush()

    data = json.loads(export_bank(session, Actor.operator(), SHIPPED, None, Format.JSON).data)

    assert data["bank"]["slug"] == SHIPPED
    assert data["bank"]["framework"] == "cairn-digital"
    assert len(data["items"]) == len(repository.current_items(session, bank.id))
    first = data["items"][0]
    assert first["id"] == item.key
    assert (first["competence"], first["level"], first["version"]) == ("1.1", item.level, 1)
    assert first["calibration"] == {"guessing": 0.2, "calibrated_at": "2026-06-01T00:00:00+00:00"}
    assert first["exposures"] == 41


def test_a_json_export_imports_again_unchanged_and_keeps_its_calibration(
    session: Session, tmp_path: Path
) -> None:
    bank = repository.find_bank(session, SHIPPED, "1.0")
    assert bank is not None
    item = repository.current_items(session, bank.id)[0]
    item.thresholds, item.exposures = [-1.0, 0.5, 1.5], 9
    session.flush()
    path = tmp_path / "bank.json"
    path.write_bytes(export_bank(session, Actor.operator(), SHIPPED, "1.0", Format.JSON).data)

    again = import_bank(session, path, owner_org_id=None, progress=NoProgress())
    copy = import_bank(
        session, path, owner_org_id=None, progress=NoProgress(), bank={"slug": "copy"}
    )

    assert again.tallies["items"].unchanged == again.tallies["items"].total
    copied = repository.find_bank(session, "copy", "1.0")
    assert copied is not None
    first = repository.current_items(session, copied.id)[0]
    assert copy.tallies["items"].created == again.tallies["items"].total
    assert first.thresholds == [-1.0, 0.5, 1.5]
    assert first.exposures == 0  # showings are counted afresh in each installation


def test_another_organisations_bank_is_not_found(session: Session) -> None:
    owner, other = make_org(session), make_org(session)
    bank = repository.find_bank(session, SHIPPED, "1.0")
    assert bank is not None
    bank.owner_org_id = owner.id
    session.flush()
    outsider = actor_for(session, make_member(session, other, Role.HR_ADMIN))
    insider = actor_for(session, make_member(session, owner, Role.LEARNER))

    with pytest.raises(InvalidInput):
        export_bank(session, outsider, SHIPPED, None, Format.JSON)
    assert export_bank(session, insider, SHIPPED, None, Format.CSV).data.startswith(b"id,")
