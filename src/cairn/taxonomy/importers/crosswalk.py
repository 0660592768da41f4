"""Crosswalks: published tables of equivalent codes between two classification systems,
such as NOC 2021 → O*NET-SOC, so an occupation in one system shows its equivalents in
another.

Cairn's documented layout is a CSV with the header
``source_code,source_label,target_code,target_label[,note]``; its two systems are named on
the command line. Known published files are recognised by their header and need nothing
more (``KNOWN_LAYOUTS``). A re-import makes the crosswalk's entries exactly the file's."""

from __future__ import annotations

import csv
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import LazyString, lazy_gettext
from cairn.kit.progress import Progress
from cairn.taxonomy import repository
from cairn.taxonomy.importers.source import (
    COMPRESSED_SUFFIX,
    Problems,
    Row,
    SourceFile,
    read_table,
)
from cairn.taxonomy.importers.writer import BATCH, ImportSummary, Tally
from cairn.taxonomy.models import Crosswalk, CrosswalkEntry

MAX_CODE = 500
"""The longest code or label an entry holds (its columns' size)."""
MAX_SLUG = 80
MAX_SYSTEM = 40
NOTE_SEPARATOR = "; "


@dataclass(frozen=True)
class Layout:
    """Which columns hold what, and what a published file leaves implicit."""

    columns: tuple[str, ...]
    """Header columns that identify the layout and must be present (the codes among them)."""
    source_code: str
    source_label: str
    target_code: str
    target_label: str
    notes: tuple[str, ...] = ()
    """Columns joined into the entry's note, in this order."""
    slug: str | None = None
    source_system: str | None = None
    target_system: str | None = None
    source_digits: int | None = None
    """Left-pad source codes with zeros to this many digits: spreadsheets drop them."""
    target_digits: int | None = None
    merge_duplicates: bool = False
    """Whether a repeated pair is folded into the first (its other labels kept in the
    note) rather than reported: some published files list a code's former titles so."""
    source: str | None = None
    """Who published the file, shown as the crosswalk's source."""


GENERIC = Layout(
    columns=("source_code", "target_code"),
    source_code="source_code",
    source_label="source_label",
    target_code="target_code",
    target_label="target_label",
    notes=("note",),
)

DAIS = (
    "NOC to O*NET crosswalk by the Brookfield Institute for Innovation + Entrepreneurship "
    "(The Dais), MIT License: https://github.com/thedaisTMU/NOC_ONet_Crosswalk"
)

KNOWN_LAYOUTS = (
    Layout(
        # The Dais' NOC 2021 → O*NET 26 table. It lists an O*NET code once per former title
        # of the occupation, so repeated pairs are merged.
        columns=("noc", "noc_title", "onet", "onet_title"),
        source_code="noc",
        source_label="noc_title",
        target_code="onet",
        target_label="onet_title",
        slug="noc2021-onet",
        source_system="NOC 2021",
        target_system="O*NET-SOC",
        source_digits=5,
        merge_duplicates=True,
        source=DAIS,
    ),
    Layout(
        # Statistics Canada's NOC 2016 v1.3 → NOC 2021 v1.0 concordance, as The Dais shares it.
        columns=("NOC2016", "NOC2016_Title", "Change_type", "NOC2021", "NOC2021_Title", "Notes"),
        source_code="NOC2016",
        source_label="NOC2016_Title",
        target_code="NOC2021",
        target_label="NOC2021_Title",
        notes=("Change_type", "Notes"),
        slug="noc2016-noc2021",
        source_system="NOC 2016",
        target_system="NOC 2021",
        source_digits=4,
        target_digits=5,
        source=DAIS,
    ),
)


