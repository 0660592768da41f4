"""Quotes: a price split into one subsidy, credit by tier in deduction order, employer
matching and the learner's co-pay, each part explained, and always adding up."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cairn.accounts.eligibility import LearnerFacts
from cairn.accounts.enums import Residency
from cairn.accounts.items import CatalogueItem, item_allowed
from cairn.accounts.money import format_money, format_rate
from cairn.accounts.pricing import (
    PriceInput,
    ProgramPosition,
    Quote,
    QuoteLine,
    best_subsidy,
    quote,
)
from cairn.accounts.rules import ProgramRules, example_rules
from cairn.kit.i18n import use_locale
from tests.accounts.documents import citizen, course, rules

DAY = date(2026, 6, 1)
SKILLSFUTURE = example_rules("skillsfuture")
EMPLOYER = example_rules("employer_matching")
SF_ID = uuid.uuid5(uuid.NAMESPACE_URL, "skillsfuture")
EMPLOYER_ID = uuid.uuid5(uuid.NAMESPACE_URL, "employer")
FULL = {"topup-2020": 0, "mid-career": 400_000, "base": 50_000}


def skillsfuture(
    facts: LearnerFacts, balances: dict[str, int] | None = None, budget: int | None = None
) -> ProgramPosition:
    return ProgramPosition(
        SF_ID,
        "SkillsFuture",
        SKILLSFUTURE,
        facts,
        FULL if balances is None else balances,
        0,
        budget,
    )


def employer(
    balance: int = 100_000,
    matched: int = 0,
    facts: LearnerFacts | None = None,
    budget: int | None = None,
) -> ProgramPosition:
    return ProgramPosition(
        EMPLOYER_ID,
        "Northwind Learning",
        EMPLOYER,
        facts or LearnerFacts(member_of_program_org=True),
        {"allowance": balance},
        matched,
        budget,
    )


def split(result: Quote) -> list[tuple[str, str, int]]:
    return [(line.kind, line.rule_code, line.amount_minor) for line in result.lines]


def test_a_citizen_over_40_gets_the_enhanced_subsidy_then_mid_career_credit() -> None:
    result = quote(
        PriceInput(
            course(100_000, hours=10, tags=frozenset({"mid-career"})),
            DAY,
            [skillsfuture(citizen(date(1980, 1, 1)))],
        )
    )

    assert split(result) == [("subsidy", "mces", 35_000), ("credit", "mid-career", 65_000)]
    assert result.copay_minor == 0
    assert result.lines[0].explanation == (
        "Mid-Career Enhanced Subsidy: 90% of the price. Capped at SGD35.00 per hour for 10 hours."
    )
    assert result.lines[1].explanation == (
        "From “SkillsFuture Credit (mid-career)” in SkillsFuture; SGD3,350.00 left there after this."
    )
    assert result.lines[1].tier == "mid-career"


def test_credit_follows_the_deduction_order_and_skips_tiers_the_item_is_not_for() -> None:
    facts = citizen(date(1980, 1, 1))
    balances = {"topup-2020": 20_000, "mid-career": 400_000, "base": 50_000}

    untagged = quote(PriceInput(course(200_000, hours=40), DAY, [skillsfuture(facts, balances)]))
    tagged = quote(
        PriceInput(
            course(200_000, hours=40, tags=frozenset({"mid-career"})),
            DAY,
            [skillsfuture(facts, balances)],
        )
    )

    assert split(untagged) == [
        ("subsidy", "mces", 140_000),
        ("credit", "topup-2020", 20_000),
        ("credit", "base", 40_000),
    ]
    assert split(tagged) == [
        ("subsidy", "mces", 140_000),
        ("credit", "topup-2020", 20_000),
        ("credit", "mid-career", 40_000),
    ]


def test_subsidies_do_not_stack_the_largest_applies() -> None:
    facts = citizen(date(1980, 1, 1))  # both the 70% baseline and the 90% enhanced apply

    short = quote(PriceInput(course(100_000, hours=2), DAY, [skillsfuture(facts, {})]))
    long = quote(PriceInput(course(100_000, hours=100), DAY, [skillsfuture(facts, {})]))

    assert split(short) == [("subsidy", "mces", 7_000)]
    assert split(long) == [("subsidy", "mces", 90_000)]
    assert short.copay_minor == 93_000


def test_subsidy_rates_depend_on_the_learner_group() -> None:
    item = course(100_000, hours=100)
    resident = LearnerFacts(birth_date=date(1990, 1, 1), residency=Residency.PERMANENT_RESIDENT)

    assert split(quote(PriceInput(item, DAY, [skillsfuture(citizen(date(1990, 1, 1)), {})]))) == [
        ("subsidy", "baseline-citizen", 70_000)
    ]
    assert split(quote(PriceInput(item, DAY, [skillsfuture(resident, {})]))) == [
        ("subsidy", "baseline-pr", 50_000)
    ]


def test_subsidies_round_down_to_the_cent() -> None:
    result = quote(PriceInput(course(999, hours=100), DAY, [skillsfuture(citizen(), {})]))

    assert split(result) == [("subsidy", "baseline-citizen", 699)]
    assert result.copay_minor == 300


def test_an_hourly_cap_reads_hours_as_written() -> None:
    result = quote(PriceInput(course(100_000, hours=2.3), DAY, [skillsfuture(citizen(), {})]))

    assert split(result) == [("subsidy", "baseline-citizen", 5_750)]


def test_no_hourly_capped_subsidy_when_the_hours_are_unknown() -> None:
    result = quote(PriceInput(course(100_000, hours=None), DAY, [skillsfuture(citizen(), {})]))

    assert result.lines == ()
    assert result.copay_minor == 100_000


def per_item(**overrides: Any) -> ProgramRules:
    return rules(
        subsidies=[
            {"code": "flat", "name": "Flat subsidy", "rate_bp": 5000, "cap_per_item_minor": 10_000}
        ],
        **overrides,
    )


def test_a_per_item_cap_limits_the_subsidy_and_the_credit() -> None:
    position = ProgramPosition(
        uuid.uuid4(),
        "Province",
        per_item(max_credit_per_item_minor=15_000),
        citizen(),
        {"base": 50_000},
    )

    result = quote(PriceInput(course(100_000, currency="CAD"), DAY, [position]))

    assert split(result) == [("subsidy", "flat", 10_000), ("credit", "base", 15_000)]
    assert (
        result.lines[0].explanation
        == "Flat subsidy: 50% of the price. Capped at CA$100.00 per item."
    )
    assert result.lines[1].explanation.endswith("Limited to CA$150.00 of credit per item.")
    assert result.copay_minor == 75_000


def test_the_program_budget_limits_what_it_gives() -> None:
    position = ProgramPosition(
        uuid.uuid4(), "Province", per_item(), citizen(), {"base": 50_000}, 0, 25_000
    )

    result = quote(PriceInput(course(100_000, currency="CAD"), DAY, [position]))

    assert split(result) == [("subsidy", "flat", 10_000), ("credit", "base", 15_000)]
    assert result.lines[1].explanation.endswith("Limited by what is left of the program's budget.")
    spent = ProgramPosition(uuid.uuid4(), "Province", per_item(), citizen(), {"base": 50_000}, 0, 0)
    assert quote(PriceInput(course(100_000, currency="CAD"), DAY, [spent])).lines == ()


def test_a_subsidy_is_limited_by_its_program_s_budget() -> None:
    position = ProgramPosition(uuid.uuid4(), "Province", per_item(), citizen(), {}, 0, 4_000)

    result = quote(PriceInput(course(100_000, currency="CAD"), DAY, [position]))

    assert split(result) == [("subsidy", "flat", 4_000)]
    assert result.lines[0].explanation.endswith("Limited by what is left of the program's budget.")


def test_the_employer_matches_half_the_co_pay_up_to_its_yearly_cap() -> None:
    result = quote(PriceInput(course(150_000, currency="CAD"), DAY, [employer()]))

    assert split(result) == [("credit", "allowance", 100_000), ("matching", "matching", 25_000)]
    assert result.copay_minor == 25_000
    assert result.lines[1].explanation == (
        "Northwind Learning matches 50% of your share. Up to CA$500.00 a year; "
        "CA$250.00 of this year's matching left after this."
    )
    capped = quote(PriceInput(course(150_000, currency="CAD"), DAY, [employer(matched=40_000)]))
    assert split(capped) == [("credit", "allowance", 100_000), ("matching", "matching", 10_000)]
    used_up = quote(PriceInput(course(150_000, currency="CAD"), DAY, [employer(matched=50_000)]))
    assert split(used_up) == [("credit", "allowance", 100_000)]


def test_matching_is_limited_by_what_is_left_of_the_employer_s_budget() -> None:
    result = quote(PriceInput(course(150_000, currency="CAD"), DAY, [employer(budget=110_000)]))

    assert split(result) == [("credit", "allowance", 100_000), ("matching", "matching", 10_000)]
    assert result.copay_minor == 40_000
    assert result.lines[1].explanation == (
        "Northwind Learning matches 50% of your share. "
        "Limited by what is left of the program's budget."
    )


def test_matching_without_a_yearly_cap_matches_the_whole_rate() -> None:
    uncapped = rules(matching={"rate_bp": 2500})
    position = ProgramPosition(
        EMPLOYER_ID, "Northwind Learning", uncapped, LearnerFacts(), {"base": 20_000}, 900_000
    )

    result = quote(PriceInput(course(100_000, currency="CAD"), DAY, [position]))

    assert split(result) == [("credit", "base", 20_000), ("matching", "matching", 20_000)]
    assert result.lines[1].explanation == "Northwind Learning matches 25% of your share."


def test_a_learner_may_keep_their_credit_for_later() -> None:
    result = quote(PriceInput(course(150_000, currency="CAD"), DAY, [employer()], use_credit=False))

    assert split(result) == [("matching", "matching", 50_000)]
    assert result.copay_minor == 100_000


def test_credit_granted_stays_usable_after_leaving_but_matching_stops() -> None:
    former = employer(facts=LearnerFacts(member_of_program_org=False))

    result = quote(PriceInput(course(150_000, currency="CAD"), DAY, [former]))

    assert split(result) == [("credit", "allowance", 100_000)]


def test_programs_are_spent_in_the_order_given_after_the_best_subsidy() -> None:
    province = ProgramPosition(uuid.uuid4(), "Province", per_item(), citizen(), {"base": 30_000})
    result = quote(PriceInput(course(150_000, currency="CAD"), DAY, [province, employer()]))

    assert [(line.program_id, line.kind, line.amount_minor) for line in result.lines] == [
        (province.program_id, "subsidy", 10_000),
        (province.program_id, "credit", 30_000),
        (EMPLOYER_ID, "credit", 100_000),
        (EMPLOYER_ID, "matching", 5_000),
    ]
    assert result.copay_minor == 5_000


def test_a_program_in_another_currency_gives_nothing() -> None:
    result = quote(
        PriceInput(
            course(100_000, hours=100, currency="SGD"), DAY, [employer(), skillsfuture(citizen())]
        )
    )

    assert {line.program_id for line in result.lines} == {SF_ID}
    assert result.currency == "SGD"


def test_a_price_without_a_currency_is_in_the_first_program_s() -> None:
    result = quote(
        PriceInput(course(100_000, currency=None), DAY, [employer(), skillsfuture(citizen())])
    )

    assert result.currency == "CAD"
    assert {line.program_id for line in result.lines} == {EMPLOYER_ID}
    assert quote(PriceInput(course(100_000, currency=None), DAY, [])) == Quote(
        100_000, "", (), 100_000
    )


def test_items_outside_the_program_get_nothing_from_it() -> None:
    document = rules(
        eligible_items={"tags": ["healthcare"]},
        subsidies=[{"code": "s", "name": "S", "rate_bp": 5000}],
    )
    position = ProgramPosition(uuid.uuid4(), "Care fund", document, citizen(), {"base": 50_000})

    assert quote(PriceInput(course(10_000, currency="CAD"), DAY, [position])).lines == ()
    assert (
        len(
            quote(
                PriceInput(
                    course(10_000, currency="CAD", tags=frozenset({"healthcare"})), DAY, [position]
                )
            ).lines
        )
        == 2
    )


def test_amounts_and_rates_are_written_as_the_reader_s_locale_writes_them() -> None:
    assert (format_money(123_456, "SGD"), format_rate(7050)) == ("SGD1,234.56", "70.5%")
    assert format_money(500, "JPY") == "¥500"
    with use_locale("fr"):
        assert format_money(123_456, "SGD") == "1\u202f234,56\xa0$SG"
        assert format_rate(7000) == "70\xa0%"


# Properties ------------------------------------------------------------------------------

TAGS = ("a", "b", "c")
filters = st.sampled_from(
    [
        {"all": True},
        {"tags": ["a"]},
        {"tags": ["b", "c"]},
        {"specifications": ["listed"]},
        {"specifications": ["other"]},
    ]
)
residencies = st.sampled_from(list(Residency))


@st.composite
def program_rules(draw: st.DrawFn, currency: str) -> ProgramRules:
    codes = draw(st.lists(st.sampled_from(["t1", "t2", "t3", "t4"]), unique=True, max_size=4))
    tiers = [{"code": code, "name": code, "items": draw(st.none() | filters)} for code in codes]
    subsidies = [
        {
            "code": f"s{index}",
            "name": f"Subsidy {index}",
            "rate_bp": draw(st.integers(0, 10_000)),
            "cap_per_hour_minor": draw(st.none() | st.integers(0, 5_000)),
            "cap_per_item_minor": draw(st.none() | st.integers(0, 100_000)),
            "eligibility": {
                "residency": draw(st.none() | st.lists(residencies, min_size=1, unique=True))
            },
            "items": draw(filters),
        }
        for index in range(draw(st.integers(0, 3)))
    ]
    matching = draw(
        st.none()
        | st.fixed_dictionaries(
            {
                "rate_bp": st.integers(0, 10_000),
                "cap_per_year_minor": st.none() | st.integers(0, 100_000),
                "items": filters,
            }
        )
    )
    return ProgramRules.model_validate(
        {
            "currency": currency,
            "tiers": tiers,
            "deduction_order": draw(st.permutations(codes)),
            "eligible_items": draw(filters),
            "subsidies": subsidies,
            "matching": matching,
            "max_credit_per_item_minor": draw(st.none() | st.integers(0, 200_000)),
        }
    )


@st.composite
def positions(draw: st.DrawFn) -> ProgramPosition:
    document = draw(program_rules(draw(st.sampled_from(["CAD", "CAD", "EUR"]))))
    return ProgramPosition(
        program_id=uuid.uuid4(),
        program_name="Program",
        rules=document,
        facts=LearnerFacts(residency=draw(st.none() | residencies)),
        balances={tier.code: draw(st.integers(-100, 200_000)) for tier in document.tiers},
        matched_this_year_minor=draw(st.integers(0, 120_000)),
        budget_left_minor=draw(st.none() | st.integers(-100, 300_000)),
    )


items = st.builds(
    CatalogueItem,
    specification_id=st.just(uuid.uuid5(uuid.NAMESPACE_URL, "listed")),
    slug=st.sampled_from(["listed", "unlisted"]),
    tags=st.frozensets(st.sampled_from(TAGS)),
    hours=st.none()
    | st.floats(min_value=0.5, max_value=200, allow_nan=False).map(lambda h: round(h, 2)),
    price_minor=st.integers(0, 500_000),
    currency=st.just("CAD"),
)


@settings(max_examples=100, deadline=None)
@given(items, st.lists(positions(), max_size=3), st.booleans())
def test_a_quote_always_adds_up_and_respects_every_limit(
    item: CatalogueItem, programs: list[ProgramPosition], use_credit: bool
) -> None:
    result = quote(PriceInput(item, DAY, programs, use_credit))
    by_id = {program.program_id: program for program in programs}

    assert sum(line.amount_minor for line in result.lines) + result.copay_minor == item.price_minor
    assert result.copay_minor >= 0
    assert all(line.amount_minor > 0 for line in result.lines)
    assert len([line for line in result.lines if line.kind == "subsidy"]) <= 1
    for line in result.lines:
        program = by_id[line.program_id]
        assert program.rules.currency == "CAD"
        assert item_allowed(program.rules.eligible_items, item)
        check_line(line, program, item, use_credit)
    for program in programs:
        given_total = sum(
            line.amount_minor for line in result.lines if line.program_id == program.program_id
        )
        if program.budget_left_minor is not None:
            assert given_total <= max(0, program.budget_left_minor)
        credit = sum(
            line.amount_minor
            for line in result.lines
            if line.program_id == program.program_id and line.kind == "credit"
        )
        if program.rules.max_credit_per_item_minor is not None:
            assert credit <= program.rules.max_credit_per_item_minor


@settings(max_examples=200, deadline=None)
@given(items, st.lists(positions(), max_size=3), st.booleans())
# The shipped rules with every cap the subsidy has: per hour (2 hours), then a program's
# budget left under a per-item cap.
@example(course(100_000, hours=2), [skillsfuture(citizen(date(1980, 1, 1))), employer()], True)
@example(
    course(100_000, currency="CAD"),
    [ProgramPosition(SF_ID, "Province", per_item(), citizen(), {}, 0, 4_000)],
    False,
)
def test_the_subsidy_alone_is_the_quote_s_subsidy_line(
    item: CatalogueItem, programs: list[ProgramPosition], use_credit: bool
) -> None:
    """A plan nets each offering of ``best_subsidy``; enrolment charges the quote's line."""
    price = PriceInput(item, DAY, programs, use_credit)
    line = next((line for line in quote(price).lines if line.kind == "subsidy"), None)

    assert best_subsidy(price) == line


