"""Which files a learner may upload as evidence, recognised by their content.

The media type a browser sends, and the file's name, are the uploader's say-so; the bytes
decide. A file is accepted when its content is one of a few document and image formats and
its name ends as that format's names do, and it is stored and served with the media type
found here, never the one sent."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_CLAIM_BYTES = 25 * 1024 * 1024
MAX_FILENAME = 300


@dataclass(frozen=True)
class FileKind:
    media_type: str
    extensions: tuple[str, ...]


PDF = FileKind("application/pdf", (".pdf",))
PNG = FileKind("image/png", (".png",))
JPEG = FileKind("image/jpeg", (".jpg", ".jpeg"))
TEXT = FileKind("text/plain; charset=utf-8", (".txt", ".text", ".md"))
ODF_KINDS = {
    kind.media_type: kind
    for kind in (
        FileKind("application/vnd.oasis.opendocument.text", (".odt",)),
        FileKind("application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
        FileKind("application/vnd.oasis.opendocument.presentation", (".odp",)),
    )
}
OOXML_KINDS = {
    "word/document.xml": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
    ),
    "xl/workbook.xml": FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
    ),
    "ppt/presentation.xml": FileKind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",)
    ),
}
ACCEPTED_EXTENSIONS: tuple[str, ...] = tuple(
    extension
    for kind in (PDF, PNG, JPEG, TEXT, *ODF_KINDS.values(), *OOXML_KINDS.values())
    for extension in kind.extensions
)
"""For the upload field's ``accept`` hint and the messages; the content is still checked."""

_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def sniff(data: bytes) -> FileKind | None:
    """The accepted format these bytes are in, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_document(data)
    return _plain_text(data)


def _office_document(data: bytes) -> FileKind | None:
    """ODF names its type in a first, uncompressed ``mimetype`` entry; OOXML by its parts.
    Only the directory and that one small entry are read, so a zip bomb stays packed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100:
                return ODF_KINDS.get(archive.read("mimetype").decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                return next((kind for part, kind in OOXML_KINDS.items() if part in names), None)
    except (zipfile.BadZipFile, KeyError, ValueError):
        return None
    return None


def _plain_text(data: bytes) -> FileKind | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if not text.strip() or _TEXT_CONTROLS.search(text) else TEXT


def matches_name(kind: FileKind, filename: str) -> bool:
    return filename.lower().endswith(kind.extensions)


def clean_filename(raw: str) -> str:
    """The name without any folder a browser may send, control characters or edge dots."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[-MAX_FILENAME:] or "file"


def download_headers(filename: str, media_type: str) -> dict[str, str]:
    """How any face serves an uploaded file: always as a download with the type found on
    upload, never rendered or sniffed by the browser, sandboxed if it is opened anyway."""
    fallback = "".join(
        ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in filename
    )
    return {
        "content-type": media_type,
        "content-disposition": (
            f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
        ),
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
        "cache-control": "private, no-store",
    }
