"""Program rules documents: the shipped examples say what their programs promise, a document
survives a round trip through JSON, and a faulty document is refused with an error that
names the field and says what is wrong."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from cairn.accounts.rules import (
    AllItems,
    Annually,
    ExpiresAfterMonths,
    ExpiresAtEndOfYear,
    ExpiresOn,
    GrantRule,
    ListedItems,
    OnBirthday,
    OnDate,
    ProgramRules,
    TaggedItems,
    Tier,
    example_rules,
)
from cairn.kit.validation import field_errors
from tests.accounts.documents import rules


def errors(document: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ValidationError) as raised:
        ProgramRules.model_validate(document)
    return {error.field: str(error.message) for error in field_errors(raised.value)}


def program(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "currency": "SGD",
        "tiers": [{"code": "base", "name": "Base"}, {"code": "extra", "name": "Extra"}],
        "deduction_order": ["extra", "base"],
    }
    document.update(overrides)
    return document


def test_skillsfuture_example_has_its_tiers_subsidies_and_order() -> None:
    skillsfuture = example_rules("skillsfuture")

    assert skillsfuture.currency == "SGD"
    assert "illustrative" in (skillsfuture.description or "")
    assert skillsfuture.deduction_order == ["topup-2020", "mid-career", "base"]
    assert skillsfuture.tier("topup-2020").expiry == ExpiresOn(on=date(2025, 12, 31))
    assert skillsfuture.tier("base").expiry is None
    assert skillsfuture.tier("mid-career").items == TaggedItems(tags=["mid-career"])
    grants = {grant.code: grant for grant in skillsfuture.grants}
    assert grants["base"].amount_minor == 50_000
    assert grants["topup-2020"].trigger == OnDate(
        on_date=date(2020, 10, 1), include_later_joiners=True
    )
    assert grants["mid-career"].amount_minor == 400_000
    assert grants["mid-career"].trigger == OnBirthday(on_birthday=40)
    rates = {subsidy.code: subsidy.rate_bp for subsidy in skillsfuture.subsidies}
    assert rates == {"baseline-citizen": 7000, "baseline-pr": 5000, "mces": 9000}
    assert all(subsidy.cap_per_hour_minor for subsidy in skillsfuture.subsidies)


def test_employer_example_grants_a_yearly_allowance_and_matches_half() -> None:
    employer = example_rules("employer_matching")

    assert employer.currency == "CAD"
    assert employer.eligibility.employees_of_program_org
    assert employer.tier("allowance").expiry == ExpiresAtEndOfYear(end_of_year=True)
    assert employer.grants[0].trigger == Annually(annually="01-01")
    assert employer.grants[0].amount_minor == 100_000
    assert employer.matching is not None
    assert (employer.matching.rate_bp, employer.matching.cap_per_year_minor) == (5000, 50_000)


def test_an_unknown_example_is_refused() -> None:
    with pytest.raises(KeyError):
        example_rules("../secrets")


def test_a_document_survives_a_round_trip_through_json() -> None:
    for name in ("skillsfuture", "employer_matching"):
        document = example_rules(name)
        assert ProgramRules.model_validate_json(document.model_dump_json()) == document


def test_each_shape_is_told_apart_by_its_key() -> None:
    document = rules(
        tiers=[
            {"code": "a", "name": "A", "expiry": {"on": "2030-01-31"}},
            {"code": "b", "name": "B", "expiry": {"months_after_grant": 18}},
            {"code": "c", "name": "C", "items": {"specifications": ["intro-to-care"]}},
        ],
        grants=[],
        deduction_order=["a", "b", "c"],
        eligible_items={"all": True},
    )

    assert document.tier("a").expiry == ExpiresOn(on=date(2030, 1, 31))
    assert document.tier("b").expiry == ExpiresAfterMonths(months_after_grant=18)
    assert document.tier("c").items == ListedItems(specifications=["intro-to-care"])
    assert document.eligible_items == AllItems(all=True)
    assert [tier.code for tier in document.ordered_tiers()] == ["a", "b", "c"]


def test_rules_can_be_built_in_python_from_their_parts() -> None:
    tier = Tier(code="allowance", name="Allowance", expiry=ExpiresAtEndOfYear(end_of_year=True))
    grant = GrantRule(
        code="yearly", tier="allowance", amount_minor=1, trigger=Annually(annually="01-01")
    )

    document = ProgramRules(
        currency="CAD", tiers=[tier], grants=[grant], deduction_order=["allowance"]
    )

    assert document.tier("allowance").expiry == ExpiresAtEndOfYear(end_of_year=True)
    assert document.grants[0].trigger == Annually(annually="01-01")


def test_specification_ids_are_kept_in_one_spelling() -> None:
    spec = uuid.uuid4()
    document = rules(eligible_items={"specifications": [str(spec).upper(), "care-basics"]})

    assert document.eligible_items == ListedItems(specifications=[str(spec), "care-basics"])


def test_a_program_needs_no_tiers_and_spends_nothing_by_default() -> None:
    subsidy_only = ProgramRules.model_validate({"currency": "EUR"})

    assert (subsidy_only.tiers, subsidy_only.deduction_order, subsidy_only.matching) == (
        [],
        [],
        None,
    )
    assert subsidy_only.eligible_items == AllItems(all=True)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"currency": "XYZ"}, "currency", "“XYZ” is not an ISO 4217 currency"),
        ({"currency": "sgd"}, "currency", "“sgd” is not an ISO 4217 currency"),
        (
            {"tiers": [{"code": "base", "name": "A"}, {"code": "base", "name": "B"}]},
            "tiers",
            "Two tiers have the code “base”",
        ),
        (
            {"deduction_order": ["extra", "base", "bonus"]},
            "deduction_order",
            "names “bonus”, which is not a tier",
        ),
        ({"deduction_order": ["base"]}, "deduction_order", "leaves out the tiers “extra”"),
        ({"deduction_order": ["base", "extra", "base"]}, "deduction_order", "“base” twice"),
        (
            {
                "grants": [
                    {"code": "g", "tier": "gold", "amount_minor": 1, "trigger": {"on_join": True}}
                ]
            },
            "grants",
            "The grant “g” names the tier “gold”, which is not defined",
        ),
        (
            {
                "grants": [
                    {"code": "g", "tier": "base", "amount_minor": 1, "trigger": {"on_join": True}},
                    {"code": "g", "tier": "extra", "amount_minor": 1, "trigger": {"on_join": True}},
                ]
            },
            "grants",
            "Two grants have the code “g”",
        ),
        (
            {
                "grants": [
                    {"code": "g", "tier": "base", "amount_minor": -5, "trigger": {"on_join": True}}
                ]
            },
            "grants.0.amount_minor",
            "at least 1",
        ),
        (
            {
                "grants": [
                    {
                        "code": "g",
                        "tier": "base",
                        "amount_minor": 5,
                        "trigger": {"on_join": True},
                        "min_age": 60,
                        "max_age": 30,
                    }
                ]
            },
            "grants.0.max_age",
            "The maximum age (30) is below the minimum age (60)",
        ),
        (
            {
                "grants": [
                    {
                        "code": "g",
                        "tier": "base",
                        "amount_minor": 5,
                        "trigger": {"annually": "02-29"},
                    }
                ]
            },
            "grants.0.trigger.annually.annually",
            "a day that comes every year",
        ),
        (
            {
                "grants": [
                    {
                        "code": "g",
                        "tier": "base",
                        "amount_minor": 5,
                        "trigger": {"annually": "1 Jan"},
                    }
                ]
            },
            "grants.0.trigger.annually.annually",
            "MM-DD",
        ),
        (
            {
                "grants": [
                    {"code": "g", "tier": "base", "amount_minor": 5, "trigger": {"monthly": 1}}
                ]
            },
            "grants.0.trigger",
            "'on_join', 'on_date', 'annually', 'on_birthday'",
        ),
        (
            {
                "tiers": [{"code": "base", "name": "Base", "expiry": {}}],
                "deduction_order": ["base"],
            },
            "tiers.0.expiry",
            "'on', 'months_after_grant', 'end_of_year'",
        ),
        (
            {"tiers": [{"code": "Base Tier", "name": "Base"}], "deduction_order": []},
            "tiers.0.code",
            "lower-case letters",
        ),
        (
            {"subsidies": [{"code": "s", "name": "S", "rate_bp": 10_001}]},
            "subsidies.0.rate_bp",
            "at most 10000",
        ),
        (
            {"subsidies": [{"code": "s", "name": "S", "rate_bp": -1}]},
            "subsidies.0.rate_bp",
            "at least 0",
        ),
        (
            {"subsidies": [{"code": "s", "name": "S", "rate_bp": 50, "cap_per_hour_minor": -1}]},
            "subsidies.0.cap_per_hour_minor",
            "at least 0",
        ),
        (
            {
                "subsidies": [
                    {"code": "s", "name": "S", "rate_bp": 5000},
                    {"code": "s", "name": "T", "rate_bp": 7000},
                ]
            },
            "subsidies",
            "Two subsidies have the code “s”",
        ),
        ({"matching": {"rate_bp": 20_000}}, "matching.rate_bp", "at most 10000"),
        ({"matching": {"rate_bp": 5000, "basis": "price"}}, "matching.basis", "listed options"),
        ({"max_credit_per_item_minor": -1}, "max_credit_per_item_minor", "at least 0"),
        (
            {"eligibility": {"min_age": 40, "max_age": 25}},
            "eligibility.max_age",
            "The maximum age (25) is below the minimum age (40)",
        ),
        ({"eligibility": {"residency": []}}, "eligibility.residency", "at least one value"),
        ({"eligibility": {"residency": ["tourist"]}}, "eligibility.residency.0", "listed options"),
        (
            {"eligibility": {"attributes": {"Indigenous Identity": ["yes"]}}},
            "eligibility.attributes",
            "“Indigenous Identity” is not an attribute name",
        ),
        (
            {"eligibility": {"attributes": {"disability": []}}},
            "eligibility.attributes",
            "at least one value for the attribute “disability”",
        ),
        (
            {"eligible_items": {"specifications": ["Not a slug!"]}},
            "eligible_items.specifications.specifications",
            "“Not a slug!” is neither a specification id nor a slug",
        ),
        ({"eligible_items": {"tags": []}}, "eligible_items.tags.tags", ""),
        ({"eligibility": {"age": 25}}, "eligibility.age", "not expected"),
        ({"version": 2}, "version", "listed options"),
    ],
)
def test_a_faulty_document_is_refused_naming_the_field(
    overrides: dict[str, Any], field: str, words: str
) -> None:
    found = errors(program(**overrides))

    assert field in found, found
    assert words in found[field]


def test_two_shapes_at_once_are_refused() -> None:
    found = errors(
        program(
            tiers=[
                {
                    "code": "base",
                    "name": "Base",
                    "expiry": {"on": "2030-01-01", "end_of_year": True},
                }
            ]
        )
    )

    assert found["tiers.0.expiry.on.end_of_year"] == "This field is not expected."


def test_grants_and_the_order_are_not_checked_against_refused_tiers() -> None:
    found = errors(
        program(
            tiers=[{"code": "base", "name": ""}],
            grants=[{"code": "g", "tier": "base", "amount_minor": 1, "trigger": {"on_join": True}}],
        )
    )

    assert list(found) == ["tiers.0.name"]


def test_rules_cannot_be_changed_once_checked() -> None:
    document = rules()

    with pytest.raises(ValidationError):
        document.currency = "USD"  # type: ignore[misc]
