"""Importing an item bank from its documented JSON file, the spreadsheet layout for simple
items, or a QTI 3.0 package: every item checked by the same rules first (each problem
reported with the file, line and column the author knows), then written all at once; an item
whose wording or parameters changed becomes a new version, an unchanged one is left alone."""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from cairn.assessment import bank_csv, qti_import, repository
from cairn.assessment.bank_document import (
    BankDocument,
    ItemDefaults,
    Location,
    RawItem,
    json_bank_column,
)
from cairn.assessment.bank_schema import BankInfo, ItemIn, content_of
from cairn.assessment.enums import ItemType
from cairn.assessment.models import Item, ItemBank
from cairn.kit.i18n import lazy_gettext
from cairn.kit.progress import Progress
from cairn.kit.validation import describe
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.importers.source import Problems
from cairn.taxonomy.importers.writer import ImportSummary, Tally
from cairn.taxonomy.models import Framework

ITEM = TypeAdapter(ItemIn)
ID_LINE = re.compile(r'"id"\s*:\s*"([^"]+)"')
LOWEST_SEED, HIGHEST_SEED = -2.5, 2.5
"""The starting difficulties of a scale's lowest and highest levels (docs/item-bank-format.md)."""


def import_bank(
    session: Session,
    file: Path,
    *,
    owner_org_id: uuid.UUID | None,
    progress: Progress,
    bank: Mapping[str, Any] | None = None,
    defaults: ItemDefaults | None = None,
) -> ImportSummary:
    """``file`` is a ``.json`` bank, a ``.csv`` of simple items, or a QTI 3.0 package (a
    ``.zip`` or a folder). ``bank`` gives or replaces the bank's fields (slug, version,
    title, framework, …), which a CSV file and other tools' QTI packages do not hold."""
    problems = Problems()
    document = read_document(
        file, problems, bank=bank or {}, defaults=defaults or ItemDefaults(), progress=progress
    )
    return import_document(
        session, document, problems, owner_org_id=owner_org_id, progress=progress
    )


def read_document(
    file: Path,
    problems: Problems,
    *,
    bank: Mapping[str, Any],
    defaults: ItemDefaults,
    progress: Progress,
) -> BankDocument:
    """The file's bank and items, in the format its name (or, for a zip, its content) says."""
    suffix = file.suffix.lower()
    if file.is_dir() or suffix == ".zip":
        if not file.is_dir() and not zipfile.is_zipfile(file):
            problems.add(str(file), 1, "-", lazy_gettext("Not a zip file."))
            problems.raise_if_any()
        return qti_import.read_package(
            file, problems, bank=bank, defaults=defaults, progress=progress
        )
    if suffix in (".csv", ".txt"):
        return bank_csv.read_csv(file, problems, bank=bank)
    return read_json(file, problems, bank=bank)


def import_document(
    session: Session,
    document: BankDocument,
    problems: Problems,
    *,
    owner_org_id: uuid.UUID | None,
    progress: Progress,
) -> ImportSummary:
    bank = _bank_info(document, problems)
    framework = _framework(session, bank, document, problems) if bank else None
    items = _items(session, document, framework, problems)
    problems.raise_if_any()
    # No problem means both were found.
    assert bank is not None  # noqa: S101
    assert framework is not None  # noqa: S101

    summary = ImportSummary(framework=f"{bank.title} {bank.version}")
    stored = repository.find_bank(session, bank.slug, bank.version)
    bank_tally = Tally()
    if stored is None:
        stored = ItemBank(slug=bank.slug, version=bank.version, owner_org_id=owner_org_id)
        session.add(stored)
        bank_tally.created = 1
    else:
        bank_tally.unchanged = 1
    stored.title, stored.description = bank.title, bank.description
    stored.language, stored.licence, stored.framework_id = bank.language, bank.licence, framework.id
    session.flush()
    summary.tallies["bank"] = bank_tally
    summary.tallies["items"] = _write_items(session, stored, items, progress)
    return summary


BUILTIN_BANK = "digital_skills_items.json"


def load_builtin_bank(session: Session, *, progress: Progress) -> ImportSummary:
    """Cairn's digital-skills item bank, shipped with the package, over its digital framework."""
    with resources.as_file(resources.files("cairn.assessment") / "banks" / BUILTIN_BANK) as path:
        return import_bank(session, path, owner_org_id=None, progress=progress)


def read_json(file: Path, problems: Problems, *, bank: Mapping[str, Any]) -> BankDocument:
    name = str(file)
    try:
        text = file.read_text(encoding="utf-8")
        data = json.loads(text)
    except UnicodeDecodeError:
        problems.add(name, 1, "-", lazy_gettext("The file is not UTF-8 text."))
        problems.raise_if_any()
    except json.JSONDecodeError as error:
        problems.add(
            name, error.lineno, "-", lazy_gettext("Not valid JSON: %(reason)s", reason=error.msg)
        )
        problems.raise_if_any()
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        problems.add(name, 1, "items", lazy_gettext("The file needs a bank and a list of items."))
        problems.raise_if_any()
    lines = _id_lines(text)
    described = data.get("bank")
    document = BankDocument(
        file=name,
        bank=_merged(described, bank),
        bank_column=json_bank_column,
    )
    for index, raw in enumerate(data["items"]):
        key = str(raw.get("id", "")) if isinstance(raw, dict) else ""
        document.items.append(RawItem(raw, name, lines.get(key, 1), _json_column(index)))
    return document


def _merged(described: Any, bank: Mapping[str, Any]) -> Any:
    """The file's bank with the command's fields over it; anything but an object is left
    for the checks to refuse."""
    if described is None:
        return dict(bank)
    return {**described, **bank} if isinstance(described, dict) else described


