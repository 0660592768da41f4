"""A program's rules read as sentences on its page, never as raw JSON."""

from __future__ import annotations

from cairn.accounts.rules import ProgramRules, example_rules
from cairn.accounts.rules_words import describe


def test_the_skillsfuture_rules_in_words() -> None:
    words = describe(example_rules("skillsfuture"))

    assert words.eligibility == ["Aged 21 or older.", "Residency: Citizen or Permanent resident."]
    assert words.tiers[1] == "SkillsFuture Credit top-up (2020): usable until 2025-12-31."
    assert words.tiers[2].endswith("Pays only for items tagged mid-career.")
    assert words.grants[0].startswith("SGD500.00 into SkillsFuture Credit on the birthday")
    assert "on 2020-10-01, or on joining later" in words.grants[1]
    assert words.subsidies[0] == (
        "Baseline course-fee subsidy: 70% of the price, at most SGD25.00 an hour. "
        "Only for: Residency: Citizen."
    )
    assert (words.items, words.matching) == ("every catalogue item", None)
    assert words.deduction_order.startswith("SkillsFuture Credit top-up (2020), ")


def test_every_other_shape_in_words() -> None:
    employer = describe(example_rules("employer_matching"))
    rules = ProgramRules.model_validate(
        {
            "currency": "CAD",
            "eligibility": {
                "max_age": 64,
                "employer_size": ["small"],
                "attributes": {"veteran": ["yes"]},
            },
            "tiers": [{"code": "base", "name": "Base", "expiry": {"months_after_grant": 24}}],
            "grants": [
                {"code": "a", "tier": "base", "amount_minor": 100, "trigger": {"on_join": True}},
                {
                    "code": "b",
                    "tier": "base",
                    "amount_minor": 100,
                    "trigger": {"on_date": "2027-01-01"},
                },
            ],
            "eligible_items": {"specifications": ["first-aid"]},
            "subsidies": [
                {"code": "s", "name": "Help", "rate_bp": 5000, "cap_per_item_minor": 1000}
            ],
            "matching": {"rate_bp": 2500},
            "deduction_order": ["base"],
        }
    )
    words = describe(rules)

    assert employer.tiers == [
        "Annual learning allowance: usable until 31 December of the year it is granted."
    ]
    assert employer.grants[0].endswith("every year on 01-01 (MM-DD).")
    assert employer.matching is not None
    assert employer.eligibility == ["Employees of the organisation running the program."]
    assert words.eligibility[0] == "Aged 64 or younger."
    assert words.eligibility[2] == "“veteran”: Yes."
    assert words.tiers == ["Base: usable for 24 months from the day it is granted."]
    assert words.grants[1].endswith("on 2027-01-01.")
    assert words.items == "these specifications: first-aid"
    assert words.subsidies == ["Help: 50% of the price, at most CA$10.00 an item."]
    assert words.matching == "The employer pays 25% of what would be the learner's own share."
