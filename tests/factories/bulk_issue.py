"""CSV files of learners for bulk issue, written as a spreadsheet would save them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

HEADER = ("email", "awarded_on", "grade", "evidence_url", "evidence_name", "valid_until")


def learners_csv(
    rows: Iterable[Sequence[str]], header: Sequence[str] = HEADER, *, delimiter: str = ","
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()
