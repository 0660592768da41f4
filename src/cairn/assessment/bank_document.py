"""An item bank as any of its file formats reads (JSON, CSV, a QTI package): the bank's
fields and each item in the JSON format's shape, not yet checked, with where it came from.
One checker (``bank_import``) then holds every format to the same rules and reports each
problem in the words of the author's own file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Location = tuple[str | int, ...]
"""A place in the JSON format's item, e.g. ``("options", 2, "id")``; () is the whole item."""


@dataclass(frozen=True)
class RawItem:
    data: dict[str, Any]
    """The item's fields as docs/item-bank-format.md names them."""
    file: str
    line: int
    column: Callable[[Location], str]
    """How this format names a place of the item: ``items[3].options.2.id`` in JSON,
    ``option_c`` in CSV, ``qti-simple-choice`` in QTI."""
    skill_uri: str | None = None
    """The skill's URI, when the file names the skill by URI rather than by code."""


@dataclass
class BankDocument:
    file: str
    bank: dict[str, Any]
    """The bank's fields as the ``bank`` object of the JSON format names them."""
    bank_column: Callable[[str], str]
    items: list[RawItem] = field(default_factory=list)
    seed_from_level: bool = False
    """Formats where difficulty may be left out: it then starts at the level's value."""


def json_bank_column(name: str) -> str:
    return f"bank.{name}"


def option_bank_column(name: str) -> str:
    """Formats whose bank is described by the import command's options."""
    return "--" + name.replace("_", "-")


@dataclass(frozen=True)
class ItemDefaults:
    """What an import gives items whose file does not say it, as QTI items written by
    other tools do not: the competence they measure and the level they are written for."""

    competence: str | None = None
    level: int | None = None
