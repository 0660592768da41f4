"""Reading the files of a download: a folder, several folders or a zip, each table as
``.csv``/``.txt``, optionally gzipped, with the physical line of every record kept so a
problem can be reported as ``file:line: column: reason``."""

from __future__ import annotations

import csv
import gzip
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal, cast

from cairn.kit.errors import DomainError
from cairn.kit.i18n import LazyString, lazy_gettext, ngettext

COMPRESSED_SUFFIX = ".gz"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.reason}"


@dataclass
class ImportFailed(DomainError):
    """Nothing was written: the input has ``problems``, each naming its file, line and column."""

    problems: list[Problem] = field(default_factory=list)

    code = "import_failed"
    status = 422
    meaning = lazy_gettext("The file has problems; nothing was imported.")


class Problems:
    """Collects every problem of an import, so one run reports them all."""

    def __init__(self) -> None:
        self.found: list[Problem] = []

    def add(self, file: str, line: int, column: str, reason: str | LazyString) -> None:
        self.found.append(Problem(file, line, column, str(reason)))

    def raise_if_any(self) -> None:
        if self.found:
            count = len(self.found)
            message = ngettext(
                "%(num)s problem in the input; nothing was imported.",
                "%(num)s problems in the input; nothing was imported.",
                count,
            )
            raise ImportFailed(message, problems=list(self.found))


@dataclass(frozen=True)
class Row:
    file: str
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        """The trimmed value, or "" when the column is absent or empty."""
        return (self.values.get(column) or "").strip()


@dataclass(frozen=True)
class SourceFile:
    display: str
    """How problems name it: the path, or ``archive.zip!member``."""
    path: Path
    member: str | None = None

    @contextmanager
    def open(self) -> Iterator[IO[str]]:
        """The table as text; every layer (zip, gzip, file) is closed afterwards."""
        with ExitStack() as stack:
            if self.member is None:
                raw: IO[bytes] = stack.enter_context(self.path.open("rb"))
            else:
                archive = stack.enter_context(zipfile.ZipFile(self.path))
                raw = stack.enter_context(archive.open(self.member))
            if (self.member or self.path.name).endswith(COMPRESSED_SUFFIX):
                raw = cast(IO[bytes], stack.enter_context(gzip.GzipFile(fileobj=raw)))
            # utf-8-sig: files saved by spreadsheet programs start with a byte-order mark.
            yield stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))


class Source:
    """Where a download lies: folders and zip files, searched in the order given."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.files: dict[str, SourceFile] = {}
        for path in paths:
            for candidate in _list(path):
                key = _table_name(candidate.member or candidate.path.name)
                self.files.setdefault(key, candidate)

    def find(self, table: str) -> SourceFile | None:
        """``skills_en`` finds ``skills_en.csv``, ``skills_en.csv.gz``, or either in a zip."""
        return self.files.get(table.lower())

    def matching(self, pattern: str) -> list[tuple[str, SourceFile]]:
        """Tables whose names match a regular expression, e.g. every skills collection."""
        regex = re.compile(pattern, re.IGNORECASE)
        return sorted((name, file) for name, file in self.files.items() if regex.fullmatch(name))


def _list(path: Path) -> Iterator[SourceFile]:
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.is_file() and _is_table(child.name):
                yield SourceFile(str(child), child)
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if _is_table(member):
                    yield SourceFile(f"{path}!{member}", path, member)
    elif path.is_file():
        yield SourceFile(str(path), path)


def _is_table(name: str) -> bool:
    base = name.removesuffix(COMPRESSED_SUFFIX).lower()
    return base.endswith((".csv", ".txt")) and not base.rsplit("/", 1)[-1].startswith(".")


def _table_name(name: str) -> str:
    base = name.rsplit("/", 1)[-1].removesuffix(COMPRESSED_SUFFIX)
    return base.rsplit(".", 1)[0].lower()


def read_table(
    file: SourceFile,
    problems: Problems,
    *,
    required: Sequence[str],
    delimiter: str = ",",
) -> list[Row]:
    """Every record of a table with the line it starts on; missing columns are problems."""
    rows: list[Row] = []
    with file.open() as handle:
        reader = csv.reader(handle, delimiter=delimiter, quoting=_quoting(delimiter))
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            problems.add(file.display, 1, "-", lazy_gettext("The file is empty."))
            return rows
        missing = [name for name in required if name not in header]
        for name in missing:
            problems.add(
                file.display, 1, name, lazy_gettext("This column is missing from the header.")
            )
        if missing:
            return rows
        line = reader.line_num + 1
        try:
            for record in reader:
                if any(value.strip() for value in record):
                    if len(record) != len(header):
                        problems.add(
                            file.display,
                            line,
                            "-",
                            lazy_gettext(
                                "%(found)s values where the header has %(expected)s columns.",
                                found=len(record),
                                expected=len(header),
                            ),
                        )
                    else:
                        rows.append(Row(file.display, line, dict(zip(header, record, strict=True))))
                line = reader.line_num + 1
        except (csv.Error, UnicodeDecodeError, EOFError, OSError) as error:
            problems.add(
                file.display, line, "-", lazy_gettext("Unreadable: %(error)s", error=error)
            )
    return rows


def _quoting(delimiter: str) -> Literal[0, 3]:
    """Tab-separated O*NET files use no quoting: a quote mark is just a character there."""
    return csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL


def split_labels(value: str, separator: str = "\n") -> str:
    """Alternative labels, one per line, trimmed and without duplicates, in their order."""
    seen: dict[str, None] = {}
    for label in value.split(separator):
        label = label.strip()
        if label:
            seen.setdefault(label, None)
    return "\n".join(seen)