def import_crosswalk(
    session: Session,
    file: Path,
    *,
    slug: str | None,
    source_system: str | None,
    target_system: str | None,
    progress: Progress,
) -> ImportSummary:
    """Check the whole file first (every problem reported, nothing written), then bring the
    crosswalk named ``slug`` to exactly the file's pairs."""
    table = SourceFile(str(file), file)
    layout = recognise(_header(table))
    source_system = (source_system or layout.source_system or "").strip()
    target_system = (target_system or layout.target_system or "").strip()
    slug = (slug or layout.slug or default_slug(file)).strip()
    _check_options(slug, source_system, target_system)

    problems = Problems()
    rows = read_table(table, problems, required=layout.columns)
    title = f"{source_system} → {target_system}"
    summary = ImportSummary(framework=title)
    entries = _entries(rows, layout, problems, summary)
    if not rows and not problems.found:
        problems.add(table.display, 1, "-", lazy_gettext("The file holds no entries."))
    problems.raise_if_any()

    crosswalk, summary.tallies["crosswalk"] = _upsert_crosswalk(
        session,
        slug=slug,
        title=title,
        source_system=source_system,
        target_system=target_system,
        source=layout.source or file.name,
    )
    summary.tallies["entries"] = _sync_entries(session, crosswalk.id, entries, progress)
    return summary


def recognise(header: Sequence[str]) -> Layout:
    """The known layout whose columns the header has, else Cairn's generic one."""
    present = set(header)
    for layout in KNOWN_LAYOUTS:
        if present.issuperset(layout.columns):
            return layout
    return GENERIC


def default_slug(file: Path) -> str:
    """``NOC to ONET.csv`` → ``noc-to-onet``: the file's name, lower-cased, as a short name."""
    stem = Path(file.name.removesuffix(COMPRESSED_SUFFIX)).stem.lower()
    return re.sub(r"[^a-z0-9._-]+", "-", stem).strip("-")[:MAX_SLUG]


def _header(table: SourceFile) -> list[str]:
    """The first row's names; an empty or unreadable file is reported by ``read_table``."""
    try:
        with table.open() as handle:
            return [name.strip() for name in next(csv.reader(handle), [])]
    except (csv.Error, UnicodeDecodeError, EOFError, OSError):
        return []


def _check_options(slug: str, source_system: str, target_system: str) -> None:
    """The generic layout does not say which systems its codes belong to: the caller must."""
    errors: list[FieldError] = []
    for name, value, limit, missing in (
        ("source_system", source_system, MAX_SYSTEM, lazy_gettext("Name the source system, e.g. NOC 2021.")),
        ("target_system", target_system, MAX_SYSTEM, lazy_gettext("Name the target system, e.g. O*NET-SOC.")),
        ("slug", slug, MAX_SLUG, lazy_gettext("Give the crosswalk a short name.")),
    ):  # fmt: skip
        if not value:
            errors.append(FieldError(name, missing))
        elif len(value) > limit:
            errors.append(
                FieldError(
                    name, lazy_gettext("Enter at most %(max_length)s characters.", max_length=limit)
                )
            )
    if errors:
        message = (
            errors[0].message
            if len(errors) == 1
            else lazy_gettext("Some options are missing or too long.")
        )
        raise InvalidInput(message, errors)


@dataclass
class _Entry:
    source_label: str | None
    target_label: str | None
    note: str | None
    line: int
    other_labels: tuple[str, ...] = ()
    """Target labels of merged repeats of the pair."""

    def values(self) -> dict[str, Any]:
        note = self.note
        if self.other_labels:
            also = f"Also titled: {NOTE_SEPARATOR.join(self.other_labels)}"
            note = NOTE_SEPARATOR.join(part for part in (note, also) if part)
        return {"source_label": self.source_label, "target_label": self.target_label, "note": note}


