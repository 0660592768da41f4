"""Shapes of offerings and enrolments, shared by the API, the pages and the CLI.

The schemas check types only; the offering service checks the values (dates in order, a
price of at least zero, an ISO currency, positive hours, a language tag) so that every face
refuses a bad offering with the same sentence naming the field. A quote travels as
``QuoteRead``: the learner confirms the split they saw, and it is compared with the split
worked out again at confirmation."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cairn.accounts.pricing import Quote, QuoteLine
from cairn.catalogue.enums import EnrolmentStatus, OfferingStatus, Participation

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Region = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=80)]


class OfferingFields(BaseModel):
    """Every field a provider edits; absent fields are left as they are."""

    model_config = ConfigDict(extra="forbid")

    code: Code | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    enrol_by: date | None = None
    """The last day to enrol; without one, learners may enrol until the offering ends."""
    delivery: Participation | None = None
    language: str | None = Field(default=None, max_length=16)
    region: Region | None = None
    hours: float | None = None
    price_minor: int | None = None
    """In minor units (cents) of ``currency``."""
    currency: str | None = Field(default=None, max_length=3)
    capacity: int | None = None
    """Places; none for no limit."""
    tags: list[Tag] | None = Field(default=None, max_length=20)


class OfferingCreate(OfferingFields):
    code: Code
    starts_on: date
    ends_on: date
    delivery: Participation
    language: str = Field(max_length=16)
    hours: float
    price_minor: int
    currency: str = Field(max_length=3)


class OfferingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    version_id: uuid.UUID
    specification_id: uuid.UUID
    title: str
    version_number: int
    provider_org_id: uuid.UUID
    provider_name: str
    code: str
    status: OfferingStatus
    starts_on: date
    ends_on: date
    enrol_by: date | None
    delivery: Participation
    language: str
    region: str | None
    hours: float
    price_minor: int
    currency: str
    capacity: int | None
    places_taken: int
    tags: list[str]


class QuoteLineRead(BaseModel):
    kind: Literal["subsidy", "credit", "matching"]
    program_id: uuid.UUID
    tier: str | None
    rule_code: str
    amount_minor: int
    explanation: str = ""
    """Why this amount, in the reader's language; not compared at confirmation."""


class QuoteRead(BaseModel):
    """How the price is split: subsidy, credit tier by tier in deduction order, employer
    matching, and what is left for the learner to pay."""

    price_minor: int
    currency: str
    lines: list[QuoteLineRead]
    copay_minor: int

    @classmethod
    def of(cls, quote: Quote) -> QuoteRead:
        return cls(
            price_minor=quote.price_minor,
            currency=quote.currency,
            lines=[
                QuoteLineRead(
                    kind=line.kind,
                    program_id=line.program_id,
                    tier=line.tier,
                    rule_code=line.rule_code,
                    amount_minor=line.amount_minor,
                    explanation=line.explanation,
                )
                for line in quote.lines
            ],
            copay_minor=quote.copay_minor,
        )

    def to_quote(self) -> Quote:
        return Quote(
            price_minor=self.price_minor,
            currency=self.currency,
            lines=tuple(
                QuoteLine(
                    kind=line.kind,
                    program_id=line.program_id,
                    tier=line.tier,
                    rule_code=line.rule_code,
                    amount_minor=line.amount_minor,
                    explanation=line.explanation,
                )
                for line in self.lines
            ),
            copay_minor=self.copay_minor,
        )


class EnrolmentCreate(BaseModel):
    """A learner's confirmation of the split they were shown."""

    model_config = ConfigDict(extra="forbid")

    expected: QuoteRead


class EnrolmentRead(BaseModel):
    id: uuid.UUID
    offering_id: uuid.UUID
    person_id: uuid.UUID
    title: str
    offering_code: str
    starts_on: date
    status: EnrolmentStatus
    price_minor: int
    currency: str
    subsidy_minor: int
    credit_minor: int
    employer_minor: int
    copay_minor: int
    quote: QuoteRead
    enrolled_at: datetime
    completed_at: datetime | None
    withdrawn_at: datetime | None
