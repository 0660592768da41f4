"""Language negotiation and messages translated in the reader's language."""

from __future__ import annotations

import threading
from importlib import resources

import pytest
from babel.messages.pofile import read_po

from cairn.kit.errors import NotFound, status_title
from cairn.kit.i18n import (
    DEFAULT_LOCALE,
    get_locale,
    gettext,
    lazy_gettext,
    negotiate,
    ngettext,
    normalise_locale,
    set_locale,
    use_locale,
)

NOT_FOUND = "Organisation not found."
LOCKED = "Too many failed attempts. Wait %(minutes)s minutes, then try again."


def french(message: str) -> str:
    """The translator's French for ``message``, read from the catalogue file itself."""
    po = resources.files("cairn").joinpath("locale", "fr", "LC_MESSAGES", "messages.po")
    with po.open("rb") as handle:
        entry = read_po(handle, locale="fr").get(message)
    if entry is None or not entry.string or entry.fuzzy:
        pytest.skip(f"the French catalogue has no translation of {message!r} yet")
    assert isinstance(entry.string, str)
    assert entry.string != message
    return entry.string


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-CA,fr;q=0.9,en;q=0.8", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.8", "en"),
        ("de-DE,de;q=0.9,fr;q=0.5,en;q=0.4", "fr"),
        ("en;q=0.3, fr;q=0.7", "fr"),
        ("FR", "fr"),
        ("fr_CA", "fr"),
        ("es, de", None),
        ("*", None),
        ("", None),
        (None, None),
        ("fr;q=oops, en;q=0.2", "en"),
        ("fr;q=0, en;q=0.1", "en"),
        ("fr;q=0", None),
    ],
)
def test_accept_language_picks_the_best_supported_locale(
    header: str | None, expected: str | None
) -> None:
    assert negotiate(header) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("fr-CA", "fr"), ("en_US", "en"), ("fr", "fr"), ("pt-BR", None), ("??", None), (None, None)],
)
def test_locales_are_normalised_to_supported_languages(
    value: str | None, expected: str | None
) -> None:
    assert normalise_locale(value) == expected


def test_use_locale_applies_inside_the_block_only() -> None:
    assert get_locale() == DEFAULT_LOCALE
    with use_locale("fr-CA"):
        assert get_locale() == "fr"
        with use_locale("klingon"):
            assert get_locale() == DEFAULT_LOCALE
        assert get_locale() == "fr"
    assert get_locale() == DEFAULT_LOCALE


def test_the_locale_belongs_to_its_own_context() -> None:
    seen: list[str] = []

    def other_request() -> None:
        set_locale("fr")
        seen.append(get_locale())

    thread = threading.Thread(target=other_request)
    thread.start()
    thread.join()

    assert seen == ["fr"]
    assert get_locale() == DEFAULT_LOCALE


def test_a_lazy_message_follows_the_readers_locale() -> None:
    with use_locale("fr"):
        error = NotFound(lazy_gettext(NOT_FOUND))  # raised while French was current

    with use_locale("en"):
        assert str(error) == NOT_FOUND
    with use_locale("fr"):
        assert str(error) == french(NOT_FOUND)


def test_variables_fill_the_translated_text() -> None:
    message = lazy_gettext(LOCKED, minutes=15)

    assert str(message) == "Too many failed attempts. Wait 15 minutes, then try again."
    with use_locale("fr"):
        assert str(message) == french(LOCKED) % {"minutes": 15}
        assert "15" in str(message)


def test_an_untranslated_message_falls_back_to_english() -> None:
    with use_locale("fr"):
        assert gettext("A sentence no translator has seen (%(n)s).", n=3) == (
            "A sentence no translator has seen (3)."
        )
        assert ngettext("%(num)s apple", "%(num)s apples", 2) == "2 apples"
    assert ngettext("%(num)s apple", "%(num)s apples", 1) == "1 apple"


def test_status_titles_are_translated() -> None:
    assert status_title(404) == "Not found"
    assert status_title(418) == "Error"
    with use_locale("fr"):
        assert status_title(404) == french("Not found")
