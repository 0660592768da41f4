"""Files offered to save rather than to show, sent alike by the API and the pages.

The exports Cairn writes have names it makes up (ASCII, without quotes), so the plain
``filename`` parameter is enough; a file a person uploaded, under a name of their own, goes
out through ``assessment.rpl_files.download_headers`` instead."""

from __future__ import annotations


def csv_attachment(filename: str) -> dict[str, str]:
    """The headers of a CSV export (UTF-8), saved by the browser as ``filename``."""
    return {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": f'attachment; filename="{filename}"',
    }
