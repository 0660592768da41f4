"""What someone hands the verification page: pasted JSON or a JWT, an uploaded file (a
baked PNG or SVG, or a JSON file), or a link. Each becomes the credential's text, or an
error naming the field and what is wrong with it.

A link is fetched by the server, so only ``https`` is followed (plain ``http`` only for
this machine, as in development), with a short timeout and a size limit."""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

import httpx

from cairn.credentials import baking
from cairn.credentials.resolution import CouldNotResolve
from cairn.credentials.web_resolution import LOCAL_HOSTS, require_https
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import LazyString, lazy_gettext

MAX_BYTES: Final = 1024 * 1024
MAX_FILE_BYTES: Final = 4 * MAX_BYTES
"""A file (a badge image) may be larger than a credential: the image is most of it. Forms
also take pasted text up to this size, so text over ``MAX_BYTES`` reaches ``from_text``
and is refused there with a message on its field, not by the web server's part limit."""
IMAGE_TYPES: Final = frozenset({"image/png", "image/svg+xml"})


def _refuse(field: str, message: LazyString | str) -> InvalidInput:
    return InvalidInput(message, [FieldError(field, message)])


def from_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise _refuse(
            "credential", lazy_gettext("Paste a credential, choose a file or give a link.")
        )
    if len(cleaned.encode("utf-8")) > MAX_BYTES:
        raise _refuse("credential", lazy_gettext("A credential over 1 MiB is not accepted."))
    return cleaned


def from_file(data: bytes, filename: str | None, field: str = "file") -> str:
    """A baked PNG or SVG gives up the credential it carries; anything else must be the
    credential itself as UTF-8 text."""
    if not data:
        raise _refuse(field, lazy_gettext("The chosen file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(field, lazy_gettext("A file over 4 MiB is not accepted."))
    name = (filename or "").lower()
    looks_like_image = (
        data.startswith(b"\x89PNG") or name.endswith((".png", ".svg")) or (b"<svg" in data[:2048])
    )
    if looks_like_image:
        try:
            return baking.unbake(data, filename)
        except baking.NotABadge as error:
            raise _refuse(field, error.message) from error
    try:
        return from_text(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _refuse(
            field,
            lazy_gettext(
                "The file is neither a badge image (PNG or SVG) nor a credential in text."
            ),
        ) from None
    except InvalidInput as error:
        raise _refuse(field, error.message) from None


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url.strip()
    if parts.scheme == "http" and host in LOCAL_HOSTS:
        return url.strip()
    raise _refuse("url", lazy_gettext("Give a web address starting with https://."))


def from_url(url: str, client: httpx.Client | None = None) -> str:
    """The credential at ``url``: JSON, a JWT, or a baked badge image."""
    checked = _check_url(url)
    owned = client is None
    http = client or httpx.Client(
        timeout=10.0,
        follow_redirects=True,
        max_redirects=3,
        event_hooks={"request": [require_https]},
    )
    try:
        with http.stream(
            "GET", checked, headers={"Accept": "application/json, image/*;q=0.5"}
        ) as response:
            if response.status_code != 200:
                raise _refuse(
                    "url",
                    lazy_gettext(
                        "The address answered %(status)s, not a credential.",
                        status=response.status_code,
                    ),
                )
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_FILE_BYTES:
                    raise _refuse("url", lazy_gettext("What the address serves is over 4 MiB."))
            media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    except CouldNotResolve:
        raise _refuse("url", lazy_gettext("The address redirected away from https://.")) from None
    except httpx.HTTPError as error:
        raise _refuse(
            "url",
            lazy_gettext("The address could not be reached: %(why)s", why=type(error).__name__),
        ) from None
    finally:
        if owned:
            http.close()
    name = (
        "badge.svg" if media == "image/svg+xml" else "badge.png" if media == "image/png" else None
    )
    return from_file(bytes(body), name, field="url")
