"""The spreadsheet layout of docs/item-bank-format.md: one row per single-choice,
multiple-choice or true/false item, read into the JSON format's items (so the same checks
apply, reported by row and column) and written from them."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cairn.assessment.bank_document import (
    BankDocument,
    Location,
    RawItem,
    option_bank_column,
)
from cairn.kit.i18n import lazy_gettext
from cairn.taxonomy.importers.source import Problems, Row, SourceFile, read_table

LETTERS = "abcdef"
OPTION_COLUMNS = tuple(f"option_{letter}" for letter in LETTERS)
COLUMNS = (
    "id",
    "version",
    "competence",
    "level",
    "type",
    "stem",
    *OPTION_COLUMNS,
    "correct",
    "scoring",
    "difficulty",
    "discrimination",
    "feedback",
    "tags",
)
REQUIRED = ("id", "competence", "level", "type", "stem", "correct")
TYPES = ("single_choice", "multiple_choice", "true_false")
SEPARATOR = "|"
NUMBERS = ("version", "level", "difficulty", "discrimination")


def read_csv(file: Path, problems: Problems, *, bank: Mapping[str, Any]) -> BankDocument:
    source = SourceFile(str(file), file)
    delimiter = _delimiter(source)
    rows = read_table(source, problems, required=REQUIRED, delimiter=delimiter)
    document = BankDocument(
        file=str(file), bank=dict(bank), bank_column=option_bank_column, seed_from_level=True
    )
    if rows:
        _check_header(rows[0], problems)
    for row in rows:
        data = _item(row, problems, decimal_comma=delimiter == ";")
        if data is not None:
            document.items.append(RawItem(data, row.file, row.line, _column))
    return document


def write_csv(items: Sequence[dict[str, Any]]) -> tuple[str, list[str]]:
    """The file, and the ids of the items this layout cannot hold (other types, or more
    options than it has columns for)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    left_out: list[str] = []
    for item in items:
        options = item.get("options", [])
        if item["type"] not in TYPES or len(options) > len(LETTERS):
            left_out.append(item["id"])
            continue
        texts = [option["text"] for option in options]
        letters = {option["id"]: LETTERS[index] for index, option in enumerate(options)}
        if item["type"] == "true_false":
            correct = "true" if item["correct"] else "false"
        else:
            correct = SEPARATOR.join(letters[key] for key in item["correct"])
        writer.writerow(
            [
                item["id"],
                item.get("version", 1),
                item["competence"],
                item["level"],
                item["type"],
                item["stem"],
                *texts,
                *[""] * (len(LETTERS) - len(texts)),
                correct,
                item.get("scoring", "") if item["type"] == "multiple_choice" else "",
                repr(float(item["difficulty"])),
                repr(float(item.get("discrimination", 1.0))),
                item.get("feedback") or "",
                SEPARATOR.join(item.get("tags", [])),
            ]
        )
    return buffer.getvalue(), left_out


def _delimiter(source: SourceFile) -> str:
    """Commas, or semicolons as spreadsheet programs write CSV where the comma is the
    decimal mark: told apart by the header line, as framework CSV files are."""
    try:
        with source.open() as handle:
            header = handle.readline()
    except (OSError, UnicodeDecodeError, EOFError):
        return ","  # read_table reports the file as unreadable
    return ";" if header.count(";") > header.count(",") else ","


def _check_header(first: Row, problems: Problems) -> None:
    """A misspelt column would otherwise be ignored, and what it holds lost."""
    for name in first.values:
        if name and name not in COLUMNS:
            problems.add(
                first.file,
                1,
                name,
                lazy_gettext(
                    "Unknown column; the columns are %(columns)s.", columns=", ".join(COLUMNS)
                ),
            )


def _item(row: Row, problems: Problems, *, decimal_comma: bool) -> dict[str, Any] | None:
    """The row as the JSON format's item; empty cells are left out so that defaults apply."""
    kind = row.get("type")
    if kind not in TYPES:
        problems.add(
            row.file,
            row.line,
            "type",
            lazy_gettext(
                "Choose one of %(types)s; write the other item types in JSON.",
                types=", ".join(TYPES),
            ),
        )
        return None
    data: dict[str, Any] = {"type": kind}
    for name in ("id", "version", "competence", "level", "stem", "scoring", "difficulty"):
        data[name] = row.get(name)
    data["discrimination"] = row.get("discrimination")
    data["feedback"] = row.get("feedback")
    data["tags"] = [tag.strip() for tag in row.get("tags").split(SEPARATOR) if tag.strip()]
    if decimal_comma:
        for name in NUMBERS:
            data[name] = data[name].replace(",", ".")
    data = {name: value for name, value in data.items() if value not in ("", [])}
    texts = [row.get(column) for column in OPTION_COLUMNS]
    filled = [index for index, text in enumerate(texts) if text]
    ok = True
    if kind == "true_false":
        if filled:
            problems.add(
                row.file,
                row.line,
                OPTION_COLUMNS[filled[0]],
                lazy_gettext("A true/false item has no options: leave the option cells empty."),
            )
            ok = False
        correct = row.get("correct").lower()
        if correct not in ("true", "false"):
            problems.add(row.file, row.line, "correct", lazy_gettext("Write true or false."))
            ok = False
        data["correct"] = correct == "true"
        return data if ok else None
    count = len(filled)
    if filled and filled[-1] != count - 1:
        gap = next(index for index in range(count) if not texts[index])
        problems.add(
            row.file,
            row.line,
            OPTION_COLUMNS[filled[-1]],
            lazy_gettext(
                "%(empty)s is empty: fill the options from option_a with no gaps.",
                empty=OPTION_COLUMNS[gap],
            ),
        )
        ok = False
    data["options"] = [{"id": LETTERS[index], "text": texts[index]} for index in filled]
    data["correct"] = [key.strip().lower() for key in row.get("correct").split(SEPARATOR)]
    for key in data["correct"]:
        if key in LETTERS and not texts[LETTERS.index(key)]:
            problems.add(
                row.file,
                row.line,
                "correct",
                lazy_gettext(
                    "%(letter)s names option_%(letter)s, whose cell is empty.", letter=key
                ),
            )
            ok = False
    return data if ok else None


def _column(location: Location) -> str:
    """The spreadsheet column of a place in the item; a rule about the whole item is about
    which options are right."""
    if not location or location[0] == "correct":
        return "correct"
    if location[0] == "options":
        index = location[1] if len(location) > 1 else 0
        return OPTION_COLUMNS[index] if isinstance(index, int) and index < 6 else "option_a"
    return str(location[0]) if location[0] in COLUMNS else "-"
