"""Every message a user can see has a French translation, with the same placeholders."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from cairn.kit.i18n import gettext, use_locale

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")


def extracted_messages() -> set[str]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        # Babel leaves this public helper unannotated; its result types are plain lists/dicts.
        method_map, options_map = parse_mapping_cfg(handle)  # type: ignore[no-untyped-call]
    messages: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "src"), method_map, options_map, keywords=KEYWORDS
    ):
        messages.add(message[0] if isinstance(message, tuple) else message)
    return messages


def french_catalogue() -> dict[str, str]:
    po = resources.files("cairn").joinpath("locale", "fr", "LC_MESSAGES", "messages.po")
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    return {
        first(message.id): first(message.string)
        for message in catalog
        if message.id and not message.fuzzy
    }


def first(text: str | tuple[str, ...] | list[str] | None) -> str:
    """The singular form of a catalogue entry (plural entries hold a sequence)."""
    if text is None:
        return ""
    return text if isinstance(text, str) else text[0]


def test_every_message_has_a_french_translation() -> None:
    french = french_catalogue()
    missing = sorted(message for message in extracted_messages() if not french.get(message))
    assert missing == [], (
        f"{len(missing)} messages lack French (see README, Translations): {missing[:10]}"
    )


def test_translations_keep_their_placeholders() -> None:
    broken = [
        message
        for message, translation in french_catalogue().items()
        if translation
        and sorted(PLACEHOLDER.findall(message)) != sorted(PLACEHOLDER.findall(translation))
    ]
    assert broken == []


def test_french_is_served_from_the_catalogue() -> None:
    with use_locale("fr"):
        assert gettext("Sign in") == french_catalogue()["Sign in"]
        assert gettext("Sign in") != "Sign in"
