"""Steps and blockers in words.

A planned step is stored as facts (what it closes, its price line by line, its dates) when
it is planned, and put into sentences when it is read, so a pathway reads in the reader's
language however long ago it was planned."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

from cairn.accounts.money import format_money
from cairn.catalogue.enums import Participation
from cairn.catalogue.enums import label as catalogue_label
from cairn.kit.i18n import get_locale, gettext
from cairn.pathways.enums import StepStatus
from cairn.pathways.problem import Blocker, Plan, Step
from cairn.pathways.problem_builder import Built, GapLine
from cairn.pathways.schemas import CreditRead, StepRead


def step_facts(built: Built, step: Step, earlier: Mapping[str, str]) -> dict[str, Any]:
    """What a step shows, as JSON: ``earlier`` names the plan's steps by candidate id."""
    offer = built.offers[step.candidate_id]
    offering, version = offer.line.offering, offer.line.version
    labels = {str(gap.skill_id): gap.label for gap in built.gaps}
    sources = {source.pool_id: source for source in built.funding.credit}
    return {
        "title": version.title,
        "offering_code": offering.code,
        "starts_on": offering.starts_on.isoformat(),
        "ends_on": offering.ends_on.isoformat(),
        "hours": offering.hours,
        "language": offering.language,
        "delivery": offering.delivery.value,
        "closes": sorted((labels[gap] for gap in step.closes if gap in labels), key=str.casefold),
        "price_minor": offering.price_minor,
        "subsidy_minor": offer.subsidy_minor,
        "subsidy_text": offer.subsidy_text,
        "credit": [
            {
                "program": sources[pool].program.program_name,
                "tier": sources[pool].tier_name,
                "amount_minor": amount,
            }
            for pool, amount in sorted(step.credit_minor.items(), key=lambda i: sources[i[0]].order)
            if amount > 0
        ],
        "employer_minor": sum(step.matching_minor.values()),
        "out_of_pocket_minor": step.out_of_pocket_minor,
        "prerequisites_met_by": [
            earlier.get(met, built.titles.get(met, met)) for met in step.prerequisites_met_by
        ],
        "prerequisites_text": version.prerequisites,
        "counts_toward": [
            built.requirement_titles[group.id]
            for group in built.problem.requirements
            if step.specification_id in group.specification_ids
        ],
    }


def plan_facts(built: Built, plan: Plan) -> list[dict[str, Any]]:
    """Every step's facts, in order."""
    earlier: dict[str, str] = {}
    facts: list[dict[str, Any]] = []
    for step in plan.steps:
        facts.append(step_facts(built, step, earlier))
        earlier[step.specification_id] = facts[-1]["title"]
        earlier[step.candidate_id] = facts[-1]["title"]
    return facts


def step_read(
    facts: Mapping[str, Any],
    *,
    position: int,
    offering_id: uuid.UUID,
    specification_id: uuid.UUID,
    status: StepStatus | None,
    currency: str | None,
) -> StepRead:
    return StepRead(
        position=position,
        offering_id=offering_id,
        offering_code=facts["offering_code"],
        specification_id=specification_id,
        title=facts["title"],
        status=status,
        starts_on=date.fromisoformat(facts["starts_on"]),
        ends_on=date.fromisoformat(facts["ends_on"]),
        hours=facts["hours"],
        language=facts["language"],
        delivery=Participation(facts["delivery"]),
        closes=list(facts["closes"]),
        price_minor=facts["price_minor"],
        subsidy_minor=facts["subsidy_minor"],
        credit=[CreditRead(**line) for line in facts["credit"]],
        employer_minor=facts["employer_minor"],
        out_of_pocket_minor=facts["out_of_pocket_minor"],
        prerequisites_met_by=list(facts["prerequisites_met_by"]),
        explanation=sentences(facts, currency),
    )


def money(amount: int, currency: str | None) -> str:
    """An amount in the reader's locale; bare minor units when no currency is known."""
    return format_money(amount, currency) if currency else str(amount)


def _day(value: str) -> str:
    return format_date(date.fromisoformat(value), format="long", locale=get_locale())


def _names(names: list[str]) -> str:
    """Skill labels are often phrases ("keep devices secure"): each is quoted in the list."""
    return format_list([f"“{name}”" for name in names], locale=get_locale())


