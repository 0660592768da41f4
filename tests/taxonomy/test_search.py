"""Skill search over ESCO as people type: precise words, plurals, typos, filters."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from cairn.kit.actor import Actor
from cairn.kit.errors import InvalidInput
from cairn.taxonomy import service
from cairn.taxonomy.enums import SkillType
from cairn.taxonomy.models import Framework
from cairn.taxonomy.service import SkillQuery


def labels(session: Session, text: str, **options: object) -> list[str]:
    query = SkillQuery(text=text, framework="esco", **options)  # type: ignore[arg-type]
    return [
        skill.preferred_label for skill in service.search_skills(session, Actor.operator(), query)
    ]


@pytest.mark.usefixtures("esco")
@pytest.mark.parametrize(
    ("query", "expected", "within"),
    [
        ("python programming", "Python (computer programming)", 3),
        ("spreadsheet", "use spreadsheets software", 3),
        ("pyhton", "Python (computer programming)", 1),
        ("spredsheet software", "use spreadsheets software", 1),
        ("manage budgets", "manage budgets", 1),
        ("machine learning", "machine learning", 1),
        ("JavaScript", "JavaScript", 1),
        ("wound dressing", "apply wound dressings", 1),
    ],
)
def test_the_skill_people_mean_is_near_the_top(
    session: Session, query: str, expected: str, within: int
) -> None:
    assert expected in labels(session, query, limit=10)[:within]


@pytest.mark.usefixtures("esco")
def test_alternative_labels_are_searched(session: Session) -> None:
    # "Python 3K" is only an alternative label of Python (computer programming).
    assert labels(session, "python 3k")[:1] == ["Python (computer programming)"]


def test_filters_narrow_by_type_and_collection(session: Session, esco: Framework) -> None:
    knowledge = service.search_skills(
        session,
        Actor.operator(),
        SkillQuery(text="programming", framework="esco", skill_type=SkillType.KNOWLEDGE, limit=20),
    )
    assert knowledge
    assert {skill.skill_type for skill in knowledge} == {SkillType.KNOWLEDGE}

    green = labels(session, "waste", collection="green", limit=20)
    anywhere = labels(session, "waste", limit=20)
    assert green
    assert set(green) != set(anywhere[: len(green)]) or len(green) < len(anywhere)


@pytest.mark.usefixtures("esco")
def test_nonsense_finds_nothing_rather_than_anything(session: Session) -> None:
    assert labels(session, "zzqxv") == []
    assert labels(session, "   ") == []


@pytest.mark.usefixtures("esco")
def test_unknown_framework_and_collection_name_the_field(session: Session) -> None:
    with pytest.raises(InvalidInput) as failure:
        service.search_skills(session, Actor.operator(), SkillQuery(text="x", framework="nope"))
    assert failure.value.field_errors[0].field == "framework"
    with pytest.raises(InvalidInput) as failure:
        labels(session, "x", collection="nope")
    assert failure.value.field_errors[0].field == "collection"
