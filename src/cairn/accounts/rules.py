"""A learning-account program as a document: who may take part, the credit tiers and the
grants that fill them, what credit pays for, subsidies, employer matching, and the order in
which tiers are spent (decision 0041).

The document is JSON checked by these models, so a program authority changes a program by
editing rules, never code, and every program is evaluated by the same pure functions
(``eligibility``, ``grants``, ``pricing``, ``expiry``). Each choice between shapes (an
expiry, a trigger, an item filter) is told apart by the one key it carries, e.g.
``{"end_of_year": true}``. Money is in minor units of ``currency``; rates in basis points
(``7000`` is 70%)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

from babel.numbers import list_currencies
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
)

from cairn.accounts.enums import EmploymentStatus, IncomeBand, Residency
from cairn.kit.i18n import gettext
from cairn.orgs.enums import RegionType, SizeBand

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Age = Annotated[int, Field(ge=0, le=130)]
Minor = Annotated[int, Field(ge=0)]
"""An amount in minor units (cents) of the program's currency."""
BasisPoints = Annotated[int, Field(ge=0, le=10_000)]
"""A rate in hundredths of a percent: 7000 is 70%, 10000 is 100%."""
ATTRIBUTE_PATTERN = r"^[a-z][a-z0-9_]{0,79}$"
EXAMPLES = ("skillsfuture", "employer_matching")


