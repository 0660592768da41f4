"""Calibrating a bank from stored test answers: refused with how much more data is needed,
then close to the parameters that generated the answers, applied to the current items."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cairn.assessment import repository
from cairn.assessment.bank_import import import_bank
from cairn.assessment.calibration import calibrate_bank
from cairn.assessment.enums import AttemptStatus, IrtModel, TestMode
from cairn.assessment.irt import CalibrationNeedsMoreData
from cairn.assessment.models import Attempt, Item, ItemBank, Response
from cairn.kit.actor import Actor, Role
from cairn.kit.errors import InvalidInput, NotFound, PermissionDenied
from cairn.kit.progress import NoProgress
from cairn.taxonomy.importers.builtin import load_digital_framework
from tests.factories.orgs import actor, make_member, make_org

TRUE_A = np.linspace(0.8, 2.0, 12)
TRUE_B = np.linspace(-1.5, 1.5, 12)


@pytest.fixture
def bank(session: Session, tmp_path: Path) -> ItemBank:
    load_digital_framework(session, progress=NoProgress())
    items = [
        {
            "id": f"cal-{number:02d}",
            "competence": "4.1",
            "level": 4,
            "type": "single_choice",
            "stem": f"Question {number}",
            "options": [{"id": "a", "text": "right"}, {"id": "b", "text": "wrong"}],
            "correct": ["a"],
            "difficulty": 0.0,
            "discrimination": 1.0,
        }
        for number in range(12)
    ]
    document = {
        "bank": {
            "slug": "calibration",
            "version": "1",
            "title": "Calibration",
            "framework": "cairn-digital",
            "language": "en",
        },
        "items": items,
    }
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    import_bank(session, path, owner_org_id=None, progress=NoProgress())
    found = repository.find_bank(session, "calibration", "1")
    assert found is not None
    return found


def answered(session: Session, bank: ItemBank, people: int, seed: int = 3) -> None:
    """``people`` finished tests of every item, answered as the true 2PL items predict."""
    rng = np.random.default_rng(seed)
    items = repository.current_items(session, bank.id)
    person = make_member(session, make_org(session))
    theta = rng.normal(size=people)
    right = rng.random((people, 12)) < 1 / (1 + np.exp(-TRUE_A * (theta[:, None] - TRUE_B)))
    attempt_ids = [uuid.uuid4() for _ in range(people)]
    session.execute(
        insert(Attempt),
        [
            {
                "id": attempt_id,
                "person_id": person.id,
                "bank_id": bank.id,
                "mode": TestMode.FIXED_FORM,
                "status": AttemptStatus.COMPLETED,
                "state": {},
            }
            for attempt_id in attempt_ids
        ],
    )
    session.execute(
        insert(Response),
        [
            {
                "attempt_id": attempt_id,
                "item_id": item.id,
                "position": column + 1,
                "answer": {},
                "points": float(right[row, column]),
                "max_points": 1.0,
                "category": int(right[row, column]),
            }
            for row, attempt_id in enumerate(attempt_ids)
            for column, item in enumerate(items)
        ],
    )


def test_too_few_answers_say_how_many_more_are_needed(session: Session, bank: ItemBank) -> None:
    answered(session, bank, people=60)

    with pytest.raises(CalibrationNeedsMoreData) as refused:
        calibrate_bank(session, Actor.operator(), bank.id, apply=True)

    assert refused.value.more_respondents == 140
    assert "140 more" in str(refused.value)
    assert all(item.calibrated_at is None for item in repository.current_items(session, bank.id))


def test_enough_answers_recover_the_items_and_update_them(session: Session, bank: ItemBank) -> None:
    answered(session, bank, people=1500)

    result = calibrate_bank(session, Actor.operator(), bank.id, apply=True)

    assert result.calibration.converged
    items = {item.key: item for item in repository.current_items(session, bank.id)}
    b = np.array([items[f"cal-{n:02d}"].difficulty for n in range(12)])
    a = np.array([items[f"cal-{n:02d}"].discrimination for n in range(12)])
    assert np.abs(b - TRUE_B).max() < 0.3
    assert np.abs(a - TRUE_A).max() < 0.45
    assert all(item.calibrated_at is not None for item in items.values())
    assert session.scalar(select(Item.version).where(Item.key == "cal-00")) == 1


def test_a_graded_model_for_right_or_wrong_answers_is_refused(
    session: Session, bank: ItemBank
) -> None:
    with pytest.raises(InvalidInput) as refused:
        calibrate_bank(session, Actor.operator(), bank.id, IrtModel.GRM)
    assert refused.value.field_errors[0].field == "model"


def test_only_the_owning_organisation_calibrates_its_bank(session: Session, bank: ItemBank) -> None:
    owner = make_org(session)
    bank.owner_org_id = owner.id
    outsider = actor(session, make_member(session, make_org(session), Role.HR_ADMIN))
    learner = actor(session, make_member(session, owner))

    with pytest.raises(NotFound):
        calibrate_bank(session, outsider, bank.id)
    with pytest.raises(PermissionDenied):
        calibrate_bank(session, learner, bank.id)
