"""How an assessment campaign is going and what it found, for the HR team that runs it.

Everyone's status (invited, started, completed, expired) is shown, since taking part is the
point of a campaign; a person's level only to those who may read their skills profile
(``service.can_read``: they shared it with their employers). Levels roll up by department
for completed tests, and a group of fewer than ``min_cell`` people is suppressed. So that a
suppressed group cannot be worked out by subtraction, the suppressed groups are pooled, and
the pool and the overall figures are shown only when the pool is empty or large enough
(decision 0021)."""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from cairn.assessment import campaigns
from cairn.assessment import campaigns_repository as repository
from cairn.assessment import repository as banks
from cairn.assessment.campaigns import ParticipantStatus, latest_completed, participant_status
from cairn.assessment.models import Attempt, Campaign
from cairn.kit.actor import Actor, Scope
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.orgs import repository as orgs_repository
from cairn.profiles.heatmap import DEFAULT_MIN_CELL
from cairn.profiles.service import can_read
from cairn.taxonomy import repository as taxonomy_repository

NO_DEPARTMENT = lazy_gettext("No department")


@dataclass(frozen=True)
class ParticipantRow:
    person_id: uuid.UUID
    name: str
    email: str
    department: str | None
    status: ParticipantStatus
    finished_at: datetime | None
    reminders_sent: int
    level: int | None
    """None unless the test is finished and the person lets the reader see their profile."""


@dataclass(frozen=True)
class Completion:
    group: str
    participants: int
    invited: int
    """Not started yet."""
    started: int
    completed: int
    expired: int

    @property
    def rate(self) -> float:
        return self.completed / self.participants if self.participants else 0.0


@dataclass(frozen=True)
class LevelRollup:
    group: str
    people: int
    """Completed tests in the group."""
    distribution: dict[int, int] | None
    """Level → people; None when suppressed."""
    mean: float | None

    @property
    def suppressed(self) -> bool:
        return self.distribution is None


@dataclass(frozen=True)
class CampaignReport:
    campaign: Campaign
    rows: list[ParticipantRow]
    overall: Completion
    by_department: list[Completion]
    results: list[LevelRollup]
    """One per department with completed tests, by name."""
    pooled: LevelRollup | None
    """The suppressed departments together; None when there are none."""
    overall_results: LevelRollup
    levels: list[tuple[int, str]]
    """(rank, label) of the scale of the bank's framework."""
    min_cell: int


def _rollup(group: str, levels: list[int], *, shown: bool) -> LevelRollup:
    if not shown or not levels:
        return LevelRollup(group, len(levels), None, None)
    return LevelRollup(group, len(levels), dict(Counter(levels)), sum(levels) / len(levels))


def report(
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    *,
    min_cell: int = DEFAULT_MIN_CELL,
) -> CampaignReport:
    campaign = campaigns.get_campaign(session, actor, org_id, campaign_id)
    if min_cell < 1:
        message = lazy_gettext("A cell needs at least one person.")
        raise InvalidInput(message, [FieldError("min_cell", message)])
    departments = {d.id: d.name for d in orgs_repository.list_departments(session, org_id)}
    home: dict[uuid.UUID, str] = {}
    for membership in orgs_repository.memberships_in(session, org_id):
        if membership.department_id in departments:
            home.setdefault(membership.person_id, departments[membership.department_id])
    attempts: dict[uuid.UUID, list[Attempt]] = {}
    for attempt in repository.attempts_for(session, campaign.id):
        attempts.setdefault(attempt.person_id, []).append(attempt)

    reads_profiles = actor.allows(Scope.PROFILE_READ)
    rows: list[ParticipantRow] = []
    levels_by_group: dict[str, list[int]] = {}
    for participant, person in repository.participants_of(session, campaign.id):
        taken = attempts.get(person.id, [])
        done = latest_completed(taken)
        group = home.get(person.id)
        if done is not None and done.level is not None:
            levels_by_group.setdefault(group or str(NO_DEPARTMENT), []).append(done.level)
        visible = done is not None and reads_profiles and can_read(session, actor, person.id)
        rows.append(
            ParticipantRow(
                person_id=person.id,
                name=person.display_name,
                email=person.email,
                department=group,
                status=participant_status(campaign, taken),
                finished_at=done.finished_at if done else None,
                reminders_sent=participant.reminders_sent,
                level=done.level if visible and done else None,
            )
        )

    by_group: dict[str, Counter[ParticipantStatus]] = {}
    for row in rows:
        by_group.setdefault(row.department or str(NO_DEPARTMENT), Counter())[row.status] += 1
    total: Counter[ParticipantStatus] = Counter(row.status for row in rows)

    results = [
        _rollup(group, levels, shown=len(levels) >= min_cell)
        for group, levels in sorted(levels_by_group.items(), key=lambda item: item[0].lower())
    ]
    small = [level for r in results if r.suppressed for level in levels_by_group[r.group]]
    pool_ok = not small or len(small) >= min_cell
    everyone = [level for levels in levels_by_group.values() for level in levels]
    bank = banks.get_bank(session, campaign.bank_id)
    framework = taxonomy_repository.get_framework(session, bank.framework_id) if bank else None
    scale = framework.scale.levels if framework and framework.scale else []
    return CampaignReport(
        campaign=campaign,
        rows=rows,
        overall=_completion(str(lazy_gettext("Everyone")), total),
        by_department=[
            _completion(group, counts)
            for group, counts in sorted(by_group.items(), key=lambda item: item[0].lower())
        ],
        results=results,
        pooled=(
            _rollup(str(lazy_gettext("Smaller groups together")), small, shown=pool_ok)
            if small
            else None
        ),
        overall_results=_rollup(
            str(lazy_gettext("Everyone")), everyone, shown=pool_ok and len(everyone) >= min_cell
        ),
        levels=[(level.rank, level.label) for level in scale],
        min_cell=min_cell,
    )


def _completion(group: str, counts: Counter[ParticipantStatus]) -> Completion:
    return Completion(
        group=group,
        participants=sum(counts.values()),
        invited=counts[ParticipantStatus.INVITED],
        started=counts[ParticipantStatus.STARTED],
        completed=counts[ParticipantStatus.COMPLETED],
        expired=counts[ParticipantStatus.EXPIRED],
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Names are typed by people: never let a spreadsheet read one as a formula (OWASP)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


CSV_COLUMNS = ("name", "email", "department", "status", "finished_at", "reminders_sent", "level")


def to_csv(found: CampaignReport) -> str:
    """One line per participant; the level column is empty where it may not be seen."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in found.rows:
        writer.writerow(
            (
                _text(row.name),
                _text(row.email),
                _text(row.department or ""),
                row.status.value,
                row.finished_at.isoformat() if row.finished_at else "",
                row.reminders_sent,
                "" if row.level is None else row.level,
            )
        )
    return buffer.getvalue()
