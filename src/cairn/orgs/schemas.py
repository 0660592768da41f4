"""Input and output shapes shared by the API, the pages and the CLI."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from cairn.kit.actor import Role
from cairn.orgs.enums import (
    AgeBand,
    OfficialLanguage,
    OrgKind,
    RegionType,
    SizeBand,
    YesNoUndisclosed,
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Password = Annotated[str, StringConstraints(min_length=12, max_length=256)]
"""NIST SP 800-63B: length over composition rules; 12 characters at least."""


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class OrganisationCreate(BaseModel):
    name: Name
    slug: Slug | None = Field(default=None, description="Derived from the name when omitted.")
    kind: OrgKind
    size_band: SizeBand | None = Field(default=None, validate_default=True)
    sector: ShortText | None = None
    region: ShortText | None = None
    description: LongText | None = None

    @field_validator("size_band")
    @classmethod
    def _size_band_for_employers(
        cls, value: SizeBand | None, info: ValidationInfo
    ) -> SizeBand | None:
        kind = info.data.get("kind")
        if kind is OrgKind.EMPLOYER and value is None:
            raise ValueError("an employer needs a size band")
        if kind is not None and kind is not OrgKind.EMPLOYER and value is not None:
            raise ValueError("only employers have a size band")
        return value


class OrganisationUpdate(BaseModel):
    name: Name | None = None
    size_band: SizeBand | None = None
    sector: ShortText | None = None
    region: ShortText | None = None
    description: LongText | None = None


class OrganisationRead(ReadModel):
    id: uuid.UUID
    name: str
    slug: str
    kind: OrgKind
    size_band: SizeBand | None
    sector: str | None
    region: str | None
    description: str | None
    created_at: datetime


class DepartmentCreate(BaseModel):
    name: Name
    parent_id: uuid.UUID | None = None


class DepartmentUpdate(BaseModel):
    name: Name | None = None
    parent_id: uuid.UUID | None = None
    move_to_top: bool = Field(default=False, description="Make this a top-level department.")


class DepartmentRead(ReadModel):
    id: uuid.UUID
    org_id: uuid.UUID
    parent_id: uuid.UUID | None
    name: str


class PositionCreate(BaseModel):
    title: Name
    department_id: uuid.UUID | None = None
    description: LongText | None = None


class PositionUpdate(BaseModel):
    title: Name | None = None
    department_id: uuid.UUID | None = None
    description: LongText | None = None


class PositionRead(ReadModel):
    id: uuid.UUID
    org_id: uuid.UUID
    department_id: uuid.UUID | None
    title: str
    description: str | None


class MemberRead(BaseModel):
    membership_id: uuid.UUID
    person_id: uuid.UUID
    display_name: str
    email: str
    role: Role
    department_id: uuid.UUID | None
    position_id: uuid.UUID | None


class MembershipUpdate(BaseModel):
    role: Role | None = None
    department_id: uuid.UUID | None = None
    position_id: uuid.UUID | None = None


class InvitationCreate(BaseModel):
    email: EmailStr
    role: Role
    department_id: uuid.UUID | None = None
    position_id: uuid.UUID | None = None


class InvitationRead(ReadModel):
    id: uuid.UUID
    org_id: uuid.UUID
    email: str
    role: Role
    department_id: uuid.UUID | None
    position_id: uuid.UUID | None
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime


class InvitationAccept(BaseModel):
    display_name: Name
    password: Password


class PersonCreate(BaseModel):
    email: EmailStr
    display_name: Name
    password: Password | None = None


class MembershipSummary(BaseModel):
    org_id: uuid.UUID
    org_name: str
    org_kind: OrgKind
    role: Role


class PersonRead(ReadModel):
    id: uuid.UUID
    email: str
    display_name: str
    locale: str | None


class MeRead(PersonRead):
    memberships: list[MembershipSummary]


class ProfileUpdate(BaseModel):
    display_name: Name | None = None
    headline: ShortText | None = None
    about: LongText | None = None
    region: ShortText | None = None
    locale: Literal["en", "fr"] | None = None


class ProfileRead(BaseModel):
    person_id: uuid.UUID
    display_name: str
    email: str
    locale: str | None
    headline: str | None
    about: str | None
    region: str | None


class EquityAttributesWrite(BaseModel):
    """Every attribute is optional; the consent is not."""

    consent: Literal[True] = Field(
        description="The learner agrees that these answers are stored and used only in aggregate."
    )
    region_type: RegionType | None = None
    indigenous_identity: YesNoUndisclosed | None = None
    age_band: AgeBand | None = None
    disability: YesNoUndisclosed | None = None
    newcomer: YesNoUndisclosed | None = None
    official_language: OfficialLanguage | None = None


class EquityAttributesRead(ReadModel):
    consented_at: datetime
    region_type: RegionType | None
    indigenous_identity: YesNoUndisclosed | None
    age_band: AgeBand | None
    disability: YesNoUndisclosed | None
    newcomer: YesNoUndisclosed | None
    official_language: OfficialLanguage | None


class SkillProfileItemWrite(BaseModel):
    skill_id: uuid.UUID
    target_level: int = Field(description="A rank on the skill's framework scale.")
    weight: int = Field(default=3, ge=1, le=5, description="1 (a little) to 5 (critical).")


class SkillProfileWrite(BaseModel):
    items: list[SkillProfileItemWrite] = Field(
        max_length=500, description="The whole profile: skills not listed are removed."
    )


class FromOccupation(BaseModel):
    occupation_id: uuid.UUID | None = None
    occupation_uri: str | None = Field(default=None, max_length=500)
    replace: bool = Field(
        default=False, description="Drop the current skills first instead of adding to them."
    )


class SkillProfileItemRead(BaseModel):
    skill_id: uuid.UUID
    uri: str
    label: str
    framework: str
    framework_version: str
    target_level: int
    target_label: str | None
    weight: int


class SkillProfileRead(BaseModel):
    occupation_id: uuid.UUID | None
    occupation_label: str | None
    items: list[SkillProfileItemRead]
