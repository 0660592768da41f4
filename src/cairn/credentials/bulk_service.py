"""Issuing one micro-credential to many learners at once from a CSV file (one row a
learner; the format is in ``docs/bulk-issue-csv.md``).

A registrar's file is checked whole before anything is written: every bad row is reported
with its line and field, and one bad row refuses the file, because half a cohort issued
is harder to put right than a file fixed and sent again. A dry run stops after the checks.
Either way the run is kept as an ``IssueBatch``: the issuer's issue log.

A clean file is issued in the caller's one transaction: each learner's award is recorded
(or their existing award reused when it has no live credential), then its credential is
issued through the issuing service's ``Plan``, read once for the whole file. Everything a
row needs from the database is read for thousands of rows at a time, not row by row."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time

from sqlalchemy.orm import Session

from cairn.catalogue import feedback_service
from cairn.catalogue.demand_import import RowProblems
from cairn.catalogue.models import SpecificationVersion
from cairn.config import get_settings
from cairn.credentials import bulk_csv, issuing_service
from cairn.credentials import bulk_repository as repo
from cairn.credentials.bulk_csv import CsvFile, LearnerRow
from cairn.credentials.bulk_repository import BatchLine
from cairn.credentials.issued_models import BatchStatus, IssueBatch, ProofFormat
from cairn.credentials.issuing_service import IssueOptions, Plan
from cairn.credentials.keystore import KeyStore
from cairn.credentials.models import Award
from cairn.credentials.multikey import did_key
from cairn.credentials.service import EARLIEST_ZONE, awardable_version, require_registrar
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.errors import NotFound
from cairn.kit.i18n import LazyString, gettext, lazy_gettext, ngettext, use_locale
from cairn.kit.mail import mailer_for
from cairn.kit.progress import NoProgress, Progress
from cairn.orgs.models import Person

MAX_PROBLEMS = 1_000
"""Problems listed in full; past this only their number, since a file this wrong is
usually wrong in one way (a column or the wrong issuer) that the first ones show."""
CHUNK = 500
"""Awards recorded and flushed together before their credentials are issued."""
FILENAME_WIDTH = 300
"""As the issue log keeps a file's name."""
STATUS_LABELS: dict[BatchStatus, LazyString] = {
    BatchStatus.CHECKED: lazy_gettext("Checked, nothing issued"),
    BatchStatus.REFUSED: lazy_gettext("Refused, nothing issued"),
    BatchStatus.ISSUED: lazy_gettext("Issued"),
}
"""How the log names each outcome of a run."""


@dataclass(frozen=True)
class BulkIssue:
    """What the registrar chose for the whole file."""

    specification: str
    """The short name of one of the issuer's published specifications."""
    proof_format: ProofFormat = ProofFormat.EDDSA_RDFC_2022
    dry_run: bool = False
    """Check every row, record the check in the log, and issue nothing."""


@dataclass(frozen=True)
class LoggedProblem:
    """A problem of a refused file as the log kept it."""

    line: int | None
    """None for the closing count of problems past ``MAX_PROBLEMS``."""
    field: str
    reason: str


@dataclass(frozen=True)
class _Target:
    row: LearnerRow
    learner: Person
    award: Award | None
    """The learner's award of the version when one is recorded already."""


def issue_from_csv(
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    source: CsvFile,
    request: BulkIssue,
    *,
    progress: Progress | None = None,
    store: KeyStore | None = None,
) -> IssueBatch:
    """Check the file and, when every row is good and this is no dry run, issue a credential
    per row; the batch records the run either way (refused, checked or issued)."""
    require_registrar(session, actor, org_id)
    version = awardable_version(session, actor, org_id, request.specification)
    progress = progress or NoProgress()
    source = replace(source, name=source.name[:FILENAME_WIDTH])
    progress.start(gettext("Checking the rows"), None)
    started = utcnow()
    problems = RowProblems(MAX_PROBLEMS)
    read = bulk_csv.read(
        source, problems, latest=(started + EARLIEST_ZONE).date(), today=started.date()
    )
    targets = _targets(session, version.id, source.name, read.rows, problems)
    batch = IssueBatch(
        org_id=org_id,
        version_id=version.id,
        filename=source.name,
        rows=read.count,
        issued=0,
        started_by_id=None if actor.system else actor.person_id,
        started_at=started,
    )
    session.add(batch)
    if problems:
        batch.status = BatchStatus.REFUSED
        batch.problems = _reported(problems)
    elif request.dry_run:
        batch.status = BatchStatus.CHECKED
    else:
        batch.status = BatchStatus.ISSUED
        session.flush()
        batch.issued = _issue(session, actor, version, batch, targets, request, progress, store)
    batch.finished_at = utcnow()
    session.flush()
    return batch


def _targets(
    session: Session,
    version_id: uuid.UUID,
    filename: str,
    rows: Sequence[LearnerRow],
    problems: RowProblems,
) -> list[_Target]:
    """Each row's learner and existing award; a learner not on Cairn, or one who already
    holds a live credential of the version, or whose award says otherwise, is a problem."""
    people = repo.people_by_email(session, {row.email for row in rows})
    known = []
    for row in rows:
        learner = people.get(row.email)
        if learner is None:
            problems.add(
                filename,
                row.line,
                "email",
                lazy_gettext("Nobody on Cairn has this e-mail address."),
            )
        else:
            known.append((row, learner))
    awards = repo.awards_of_version(session, version_id, {learner.id for _, learner in known})
    live = repo.awards_with_live_credential(session, {award.id for award in awards.values()})
    targets = []
    for row, learner in known:
        award = awards.get(learner.id)
        if award is not None and award.id in live:
            problems.add(
                filename,
                row.line,
                "email",
                lazy_gettext(
                    "This learner already holds a credential of this version; revoke it to "
                    "issue a new one."
                ),
            )
        elif award is not None and award.awarded_on != row.awarded_on:
            problems.add(
                filename,
                row.line,
                "awarded_on",
                lazy_gettext(
                    "The learner's award of this version is dated %(day)s.",
                    day=award.awarded_on.isoformat(),
                ),
            )
        elif award is not None and row.grade is not None and award.grade != row.grade:
            problems.add(
                filename,
                row.line,
                "grade",
                lazy_gettext(
                    "The learner's award of this version has another grade: %(grade)s.",
                    grade=award.grade or "—",
                ),
            )
        else:
            targets.append(_Target(row, learner, award))
    return targets


