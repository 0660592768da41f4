"""Queries of a bulk issue: everything a file's rows need, read a chunk of rows at a time
rather than row by row, and the issue log."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, aliased

from cairn.catalogue.models import Specification, SpecificationVersion
from cairn.credentials.issued_models import CredentialKind, IssueBatch, IssuedCredential
from cairn.credentials.models import Award
from cairn.credentials.wallet_models import HolderKey
from cairn.orgs.models import Person

IN_LIMIT = 5_000
"""Values in one ``IN (...)``: far below SQLite's and PostgreSQL's limits on parameters."""
LOG_LIMIT = 200

T = TypeVar("T")


def _chunks(values: Collection[T]) -> Iterator[list[T]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, IN_LIMIT)):
        yield chunk


def people_by_email(session: Session, emails: Collection[str]) -> dict[str, Person]:
    """People by their (lower-cased) e-mail address; absent addresses are left out."""
    found: dict[str, Person] = {}
    for chunk in _chunks(emails):
        found.update(
            (person.email, person)
            for person in session.scalars(select(Person).where(Person.email.in_(chunk)))
        )
    return found


def awards_of_version(
    session: Session, version_id: uuid.UUID, learner_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Award]:
    """Each learner's award of the version, by learner (one award per learner and version)."""
    found: dict[uuid.UUID, Award] = {}
    for chunk in _chunks(learner_ids):
        found.update(
            (award.learner_id, award)
            for award in session.scalars(
                select(Award).where(Award.version_id == version_id, Award.learner_id.in_(chunk))
            )
        )
    return found


def awards_with_live_credential(
    session: Session, award_ids: Collection[uuid.UUID]
) -> set[uuid.UUID]:
    """The awards whose credential is issued and not revoked."""
    found: set[uuid.UUID] = set()
    for chunk in _chunks(award_ids):
        found.update(
            award_id
            for award_id in session.scalars(
                select(IssuedCredential.award_id).where(
                    IssuedCredential.award_id.in_(chunk),
                    IssuedCredential.kind == CredentialKind.ACHIEVEMENT,
                    IssuedCredential.revoked_at.is_(None),
                )
            )
            if award_id is not None
        )
    return found


def holder_public_keys(
    session: Session, person_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, bytes]:
    """The public half of each learner's holder key, for those who have one."""
    found: dict[uuid.UUID, bytes] = {}
    for chunk in _chunks(person_ids):
        rows = session.execute(
            select(HolderKey.person_id, HolderKey.public_key).where(HolderKey.person_id.in_(chunk))
        )
        found.update((person_id, public_key) for person_id, public_key in rows)
    return found


@dataclass(frozen=True)
class BatchLine:
    """A batch with what the issue log names: the micro-credential and who ran it."""

    batch: IssueBatch
    version: SpecificationVersion
    specification: Specification
    started_by: str | None
    """The registrar's name; None when run from the command line or since erased."""


def _lines(
    session: Session, *conditions: ColumnElement[bool], limit: int = LOG_LIMIT
) -> list[BatchLine]:
    starter = aliased(Person)
    rows = session.execute(
        select(IssueBatch, SpecificationVersion, Specification, starter.display_name)
        .join(SpecificationVersion, SpecificationVersion.id == IssueBatch.version_id)
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .outerjoin(starter, starter.id == IssueBatch.started_by_id)
        .where(*conditions)
        .order_by(IssueBatch.started_at.desc(), IssueBatch.id)
        .limit(limit)
    ).all()
    return [BatchLine(*row) for row in rows]


def batches_of(session: Session, org_id: uuid.UUID) -> Sequence[BatchLine]:
    """The issuer's newest batches first, the log's length capped."""
    return _lines(session, IssueBatch.org_id == org_id)


def batch_line(session: Session, batch_id: uuid.UUID) -> BatchLine | None:
    found = _lines(session, IssueBatch.id == batch_id, limit=1)
    return found[0] if found else None
