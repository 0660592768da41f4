"""Suggestions from free text and job titles, through the service a page, the API and
the CLI share."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from cairn.intelligence import service
from cairn.intelligence.errors import EmbeddingsMissing, EmptyText
from cairn.kit.actor import Actor
from cairn.kit.errors import InvalidInput
from tests.factories.intelligence import make_linkable_framework
from tests.factories.taxonomy import make_framework, make_skill


def test_a_job_ad_names_its_skills(session: Session) -> None:
    linkable = make_linkable_framework(session)
    ad = (
        "Warehouse associate wanted.\n"
        "- Drive a forklift safely in a busy warehouse\n"
        "- Keep stock lists in Excel\n"
        "- Serve customers at the trade counter"
    )
    found = service.suggest_skills(
        session, Actor.operator(), text=ad, framework=linkable.framework.slug
    )
    labels = {item.label for item in found.items}
    assert {"forklift operation", "use spreadsheets software", "customer service"} <= labels
    forklift = next(item for item in found.items if item.label == "forklift operation")
    assert forklift.quote in ad
    assert ad[forklift.start : forklift.end] == forklift.quote
    assert "forklift" in forklift.quote.lower()


def test_a_job_title_finds_its_occupation_through_alternative_titles(session: Session) -> None:
    linkable = make_linkable_framework(session)
    found = service.match_title(
        session, Actor.operator(), title="Staff nurse", framework=linkable.framework.slug
    )
    assert found.items[0].label == "registered nurse"
    assert found.items[0].matched_label == "staff nurse"


@pytest.mark.parametrize("text", ["", "   ", "!!! ---", "\x00\x01binary"])
def test_empty_or_binary_text_is_refused_naming_the_field(session: Session, text: str) -> None:
    linkable = make_linkable_framework(session)
    with pytest.raises(EmptyText) as refused:
        service.suggest_skills(
            session, Actor.operator(), text=text, framework=linkable.framework.slug
        )
    assert refused.value.field_errors[0].field == "text"


def test_an_unknown_framework_is_refused(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        service.suggest_skills(session, Actor.operator(), text="Cook meals", framework="nope")
    assert "nope" in str(refused.value)


def test_a_framework_without_embeddings_says_how_to_build_them(session: Session) -> None:
    framework = make_framework(session, slug="fresh")
    make_skill(session, framework, "cook meals")
    session.flush()
    with pytest.raises(EmbeddingsMissing) as refused:
        service.suggest_skills(session, Actor.operator(), text="Cook meals", framework="fresh")
    assert "cairn skills index --framework fresh@1.0" in str(refused.value)
