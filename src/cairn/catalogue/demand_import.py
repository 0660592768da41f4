"""Reading job postings: a CSV file (columns ``title,text,region,date[,id][,skills]``), JSON
lines with the same keys, or the postings of an API request, each checked row by row.

Every bad row is reported with its file, line and field, up to ``MAX_PROBLEMS``, and one
bad row refuses the whole batch: a count from half a file would mislead."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import LazyString, lazy_gettext, ngettext
from cairn.taxonomy.importers.source import Problem

COLUMNS = ("title", "text", "region", "date", "id", "skills")
REQUIRED_COLUMNS = ("title", "text", "region", "date")
REQUIRED_KEYS = ("title", "text", "date")
SKILL_SEPARATOR = ";"
"""Between the skills of a CSV row; JSON gives a list."""
MAX_PROBLEMS = 100
"""Enough to see what is wrong with a file; past it, only how many more there are."""
MAX_FILE_BYTES = 50 * 1024 * 1024
WIDTHS = {"title": 300, "region": 120, "id": 200}
"""The columns' widths in the database."""
MAX_TEXT = 100_000
MAX_SKILLS = 200
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")


@dataclass(frozen=True)
class PostingRow:
    file: str
    line: int
    title: str
    text: str
    region: str | None
    posted_on: date
    external_id: str | None
    skills: tuple[str, ...]


@dataclass(frozen=True)
class PostingsFile:
    """An uploaded or local file, read whole: the format follows its name, or its first
    character when the name says nothing (``{`` starts JSON lines)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class PostingRecords:
    """The postings of an API request, numbered from 1 as lines are."""

    records: Sequence[object]
    name: str = "postings"


class RowProblems:
    """Every problem of an import up to the cap, and how many more there were."""

    def __init__(self, cap: int = MAX_PROBLEMS) -> None:
        self.found: list[Problem] = []
        self.more = 0
        self.cap = cap

    def add(self, file: str, line: int, column: str, reason: str | LazyString) -> None:
        if len(self.found) < self.cap:
            self.found.append(Problem(file, line, column, str(reason)))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.found)


@dataclass
class PostingsRefused(InvalidInput):
    """Nothing was imported; ``problems`` name each bad row's file, line and field."""

    problems: list[Problem] = field(default_factory=list)
    more: int = 0
    """Problems past the cap, counted but not listed."""


def refusal(problems: RowProblems, pointer: Callable[[Problem], str]) -> PostingsRefused:
    total = len(problems.found) + problems.more
    message = ngettext(
        "%(num)s problem in the postings; nothing was imported.",
        "%(num)s problems in the postings; nothing was imported.",
        total,
    )
    return PostingsRefused(
        message,
        [FieldError(pointer(problem), str(problem)) for problem in problems.found],
        problems=list(problems.found),
        more=problems.more,
    )


def read(source: PostingsFile | PostingRecords, problems: RowProblems) -> list[PostingRow]:
    rows = (
        [
            row
            for line, record in enumerate(source.records, start=1)
            if (row := _record(source.name, line, record, problems)) is not None
        ]
        if isinstance(source, PostingRecords)
        else _file(source, problems)
    )
    seen: dict[str, int] = {}
    for row in rows:
        if row.external_id is None:
            continue
        first = seen.setdefault(row.external_id, row.line)
        if first != row.line:
            problems.add(
                row.file,
                row.line,
                "id",
                lazy_gettext("The same id as the posting on line %(line)s.", line=first),
            )
    return rows


def _file(source: PostingsFile, problems: RowProblems) -> list[PostingRow]:
    if len(source.data) > MAX_FILE_BYTES:
        problems.add(
            source.name,
            1,
            "-",
            lazy_gettext("The file is larger than %(mb)s MB.", mb=MAX_FILE_BYTES >> 20),
        )
        return []
    text = _decoded(source, problems)
    if text is None:
        return []
    if not text.strip():
        problems.add(source.name, 1, "-", lazy_gettext("The file is empty."))
        return []
    name = source.name.lower()
    is_json = name.endswith(JSON_SUFFIXES) or (
        not name.endswith(".csv") and text.lstrip().startswith("{")
    )
    return (
        _json_lines(source.name, text, problems) if is_json else _csv(source.name, text, problems)
    )


def _decoded(source: PostingsFile, problems: RowProblems) -> str | None:
    try:
        return source.data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = source.data[: error.start].count(b"\n") + 1
        problems.add(source.name, line, "-", lazy_gettext("This line is not UTF-8 text."))
        return None