class Document(BaseModel):
    """Every part of a rules document: unknown keys are refused, so a misspelt rule is an
    error instead of a rule silently ignored; parts are immutable once checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _by_key(*keys: str) -> Callable[[Any], str]:
    """A discriminator that names the shape by the one key it carries. An object with none
    of the keys gets a tag no shape has, so the error lists the keys to choose from."""

    def pick(value: Any) -> str:
        for key in keys:
            if (key in value) if isinstance(value, dict) else hasattr(value, key):
                return key
        return "/".join(keys)

    return pick


# Eligibility ------------------------------------------------------------------------------


class Eligibility(Document):
    """Who qualifies. Every criterion is optional and all those given must hold; a criterion
    left out (null) lets everyone through. Ages are whole years on the day eligibility is
    judged (the day a grant takes effect, the day of a quote)."""

    min_age: Age | None = None
    max_age: Age | None = None
    residency: list[Residency] | None = None
    """Any of these, e.g. ``["citizen", "permanent_resident"]``."""
    employment_status: list[EmploymentStatus] | None = None
    income_band: list[IncomeBand] | None = None
    region_type: list[RegionType] | None = None
    employer_size: list[SizeBand] | None = None
    """The size band of the learner's employer, e.g. ``["micro", "small"]`` for small firms."""
    employees_of_program_org: bool = False
    """Employer programs: only members of the organisation running the program."""
    attributes: dict[str, list[str]] = Field(default_factory=dict)
    """Other profile attributes and the values that qualify, e.g.
    ``{"indigenous_identity": ["yes"]}``."""

    @field_validator(
        "residency", "employment_status", "income_band", "region_type", "employer_size"
    )
    @classmethod
    def _some_values(cls, value: list[Any] | None) -> list[Any] | None:
        if value is not None and not value:
            raise ValueError(gettext("List at least one value, or leave the criterion out."))
        return value

    @field_validator("max_age")
    @classmethod
    def _not_below_min_age(cls, value: int | None, info: ValidationInfo) -> int | None:
        _check_age_band(info.data.get("min_age"), value)
        return value

    @field_validator("attributes")
    @classmethod
    def _attributes(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, allowed in value.items():
            if not re.fullmatch(ATTRIBUTE_PATTERN, name):
                raise ValueError(
                    gettext(
                        "“%(name)s” is not an attribute name: use lower-case letters, digits "
                        "and underscores.",
                        name=name,
                    )
                )
            if not allowed:
                raise ValueError(
                    gettext("List at least one value for the attribute “%(name)s”.", name=name)
                )
        return value


def _check_age_band(min_age: int | None, max_age: int | None) -> None:
    if min_age is not None and max_age is not None and min_age > max_age:
        raise ValueError(
            gettext(
                "The maximum age (%(max_age)s) is below the minimum age (%(min_age)s).",
                min_age=str(min_age),
                max_age=str(max_age),
            )
        )


# Items --------------------------------------------------------------------------------------


class AllItems(Document):
    """``{"all": true}``: every catalogue item."""

    all: Literal[True]


class ListedItems(Document):
    """``{"specifications": [...]}``: these catalogue specifications, each named by its id (a
    UUID) or its slug; any version and offering of them."""

    specifications: list[str] = Field(min_length=1, max_length=5000)

    @field_validator("specifications")
    @classmethod
    def _ids_or_slugs(cls, value: list[str]) -> list[str]:
        named: list[str] = []
        for entry in value:
            try:
                named.append(str(uuid.UUID(entry)))
            except ValueError:
                if not re.fullmatch(SLUG_PATTERN, entry):
                    raise ValueError(
                        gettext(
                            "“%(entry)s” is neither a specification id nor a slug.", entry=entry
                        )
                    ) from None
                named.append(entry)
        return named


class TaggedItems(Document):
    """``{"tags": [...]}``: items carrying any of these tags."""

    tags: list[Slug] = Field(min_length=1, max_length=100)


ItemFilter = Annotated[
    Annotated[AllItems, Tag("all")]
    | Annotated[ListedItems, Tag("specifications")]
    | Annotated[TaggedItems, Tag("tags")],
    Discriminator(_by_key("all", "specifications", "tags")),
]
"""What credit, a subsidy or matching may pay for: ``{"all": true}``,
``{"specifications": [id or slug, ...]}`` or ``{"tags": [...]}`` (any of them)."""


# Tiers and their expiry -----------------------------------------------------------------------


class ExpiresOn(Document):
    """``{"on": "2025-12-31"}``: a fixed last day, whenever the credit was granted."""

    on: date


class ExpiresAfterMonths(Document):
    """``{"months_after_grant": 24}``: usable for that many months from the day it was
    granted (granted 15 March, 12 months: usable until 14 March the next year)."""

    months_after_grant: int = Field(ge=1, le=1200)


class ExpiresAtEndOfYear(Document):
    """``{"end_of_year": true}``: usable until 31 December of the year it was granted."""

    end_of_year: Literal[True]


Expiry = Annotated[
    Annotated[ExpiresOn, Tag("on")]
    | Annotated[ExpiresAfterMonths, Tag("months_after_grant")]
    | Annotated[ExpiresAtEndOfYear, Tag("end_of_year")],
    Discriminator(_by_key("on", "months_after_grant", "end_of_year")),
]
"""The last day credit in a tier can be spent; what is left after it lapses."""


class Tier(Document):
    """A pot of credit with its own expiry and, optionally, its own narrower set of items,
    e.g. a base tier that never expires and a mid-career tier for tagged courses."""

    code: Slug
    name: Name
    expiry: Expiry | None = None
    """Null: the credit never expires."""
    items: ItemFilter | None = None
    """Null: whatever the program's ``eligible_items`` allow; otherwise only items both allow."""


# Grants -------------------------------------------------------------------------------------


class OnJoin(Document):
    """``{"on_join": true}``: once, on the day the learner joins the program."""

    on_join: Literal[True]


class OnDate(Document):
    """``{"on_date": "2020-10-01"}``: once, on that day, to every participant who qualifies
    on that day. Learners who join later get nothing unless ``include_later_joiners``; then
    they get it on joining if they qualified on the grant's day (age included)."""

    on_date: date
    include_later_joiners: bool = False


class Annually(Document):
    """``{"annually": "01-01"}``: every year on that day, from the joining date on. When the
    learner joins after that day of the year, the year's grant is given on joining unless
    ``first_on_joining`` is false (then the first one comes the next year)."""

    annually: str
    first_on_joining: bool = True

    @field_validator("annually")
    @classmethod
    def _a_day_of_every_year(cls, value: str) -> str:
        parts = re.fullmatch(r"(\d{2})-(\d{2})", value)
        if parts is None or not _in_every_year(int(parts[1]), int(parts[2])):
            raise ValueError(gettext("Give a day that comes every year, as MM-DD (e.g. 01-01)."))
        return value

    @property
    def month_day(self) -> tuple[int, int]:
        month, day = self.annually.split("-")
        return int(month), int(day)


def _in_every_year(month: int, day: int) -> bool:
    try:
        date(2001, month, day)  # a common year: 29 February does not come every year
    except ValueError:
        return False
    return True


class OnBirthday(Document):
    """``{"on_birthday": 40}``: on the birthday the learner reaches that age, or on joining if
    they joined older (a learner born on 29 February has birthdays on 1 March in common
    years). Learners whose birth date is unknown get nothing."""

    on_birthday: Age


Trigger = Annotated[
    Annotated[OnJoin, Tag("on_join")]
    | Annotated[OnDate, Tag("on_date")]
    | Annotated[Annually, Tag("annually")]
    | Annotated[OnBirthday, Tag("on_birthday")],
    Discriminator(_by_key("on_join", "on_date", "annually", "on_birthday")),
]


class GrantRule(Document):
    """Credit put into one tier when its trigger comes, for learners who qualify then: the
    program's eligibility, this grant's age band and its own ``eligibility``."""

    code: Slug
    tier: Slug
    amount_minor: int = Field(ge=1)
    trigger: Trigger
    min_age: Age | None = None
    """Age on the day the grant takes effect."""
    max_age: Age | None = None
    eligibility: Eligibility | None = None

    @field_validator("max_age")
    @classmethod
    def _not_below_min_age(cls, value: int | None, info: ValidationInfo) -> int | None:
        _check_age_band(info.data.get("min_age"), value)
        return value


# Subsidies and matching ---------------------------------------------------------------------


class SubsidyRule(Document):
    """A share of the price the program pays for a group of learners. The subsidy is
    ``rate_bp`` of the price rounded down to the minor unit, then capped per hour of the
    offering and per item. Subsidies never stack: a learner gets the single largest one that
    applies, across all their programs."""

    code: Slug
    name: Name
    rate_bp: BasisPoints
    cap_per_hour_minor: Minor | None = None
    """With a cap per hour, an offering whose hours are unknown gets no subsidy."""
    cap_per_item_minor: Minor | None = None
    eligibility: Eligibility = Field(default_factory=Eligibility)
    items: ItemFilter = Field(default_factory=lambda: AllItems(all=True))


class MatchingRule(Document):
    """The employer pays ``rate_bp`` of what would otherwise be the learner's co-pay (after
    subsidy and credit), rounded down, up to ``cap_per_year_minor`` per learner per calendar
    year."""

    rate_bp: BasisPoints
    basis: Literal["copay"] = "copay"
    cap_per_year_minor: Minor | None = None
    items: ItemFilter = Field(default_factory=lambda: AllItems(all=True))


# The document -------------------------------------------------------------------------------


class ProgramRules(Document):
    """A whole program. Credit is spent tier by tier in ``deduction_order``, and within a
    tier the earliest-expiring credit first."""

    version: Literal[1] = 1
    """The document format, so stored programs can be upgraded when it changes."""
    description: str | None = Field(default=None, max_length=4000)
    currency: str
    """ISO 4217, e.g. ``SGD``; every amount in the document is in its minor units."""
    eligibility: Eligibility = Field(default_factory=Eligibility)
    """Who may join, and who gets new grants, subsidies and matching. Credit already
    granted stays usable by a learner who no longer qualifies, until it expires."""
    tiers: list[Tier] = Field(default_factory=list, max_length=50)
    grants: list[GrantRule] = Field(default_factory=list, max_length=200)
    eligible_items: ItemFilter = Field(default_factory=lambda: AllItems(all=True))
    subsidies: list[SubsidyRule] = Field(default_factory=list, max_length=50)
    matching: MatchingRule | None = None
    deduction_order: list[Slug] = Field(default_factory=list)
    """Every tier code exactly once: the first is spent first (e.g. expiring credit)."""
    max_credit_per_item_minor: Minor | None = None
    """The most credit (all tiers together) one item may take."""

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if value not in _currencies():
            raise ValueError(gettext("“%(code)s” is not an ISO 4217 currency.", code=value))
        return value

    @field_validator("tiers")
    @classmethod
    def _distinct_tiers(cls, value: list[Tier]) -> list[Tier]:
        repeated = _first_repeated(tier.code for tier in value)
        if repeated is not None:
            raise ValueError(gettext("Two tiers have the code “%(code)s”.", code=repeated))
        return value

    @field_validator("grants")
    @classmethod
    def _grants_name_tiers(cls, value: list[GrantRule], info: ValidationInfo) -> list[GrantRule]:
        repeated = _first_repeated(grant.code for grant in value)
        if repeated is not None:
            raise ValueError(gettext("Two grants have the code “%(code)s”.", code=repeated))
        tiers = _tier_codes(info)
        for grant in value:
            if tiers is not None and grant.tier not in tiers:
                raise ValueError(
                    gettext(
                        "The grant “%(grant)s” names the tier “%(tier)s”, which is not defined.",
                        grant=grant.code,
                        tier=grant.tier,
                    )
                )
        return value

    @field_validator("subsidies")
    @classmethod
    def _distinct_subsidies(cls, value: list[SubsidyRule]) -> list[SubsidyRule]:
        repeated = _first_repeated(subsidy.code for subsidy in value)
        if repeated is not None:
            raise ValueError(gettext("Two subsidies have the code “%(code)s”.", code=repeated))
        return value

    @field_validator("deduction_order")
    @classmethod
    def _every_tier_once(cls, value: list[str], info: ValidationInfo) -> list[str]:
        repeated = _first_repeated(value)
        if repeated is not None:
            raise ValueError(gettext("The deduction order names “%(tier)s” twice.", tier=repeated))
        tiers = _tier_codes(info)
        if tiers is None:
            return value
        unknown = [code for code in value if code not in tiers]
        if unknown:
            raise ValueError(
                gettext(
                    "The deduction order names “%(tier)s”, which is not a tier.", tier=unknown[0]
                )
            )
        missing = [code for code in tiers if code not in value]
        if missing:
            raise ValueError(
                gettext(
                    "The deduction order leaves out the tiers %(tiers)s: list every tier once.",
                    tiers=", ".join(f"“{code}”" for code in missing),
                )
            )
        return value

    def tier(self, code: str) -> Tier:
        return next(tier for tier in self.tiers if tier.code == code)

    def ordered_tiers(self) -> list[Tier]:
        """The tiers in the order credit is spent."""
        return [self.tier(code) for code in self.deduction_order]


def _tier_codes(info: ValidationInfo) -> list[str] | None:
    """The tier codes checked so far, or None when the tiers themselves were refused (their
    error is reported; naming them again would only add noise)."""
    tiers = info.data.get("tiers")
    return None if tiers is None else [tier.code for tier in tiers]


def _first_repeated(codes: Iterable[str]) -> str | None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            return code
        seen.add(code)
    return None


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def example_rules(name: str) -> ProgramRules:
    """A rules document shipped with Cairn (``skillsfuture``, ``employer_matching``), for the
    demo, the documentation and tests."""
    if name not in EXAMPLES:
        raise KeyError(name)
    path = resources.files("cairn.accounts").joinpath("examples", f"{name}.json")
    return ProgramRules.model_validate_json(path.read_text(encoding="utf-8"))
