"""Grants due: each occurrence of each grant rule, on the right day, once, to learners who
qualify then, with the expiry of its tier."""

from __future__ import annotations

from datetime import date
from typing import Any

from cairn.accounts.eligibility import LearnerFacts
from cairn.accounts.enums import Residency
from cairn.accounts.grants import GrantDue, grants_due
from cairn.accounts.rules import example_rules
from tests.accounts.documents import citizen, rules

SKILLSFUTURE = example_rules("skillsfuture")
EMPLOYER = example_rules("employer_matching")
EMPLOYEE = LearnerFacts(member_of_program_org=True)


def keys(due: list[GrantDue]) -> list[tuple[str, date]]:
    return [(grant.key, grant.effective_on) for grant in due]


def dated_topup(**trigger: Any) -> dict[str, Any]:
    return {
        "tiers": [{"code": "topup", "name": "Top-up", "expiry": {"on": "2025-12-31"}}],
        "grants": [
            {
                "code": "topup",
                "tier": "topup",
                "amount_minor": 50_000,
                "trigger": {"on_date": "2020-10-01", **trigger},
                "min_age": 25,
            }
        ],
        "deduction_order": ["topup"],
    }


def test_skillsfuture_citizen_gets_base_topup_and_mid_career_credit_in_date_order() -> None:
    due = grants_due(
        SKILLSFUTURE, citizen(date(1990, 6, 15)), date(2019, 3, 1), date(2031, 1, 1), ()
    )

    assert due == [
        GrantDue("base:age-25", "base", "base", 50_000, date(2019, 3, 1), None),
        GrantDue(
            "topup-2020:2020-10-01",
            "topup-2020",
            "topup-2020",
            50_000,
            date(2020, 10, 1),
            date(2025, 12, 31),
        ),
        GrantDue("mid-career:age-40", "mid-career", "mid-career", 400_000, date(2030, 6, 15), None),
    ]


def test_a_young_joiner_gets_the_base_credit_on_turning_25() -> None:
    facts = citizen(date(2003, 4, 2))

    assert grants_due(SKILLSFUTURE, facts, date(2026, 1, 10), date(2028, 4, 1), ()) == []
    assert keys(grants_due(SKILLSFUTURE, facts, date(2026, 1, 10), date(2028, 4, 2), ())) == [
        ("base:age-25", date(2028, 4, 2))
    ]


def test_a_learner_joining_after_40_gets_the_mid_career_credit_on_joining() -> None:
    due = grants_due(
        SKILLSFUTURE, citizen(date(1970, 1, 1)), date(2026, 5, 4), date(2026, 5, 4), ()
    )

    assert keys(due) == [("base:age-25", date(2026, 5, 4)), ("mid-career:age-40", date(2026, 5, 4))]


def test_permanent_residents_take_part_but_get_no_credit() -> None:
    resident = LearnerFacts(birth_date=date(1980, 1, 1), residency=Residency.PERMANENT_RESIDENT)

    assert grants_due(SKILLSFUTURE, resident, date(2019, 1, 1), date(2030, 1, 1), ()) == []


def test_a_grant_already_given_is_not_due_again() -> None:
    facts = citizen(date(1990, 6, 15))
    first = grants_due(SKILLSFUTURE, facts, date(2019, 3, 1), date(2026, 1, 1), ())

    again = grants_due(
        SKILLSFUTURE, facts, date(2019, 3, 1), date(2031, 1, 1), {g.key for g in first}
    )

    assert keys(again) == [("mid-career:age-40", date(2030, 6, 15))]


def test_a_dated_grant_skips_later_joiners_unless_the_rules_include_them() -> None:
    facts = citizen(date(1990, 1, 1))

    assert grants_due(rules(**dated_topup()), facts, date(2021, 1, 5), date(2022, 1, 1), ()) == []
    included = grants_due(
        rules(**dated_topup(include_later_joiners=True)),
        facts,
        date(2021, 1, 5),
        date(2022, 1, 1),
        (),
    )
    assert keys(included) == [("topup:2020-10-01", date(2021, 1, 5))]
    assert keys(
        grants_due(rules(**dated_topup()), facts, date(2020, 10, 1), date(2020, 10, 1), ())
    ) == [("topup:2020-10-01", date(2020, 10, 1))]


