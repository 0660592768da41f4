"""Translations with Babel: the locale of the current request or command, and gettext.

Catalogues are the ``.po`` files under ``cairn/locale``; they are compiled in memory on
first use, so a translator's edit can never be shadowed by a stale ``.mo`` file.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

SUPPORTED_LOCALES: tuple[str, ...] = ("en", "fr")
DEFAULT_LOCALE = "en"
DOMAIN = "messages"
LOCALE_COOKIE = "cairn_lang"

_current_locale: ContextVar[str] = ContextVar("cairn_locale", default=DEFAULT_LOCALE)


@cache
def translations_for(locale: str) -> NullTranslations:
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    po_path = resources.files("cairn").joinpath("locale", locale, "LC_MESSAGES", f"{DOMAIN}.po")
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def normalise_locale(value: str | None) -> str | None:
    """The supported locale matching ``value`` (``fr-CA`` → ``fr``), or None."""
    if not value:
        return None
    try:
        language = Locale.parse(value.replace("-", "_")).language
    except (ValueError, UnknownLocaleError):
        return None
    return language if language in SUPPORTED_LOCALES else None


def negotiate(accept_language: str | None) -> str | None:
    """The best supported locale from an ``Accept-Language`` header."""
    if not accept_language:
        return None
    ranked: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        locale = normalise_locale(tag.strip())
        if locale is not None and quality > 0:  # q=0 means "not this language" (RFC 9110)
            ranked.append((quality, locale))
    ranked.sort(key=lambda item: -item[0])
    return ranked[0][1] if ranked else None


def get_locale() -> str:
    return _current_locale.get()


@contextmanager
def use_locale(locale: str) -> Any:
    token = _current_locale.set(normalise_locale(locale) or DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current_locale.reset(token)


def set_locale(locale: str) -> None:
    """Set the locale for the rest of this context (a request task or a CLI run)."""
    _current_locale.set(normalise_locale(locale) or DEFAULT_LOCALE)


def format_datetime(value: datetime) -> str:
    """A moment as people of the current locale write it, in UTC and saying so."""
    return babel_format_datetime(value, "medium", tzinfo=None, locale=get_locale()) + " UTC"


def gettext(message: str, **variables: Any) -> str:
    text = translations_for(get_locale()).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    text = translations_for(get_locale()).ungettext(singular, plural, n)
    return text % {"num": n, **variables}


@dataclass(frozen=True)
class LazyString:
    """A message translated when rendered, so module-level and service text follows the
    locale of whoever reads it, not of whoever raised it."""

    message: str
    variables: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        return gettext(self.message, **dict(self.variables))


def lazy_gettext(message: str, **variables: Any) -> LazyString:
    return LazyString(message, tuple(sorted(variables.items())))


_ = gettext
_l = lazy_gettext