def _json_lines(name: str, text: str, problems: RowProblems) -> list[PostingRow]:
    rows = []
    for line, content in enumerate(text.splitlines(), start=1):
        if not content.strip():
            continue
        try:
            record = json.loads(content)
        except json.JSONDecodeError as error:
            problems.add(name, line, "-", lazy_gettext("Not JSON: %(error)s.", error=error.msg))
            continue
        row = _record(name, line, record, problems)
        if row is not None:
            rows.append(row)
    return rows


def csv_rows(
    name: str, text: str, problems: RowProblems
) -> tuple[list[str], Iterator[tuple[int, dict[str, str] | None]]]:
    """A CSV file's header (trimmed, lower case) and its rows by line number, blank rows
    skipped. A row with the wrong number of values is reported and comes as None; an
    unreadable one is reported and ends the rows. Semicolons are read as the separator
    when the header has more of them than commas, as spreadsheets in French and other
    locales save."""
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [column.strip().lower() for column in next(reader)]

    def rows() -> Iterator[tuple[int, dict[str, str] | None]]:
        line = reader.line_num + 1
        try:
            for record in reader:
                if any(value.strip() for value in record):
                    if len(record) == len(header):
                        yield line, dict(zip(header, record, strict=True))
                    else:
                        problems.add(
                            name,
                            line,
                            "-",
                            lazy_gettext(
                                "%(found)s values where the header has %(expected)s columns.",
                                found=len(record),
                                expected=len(header),
                            ),
                        )
                        yield line, None
                line = reader.line_num + 1
        except csv.Error as error:
            problems.add(name, line, "-", lazy_gettext("Unreadable: %(error)s", error=error))

    return header, rows()


def _csv(name: str, text: str, problems: RowProblems) -> list[PostingRow]:
    header, records = csv_rows(name, text, problems)
    for column in header:
        if column not in COLUMNS:
            problems.add(
                name,
                1,
                column or "-",
                lazy_gettext(
                    "Unknown column; the columns are %(columns)s.", columns=", ".join(COLUMNS)
                ),
            )
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    for column in missing:
        problems.add(name, 1, column, lazy_gettext("This column is missing from the header."))
    if missing:
        return []
    rows = []
    for line, record in records:
        if record is None:
            continue
        values: dict[str, Any] = dict(record)
        skills = str(values.pop("skills", "") or "")
        values["skills"] = [s for s in skills.split(SKILL_SEPARATOR) if s.strip()]
        row = _record(name, line, values, problems)
        if row is not None:
            rows.append(row)
    return rows


def _record(name: str, line: int, record: object, problems: RowProblems) -> PostingRow | None:
    """One posting checked field by field: every problem of the row is reported."""
    if not isinstance(record, dict):
        problems.add(name, line, "-", lazy_gettext("Each posting is a JSON object."))
        return None
    before = len(problems.found) + problems.more
    for key in record:
        if key not in COLUMNS:
            problems.add(
                name,
                line,
                str(key),
                lazy_gettext(
                    "Unknown field; the fields are %(fields)s.", fields=", ".join(COLUMNS)
                ),
            )
    texts: dict[str, str | None] = {}
    for key in ("title", "text", "region", "id", "date"):
        value = record.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if key in REQUIRED_KEYS:
                problems.add(name, line, key, lazy_gettext("This field is required."))
            texts[key] = None
        elif not isinstance(value, str):
            problems.add(name, line, key, lazy_gettext("Write this field as text."))
            texts[key] = None
        else:
            texts[key] = value.strip()
            limit = WIDTHS.get(key, MAX_TEXT)
            if len(texts[key] or "") > limit:
                problems.add(
                    name,
                    line,
                    key,
                    lazy_gettext("Longer than %(count)s characters.", count=limit),
                )
    posted_on = _date(name, line, texts["date"], problems)
    skills = _skills(name, line, record.get("skills"), problems)
    title, text = texts["title"], texts["text"]
    if len(problems.found) + problems.more > before or not (title and text and posted_on):
        return None
    return PostingRow(
        file=name,
        line=line,
        title=title,
        text=text,
        region=texts["region"],
        posted_on=posted_on,
        external_id=texts["id"],
        skills=skills,
    )


def _date(name: str, line: int, value: str | None, problems: RowProblems) -> date | None:
    if value is None:
        return None
    try:
        if len(value) != len("YYYY-MM-DD"):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        problems.add(
            name, line, "date", lazy_gettext("Write the date as YYYY-MM-DD, e.g. 2026-03-31.")
        )
        return None


def _skills(name: str, line: int, value: object, problems: RowProblems) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.add(name, line, "skills", lazy_gettext("Give the skills as a list of texts."))
        return ()
    skills = tuple(dict.fromkeys(item.strip() for item in value if item.strip()))
    if len(skills) > MAX_SKILLS:
        problems.add(
            name, line, "skills", lazy_gettext("At most %(count)s skills.", count=MAX_SKILLS)
        )
        return ()
    return skills
