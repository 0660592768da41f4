"""A program's rules in sentences, for the people who run it and the learners who join it:
the stored JSON is for machines, these words are what a program page shows."""

from __future__ import annotations

from dataclasses import dataclass

from cairn.accounts.eligibility import Choices
from cairn.accounts.money import format_money, format_rate
from cairn.accounts.rules import (
    AllItems,
    Annually,
    Eligibility,
    ExpiresAfterMonths,
    ExpiresOn,
    Expiry,
    ItemFilter,
    ListedItems,
    OnDate,
    OnJoin,
    ProgramRules,
    Trigger,
)
from cairn.kit.i18n import gettext


@dataclass(frozen=True)
class RulesInWords:
    eligibility: list[str]
    tiers: list[str]
    grants: list[str]
    items: str
    subsidies: list[str]
    matching: str | None
    deduction_order: str


def eligibility_words(eligibility: Eligibility) -> list[str]:
    """One sentence per criterion; an empty list lets everyone in."""
    found = []
    if eligibility.min_age is not None:
        found.append(gettext("Aged %(age)s or older.", age=eligibility.min_age))
    if eligibility.max_age is not None:
        found.append(gettext("Aged %(age)s or younger.", age=eligibility.max_age))
    listed = (
        ("residency", gettext("Residency: %(values)s.")),
        ("employment_status", gettext("Employment: %(values)s.")),
        ("income_band", gettext("Income: %(values)s.")),
        ("region_type", gettext("Living in a region that is %(values)s.")),
        ("employer_size", gettext("Working for an employer that is %(values)s.")),
    )
    for criterion, sentence in listed:
        values: list[str] | None = getattr(eligibility, criterion)
        if values is not None:
            found.append(sentence % {"values": Choices(tuple(values))})
    if eligibility.employees_of_program_org:
        found.append(gettext("Employees of the organisation running the program."))
    for name, values in eligibility.attributes.items():
        found.append(
            gettext(
                "“%(attribute)s”: %(values)s.",
                attribute=name.replace("_", " "),
                values=Choices(tuple(values)),
            )
        )
    return found


def expiry_words(expiry: Expiry | None) -> str:
    if expiry is None:
        return gettext("never expires")
    if isinstance(expiry, ExpiresOn):
        return gettext("usable until %(day)s", day=expiry.on.isoformat())
    if isinstance(expiry, ExpiresAfterMonths):
        return gettext(
            "usable for %(months)s months from the day it is granted",
            months=expiry.months_after_grant,
        )
    return gettext("usable until 31 December of the year it is granted")


def trigger_words(trigger: Trigger) -> str:
    if isinstance(trigger, OnJoin):
        return gettext("on joining")
    if isinstance(trigger, OnDate):
        if trigger.include_later_joiners:
            return gettext(
                "on %(day)s, or on joining later for those who qualified that day",
                day=trigger.on_date.isoformat(),
            )
        return gettext("on %(day)s", day=trigger.on_date.isoformat())
    if isinstance(trigger, Annually):
        return gettext("every year on %(day)s (MM-DD)", day=trigger.annually)
    return gettext(
        "on the birthday the learner turns %(age)s, or on joining if older",
        age=trigger.on_birthday,
    )


def items_words(items: ItemFilter) -> str:
    if isinstance(items, AllItems):
        return gettext("every catalogue item")
    if isinstance(items, ListedItems):
        return gettext("these specifications: %(names)s", names=", ".join(items.specifications))
    return gettext("items tagged %(tags)s", tags=Choices(tuple(items.tags)))


def describe(rules: ProgramRules) -> RulesInWords:
    """The whole document in words, amounts in its currency."""
    money = rules.currency
    names = {tier.code: tier.name for tier in rules.tiers}
    tiers = [
        gettext("%(name)s: %(expiry)s.", name=tier.name, expiry=expiry_words(tier.expiry))
        + (
            " " + gettext("Pays only for %(items)s.", items=items_words(tier.items))
            if tier.items is not None
            else ""
        )
        for tier in rules.tiers
    ]
    grants = []
    for grant in rules.grants:
        sentence = gettext(
            "%(amount)s into %(tier)s %(when)s.",
            amount=format_money(grant.amount_minor, money),
            tier=names.get(grant.tier, grant.tier),
            when=trigger_words(grant.trigger),
        )
        conditions = eligibility_words(
            Eligibility(min_age=grant.min_age, max_age=grant.max_age)
        ) + (eligibility_words(grant.eligibility) if grant.eligibility else [])
        if conditions:
            sentence += " " + gettext("Only for: %(conditions)s", conditions=" ".join(conditions))
        grants.append(sentence)
    subsidies = []
    for subsidy in rules.subsidies:
        sentence = gettext(
            "%(name)s: %(rate)s of the price",
            name=subsidy.name,
            rate=format_rate(subsidy.rate_bp),
        )
        if subsidy.cap_per_hour_minor is not None:
            sentence += ", " + gettext(
                "at most %(cap)s an hour", cap=format_money(subsidy.cap_per_hour_minor, money)
            )
        if subsidy.cap_per_item_minor is not None:
            sentence += ", " + gettext(
                "at most %(cap)s an item", cap=format_money(subsidy.cap_per_item_minor, money)
            )
        conditions = eligibility_words(subsidy.eligibility)
        if conditions:
            sentence += ". " + gettext("Only for: %(conditions)s", conditions=" ".join(conditions))
        subsidies.append(sentence if sentence.endswith(".") else sentence + ".")
    matching = None
    if rules.matching is not None:
        matching = gettext(
            "The employer pays %(rate)s of what would be the learner's own share",
            rate=format_rate(rules.matching.rate_bp),
        )
        if rules.matching.cap_per_year_minor is not None:
            matching += ", " + gettext(
                "up to %(cap)s per learner a year",
                cap=format_money(rules.matching.cap_per_year_minor, money),
            )
        matching += "."
    return RulesInWords(
        eligibility=eligibility_words(rules.eligibility),
        tiers=tiers,
        grants=grants,
        items=items_words(rules.eligible_items),
        subsidies=subsidies,
        matching=matching,
        deduction_order=", ".join(names.get(code, code) for code in rules.deduction_order),
    )
