"""What a campaign is made of, as the API, the pages and the command line send it."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, field_validator

from cairn.assessment.enums import TestMode
from cairn.kit.i18n import gettext

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Message = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEADLINE_HELP = "A date alone means the end of that day (UTC); a time without offset is UTC."


def _deadline(value: object) -> object:
    """People pick a day, not an instant: a bare date closes at the end of it."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if _DATE_ONLY.match(text):
        text = f"{text}T23:59:59+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(gettext("Enter a date such as 2027-03-31.")) from None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class CampaignCreate(BaseModel):
    title: Title
    message: Message | None = Field(default=None, description="Shown in the invitation.")
    bank_id: uuid.UUID = Field(description="A public item bank or the organisation's own.")
    scope_skill_id: uuid.UUID | None = Field(
        default=None, description="An area or competence of the bank's framework; none: all."
    )
    mode: TestMode = TestMode.ADAPTIVE
    proctored: bool = False
    deadline: datetime = Field(description=DEADLINE_HELP)
    department_ids: list[uuid.UUID] = Field(
        default_factory=list, description="Departments invited, with those under them."
    )
    position_ids: list[uuid.UUID] = Field(
        default_factory=list, description="Job roles invited, in any department."
    )

    @field_validator("deadline", mode="before")
    @classmethod
    def _end_of_day(cls, value: object) -> object:
        return _deadline(value)

    @field_validator("deadline")
    @classmethod
    def _deadline_aware(cls, value: datetime) -> datetime:
        return _aware(value)


class CampaignUpdate(BaseModel):
    """Changes to a draft; a list given replaces the targets of its kind."""

    title: Title | None = None
    message: Message | None = None
    bank_id: uuid.UUID | None = None
    scope_skill_id: uuid.UUID | None = None
    mode: TestMode | None = None
    proctored: bool | None = None
    deadline: datetime | None = Field(default=None, description=DEADLINE_HELP)
    department_ids: list[uuid.UUID] | None = None
    position_ids: list[uuid.UUID] | None = None

    @field_validator("deadline", mode="before")
    @classmethod
    def _end_of_day(cls, value: object) -> object:
        return _deadline(value)

    @field_validator("deadline")
    @classmethod
    def _deadline_aware(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _aware(value)
