"""Whether a learner meets a program's (or a grant's, or a subsidy's) eligibility, and in
words why not: one sentence per unmet criterion, so a learner sees everything that stands
in the way at once. A criterion whose fact is unknown is unmet: nobody qualifies by
leaving their profile blank."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from babel.lists import format_list

from cairn.accounts.enums import LABELS as ACCOUNT_LABELS
from cairn.accounts.enums import EmploymentStatus, IncomeBand, Residency
from cairn.accounts.rules import Eligibility
from cairn.kit.i18n import LazyString, get_locale, lazy_gettext
from cairn.orgs.enums import LABELS as ORG_LABELS
from cairn.orgs.enums import RegionType, SizeBand


@dataclass(frozen=True)
class LearnerFacts:
    """What eligibility is judged on, as known when asked; the caller reads it from the
    learner's profile, equity attributes (with consent) and memberships."""

    birth_date: date | None = None
    residency: Residency | None = None
    employment_status: EmploymentStatus | None = None
    income_band: IncomeBand | None = None
    region_type: RegionType | None = None
    employer_size: SizeBand | None = None
    member_of_program_org: bool = False
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Unmet:
    criterion: str
    """The criterion's field in the rules, e.g. ``min_age`` or ``attributes.disability``."""
    message: LazyString


def age_on(facts: LearnerFacts, day: date) -> int | None:
    """Whole years on ``day``; someone born on 29 February turns a year older on 1 March in
    common years."""
    born = facts.birth_date
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birthday(born: date, age: int) -> date:
    """The day someone born on ``born`` reaches ``age``, agreeing with ``age_on``."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # 29 February in a common year
        return date(born.year + age, 3, 1)


@dataclass(frozen=True)
class Choices:
    """Values named by their labels in the reader's language, joined with "or"."""

    values: tuple[str, ...]

    def __str__(self) -> str:
        labels = [
            str(ACCOUNT_LABELS.get(value) or ORG_LABELS.get(value) or value)
            for value in self.values
        ]
        return format_list(labels, style="or", locale=get_locale())


ListedMessages = tuple[Callable[[Choices], LazyString], Callable[[Choices, Choices], LazyString]]
LISTED: dict[str, ListedMessages] = {
    "residency": (
        lambda allowed: lazy_gettext(
            "Your residency status is not recorded; it must be %(allowed)s.", allowed=allowed
        ),
        lambda allowed, value: lazy_gettext(
            "Your residency status must be %(allowed)s; it is %(value)s.",
            allowed=allowed,
            value=value,
        ),
    ),
    "employment_status": (
        lambda allowed: lazy_gettext(
            "Your employment status is not recorded; it must be %(allowed)s.", allowed=allowed
        ),
        lambda allowed, value: lazy_gettext(
            "Your employment status must be %(allowed)s; it is %(value)s.",
            allowed=allowed,
            value=value,
        ),
    ),
    "income_band": (
        lambda allowed: lazy_gettext(
            "Your income band is not recorded; it must be %(allowed)s.", allowed=allowed
        ),
        lambda allowed, value: lazy_gettext(
            "Your income band must be %(allowed)s; it is %(value)s.",
            allowed=allowed,
            value=value,
        ),
    ),
    "region_type": (
        lambda allowed: lazy_gettext(
            "The type of region you live in is not recorded; it must be %(allowed)s.",
            allowed=allowed,
        ),
        lambda allowed, value: lazy_gettext(
            "The type of region you live in must be %(allowed)s; it is %(value)s.",
            allowed=allowed,
            value=value,
        ),
    ),
    "employer_size": (
        lambda allowed: lazy_gettext(
            "Your employer's size is not recorded; it must be %(allowed)s.", allowed=allowed
        ),
        lambda allowed, value: lazy_gettext(
            "Your employer's size must be %(allowed)s; it is %(value)s.",
            allowed=allowed,
            value=value,
        ),
    ),
}


def check_eligibility(eligibility: Eligibility, facts: LearnerFacts, on: date) -> list[Unmet]:
    """Every criterion ``facts`` fail on ``on``, in the order the rules list them; empty
    when the learner qualifies."""
    unmet: list[Unmet] = []
    unmet.extend(check_age_band(eligibility.min_age, eligibility.max_age, facts, on))
    for criterion, (missing, wrong) in LISTED.items():
        allowed: list[str] | None = getattr(eligibility, criterion)
        if allowed is None:
            continue
        value: str | None = getattr(facts, criterion)
        if value is None:
            unmet.append(Unmet(criterion, missing(Choices(tuple(allowed)))))
        elif value not in allowed:
            unmet.append(Unmet(criterion, wrong(Choices(tuple(allowed)), Choices((value,)))))
    if eligibility.employees_of_program_org and not facts.member_of_program_org:
        unmet.append(
            Unmet(
                "employees_of_program_org",
                lazy_gettext("Only employees of the organisation running the program qualify."),
            )
        )
    for name, values in eligibility.attributes.items():
        unmet.extend(_check_attribute(name, values, facts))
    return unmet


def check_age_band(
    min_age: int | None, max_age: int | None, facts: LearnerFacts, on: date
) -> list[Unmet]:
    """An age band (a program's, or a grant's own) judged on ``on``."""
    age = age_on(facts, on)
    unmet: list[Unmet] = []
    if min_age is not None:
        if age is None:
            message = lazy_gettext(
                "Your date of birth is not recorded; it is needed to check that you are "
                "%(min_age)s or older.",
                min_age=str(min_age),
            )
            unmet.append(Unmet("min_age", message))
        elif age < min_age:
            message = lazy_gettext(
                "You must be %(min_age)s or older on %(day)s; you are %(age)s.",
                min_age=str(min_age),
                day=on.isoformat(),
                age=str(age),
            )
            unmet.append(Unmet("min_age", message))
    if max_age is not None:
        if age is None:
            message = lazy_gettext(
                "Your date of birth is not recorded; it is needed to check that you are "
                "%(max_age)s or younger.",
                max_age=str(max_age),
            )
            unmet.append(Unmet("max_age", message))
        elif age > max_age:
            message = lazy_gettext(
                "You must be %(max_age)s or younger on %(day)s; you are %(age)s.",
                max_age=str(max_age),
                day=on.isoformat(),
                age=str(age),
            )
            unmet.append(Unmet("max_age", message))
    return unmet


def _check_attribute(name: str, values: list[str], facts: LearnerFacts) -> list[Unmet]:
    value = facts.attributes.get(name)
    attribute = name.replace("_", " ")
    criterion = f"attributes.{name}"
    if value is None:
        message = lazy_gettext(
            "Your “%(attribute)s” is not recorded; it must be %(allowed)s.",
            attribute=attribute,
            allowed=Choices(tuple(values)),
        )
        return [Unmet(criterion, message)]
    if value not in values:
        message = lazy_gettext(
            "Your “%(attribute)s” must be %(allowed)s; it is %(value)s.",
            attribute=attribute,
            allowed=Choices(tuple(values)),
            value=Choices((value,)),
        )
        return [Unmet(criterion, message)]
    return []