def check_line(
    line: QuoteLine, program: ProgramPosition, item: CatalogueItem, use_credit: bool
) -> None:
    rules_ = program.rules
    if line.kind == "subsidy":
        subsidy = next(rule for rule in rules_.subsidies if rule.code == line.rule_code)
        assert item_allowed(subsidy.items, item)
        assert line.amount_minor <= item.price_minor * subsidy.rate_bp // 10_000
        if subsidy.cap_per_hour_minor is not None:
            assert item.hours is not None
            assert line.amount_minor <= subsidy.cap_per_hour_minor * item.hours + 1e-6
        if subsidy.cap_per_item_minor is not None:
            assert line.amount_minor <= subsidy.cap_per_item_minor
        allowed = subsidy.eligibility.residency
        assert allowed is None or program.facts.residency in allowed
    elif line.kind == "credit":
        assert use_credit
        assert line.tier is not None
        tier = rules_.tier(line.tier)
        assert tier.items is None or item_allowed(tier.items, item)
        assert line.amount_minor <= program.balances[line.tier]
    else:
        assert rules_.matching is not None
        assert item_allowed(rules_.matching.items, item)
        assert line.amount_minor <= item.price_minor * rules_.matching.rate_bp // 10_000
        if rules_.matching.cap_per_year_minor is not None:
            assert (
                line.amount_minor
                <= rules_.matching.cap_per_year_minor - program.matched_this_year_minor
            )
