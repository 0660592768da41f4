"""Input and read shapes of stacking rules, equivalences and RPL routes, shared by the API,
the pages and the CLI. Whether a rule can ever be satisfied, and whether it closes a
cycle, depends on the other rules, so the service checks that, naming the field."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cairn.catalogue.schemas import Slug, Title
from cairn.catalogue.stacking import RuleKind

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
ProgramName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
ProgramCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class StackRuleFields(BaseModel):
    """A rule's whole definition; an update replaces it, components included."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    kind: RuleKind
    n: int | None = Field(default=None, ge=1, le=500)
    """For ``n_of``: how many of the components."""
    credits_required: float | None = Field(default=None, gt=0, le=600)
    """For ``credit_total``: ECTS credits."""
    target_specification_id: uuid.UUID | None = None
    program_name: ProgramName | None = None
    program_code: ProgramCode | None = None
    specification_ids: list[uuid.UUID] = Field(default_factory=list, max_length=200)
    """Specifications (their lasting identity: any version counts), of any issuer."""
    rule_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    """Rules whose achievement counts as a component."""


class StackRuleCreate(StackRuleFields):
    slug: Slug


class EquivalenceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    specification_id: uuid.UUID
    """The declaring organisation's own specification."""
    equivalent_specification_id: uuid.UUID
    """The specification, usually another issuer's, that counts as it."""
    note: Note | None = None


class RplRouteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    specification_id: uuid.UUID
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)
    ]


class HeldCredentials(BaseModel):
    """What a learner holds, as specification ids; later read from verified credentials."""

    model_config = ConfigDict(extra="forbid")

    specification_ids: list[uuid.UUID] = Field(default_factory=list, max_length=1000)


class StackRuleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    owner_org_id: uuid.UUID
    slug: str
    title: str
    kind: RuleKind
    n: int | None
    credits_required: float | None
    target_specification_id: uuid.UUID | None
    program_name: str | None
    program_code: str | None
    specification_ids: list[uuid.UUID]
    rule_ids: list[uuid.UUID]


class RuleProgressRead(BaseModel):
    """One rule on a learner's "what my credentials count toward" list."""

    model_config = ConfigDict(from_attributes=True)

    rule_id: uuid.UUID
    title: str
    owner_org_id: uuid.UUID
    kind: RuleKind
    target_specification_id: uuid.UUID | None
    program_name: str | None
    program_code: str | None
    satisfied: bool
    met: int
    components: int
    required: float
    credits: float
    counting: list[uuid.UUID]
    """The learner's specifications that count toward it."""
    by_equivalence: dict[uuid.UUID, uuid.UUID]
    missing_specification_ids: list[uuid.UUID]
    missing_rule_ids: list[uuid.UUID]
    without_ects: list[uuid.UUID]
    rpl_available: list[uuid.UUID]
    """Missing specifications that can be earned by assessment only."""


class EquivalenceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    specification_id: uuid.UUID
    equivalent_specification_id: uuid.UUID
    note: str | None


class RplRouteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    specification_id: uuid.UUID
    description: str
