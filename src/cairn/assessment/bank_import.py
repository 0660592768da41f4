"""Importing an item bank from its documented JSON file: every item checked first (each
problem reported with the item's line and field), then written all at once; an item whose
wording or parameters changed becomes a new version, an unchanged one is left alone."""

from __future__ import annotations

import json
import re
import uuid
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from cairn.assessment import repository
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


def import_bank(
    session: Session, file: Path, *, owner_org_id: uuid.UUID | None, progress: Progress
) -> ImportSummary:
    text = file.read_text(encoding="utf-8")
    name = str(file)
    problems = Problems()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problems.add(
            name, error.lineno, "-", lazy_gettext("Not valid JSON: %(reason)s", reason=error.msg)
        )
        problems.raise_if_any()
    lines = _id_lines(text)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        problems.add(name, 1, "items", lazy_gettext("The file needs a bank and a list of items."))
        problems.raise_if_any()
    bank = _bank_info(data.get("bank"), name, problems)
    framework = _framework(session, bank, name, problems) if bank else None
    items = _items(session, data["items"], framework, lines, name, problems)
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


def _id_lines(text: str) -> dict[str, int]:
    """The line where each id first appears: items are reported where an author finds them."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in ID_LINE.finditer(line):
            found.setdefault(match.group(1), number)
    return found


def _bank_info(raw: Any, name: str, problems: Problems) -> BankInfo | None:
    try:
        return BankInfo.model_validate(raw)
    except ValidationError as error:
        for item in error.errors():
            field = ".".join(str(part) for part in ("bank", *item["loc"]))
            problems.add(name, 1, field, describe(item))
        return None


def _framework(session: Session, bank: BankInfo, name: str, problems: Problems) -> Framework | None:
    framework = taxonomy_repository.find_framework(session, bank.framework, bank.framework_version)
    if framework is None:
        problems.add(
            name,
            1,
            "bank.framework",
            lazy_gettext(
                "No framework %(name)s is imported; import it first.", name=bank.framework
            ),
        )
    return framework


def _items(
    session: Session,
    raw_items: list[Any],
    framework: Framework | None,
    lines: dict[str, int],
    name: str,
    problems: Problems,
) -> list[tuple[Any, uuid.UUID]]:
    """Valid items with the id of the skill each measures."""
    ranks = (
        {level.rank for level in framework.scale.levels} if framework and framework.scale else set()
    )
    skills: dict[str, uuid.UUID | None] = {}
    seen: set[str] = set()
    found: list[tuple[Any, uuid.UUID]] = []
    for index, raw in enumerate(raw_items):
        key = str(raw.get("id", "")) if isinstance(raw, dict) else ""
        line = lines.get(key, 1)
        where = f"items[{index}]"
        if key and key in seen:
            problems.add(
                name, line, f"{where}.id", lazy_gettext("This id is used by another item.")
            )
            continue
        seen.add(key)
        try:
            item = ITEM.validate_python(raw)
        except ValidationError as error:
            for detail in error.errors():
                problems.add(name, line, _column(where, detail), describe(detail))
            continue
        if framework is None:
            continue
        if item.competence not in skills:
            skill = taxonomy_repository.find_skill_by_code(session, framework.id, item.competence)
            skills[item.competence] = skill.id if skill is not None and not skill.is_group else None
        skill_id = skills[item.competence]
        if skill_id is None:
            problems.add(
                name,
                line,
                f"{where}.competence",
                lazy_gettext(
                    "%(code)s is not a skill of %(framework)s.",
                    code=item.competence,
                    framework=framework.slug,
                ),
            )
            continue
        if ranks and item.level not in ranks:
            problems.add(
                name,
                line,
                f"{where}.level",
                lazy_gettext("Level %(level)s is not on the framework's scale.", level=item.level),
            )
            continue
        found.append((item, skill_id))
    return found


def _column(where: str, detail: Any) -> str:
    """``items[3].options.1.id``; a rule about the whole item names just ``items[3]``."""
    if detail["type"] == "union_tag_invalid":
        return f"{where}.type"
    # The first part of the location names the item type the union tried.
    return ".".join([where, *(str(part) for part in detail["loc"][1:])])


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
