"""Importing an item bank: every problem reported per item, nothing half-imported, and an
item whose wording changes becomes a new version beside the old one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.assessment import repository
from cairn.assessment.bank_import import import_bank, load_builtin_bank
from cairn.assessment.enums import ItemType
from cairn.assessment.models import Item
from cairn.kit.progress import NoProgress
from cairn.taxonomy.importers.builtin import load_digital_framework
from cairn.taxonomy.importers.source import ImportFailed
from tests.cli import run_cairn

BANK = {
    "slug": "test-items",
    "version": "1.0",
    "title": "Test items",
    "framework": "cairn-digital",
    "language": "en",
}


def single_choice(key: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": key,
        "competence": "4.1",
        "level": 3,
        "type": "single_choice",
        "stem": "Which password is the strongest?",
        "options": [{"id": "a", "text": "Summer2024"}, {"id": "b", "text": "a long passphrase"}],
        "correct": ["b"],
        "difficulty": -0.5,
        "discrimination": 1.2,
        **changes,
    }


SCENARIO = {
    "id": "s-1",
    "competence": "5.1",
    "level": 5,
    "type": "scenario",
    "task": "A colleague's laptop cannot reach the shared drive. Explain what you check.",
    "rubric": [
        {
            "criterion": "Order of checks",
            "levels": [
                {"points": 0, "description": "none"},
                {"points": 2, "description": "logical"},
            ],
        },
        {
            "criterion": "Safety",
            "levels": [{"points": 0, "description": "none"}, {"points": 1, "description": "kept"}],
        },
    ],
    "max_points": 3,
    "difficulty": 1.0,
}


def write(path: Path, items: list[dict[str, Any]], bank: dict[str, Any] = BANK) -> Path:
    path.write_text(json.dumps({"bank": bank, "items": items}, indent=2), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def digital(session: Session) -> None:
    load_digital_framework(session, progress=NoProgress())


def count_items(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Item)) or 0


def test_a_bank_imports_with_its_items_tied_to_competences(
    session: Session, tmp_path: Path
) -> None:
    file = write(tmp_path / "bank.json", [single_choice("q-1"), SCENARIO])

    summary = import_bank(session, file, owner_org_id=None, progress=NoProgress())

    bank = repository.find_bank(session, "test-items", "1.0")
    assert bank is not None
    items = {item.key: item for item in repository.current_items(session, bank.id)}
    assert summary.tallies["items"].created == 2
    assert items["q-1"].item_type is ItemType.SINGLE_CHOICE
    assert items["q-1"].content["correct"] == ["b"]
    assert "difficulty" not in items["q-1"].content
    assert (items["s-1"].level, items["s-1"].difficulty) == (5, 1.0)


def test_a_changed_item_becomes_a_new_version_and_the_old_one_stays(
    session: Session, tmp_path: Path
) -> None:
    file = write(tmp_path / "bank.json", [single_choice("q-1")])
    import_bank(session, file, owner_org_id=None, progress=NoProgress())
    write(file, [single_choice("q-1", stem="Which of these passwords is the strongest?")])

    summary = import_bank(session, file, owner_org_id=None, progress=NoProgress())
    again = import_bank(session, file, owner_org_id=None, progress=NoProgress())

    bank = repository.find_bank(session, "test-items", "1.0")
    assert bank is not None
    versions = repository.item_versions(session, bank.id, "q-1")
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[0].content["stem"] == "Which password is the strongest?"
    assert summary.tallies["items"].updated == 1
    assert again.tallies["items"].unchanged == 1


def test_every_unanswerable_item_is_reported_and_nothing_is_imported(
    session: Session, tmp_path: Path
) -> None:
    before = count_items(session)
    file = write(
        tmp_path / "bank.json",
        [
            single_choice("q-1", correct=["a", "b"]),
            single_choice("q-2", competence="9.9"),
            single_choice("q-3", level=12),
            {**SCENARIO, "max_points": 5},
            single_choice("q-1"),
            single_choice("q-4", type="essay"),
        ],
    )

    with pytest.raises(ImportFailed) as failure:
        import_bank(session, file, owner_org_id=None, progress=NoProgress())

    problems = [(p.column, p.reason) for p in failure.value.problems]
    assert problems == [
        ("items[0]", "Exactly one of the options must be the right answer."),
        ("items[1].competence", "9.9 is not a skill of cairn-digital."),
        ("items[2].level", "Level 12 is not on the framework's scale."),
        ("items[3]", "max_points is 5 but the rubric's top levels add up to 3."),
        ("items[4].id", "This id is used by another item."),
        (
            "items[5].type",
            "Choose one of 'single_choice', 'multiple_choice', 'true_false', 'ordered', "
            "'numeric', 'likert_self_report', 'scenario'.",
        ),
    ]
    assert all(p.line > 1 for p in failure.value.problems[:5])
    assert count_items(session) == before


def test_a_bank_for_a_framework_not_imported_is_refused(session: Session, tmp_path: Path) -> None:
    file = write(tmp_path / "bank.json", [single_choice("q-1")], {**BANK, "framework": "nope"})

    with pytest.raises(ImportFailed) as failure:
        import_bank(session, file, owner_org_id=None, progress=NoProgress())

    assert [p.column for p in failure.value.problems] == ["bank.framework"]


def test_the_shipped_digital_bank_imports_whole(session: Session) -> None:
    summary = load_builtin_bank(session, progress=NoProgress())

    bank = repository.find_bank(session, "cairn-digital-items", "1.0")
    assert bank is not None
    items = repository.current_items(session, bank.id)
    assert summary.tallies["items"].created == len(items) >= 150
    assert len({item.skill_id for item in items}) == 21
    assert {item.item_type for item in items} == set(ItemType)
    again = load_builtin_bank(session, progress=NoProgress())
    assert again.tallies["items"].unchanged == len(items)


def test_the_command_lists_each_bad_item_and_imports_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "install"
    assert run_cairn(data_dir, "db", "upgrade").returncode == 0
    assert run_cairn(data_dir, "taxonomy", "import", "builtin").returncode == 0
    bad = write(tmp_path / "bad.json", [single_choice("q-1", correct=[]), single_choice("q-2")])

    failed = run_cairn(data_dir, "assess", "import-bank", str(bad))

    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert lines[0].startswith(f"{bad}:")
    assert ": items[0]: Exactly one of the options" in lines[0]
    assert lines[-1] == "error: 1 problem in the input; nothing was imported."
    good = run_cairn(data_dir, "assess", "import-bank", str(write(bad, [single_choice("q-2")])))
    assert good.returncode == 0, good.stderr
