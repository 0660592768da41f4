"""Skills suggested from a learner's CV: suggestions that say what the profile holds
already, claims recorded as the learner's own self-assessment (never as verified), only
for themself and only in frameworks they can see, and the CV itself never stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence
from cairn.config import get_settings
from cairn.kit.actor import Actor, Scope
from cairn.kit.clock import utcnow
from cairn.kit.db import Base
from cairn.kit.errors import InsufficientScope, InvalidInput, PermissionDenied
from cairn.orgs.models import Person
from cairn.profiles import cv_suggestions
from cairn.profiles import service as profiles_service
from tests.factories.intelligence import LinkableFramework, make_linkable_framework
from tests.factories.orgs import actor, make_member, make_org

CV = (
    "Five years as a line cook; prepared meals for 200 covers a night and trained new "
    "staff.\nServed customers at the pass and handled complaints.\n"
    "Kept the books in Excel."
)
PRIVATE_WORDS = "for 200 covers a night"
"""Words of the CV no skill is named by: finding them anywhere means the CV was kept."""


def rows_containing(session: Session, words: str) -> list[str]:
    """Every table whose rows hold ``words`` in any column, read as text."""
    session.flush()
    found = []
    for table in Base.metadata.sorted_tables:
        columns = [cast(column, String).contains(words) for column in table.columns]
        if session.scalar(select(func.count()).select_from(table).where(or_(*columns))):
            found.append(table.name)
    return found


def files_containing(words: str) -> list[Path]:
    """Files Cairn keeps beside the database (embeddings, uploads) that hold ``words``."""
    data_dir = get_settings().data_dir
    return [
        path
        for path in data_dir.rglob("*")
        if path.is_file() and ".db" not in path.name and words.encode() in path.read_bytes()
    ]


def assert_cv_not_stored(session: Session) -> None:
    assert rows_containing(session, PRIVATE_WORDS) == []
    assert files_containing(PRIVATE_WORDS) == []


@pytest.fixture
def linkable(session: Session) -> LinkableFramework:
    return make_linkable_framework(session)


@pytest.fixture
def learner(session: Session) -> Person:
    return make_member(session, make_org(session))


def test_a_cv_suggests_skills_saying_which_the_profile_holds_already(
    session: Session, linkable: LinkableFramework, learner: Person
) -> None:
    cooking = linkable.skill_id("cook meals")
    session.add(
        Evidence(
            person_id=learner.id,
            skill_id=cooking,
            level=2,
            source=EvidenceSource.SELF_ASSESSMENT,
            observed_at=utcnow() - timedelta(days=30),
            confidence=0.5,
        )
    )
    session.flush()

    found = cv_suggestions.suggest_from_cv(
        session, actor(session, learner), text=CV, framework=linkable.framework.slug
    )

    assert found.framework.id == linkable.framework.id
    by_label = {item.skill.preferred_label: item for item in found.items}
    assert {"cook meals", "customer service", "use spreadsheets software"} <= set(by_label)
    assert len(by_label) == len(found.items)  # each skill once
    for item in found.items:
        assert CV[item.start : item.end] == item.quote
    assert "Excel" in by_label["use spreadsheets software"].quote
    assert by_label["cook meals"].has_evidence
    assert by_label["cook meals"].default_level == 2  # a claim does not lower it
    assert by_label["cook meals"].current_level_label == "Practised"
    spreadsheets = by_label["use spreadsheets software"]
    assert not spreadsheets.has_evidence
    assert spreadsheets.default_level == 1
    assert [(level.rank, level.label) for level in spreadsheets.levels] == [
        (1, "Beginner"),
        (2, "Practised"),
        (3, "Expert"),
    ]
    assert_cv_not_stored(session)


def test_claims_are_self_reported_evidence_from_the_cv_never_verified(
    session: Session, linkable: LinkableFramework, learner: Person
) -> None:
    me = actor(session, learner)
    spreadsheets = linkable.skill_id("use spreadsheets software")
    service = linkable.skill_id("customer service")

    evidence = cv_suggestions.claim_skills(
        session, me, [(spreadsheets, None), (service, 3)], source_note="From my CV"
    )

    assert [(e.skill_id, e.level) for e in evidence] == [(spreadsheets, 1), (service, 3)]
    for item in evidence:
        assert item.person_id == learner.id
        assert item.source is EvidenceSource.SELF_ASSESSMENT
        assert item.recorded_by_id is None
        assert item.details == {"origin": "cv", "comment": "From my CV"}
    lines = profiles_service.profile(session, me, learner.id)
    assert {line.skill.id: line.merged.source for line in lines} == {
        spreadsheets: EvidenceSource.SELF_ASSESSMENT,
        service: EvidenceSource.SELF_ASSESSMENT,
    }
    sources = set(session.scalars(select(Evidence.source).where(Evidence.person_id == learner.id)))
    assert sources == {EvidenceSource.SELF_ASSESSMENT}
    assert rows_containing(session, "From my CV") == ["evidence"]  # the search finds what is kept


def test_a_skill_of_a_framework_the_learner_cannot_see_is_refused(
    session: Session, linkable: LinkableFramework, learner: Person
) -> None:
    private = make_linkable_framework(session, owner_org_id=make_org(session).id)
    me = actor(session, learner)

    with pytest.raises(InvalidInput) as refused:
        cv_suggestions.claim_skills(
            session,
            me,
            [
                (linkable.skill_id("cook meals"), None),
                (private.skill_id("cook meals"), None),
            ],
            source_note="From my CV",
        )
    assert [error.field for error in refused.value.field_errors] == ["items.1.skill_id"]
    with pytest.raises(InvalidInput) as unseen:
        cv_suggestions.suggest_from_cv(session, me, text=CV, framework=private.framework.slug)
    assert [error.field for error in unseen.value.field_errors] == ["framework"]
    assert session.scalars(select(Evidence).where(Evidence.person_id == learner.id)).all() == []


def test_one_refused_item_refuses_them_all_naming_it(
    session: Session, linkable: LinkableFramework, learner: Person
) -> None:
    me = actor(session, learner)
    cooking = linkable.skill_id("cook meals")
    cases: list[tuple[list[tuple[object, int | None]], str]] = [
        ([], "items"),
        ([(cooking, None), (linkable.skill_id("SQL"), 9)], "items.1.level"),
        ([(cooking, 1), (cooking, 2)], "items.1.skill_id"),
    ]
    for items, field in cases:
        with pytest.raises(InvalidInput) as refused:
            cv_suggestions.claim_skills(session, me, items, source_note="x")  # type: ignore[arg-type]
        assert [error.field for error in refused.value.field_errors] == [field]
    assert session.scalars(select(Evidence).where(Evidence.person_id == learner.id)).all() == []


def test_only_a_person_with_the_assessment_scopes_acts_and_only_for_themself(
    session: Session, linkable: LinkableFramework, learner: Person
) -> None:
    skill = linkable.skill_id("cook meals")
    with pytest.raises(PermissionDenied):
        cv_suggestions.suggest_from_cv(session, Actor.operator(), text=CV)
    with pytest.raises(PermissionDenied):
        cv_suggestions.claim_skills(session, Actor.operator(), [(skill, None)], source_note="x")
    reader = replace(actor(session, learner), scopes=frozenset({Scope.PROFILE_READ}))
    with pytest.raises(InsufficientScope):
        cv_suggestions.suggest_from_cv(session, reader, text=CV)
    with pytest.raises(InsufficientScope):
        cv_suggestions.claim_skills(session, reader, [(skill, None)], source_note="x")

    other = make_member(session, make_org(session))
    cv_suggestions.claim_skills(session, actor(session, other), [(skill, 2)], source_note="x")
    assert session.scalars(select(Evidence).where(Evidence.person_id == learner.id)).all() == []


def test_a_cv_file_must_be_utf8_plain_text(session: Session) -> None:
    assert cv_suggestions.text_of_file("cv.TXT", "\ufeffCuisinière".encode()) == "Cuisinière"
    refusals = {
        "cv.pdf": b"%PDF-1.7 ...",
        "cv.docx": b"PK\x03\x04",
        "cv.txt": "Cuisinière".encode("latin-1"),
        "binary.txt": b"line cook\x00\x01",
        "huge.txt": b"a" * (cv_suggestions.MAX_FILE_BYTES + 1),
    }
    messages = {}
    for name, data in refusals.items():
        with pytest.raises(InvalidInput) as refused:
            cv_suggestions.text_of_file(name, data)
        assert [error.field for error in refused.value.field_errors] == ["file"]
        messages[name] = str(refused.value)
    assert "paste" in messages["cv.pdf"]
    assert "UTF-8" in messages["cv.txt"]
