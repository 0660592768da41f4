"""Shapes of learning-account programs: what an administrator sends to create one, what a
learner declares about themselves, and what the API reads back.

Amounts are integers in minor units of the program's currency; each read shape that shows
money carries the currency and, for people, the amount as the reader's locale writes it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cairn.accounts.enums import (
    EmploymentStatus,
    IncomeBand,
    ParticipantStatus,
    ProgramStatus,
    Residency,
    TransferKind,
)
from cairn.accounts.rules import SLUG_PATTERN
from cairn.orgs.enums import RegionType

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Budget = Annotated[int, Field(ge=0)]


class ProgramCreate(BaseModel):
    """A new draft program; ``rules`` is a rules document (see ``accounts.rules``), checked
    by the service so its errors name the path inside it (``rules.tiers.0.code``)."""

    model_config = ConfigDict(extra="forbid")

    slug: Slug
    name: Name
    description: str | None = Field(default=None, max_length=4000)
    rules: dict[str, Any]
    budget_minor: Budget | None = None
    opens_on: date | None = None
    closes_on: date | None = None


class ProgramUpdate(BaseModel):
    """Changes to a draft program; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    description: str | None = Field(default=None, max_length=4000)
    rules: dict[str, Any] | None = None
    opens_on: date | None = None
    closes_on: date | None = None


class BudgetWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    budget_minor: Budget | None
    """None: no cap."""


class JoinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    consent: bool = False
    """The learner agrees to share their facts and enrolments with the program's
    organisation; joining is refused without it."""


class FactsWrite(BaseModel):
    """What a learner declares about themselves; a field left out is not recorded."""

    model_config = ConfigDict(extra="forbid")

    birth_date: date | None = None
    residency: Residency | None = None
    employment_status: EmploymentStatus | None = None
    income_band: IncomeBand | None = None
    region_type: RegionType | None = None
    attributes: dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,79}$")],
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)],
    ] = Field(default_factory=dict)


class FactsRead(BaseModel):
    person_id: uuid.UUID
    birth_date: date | None
    residency: Residency | None
    employment_status: EmploymentStatus | None
    income_band: IncomeBand | None
    region_type: RegionType | None
    attributes: dict[str, str]
    verified_at: datetime | None


class ProgramRead(BaseModel):
    id: uuid.UUID
    org_id: uuid.UUID
    org_name: str
    slug: str
    name: str
    description: str | None
    status: ProgramStatus
    currency: str
    rules: dict[str, Any]
    budget_minor: int | None
    opens_on: date | None
    closes_on: date | None


class UnmetRead(BaseModel):
    criterion: str
    """The criterion's field in the rules, e.g. ``min_age``."""
    message: str


class ProgramOfferRead(BaseModel):
    """An open program as a learner sees it: whether they may join and, if not, why."""

    program: ProgramRead
    eligible: bool
    unmet: list[UnmetRead]
    participating_since: date | None


class ParticipantRead(BaseModel):
    id: uuid.UUID
    program_id: uuid.UUID
    person_id: uuid.UUID
    display_name: str
    email: str
    status: ParticipantStatus
    joined_on: date
    consented_at: datetime
    left_on: date | None


class Money(BaseModel):
    amount_minor: int
    formatted: str


class ExpiringRead(BaseModel):
    amount: Money
    expires_on: date


class TierBalanceRead(BaseModel):
    tier: str
    name: str
    balance: Money
    expiring: list[ExpiringRead]
    """What of the balance lapses when, earliest first; the rest never expires."""


class ProgramBalancesRead(BaseModel):
    program_id: uuid.UUID
    program_name: str
    currency: str
    total: Money
    tiers: list[TierBalanceRead]


class StatementLineRead(BaseModel):
    transfer_id: uuid.UUID
    effective_on: date
    kind: TransferKind
    description: str
    amount: Money


class TierStatementRead(BaseModel):
    tier: str
    name: str
    opening: Money
    lines: list[StatementLineRead]
    closing: Money


class ProgramStatementRead(BaseModel):
    program_id: uuid.UUID
    program_name: str
    currency: str
    tiers: list[TierStatementRead]


class StatementRead(BaseModel):
    person_id: uuid.UUID
    month: str
    """``YYYY-MM``."""
    empty: bool
    """Nothing moved in the month (the balances may still be shown)."""
    programs: list[ProgramStatementRead]


class TierFiguresRead(BaseModel):
    tier: str
    name: str
    granted: Money
    outstanding: Money


class DashboardRead(BaseModel):
    program: ProgramRead
    budget: Money | None
    committed: Money
    """Held for enrolments not yet completed."""
    spent: Money
    budget_left: Money | None
    credit_outstanding: Money
    expired: Money
    participants: int
    tiers: list[TierFiguresRead]


class RunReportRead(BaseModel):
    as_of: date
    programs: int
    participants: int
    grants: int
    expiries: int
