"""Reading a bulk-issue CSV file (``docs/bulk-issue-csv.md``): one row a learner, checked
field by field without the database.

Every bad row is reported with the file's name, the row's physical line and the field, so
a registrar can fix the whole file in one go; the database checks (who the learner is,
what they already hold) come after, in the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from cairn.catalogue.demand_import import RowProblems, csv_rows
from cairn.kit.i18n import lazy_gettext

COLUMNS = ("email", "awarded_on", "grade", "evidence_url", "evidence_name", "valid_until")
REQUIRED_COLUMNS = ("email", "awarded_on")
MAX_FILE_BYTES = 10 * 1024 * 1024
"""About 100,000 rows: more than any one cohort, and a file a request can still read."""
MAX_ROWS = 50_000
"""One run is one transaction: a bigger file is better split into several runs."""
WIDTHS = {"email": 320, "grade": 120, "evidence_url": 2000, "evidence_name": 300}
"""The longest value each text column takes, as the database and documents keep it."""
DATE_LENGTH = len("YYYY-MM-DD")


@dataclass(frozen=True)
class CsvFile:
    """An uploaded or local file, read whole; ``name`` is how problems name it."""

    name: str
    data: bytes


@dataclass(frozen=True)
class LearnerRow:
    """One good row: a learner's award and what their credential carries."""

    line: int
    email: str
    """Lower-cased, as Cairn keeps e-mail addresses."""
    awarded_on: date
    grade: str | None
    evidence_url: str | None
    evidence_name: str | None
    valid_until: date | None


@dataclass(frozen=True)
class ReadFile:
    rows: list[LearnerRow]
    """The good rows, in the file's order."""
    count: int
    """Every data row, good or bad: what the issue log counts."""


def read(source: CsvFile, problems: RowProblems, *, latest: date, today: date) -> ReadFile:
    """The file's rows; each bad one adds its problems instead. ``latest`` is the last day
    an award may be dated, ``today`` the first day a credential may stop being valid."""
    if len(source.data) > MAX_FILE_BYTES:
        problems.add(
            source.name,
            1,
            "-",
            lazy_gettext("The file is larger than %(mb)s MB.", mb=MAX_FILE_BYTES >> 20),
        )
        return ReadFile([], 0)
    try:
        text = source.data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = source.data[: error.start].count(b"\n") + 1
        problems.add(source.name, line, "-", lazy_gettext("This line is not UTF-8 text."))
        return ReadFile([], 0)
    if not text.strip():
        problems.add(source.name, 1, "-", lazy_gettext("The file is empty."))
        return ReadFile([], 0)
    found = _rows(source.name, text, problems, latest=latest, today=today)
    if found is None:
        return ReadFile([], 0)
    if found.count == 0 and not problems:
        problems.add(source.name, 2, "-", lazy_gettext("There are no learners in the file."))
    elif found.count > MAX_ROWS:
        problems.add(
            source.name,
            1,
            "-",
            lazy_gettext(
                "%(count)s rows: split the file into files of at most %(max)s rows.",
                count=f"{found.count:,}",
                max=f"{MAX_ROWS:,}",
            ),
        )
    return found


def _header(name: str, header: list[str], problems: RowProblems) -> bool:
    """Whether the header names every required column; each fault is a problem."""
    seen: set[str] = set()
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
        elif column in seen:
            problems.add(name, 1, column, lazy_gettext("This column appears twice."))
        seen.add(column)
    missing = [column for column in REQUIRED_COLUMNS if column not in seen]
    for column in missing:
        problems.add(name, 1, column, lazy_gettext("This column is missing from the header."))
    return not missing


def _rows(
    name: str, text: str, problems: RowProblems, *, latest: date, today: date
) -> ReadFile | None:
    """The rows under the header, or None when the header itself is wrong."""
    header, records = csv_rows(name, text, problems)
    if not _header(name, header, problems):
        return None
    rows: list[LearnerRow] = []
    first_line: dict[str, int] = {}
    count = 0
    for line, record in records:
        count += 1
        if record is None:
            continue
        values = {column: value.strip() for column, value in record.items()}
        email = values["email"].lower()
        first = first_line.setdefault(email, line) if email else line
        if first != line:
            problems.add(
                name,
                line,
                "email",
                lazy_gettext(
                    "The same learner as on line %(line)s: one row a learner.", line=first
                ),
            )
        row = _row(name, line, values, problems, latest=latest, today=today)
        if row is not None and first == line:
            rows.append(row)
    return ReadFile(rows, count)


def _row(
    name: str,
    line: int,
    values: dict[str, str],
    problems: RowProblems,
    *,
    latest: date,
    today: date,
) -> LearnerRow | None:
    """One row checked field by field: every problem of the row is reported."""
    before = len(problems.found) + problems.more
    for column, width in WIDTHS.items():
        if len(values.get(column, "")) > width:
            problems.add(
                name, line, column, lazy_gettext("Longer than %(count)s characters.", count=width)
            )
    email = values["email"].lower()
    if not email:
        problems.add(name, line, "email", lazy_gettext("This field is required."))
    awarded_on = _date(name, line, "awarded_on", values["awarded_on"], problems)
    if awarded_on is not None and awarded_on > latest:
        problems.add(
            name, line, "awarded_on", lazy_gettext("An award cannot be dated in the future.")
        )
    valid_until = _date(name, line, "valid_until", values.get("valid_until", ""), problems)
    if valid_until is not None and valid_until < today:
        problems.add(
            name,
            line,
            "valid_until",
            lazy_gettext("A credential must stay valid for some time after it is issued."),
        )
    evidence_url = values.get("evidence_url") or None
    evidence_name = values.get("evidence_name") or None
    if evidence_url is not None and not _is_web_address(evidence_url):
        problems.add(
            name,
            line,
            "evidence_url",
            lazy_gettext("Evidence must be a web address starting with https://."),
        )
    if evidence_name is not None and evidence_url is None:
        problems.add(
            name,
            line,
            "evidence_name",
            lazy_gettext("Give the evidence's web address in evidence_url too."),
        )
    if len(problems.found) + problems.more > before or awarded_on is None:
        return None
    return LearnerRow(
        line=line,
        email=email,
        awarded_on=awarded_on,
        grade=values.get("grade") or None,
        evidence_url=evidence_url,
        evidence_name=evidence_name,
        valid_until=valid_until,
    )


def _date(name: str, line: int, column: str, value: str, problems: RowProblems) -> date | None:
    """A YYYY-MM-DD date, None when empty; a required date's absence is a problem."""
    if not value:
        if column in REQUIRED_COLUMNS:
            problems.add(name, line, column, lazy_gettext("This field is required."))
        return None
    try:
        if len(value) != DATE_LENGTH:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        problems.add(
            name, line, column, lazy_gettext("Write the date as YYYY-MM-DD, e.g. 2026-03-31.")
        )
        return None


def _is_web_address(value: str) -> bool:
    """An https address with a host and no spaces: what a verifier can open."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in value)