def test_a_later_joiner_must_have_qualified_on_the_grant_s_day() -> None:
    was_24_then = citizen(date(1996, 1, 1))  # 24 on 2020-10-01, 25 when joining in 2021

    assert (
        grants_due(
            rules(**dated_topup(include_later_joiners=True)),
            was_24_then,
            date(2021, 3, 1),
            date(2022, 1, 1),
            (),
        )
        == []
    )


def test_a_grant_that_would_expire_before_it_is_given_is_not_due() -> None:
    document = rules(**dated_topup(include_later_joiners=True))

    assert (
        grants_due(document, citizen(date(1980, 1, 1)), date(2026, 1, 1), date(2026, 2, 1), ())
        == []
    )


def test_a_grant_not_yet_effective_is_not_due() -> None:
    assert (
        grants_due(rules(**dated_topup()), citizen(), date(2020, 1, 1), date(2020, 9, 30), ()) == []
    )


def test_birthday_grants_need_a_birth_date() -> None:
    assert (
        grants_due(SKILLSFUTURE, citizen(born=None), date(2020, 1, 1), date(2030, 1, 1), ()) == []
    )


def test_the_yearly_allowance_comes_on_joining_then_every_1_january() -> None:
    due = grants_due(EMPLOYER, EMPLOYEE, date(2026, 3, 10), date(2028, 1, 1), ())

    assert due == [
        GrantDue(
            "allowance:2026",
            "allowance",
            "allowance",
            100_000,
            date(2026, 3, 10),
            date(2026, 12, 31),
        ),
        GrantDue(
            "allowance:2027",
            "allowance",
            "allowance",
            100_000,
            date(2027, 1, 1),
            date(2027, 12, 31),
        ),
        GrantDue(
            "allowance:2028",
            "allowance",
            "allowance",
            100_000,
            date(2028, 1, 1),
            date(2028, 12, 31),
        ),
    ]


def test_a_yearly_grant_can_wait_for_its_first_day_after_joining() -> None:
    document = rules(
        grants=[
            {
                "code": "yearly",
                "tier": "base",
                "amount_minor": 10_000,
                "trigger": {"annually": "07-01", "first_on_joining": False},
            }
        ]
    )

    assert keys(grants_due(document, citizen(), date(2026, 7, 2), date(2028, 6, 30), ())) == [
        ("yearly:2027", date(2027, 7, 1))
    ]
    assert keys(grants_due(document, citizen(), date(2026, 7, 1), date(2026, 7, 1), ())) == [
        ("yearly:2026", date(2026, 7, 1))
    ]


def test_only_employees_get_an_employer_s_grants() -> None:
    assert grants_due(EMPLOYER, LearnerFacts(), date(2026, 3, 10), date(2027, 1, 1), ()) == []


def test_a_grant_s_age_band_is_judged_on_its_day() -> None:
    document = rules(
        grants=[
            {
                "code": "young",
                "tier": "base",
                "amount_minor": 20_000,
                "trigger": {"annually": "01-01"},
                "max_age": 29,
            }
        ]
    )

    due = grants_due(document, citizen(date(1997, 6, 1)), date(2026, 1, 1), date(2028, 1, 1), ())

    assert keys(due) == [("young:2026", date(2026, 1, 1)), ("young:2027", date(2027, 1, 1))]


def test_a_grant_s_own_eligibility_narrows_who_gets_it() -> None:
    document = rules(
        grants=[
            {
                "code": "opening",
                "tier": "base",
                "amount_minor": 50_000,
                "trigger": {"on_join": True},
                "eligibility": {"attributes": {"veteran": ["yes"]}},
            }
        ],
        tiers=[{"code": "base", "name": "Base", "expiry": {"months_after_grant": 24}}],
    )
    veteran = citizen(attributes={"veteran": "yes"})

    assert grants_due(document, citizen(), date(2026, 3, 15), date(2026, 3, 15), ()) == []
    assert grants_due(document, veteran, date(2026, 3, 15), date(2026, 3, 15), ()) == [
        GrantDue("opening:join", "opening", "base", 50_000, date(2026, 3, 15), date(2028, 3, 14))
    ]