def _entries(
    rows: list[Row], layout: Layout, problems: Problems, summary: ImportSummary
) -> dict[tuple[str, str], _Entry]:
    entries: dict[tuple[str, str], _Entry] = {}
    for row in rows:
        source = _code(row, layout.source_code, layout.source_digits, problems)
        target = _code(row, layout.target_code, layout.target_digits, problems)
        labels = [
            _value(row, column, problems) for column in (layout.source_label, layout.target_label)
        ]
        note = NOTE_SEPARATOR.join(row.get(column) for column in layout.notes if row.get(column))
        if not (source and target):
            continue
        first = entries.get((source, target))
        if first is None:
            entries[(source, target)] = _Entry(labels[0], labels[1], note or None, row.line)
        elif layout.merge_duplicates:
            if (
                labels[1]
                and labels[1] != first.target_label
                and labels[1] not in first.other_labels
            ):
                first.other_labels += (labels[1],)
            summary.skip("repeated pairs merged into the first")
        else:
            problems.add(
                row.file,
                row.line,
                layout.target_code,
                lazy_gettext(
                    "%(source)s → %(target)s is already on line %(line)s.",
                    source=source,
                    target=target,
                    line=first.line,
                ),
            )
    return entries


def _code(row: Row, column: str, digits: int | None, problems: Problems) -> str | None:
    code = row.get(column)
    reason: LazyString | None = None
    if not code:
        reason = lazy_gettext("A code is required.")
    elif digits is not None and not (code.isdigit() and len(code) <= digits):
        reason = lazy_gettext(
            "'%(value)s' is not a code of at most %(digits)s digits.", value=code, digits=digits
        )
    elif len(code) > MAX_CODE:
        reason = lazy_gettext("Enter at most %(max_length)s characters.", max_length=MAX_CODE)
    if reason is not None:
        problems.add(row.file, row.line, column, reason)
        return None
    # Spreadsheets drop leading zeros: NOC 00010 is saved as 10.
    return code.zfill(digits) if digits is not None else code


def _value(row: Row, column: str, problems: Problems) -> str | None:
    value = row.get(column)
    if len(value) > MAX_CODE:
        problems.add(
            row.file,
            row.line,
            column,
            lazy_gettext("Enter at most %(max_length)s characters.", max_length=MAX_CODE),
        )
    return value or None


def _upsert_crosswalk(
    session: Session,
    *,
    slug: str,
    title: str,
    source_system: str,
    target_system: str,
    source: str,
) -> tuple[Crosswalk, Tally]:
    values = {
        "title": title,
        "source_system": source_system,
        "target_system": target_system,
        "source": source,
    }
    crosswalk = repository.get_crosswalk(session, slug)
    tally = Tally()
    if crosswalk is None:
        crosswalk = Crosswalk(slug=slug, **values)
        session.add(crosswalk)
        tally.created = 1
    elif any(getattr(crosswalk, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(crosswalk, key, value)
        tally.updated = 1
    else:
        tally.unchanged = 1
    session.flush()
    return crosswalk, tally


def _sync_entries(
    session: Session,
    crosswalk_id: uuid.UUID,
    entries: dict[tuple[str, str], _Entry],
    progress: Progress,
) -> Tally:
    """Insert new pairs, rewrite changed labels and notes, delete pairs the file dropped."""
    existing = repository.crosswalk_entry_keys(session, crosswalk_id)
    tally = Tally()
    progress.start("Crosswalk entries", len(entries))
    new_rows: list[dict[str, Any]] = []
    for (source, target), entry in entries.items():
        values = entry.values()
        current = existing.get((source, target))
        if current is None:
            new_rows.append(
                {
                    "id": uuid.uuid4(),
                    "crosswalk_id": crosswalk_id,
                    "source_code": source,
                    "target_code": target,
                    **values,
                }
            )
            tally.created += 1
        elif any(getattr(current, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            tally.updated += 1
        else:
            tally.unchanged += 1
    for start in range(0, len(new_rows), BATCH):
        repository.insert_rows(session, CrosswalkEntry, new_rows[start : start + BATCH])
    stale = [entry.id for key, entry in existing.items() if key not in entries]
    repository.delete_crosswalk_entries(session, stale)
    tally.removed = len(stale)
    progress.advance(len(entries))
    session.flush()
    return tally
