"""Eligibility: a learner sees every criterion they fail, in words, and a blank profile never
qualifies for a criterion that needs it; item filters admit what they name."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from cairn.accounts.eligibility import (
    LearnerFacts,
    age_on,
    birthday,
    check_age_band,
    check_eligibility,
)
from cairn.accounts.enums import EmploymentStatus, IncomeBand, Residency
from cairn.accounts.items import item_allowed
from cairn.accounts.rules import AllItems, Eligibility, ListedItems, TaggedItems
from cairn.orgs.enums import RegionType, SizeBand
from tests.accounts.documents import citizen, course

DAY = date(2026, 12, 4)


def messages(eligibility: Eligibility, facts: LearnerFacts, on: date = DAY) -> dict[str, str]:
    return {
        unmet.criterion: str(unmet.message) for unmet in check_eligibility(eligibility, facts, on)
    }


def test_no_criteria_lets_everyone_in_even_with_an_empty_profile() -> None:
    assert check_eligibility(Eligibility(), LearnerFacts(), DAY) == []


def test_age_counts_whole_years_and_turns_on_the_birthday() -> None:
    facts = citizen(date(2001, 12, 4))

    assert age_on(facts, date(2026, 12, 3)) == 24
    assert age_on(facts, DAY) == 25
    assert age_on(LearnerFacts(), DAY) is None
    assert check_eligibility(Eligibility(min_age=25), facts, DAY) == []
    assert messages(Eligibility(min_age=25), facts, date(2026, 12, 3)) == {
        "min_age": "You must be 25 or older on 2026-12-03; you are 24."
    }


def test_someone_born_on_29_february_ages_on_1_march_in_common_years() -> None:
    leapling = citizen(date(2000, 2, 29))

    assert age_on(leapling, date(2025, 2, 28)) == 24
    assert age_on(leapling, date(2025, 3, 1)) == 25
    assert birthday(date(2000, 2, 29), 25) == date(2025, 3, 1)
    assert birthday(date(2000, 2, 29), 28) == date(2028, 2, 29)
    assert birthday(date(1986, 5, 17), 40) == date(2026, 5, 17)


def test_a_maximum_age_includes_the_whole_year_of_that_age() -> None:
    eligibility = Eligibility(max_age=30)

    assert check_eligibility(eligibility, citizen(date(1995, 12, 5)), DAY) == []
    assert messages(eligibility, citizen(date(1995, 12, 4))) == {
        "max_age": "You must be 30 or younger on 2026-12-04; you are 31."
    }


def test_an_unknown_birth_date_fails_age_criteria_saying_it_is_missing() -> None:
    found = messages(Eligibility(min_age=25, max_age=64), citizen(born=None))

    assert found == {
        "min_age": "Your date of birth is not recorded; it is needed to check that you are 25 or older.",
        "max_age": "Your date of birth is not recorded; it is needed to check that you are 64 or younger.",
    }


def test_a_grant_age_band_is_judged_like_a_program_one() -> None:
    facts = citizen(date(1990, 1, 1))

    assert check_age_band(None, None, facts, DAY) == []
    assert [unmet.criterion for unmet in check_age_band(40, None, facts, DAY)] == ["min_age"]


def test_residency_names_what_qualifies_and_what_the_learner_has() -> None:
    eligibility = Eligibility(residency=[Residency.CITIZEN, Residency.PERMANENT_RESIDENT])

    assert check_eligibility(eligibility, citizen(), DAY) == []
    visitor = LearnerFacts(residency=Residency.TEMPORARY_RESIDENT)
    assert messages(eligibility, visitor) == {
        "residency": "Your residency status must be Citizen or Permanent resident; it is Temporary resident."
    }
    assert messages(eligibility, LearnerFacts()) == {
        "residency": "Your residency status is not recorded; it must be Citizen or Permanent resident."
    }


@pytest.mark.parametrize(
    ("eligibility", "qualifies", "fails", "words"),
    [
        (
            Eligibility(employment_status=[EmploymentStatus.UNEMPLOYED]),
            LearnerFacts(employment_status=EmploymentStatus.UNEMPLOYED),
            LearnerFacts(employment_status=EmploymentStatus.EMPLOYED),
            "Your employment status must be Unemployed; it is Employed.",
        ),
        (
            Eligibility(income_band=[IncomeBand.LOW, IncomeBand.MIDDLE]),
            LearnerFacts(income_band=IncomeBand.MIDDLE),
            LearnerFacts(income_band=IncomeBand.HIGH),
            "Your income band must be Low income or Middle income; it is High income.",
        ),
        (
            Eligibility(region_type=[RegionType.RURAL, RegionType.REMOTE]),
            LearnerFacts(region_type=RegionType.REMOTE),
            LearnerFacts(region_type=RegionType.URBAN),
            "The type of region you live in must be Rural or Remote; it is Urban.",
        ),
        (
            Eligibility(employer_size=[SizeBand.MICRO, SizeBand.SMALL]),
            LearnerFacts(employer_size=SizeBand.SMALL),
            LearnerFacts(employer_size=SizeBand.LARGE),
            "Your employer's size must be Micro (fewer than 10 people) or Small (10 to 49 "
            "people); it is Large (250 people or more).",
        ),
    ],
)
def test_listed_criteria_admit_only_their_values(
    eligibility: Eligibility, qualifies: LearnerFacts, fails: LearnerFacts, words: str
) -> None:
    assert check_eligibility(eligibility, qualifies, DAY) == []
    assert list(messages(eligibility, fails).values()) == [words]
    assert "is not recorded" in next(iter(messages(eligibility, LearnerFacts()).values()))


def test_employer_programs_are_for_the_running_organisation_s_members() -> None:
    eligibility = Eligibility(employees_of_program_org=True)

    assert check_eligibility(eligibility, LearnerFacts(member_of_program_org=True), DAY) == []
    assert messages(eligibility, LearnerFacts()) == {
        "employees_of_program_org": "Only employees of the organisation running the program qualify."
    }


def test_other_profile_attributes_must_hold_one_of_their_values() -> None:
    eligibility = Eligibility(attributes={"indigenous_identity": ["yes"]})

    assert (
        check_eligibility(eligibility, LearnerFacts(attributes={"indigenous_identity": "yes"}), DAY)
        == []
    )
    assert messages(
        eligibility, LearnerFacts(attributes={"indigenous_identity": "prefer_not_to_say"})
    ) == {
        "attributes.indigenous_identity": "Your “indigenous identity” must be Yes; it is Prefer not to say."
    }
    assert messages(eligibility, LearnerFacts()) == {
        "attributes.indigenous_identity": "Your “indigenous identity” is not recorded; it must be Yes."
    }


def test_every_unmet_criterion_is_reported_at_once() -> None:
    eligibility = Eligibility(
        min_age=25,
        residency=[Residency.CITIZEN],
        employees_of_program_org=True,
        attributes={"veteran": ["yes"]},
    )
    young_visitor = LearnerFacts(birth_date=date(2005, 1, 1), residency=Residency.NON_RESIDENT)

    assert [unmet.criterion for unmet in check_eligibility(eligibility, young_visitor, DAY)] == [
        "min_age",
        "residency",
        "employees_of_program_org",
        "attributes.veteran",
    ]


def test_item_filters_admit_all_listed_or_tagged_items() -> None:
    item = course(tags=frozenset({"mid-career", "digital"}), slug="cloud-basics")

    assert item_allowed(AllItems(all=True), item)
    assert item_allowed(ListedItems(specifications=["cloud-basics"]), item)
    assert item_allowed(ListedItems(specifications=[str(item.specification_id)]), item)
    assert not item_allowed(ListedItems(specifications=[str(uuid.uuid4()), "other"]), item)
    assert item_allowed(TaggedItems(tags=["healthcare", "mid-career"]), item)
    assert not item_allowed(TaggedItems(tags=["healthcare"]), item)
    assert not item_allowed(TaggedItems(tags=["digital"]), course())