def sentences(facts: Mapping[str, Any], currency: str | None) -> list[str]:
    """The step as the learner reads it."""
    said: list[str] = []
    if facts["closes"]:
        said.append(gettext("Closes your skill gaps: %(skills)s.", skills=_names(facts["closes"])))
    for title in facts.get("counts_toward", []):
        said.append(gettext("Counts toward %(rule)s.", rule=title))
    said.append(
        gettext(
            "Runs from %(start)s to %(end)s: %(hours)s hours, %(delivery)s, in %(language)s.",
            start=_day(facts["starts_on"]),
            end=_day(facts["ends_on"]),
            hours=format_decimal(facts["hours"], locale=get_locale()),
            delivery=catalogue_label(Participation(facts["delivery"])),
            language=facts["language"],
        )
    )
    said.append(gettext("Price: %(price)s.", price=money(facts["price_minor"], currency)))
    if facts["subsidy_minor"]:
        said.append(
            gettext("Subsidy: %(amount)s.", amount=money(facts["subsidy_minor"], currency))
            + (f" {facts['subsidy_text']}" if facts["subsidy_text"] else "")
        )
    for line in facts["credit"]:
        said.append(
            gettext(
                "Credit: %(amount)s from “%(tier)s” in %(program)s.",
                amount=money(line["amount_minor"], currency),
                tier=line["tier"],
                program=line["program"],
            )
        )
    if facts["employer_minor"]:
        said.append(
            gettext(
                "Your employer pays %(amount)s.", amount=money(facts["employer_minor"], currency)
            )
        )
    said.append(
        gettext("You pay %(amount)s.", amount=money(facts["out_of_pocket_minor"], currency))
    )
    if facts["prerequisites_met_by"]:
        said.append(
            gettext(
                "Its prerequisites are met by %(names)s.",
                names=_names(facts["prerequisites_met_by"]),
            )
        )
    if facts["prerequisites_text"]:
        said.append(
            gettext(
                "Prerequisites, as the issuer states them: %(text)s",
                text=facts["prerequisites_text"],
            )
        )
    return said


def blocker_sentence(built: Built, blocker: Blocker) -> str:
    """Why no plan exists, in one sentence naming the skill, amount or date at fault."""
    constraints = built.problem.constraints
    gaps = {str(gap.skill_id): gap for gap in built.gaps}
    if blocker.kind == "no_offering" and blocker.gap in gaps:
        gap = gaps[blocker.gap]
        if constraints.deadline is not None:
            return gettext(
                "No offering teaches %(skill)s at level %(level)s before your deadline.",
                skill=gap.label,
                level=gap.wanted or 1,
            )
        return gettext(
            "No offering teaches %(skill)s at level %(level)s.",
            skill=gap.label,
            level=gap.wanted or 1,
        )
    if blocker.gap in gaps and blocker.kind in ("deadline", "hours_per_week", "budget"):
        return _gap_sentence(built, blocker, gaps[blocker.gap])
    if blocker.kind == "budget" and blocker.shortfall_minor is not None:
        return gettext(
            "Budget short by %(amount)s.", amount=money(blocker.shortfall_minor, built.currency)
        )
    if blocker.kind == "hours_per_week" and constraints.hours_per_week is not None:
        return gettext(
            "No plan fits in %(hours)s hours a week.",
            hours=format_decimal(constraints.hours_per_week, locale=get_locale()),
        )
    if blocker.kind == "deadline" and constraints.deadline is not None:
        return gettext(
            "No plan finishes by your deadline, %(day)s.",
            day=_day(constraints.deadline.isoformat()),
        )
    if blocker.kind == "prerequisite" and blocker.specification_id is not None:
        return gettext(
            "The prerequisites of %(title)s cannot be met in time.",
            title=built.titles.get(blocker.specification_id, blocker.specification_id),
        )
    if blocker.kind == "requirement":
        titles = list(built.requirement_titles.values())
        return gettext(
            "Not enough offerings to complete %(rule)s.",
            rule=titles[0] if titles else built.target.title,
        )
    return blocker.detail


def _gap_sentence(built: Built, blocker: Blocker, gap: GapLine) -> str:
    """A gap that no offering closes within one constraint, whatever else is chosen."""
    level = gap.wanted or 1
    if blocker.kind == "deadline":
        return gettext(
            "No offering teaches %(skill)s at level %(level)s before your deadline.",
            skill=gap.label,
            level=level,
        )
    if blocker.kind == "hours_per_week":
        return gettext(
            "No offering teaching %(skill)s at level %(level)s fits in %(hours)s hours a week.",
            skill=gap.label,
            level=level,
            hours=format_decimal(
                built.problem.constraints.hours_per_week or 0, locale=get_locale()
            ),
        )
    return gettext(
        "Budget short by %(amount)s for the cheapest offering teaching %(skill)s.",
        amount=money(blocker.shortfall_minor or 0, built.currency),
        skill=gap.label,
    )


def method_words(method: str | None, proven_optimal: bool) -> str:
    """How the plan was found, for the learner."""
    if method == "optimal" and proven_optimal:
        return gettext("The best plan for your constraints (proven optimal).")
    if method == "optimal":
        return gettext("The best plan found within the time allowed; a better one may exist.")
    return gettext("A good plan found quickly; a better one may exist.")
