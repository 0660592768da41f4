"""A bank written out with the current version of every item and its metadata: as Cairn's
JSON (which ``import_bank`` reads back unchanged), as a QTI 3.0 package for other
assessment tools, or as the spreadsheet layout for the item types it covers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from cairn.assessment import bank_csv, qti, repository
from cairn.assessment.models import Item, ItemBank
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.taxonomy import repository as taxonomy_repository


class Format(StrEnum):
    JSON = "json"
    QTI = "qti"
    CSV = "csv"


@dataclass(frozen=True)
class BankExport:
    data: bytes
    left_out: list[str] = field(default_factory=list)
    """Ids of the items the format cannot hold (the CSV layout takes simple items only)."""


def export_bank(
    session: Session, actor: Actor, slug: str, version: str | None, fmt: Format
) -> BankExport:
    bank = bank_by_slug(session, actor, slug, version)
    described, items, skill_uris = _snapshot(session, bank)
    if fmt is Format.QTI:
        return BankExport(qti.write_package(described, items, skill_uris))
    if fmt is Format.CSV:
        text, left_out = bank_csv.write_csv(items)
        return BankExport(text.encode("utf-8"), left_out)
    text = json.dumps({"bank": described, "items": items}, ensure_ascii=False, indent=2)
    return BankExport((text + "\n").encode("utf-8"))


def bank_by_slug(session: Session, actor: Actor, slug: str, version: str | None) -> ItemBank:
    """A bank the actor may use, by slug and version; the newest imported without one."""
    require_scope(actor, Scope.ASSESSMENT_READ)
    visible = repository.list_banks(
        session, None if actor.is_platform_admin else list(actor.org_ids)
    )
    found = [
        bank
        for bank in visible
        if bank.slug == slug and (version is None or bank.version == version)
    ]
    if not found:
        message = lazy_gettext("No item bank called %(name)s.", name=slug)
        raise InvalidInput(message, [FieldError("bank", message)])
    return max(found, key=lambda bank: bank.created_at)


def _snapshot(
    session: Session, bank: ItemBank
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, str]]:
    """The bank's fields, its current items in the JSON format, and each item's skill URI."""
    framework = taxonomy_repository.get_framework(session, bank.framework_id)
    described: dict[str, Any] = {
        "slug": bank.slug,
        "version": bank.version,
        "title": bank.title,
        "framework": framework.slug if framework else None,
        "framework_version": framework.version if framework else None,
        "language": bank.language,
        "licence": bank.licence,
        "description": bank.description,
    }
    current = repository.current_items(session, bank.id)
    skills = taxonomy_repository.skills_by_ids(session, {item.skill_id for item in current})
    items = [_record(item, skills[item.skill_id].code) for item in current]
    uris = {item.key: skills[item.skill_id].uri for item in current}
    return {k: v for k, v in described.items() if v is not None}, items, uris


def _record(item: Item, competence: str | None) -> dict[str, Any]:
    """The item as the JSON format writes it: what describes it, then what the learner
    sees, then its parameters and what is known of its use."""
    content = {name: value for name, value in item.content.items() if value is not None}
    feedback = content.pop("feedback", None)
    record: dict[str, Any] = {
        "id": item.key,
        "version": item.version,
        "competence": competence,
        "level": item.level,
        "type": content.pop("type", item.item_type.value),
        **content,
        "difficulty": item.difficulty,
        "discrimination": item.discrimination,
    }
    if feedback is not None:
        record["feedback"] = feedback
    record["tags"] = list(item.tags)
    calibration = _calibration(item)
    if calibration:
        record["calibration"] = calibration
    record["exposures"] = item.exposures
    return record


def _calibration(item: Item) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if item.guessing is not None:
        found["guessing"] = item.guessing
    if item.thresholds is not None:
        found["thresholds"] = list(item.thresholds)
    if item.calibrated_at is not None:
        found["calibrated_at"] = item.calibrated_at.isoformat()
    return found