def _json_column(index: int) -> Callable[[Location], str]:
    """``items[3].options.1.id``; a rule about the whole item names just ``items[3]``."""
    where = f"items[{index}]"
    return lambda location: ".".join([where, *(str(part) for part in location)])


def _id_lines(text: str) -> dict[str, int]:
    """The line where each id first appears: items are reported where an author finds them."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in ID_LINE.finditer(line):
            found.setdefault(match.group(1), number)
    return found


def _bank_info(document: BankDocument, problems: Problems) -> BankInfo | None:
    try:
        return BankInfo.model_validate(document.bank)
    except ValidationError as error:
        for item in error.errors():
            field = ".".join(str(part) for part in item["loc"])
            problems.add(document.file, 1, document.bank_column(field), describe(item))
        return None


def _framework(
    session: Session, bank: BankInfo, document: BankDocument, problems: Problems
) -> Framework | None:
    framework = taxonomy_repository.find_framework(session, bank.framework, bank.framework_version)
    if framework is None:
        problems.add(
            document.file,
            1,
            document.bank_column("framework"),
            lazy_gettext(
                "No framework %(name)s is imported; import it first.", name=bank.framework
            ),
        )
    return framework


def _items(
    session: Session, document: BankDocument, framework: Framework | None, problems: Problems
) -> list[tuple[Any, uuid.UUID]]:
    """Valid items with the id of the skill each measures."""
    ranks = (
        sorted(level.rank for level in framework.scale.levels)
        if framework and framework.scale
        else []
    )
    skills: dict[str, uuid.UUID | None] = {}
    codes_by_uri: dict[str, str | None] | None = None
    seen: set[str] = set()
    found: list[tuple[Any, uuid.UUID]] = []
    for raw in document.items:
        data = raw.data
        key = str(data.get("id", "")) if isinstance(data, dict) else ""
        if key and key in seen:
            problems.add(
                raw.file,
                raw.line,
                raw.column(("id",)),
                lazy_gettext("This id is used by another item."),
            )
            continue
        seen.add(key)
        if isinstance(data, dict):
            data = dict(data)
            if raw.skill_uri and "competence" not in data and framework is not None:
                if codes_by_uri is None:
                    codes_by_uri = {
                        uri: skill.code
                        for uri, skill in taxonomy_repository.skills_by_uri(
                            session, framework.id
                        ).items()
                    }
                data["competence"] = codes_by_uri.get(raw.skill_uri) or raw.skill_uri
            if document.seed_from_level and data.get("difficulty") in (None, ""):
                data["difficulty"] = _seed(data.get("level"), ranks)
        try:
            item = ITEM.validate_python(data)
        except ValidationError as error:
            for detail in error.errors():
                problems.add(raw.file, raw.line, raw.column(_location(detail)), describe(detail))
            continue
        if framework is None:
            continue
        if item.competence not in skills:
            skill = taxonomy_repository.find_skill_by_code(session, framework.id, item.competence)
            skills[item.competence] = skill.id if skill is not None and not skill.is_group else None
        skill_id = skills[item.competence]
        if skill_id is None:
            problems.add(
                raw.file,
                raw.line,
                raw.column(("competence",)),
                lazy_gettext(
                    "%(code)s is not a skill of %(framework)s.",
                    code=item.competence,
                    framework=framework.slug,
                ),
            )
            continue
        if ranks and item.level not in ranks:
            problems.add(
                raw.file,
                raw.line,
                raw.column(("level",)),
                lazy_gettext("Level %(level)s is not on the framework's scale.", level=item.level),
            )
            continue
        found.append((item, skill_id))
    return found


def _location(detail: Any) -> Location:
    if detail["type"] == "union_tag_invalid":
        return ("type",)
    # The first part of the location names the item type the union tried.
    return tuple(detail["loc"][1:])


def _seed(level: Any, ranks: list[int]) -> float:
    """The level's starting difficulty: the scale's levels spread evenly from -2.5 to 2.5.
    A level not on the scale gets 0; its own problem is reported."""
    try:
        position = ranks.index(int(level))
    except (TypeError, ValueError):
        return 0.0
    if len(ranks) < 2:
        return 0.0
    step = (HIGHEST_SEED - LOWEST_SEED) / (len(ranks) - 1)
    return round(LOWEST_SEED + position * step, 2)


def _write_items(
    session: Session, bank: ItemBank, items: list[tuple[Any, uuid.UUID]], progress: Progress
) -> Tally:
    current = {item.key: item for item in repository.current_items(session, bank.id)}
    tally = Tally()
    progress.start("Items", len(items))
    for item, skill_id in items:
        values = {
            "skill_id": skill_id,
            "level": item.level,
            "item_type": ItemType(item.type),
            "content": content_of(item),
            "tags": list(item.tags),
            "discrimination": item.discrimination,
            "difficulty": item.difficulty,
        }
        if item.calibration is not None:
            # An exported bank brings its calibration; a bank written by hand leaves the
            # stored one alone.
            values.update(item.calibration.model_dump())
        stored = current.get(item.id)
        if stored is not None and all(getattr(stored, k) == v for k, v in values.items()):
            tally.unchanged += 1
        else:
            if stored is not None:
                stored.is_current = False
                tally.updated += 1
            else:
                tally.created += 1
            version = max(item.version, stored.version + 1 if stored else 1)
            session.add(
                Item(bank_id=bank.id, key=item.id, version=version, is_current=True, **values)
            )
        progress.advance()
    session.flush()
    return tally
