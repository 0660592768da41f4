"""Which grants a participant is owed: every occurrence of every grant rule that has come by
a day, that the learner qualifies for, and that was not given yet.

Each occurrence has a stable key, so the ledger posts it once however often this runs
(the key is the posting's idempotency key): ``<grant code>:join``,
``<grant code>:<YYYY-MM-DD>`` for a dated grant, ``<grant code>:<YYYY>`` for a yearly one,
``<grant code>:age-<N>`` for a birthday. Facts are those known when asked; only age is
judged as of each occurrence's day."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date

from cairn.accounts.eligibility import LearnerFacts, birthday, check_age_band, check_eligibility
from cairn.accounts.expiry import expiry_date
from cairn.accounts.rules import Annually, GrantRule, OnDate, OnJoin, ProgramRules


@dataclass(frozen=True)
class GrantDue:
    key: str
    grant_code: str
    tier: str
    amount_minor: int
    effective_on: date
    expires_on: date | None


@dataclass(frozen=True)
class Occurrence:
    key: str
    effective_on: date
    judged_on: date
    """The day the learner must qualify on: the effective day, except for a later joiner
    of a dated grant, who must have qualified on the grant's day."""


def grants_due(
    rules: ProgramRules,
    facts: LearnerFacts,
    joined_on: date,
    as_of: date,
    already: Collection[str],
) -> list[GrantDue]:
    """Occurrences effective on or before ``as_of`` whose key is not in ``already``, for which
    the learner meets the program's eligibility and the grant's, in date order. An
    occurrence whose credit would have expired before it takes effect is not due."""
    due: list[GrantDue] = []
    for grant in rules.grants:
        expiry = rules.tier(grant.tier).expiry
        for occurrence in occurrences(grant, facts, joined_on, as_of):
            if occurrence.key in already or not qualifies(rules, grant, facts, occurrence):
                continue
            expires_on = expiry_date(expiry, occurrence.effective_on)
            if expires_on is not None and expires_on < occurrence.effective_on:
                continue
            due.append(
                GrantDue(
                    key=occurrence.key,
                    grant_code=grant.code,
                    tier=grant.tier,
                    amount_minor=grant.amount_minor,
                    effective_on=occurrence.effective_on,
                    expires_on=expires_on,
                )
            )
    return sorted(due, key=lambda item: (item.effective_on, item.key))


def occurrences(
    grant: GrantRule, facts: LearnerFacts, joined_on: date, as_of: date
) -> Iterator[Occurrence]:
    """The grant's occurrences for a learner who joined on ``joined_on``, up to ``as_of``."""
    trigger = grant.trigger
    found: list[Occurrence] = []
    if isinstance(trigger, OnJoin):
        found.append(Occurrence(f"{grant.code}:join", joined_on, joined_on))
    elif isinstance(trigger, OnDate):
        key = f"{grant.code}:{trigger.on_date.isoformat()}"
        if joined_on <= trigger.on_date:
            found.append(Occurrence(key, trigger.on_date, trigger.on_date))
        elif trigger.include_later_joiners:
            found.append(Occurrence(key, joined_on, trigger.on_date))
    elif isinstance(trigger, Annually):
        found.extend(_yearly(grant.code, trigger, joined_on, as_of))
    elif facts.birth_date is not None:
        effective_on = max(birthday(facts.birth_date, trigger.on_birthday), joined_on)
        found.append(
            Occurrence(f"{grant.code}:age-{trigger.on_birthday}", effective_on, effective_on)
        )
    return (occurrence for occurrence in found if occurrence.effective_on <= as_of)


def _yearly(code: str, trigger: Annually, joined_on: date, as_of: date) -> Iterator[Occurrence]:
    month, day = trigger.month_day
    for year in range(joined_on.year, as_of.year + 1):
        effective_on = date(year, month, day)
        if effective_on < joined_on:
            if not trigger.first_on_joining:
                continue
            effective_on = joined_on
        yield Occurrence(f"{code}:{year}", effective_on, effective_on)


def qualifies(
    rules: ProgramRules, grant: GrantRule, facts: LearnerFacts, occurrence: Occurrence
) -> bool:
    day = occurrence.judged_on
    if check_eligibility(rules.eligibility, facts, day):
        return False
    if check_age_band(grant.min_age, grant.max_age, facts, day):
        return False
    return grant.eligibility is None or not check_eligibility(grant.eligibility, facts, day)
