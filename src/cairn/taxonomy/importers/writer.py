"""Writing an import: upsert by stable URI so a re-import updates and never duplicates, and
bring link tables exactly to what the files say."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from cairn.kit.clock import utcnow
from cairn.kit.progress import Progress
from cairn.taxonomy import repository
from cairn.taxonomy.models import Framework, Occupation, Skill

BATCH = 1000


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportSummary:
    """What an import did (or, in a dry run, would do), for the CLI table and the API."""

    framework: str
    tallies: dict[str, Tally] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    """Rows left out on purpose, e.g. relations to concepts this download does not hold."""
    dry_run: bool = False

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count


@dataclass(frozen=True)
class FrameworkInfo:
    slug: str
    version: str
    title: str
    publisher: str | None = None
    description: str | None = None
    licence: str | None = None
    source: str | None = None
    code_system: str | None = None
    scale_id: uuid.UUID | None = None
    owner_org_id: uuid.UUID | None = None


def upsert_framework(session: Session, info: FrameworkInfo) -> tuple[Framework, Tally]:
    framework = repository.find_framework(session, info.slug, info.version)
    tally = Tally()
    values = {
        "title": info.title,
        "publisher": info.publisher,
        "description": info.description,
        "licence": info.licence,
        "source": info.source,
        "code_system": info.code_system,
        "scale_id": info.scale_id,
        "owner_org_id": info.owner_org_id,
    }
    if framework is None:
        framework = Framework(slug=info.slug, version=info.version, **values)
        session.add(framework)
        tally.created = 1
    elif _assign(framework, values):
        tally.updated = 1
    else:
        tally.unchanged = 1
    framework.imported_at = utcnow()
    session.flush()
    return framework, tally


def upsert_concepts(
    session: Session,
    model: type[Skill] | type[Occupation],
    framework_id: uuid.UUID,
    records: Sequence[dict[str, Any]],
    existing: dict[str, Any],
    progress: Progress,
    description: str,
) -> Tally:
    """Insert new concepts in batches and update changed ones; ``existing`` (by URI) gains
    the new rows' ids so later steps can link to them."""
    tally = Tally()
    progress.start(description, len(records))
    new_rows: list[dict[str, Any]] = []
    for record in records:
        current = existing.get(record["uri"])
        if current is None:
            row = {"id": uuid.uuid4(), "framework_id": framework_id, **record}
            new_rows.append(row)
            existing[record["uri"]] = _Stub(row["id"])
            tally.created += 1
        else:
            if _assign(current, record):
                tally.updated += 1
            else:
                tally.unchanged += 1
            progress.advance()
        if len(new_rows) >= BATCH:
            repository.insert_rows(session, model, new_rows)
            progress.advance(len(new_rows))
            new_rows = []
    repository.insert_rows(session, model, new_rows)
    progress.advance(len(new_rows))
    session.flush()
    return tally


@dataclass(frozen=True)
class _Stub:
    """Stands in for a freshly inserted concept: only its id is needed to link to it."""

    id: uuid.UUID


def sync_links(
    session: Session,
    model: type[Any],
    owner_column: str,
    owner_ids: Sequence[uuid.UUID],
    desired: dict[tuple[Any, Any], dict[str, Any]],
    progress: Progress,
    description: str,
) -> Tally:
    """Make the link rows owned by ``owner_ids`` exactly ``desired``."""
    existing = repository.existing_links(session, model, owner_column, owner_ids)
    to_insert = [row for key, row in desired.items() if key not in existing]
    to_update = [
        row
        for key, row in desired.items()
        if key in existing and existing[key] != _full(model, row)
    ]
    to_delete = [key for key in existing if key not in desired]
    progress.start(description, len(desired) + len(to_delete))
    for start in range(0, len(to_insert), BATCH):
        batch = to_insert[start : start + BATCH]
        repository.insert_rows(session, model, batch)
        progress.advance(len(batch))
    repository.update_links(session, model, to_update)
    repository.delete_links(session, model, to_delete)
    progress.advance(len(desired) - len(to_insert) + len(to_delete))
    session.flush()
    return Tally(
        created=len(to_insert),
        updated=len(to_update),
        unchanged=len(desired) - len(to_insert) - len(to_update),
        removed=len(to_delete),
    )


def _full(model: type[Any], row: dict[str, Any]) -> dict[str, Any]:
    """A desired row with every column, as ``existing_links`` reports rows."""
    return {column.key: row.get(column.key) for column in model.__table__.columns}


def _assign(target: Any, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(target, key) != value:
            setattr(target, key, value)
            changed = True
    return changed


def resolve(ids: dict[str, Any], uri: str, summary: ImportSummary, what: str) -> uuid.UUID | None:
    """The id for ``uri``; a reference to a concept outside the download is skipped and
    counted (ESCO's relation files name concepts that a partial download lacks)."""
    found = ids.get(uri)
    if found is None:
        summary.skip(what)
        return None
    identifier: uuid.UUID = found if isinstance(found, uuid.UUID) else found.id
    return identifier
