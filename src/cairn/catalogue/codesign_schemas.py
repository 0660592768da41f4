"""Input and read shapes of co-design (skills needs, proposals, comments) and of networks,
shared by the API, the pages and the demo. Rules that depend on what exists (the level
on a skill's scale, the network the poster belongs to) are the service's, on the field."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cairn.catalogue.enums import (
    CodesignAction,
    NeedStatus,
    NetworkKind,
    ProposalStatus,
    VersionStatus,
)
from cairn.catalogue.schemas import Short, Slug, Text, Title

Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
"""A comment, or the note that asks for changes: never empty, at most 5,000 characters."""
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
RoleTitle = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class NeedSkillWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    skill_id: uuid.UUID
    """A skill of a public framework, so every organisation the need reaches can read it."""
    level: int | None = Field(default=None, ge=1, le=20)
    """A rank on the skill's framework scale."""


class NeedFields(BaseModel):
    """What the posting organisation edits; absent fields are left as they are."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    role_title: RoleTitle | None = None
    position_id: uuid.UUID | None = None
    """One of the posting organisation's own job roles."""
    description: Text | None = None
    region: Short | None = None
    headcount: int | None = Field(default=None, gt=0, le=1_000_000)
    needed_from: date | None = None
    needed_by: date | None = None
    network_id: uuid.UUID | None = None
    """A network the posting organisation belongs to; none shares it with every provider."""
    skills: list[NeedSkillWrite] | None = Field(default=None, min_length=1, max_length=30)


class NeedCreate(NeedFields):
    title: Title
    skills: list[NeedSkillWrite] = Field(min_length=1, max_length=30)


class ProposalFields(BaseModel):
    """A revision: absent fields are kept; ``specification_id`` null means a new design."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    summary: Text | None = None
    specification_id: uuid.UUID | None = None
    """One of the provider's own specifications (its lasting identity), in any status."""


class ProposalCreate(ProposalFields):
    org_id: uuid.UUID = Field(description="The training provider that answers; you design for it.")
    title: Title


class ReviewNote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Body
    """What to change: posted on the thread, where the provider can answer it."""


class DeclineNote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Body | None = None


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: Body
    parent_id: uuid.UUID | None = None
    """The comment this one answers, on the same need."""
    proposal_id: uuid.UUID | None = None
    """The proposal it is about; a reply is about its parent's proposal."""
    org_id: uuid.UUID | None = Field(
        default=None,
        description="The organisation you speak for; needed only when you could speak for several.",
    )


class NetworkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    org_id: uuid.UUID = Field(description="The convening organisation; you administer it.")
    name: Name
    slug: Slug | None = None
    """Made from the name when not given."""
    kind: NetworkKind
    sector: Short | None = None
    region: Short | None = None
    description: Text | None = None


class NetworkMembershipWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    org_id: uuid.UUID = Field(
        description="The organisation that joins or leaves; you administer it."
    )


class NeedSkillRead(BaseModel):
    skill_id: uuid.UUID
    uri: str
    label: str
    level: int | None
    level_label: str | None


class NeedRead(BaseModel):
    id: uuid.UUID
    org_id: uuid.UUID
    org_name: str
    network_id: uuid.UUID | None
    network_name: str | None
    title: str
    role_title: str | None
    position_id: uuid.UUID | None
    description: str | None
    region: str | None
    headcount: int | None
    needed_from: date | None
    needed_by: date | None
    status: NeedStatus
    created_at: datetime
    skills: list[NeedSkillRead]


class ProposalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    need_id: uuid.UUID
    provider_org_id: uuid.UUID
    specification_id: uuid.UUID | None
    title: str
    summary: str | None
    status: ProposalStatus
    revision: int
    created_at: datetime
    updated_at: datetime
    agreed_at: datetime | None


class OfferedVersionRead(BaseModel):
    """The newest version of the proposed specification that the reader may open."""

    version_id: uuid.UUID
    number: int
    title: str
    status: VersionStatus


class ProposalInThreadRead(ProposalRead):
    provider_name: str
    offered: OfferedVersionRead | None


class CommentRead(BaseModel):
    id: uuid.UUID
    proposal_id: uuid.UUID | None
    parent_id: uuid.UUID | None
    author_name: str | None
    author_org_id: uuid.UUID
    author_org_name: str
    body: str
    created_at: datetime


class EventRead(BaseModel):
    id: uuid.UUID
    proposal_id: uuid.UUID | None
    action: CodesignAction
    actor_name: str | None
    org_id: uuid.UUID
    org_name: str
    detail: dict[str, Any]
    """Changed fields as ``{"field": {"from": old, "to": new}}``, or the comment's id."""
    at: datetime


class NeedThreadRead(NeedRead):
    proposals: list[ProposalInThreadRead]
    comments: list[CommentRead]
    """Oldest first; ``parent_id`` makes the tree."""
    events: list[EventRead]
    """The audit trail, oldest first."""


class NetworkMemberRead(BaseModel):
    org_id: uuid.UUID
    name: str
    joined_at: datetime


class NetworkRead(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    kind: NetworkKind
    sector: str | None
    region: str | None
    description: str | None
    convenor_org_id: uuid.UUID | None
    members: list[NetworkMemberRead]


class OfferRead(BaseModel):
    """A member's published specification."""

    version_id: uuid.UUID
    specification_id: uuid.UUID
    title: str
    org_id: uuid.UUID
    org_name: str


class NetworkDetailRead(NetworkRead):
    needs: list[NeedRead]
    """The needs shared with the network that you may see."""
    offers: list[OfferRead]