def _reported(problems: RowProblems) -> str:
    """The problems as the log keeps them: one per line, in the file's order."""
    lines = [str(problem) for problem in sorted(problems.found, key=lambda p: p.line)]
    if problems.more:
        lines.append(
            ngettext("and %(num)s more problem", "and %(num)s more problems", problems.more)
        )
    return "\n".join(lines)


def _issue(
    session: Session,
    actor: Actor,
    version: SpecificationVersion,
    batch: IssueBatch,
    targets: Sequence[_Target],
    request: BulkIssue,
    progress: Progress,
    store: KeyStore | None,
) -> int:
    plan = issuing_service.plan_for(session, version.id, store)
    _holders(session, plan, [target.learner.id for target in targets])
    with use_locale(version.language):
        evidence_name = gettext("Evidence")
    issued_by = None if actor.system else actor.person_id
    mailer = mailer_for(get_settings(), session)
    progress.start(gettext("Issuing credentials"), len(targets))
    for start in range(0, len(targets), CHUNK):
        chunk = targets[start : start + CHUNK]
        for target, award in zip(chunk, _awards(session, actor, batch, chunk), strict=True):
            issued = issuing_service.issue_with_plan(
                session,
                plan,
                award,
                target.learner,
                _options(target.row, request.proof_format, evidence_name),
                issued_by=issued_by,
                batch_id=batch.id,
            )
            issuing_service.tell_learner(mailer, plan, target.learner, issued)
            progress.advance()
    return len(targets)


def _holders(session: Session, plan: Plan, learner_ids: Sequence[uuid.UUID]) -> None:
    """Every learner's ``did:key`` in the plan: read for those who have one, and made
    together for the others, as their first credential would make it one by one."""
    public_keys = repo.holder_public_keys(session, learner_ids)
    for learner_id in learner_ids:
        if learner_id not in public_keys:
            key = issuing_service.new_holder_key(session, plan.store, learner_id)
            public_keys[learner_id] = key.public_key
    session.flush()
    plan.holders.update(
        (learner_id, did_key(public_key)) for learner_id, public_key in public_keys.items()
    )


def _awards(
    session: Session, actor: Actor, batch: IssueBatch, chunk: Sequence[_Target]
) -> list[Award]:
    """The chunk's awards: those already recorded, and new ones inserted together, each
    with the learner's surveys scheduled as a single award's would be."""
    recorded_by = None if actor.system else actor.person_id
    awards = [
        target.award
        or Award(
            learner_id=target.learner.id,
            version_id=batch.version_id,
            issuer_org_id=batch.org_id,
            awarded_on=target.row.awarded_on,
            grade=target.row.grade,
            recorded_by_id=recorded_by,
        )
        for target in chunk
    ]
    fresh = [award for target, award in zip(chunk, awards, strict=True) if target.award is None]
    session.add_all(fresh)
    session.flush()
    for award in fresh:
        feedback_service.schedule_learner_surveys(
            session,
            version_id=award.version_id,
            learner_id=award.learner_id,
            awarded_on=award.awarded_on,
        )
    return awards


def _options(row: LearnerRow, proof_format: ProofFormat, evidence_name: str) -> IssueOptions:
    return IssueOptions(
        proof_format=proof_format,
        # Valid through the whole of its last day, in UTC.
        valid_until=datetime.combine(row.valid_until, time.max, UTC).replace(microsecond=0)
        if row.valid_until
        else None,
        evidence=((row.evidence_url, row.evidence_name or evidence_name),)
        if row.evidence_url
        else (),
    )


def logged_problems(batch: IssueBatch) -> list[LoggedProblem]:
    """The batch's problems read back from its log (``file:line: field: reason`` lines)."""
    found = []
    prefix = f"{batch.filename}:"
    for text in (batch.problems or "").splitlines():
        parts = text.removeprefix(prefix).split(": ", 2)
        if text.startswith(prefix) and len(parts) == 3 and parts[0].isdigit():
            found.append(LoggedProblem(int(parts[0]), parts[1], parts[2]))
        else:
            found.append(LoggedProblem(None, "", text))
    return found


def issue_log(session: Session, actor: Actor, org_id: uuid.UUID) -> Sequence[BatchLine]:
    """The issuer's bulk runs, newest first: checked, refused and issued alike."""
    require_registrar(session, actor, org_id, write=False)
    return repo.batches_of(session, org_id)


def get_batch(
    session: Session, actor: Actor, batch_id: uuid.UUID, *, org_id: uuid.UUID | None = None
) -> BatchLine:
    """One run of the log, for its issuer's registrars; ``org_id`` when the caller reached
    it through an issuer's pages, where another issuer's batch does not exist."""
    line = repo.batch_line(session, batch_id)
    if line is None or (org_id is not None and line.batch.org_id != org_id):
        if org_id is not None:
            require_registrar(session, actor, org_id, write=False)
        raise NotFound(lazy_gettext("There is no such batch."))
    require_registrar(session, actor, line.batch.org_id, write=False)
    return line
