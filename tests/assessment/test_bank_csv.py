"""The spreadsheet layout of simple items: the documented example imports as documented,
each bad cell is reported by row and column with nothing imported, and an export of the
simple items reads back the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.assessment import repository
from cairn.assessment.bank_csv import COLUMNS
from cairn.assessment.bank_export import Format, export_bank
from cairn.assessment.bank_import import import_bank, load_builtin_bank
from cairn.assessment.enums import ItemType
from cairn.assessment.models import Item
from cairn.kit.actor import Actor
from cairn.kit.progress import NoProgress
from cairn.taxonomy.importers.builtin import load_digital_framework
from cairn.taxonomy.importers.source import ImportFailed

BANK = {"slug": "sheet", "version": "1.0", "title": "Sheet", "framework": "cairn-digital"}
# The example of docs/item-bank-format.md.
DOCUMENTED = """\
id,version,competence,level,type,stem,option_a,option_b,option_c,option_d,option_e,correct,scoring,difficulty,discrimination,feedback,tags
dig-2.2-004,1,2.2,3,single_choice,"A colleague needs to read a policy document but must not change it. Which permission should you give them?",Can edit,Anyone with the link can edit,View only,Owner,,c,,-1.23,1.21,"View-only access lets people read a document without being able to change it.",permissions
dig-4.1-010,1,4.1,5,multiple_choice,"A colleague's screen shows a message saying their files have been locked and demanding payment. Which actions should you advise? Select all that apply.",Restart the device several times until the message goes away,Report it to IT or the security team straight away,Copy the locked files to a shared drive so that they are safe,Pay quickly so that the files are unlocked before the deadline,Disconnect the device from the network,b|e,partial,0.41,1.13,"Isolating the device limits the spread of ransomware, and the security team needs to know at once; paying or copying files can make things worse.",ransomware|incident-response
dig-1.2-003,1,1.2,3,true_false,"If an article appears at the top of search results, the search engine has checked that it is accurate.",,,,,,false,,,,"Search engines rank pages on things such as relevance and popularity, not on whether the content has been fact-checked.",search|misinformation
"""
HEADER = DOCUMENTED.splitlines()[0]


@pytest.fixture(autouse=True)
def digital(session: Session) -> None:
    load_digital_framework(session, progress=NoProgress())


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "items.csv"
    path.write_text(text, encoding="utf-8")
    return path


def imported(session: Session, path: Path, bank: dict[str, Any] = BANK) -> dict[str, Item]:
    import_bank(session, path, owner_org_id=None, progress=NoProgress(), bank=bank)
    stored = repository.find_bank(session, bank["slug"], bank["version"])
    assert stored is not None
    return {item.key: item for item in repository.current_items(session, stored.id)}


def count_items(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Item)) or 0


def test_the_documented_example_becomes_the_documented_items(
    session: Session, tmp_path: Path
) -> None:
    items = imported(session, write(tmp_path, DOCUMENTED))

    single = items["dig-2.2-004"]
    assert single.content["options"][2] == {"id": "c", "text": "View only"}
    assert single.content["correct"] == ["c"]
    assert single.content["scoring"] == "all_or_nothing"
    assert (single.difficulty, single.discrimination, single.tags) == (-1.23, 1.21, ["permissions"])
    several = items["dig-4.1-010"]
    assert several.content["correct"] == ["b", "e"]
    assert several.content["scoring"] == "partial"
    statement = items["dig-1.2-003"]
    assert statement.item_type is ItemType.TRUE_FALSE
    assert statement.content["correct"] is False
    assert (statement.difficulty, statement.discrimination) == (-1.07, 1.0)
    assert statement.tags == ["search", "misinformation"]


def test_a_spreadsheet_with_semicolons_and_decimal_commas_is_read(
    session: Session, tmp_path: Path
) -> None:
    text = (
        "id;competence;level;type;stem;option_a;option_b;option_c;correct;difficulty\n"
        "q-1;4.1;2;single_choice;Which is strongest?;Summer1;a long phrase;1234;b;-1,5\n"
    )

    items = imported(session, write(tmp_path, text))

    assert items["q-1"].difficulty == -1.5


def test_every_bad_row_is_reported_by_line_and_column_and_nothing_is_imported(
    session: Session, tmp_path: Path
) -> None:
    before = count_items(session)
    text = f"""{HEADER}
