"""The linker on real ESCO and real-looking sentences: the obvious skills come first."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from cairn.intelligence import service
from cairn.kit.actor import Actor
from cairn.taxonomy.models import Framework


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Strong knowledge of SQL and relational databases is required.", "SQL"),
        ("You will operate a forklift to load and unload deliveries.", "forklift"),
        ("Administer medication to residents and record it accurately.", "medication"),
        ("Fluent written and spoken French is essential for this role.", "French"),
        ("Develop web applications in Python with Django.", "Python"),
        ("Provide excellent customer service at the front desk.", "customer service"),
    ],
)
def test_the_obvious_skill_of_a_sentence_is_among_the_first_three(
    session: Session, esco: Framework, sentence: str, expected: str
) -> None:
    """``expected`` is a word any right answer's label holds: ESCO has several skills
    for French, medication or forklifts, and any of them is a right answer."""
    found = service.suggest_skills(
        session, Actor.operator(), text=sentence, framework="esco@v1.2.0", top=3
    )
    labels = [item.label for item in found.items]
    assert any(expected in label for label in labels), labels


def test_a_multi_line_ad_yields_a_skill_per_line_with_its_words(
    session: Session, esco: Framework
) -> None:
    ad = "Line cook\n- Prepare meals for 200 covers\n- Keep the kitchen clean\n- Speak French"
    found = service.suggest_skills(session, Actor.operator(), text=ad, framework="esco@v1.2.0")
    quotes = {item.label: item.quote for item in found.items}
    assert "French" in quotes
    assert quotes["French"] == "French"
    assert any("meal" in item.label for item in found.items)