q-1,1,4.1,3,single_choice,Which?,One,,Three,,,a,,,,,
q-2,1,4.1,3,single_choice,Which?,One,Two,Three,,,d,,,,,
q-3,1,4.1,3,true_false,Is it?,,,,,,maybe,,,,,
q-4,1,9.9,3,single_choice,Which?,One,Two,Three,,,a,,,,,
q-5,1,4.1,3,ordered,Order?,One,Two,Three,,,a,,,,,
q-6,1,4.1,3,multiple_choice,Which?,One,Two,Three,Four,,a,,,,,
q-7,1,4.1,3,single_choice,Which?,One,Two,Three,,,a,,9,,,
"""

    with pytest.raises(ImportFailed) as failure:
        imported(session, write(tmp_path, text))

    found = sorted((p.line, p.column, p.reason) for p in failure.value.problems)
    assert found == [
        (2, "option_c", "option_b is empty: fill the options from option_a with no gaps."),
        (3, "correct", "d names option_d, whose cell is empty."),
        (4, "correct", "Write true or false."),
        (5, "competence", "9.9 is not a skill of cairn-digital."),
        (
            6,
            "type",
            "Choose one of single_choice, multiple_choice, true_false; "
            "write the other item types in JSON.",
        ),
        (7, "correct", "Name two or more of the options as right answers."),
        (8, "difficulty", "Give a difficulty between -6 and 6."),
    ]
    assert all(p.file.endswith("items.csv") for p in failure.value.problems)
    assert count_items(session) == before


def test_a_csv_needs_the_bank_described_by_the_command_options(
    session: Session, tmp_path: Path
) -> None:
    with pytest.raises(ImportFailed) as failure:
        imported(session, write(tmp_path, DOCUMENTED), {"slug": "sheet", "version": "1.0"})

    assert {(p.column, p.reason) for p in failure.value.problems} == {
        ("--title", "This field is required."),
        ("--framework", "This field is required."),
    }


def test_an_unknown_column_is_reported_rather_than_lost(session: Session, tmp_path: Path) -> None:
    text = DOCUMENTED.replace("feedback,tags", "feedbak,tags", 1)

    with pytest.raises(ImportFailed) as failure:
        imported(session, write(tmp_path, text))

    assert [(p.line, p.column) for p in failure.value.problems] == [(1, "feedbak")]


def test_the_simple_items_of_a_bank_export_to_csv_and_read_back_the_same(
    session: Session, tmp_path: Path
) -> None:
    load_builtin_bank(session, progress=NoProgress())
    exported = export_bank(session, Actor.operator(), "cairn-digital-items", None, Format.CSV)
    path = tmp_path / "bank.csv"
    path.write_bytes(exported.data)

    items = imported(session, path)

    shipped = repository.find_bank(session, "cairn-digital-items", "1.0")
    assert shipped is not None
    originals = {item.key: item for item in repository.current_items(session, shipped.id)}
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)
    assert set(items) | set(exported.left_out) == set(originals)
    assert {originals[key].item_type for key in exported.left_out}.isdisjoint(
        {ItemType.SINGLE_CHOICE, ItemType.TRUE_FALSE}
    )
    for key, item in items.items():
        original = originals[key]
        assert (item.content, item.level, item.skill_id, item.tags) == (
            original.content,
            original.level,
            original.skill_id,
            original.tags,
        )
        assert (item.difficulty, item.discrimination) == (
            original.difficulty,
            original.discrimination,
        )
