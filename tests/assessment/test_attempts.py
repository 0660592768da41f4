"""Taking a test: one question at a time to a result on the skills profile; answers after
the end or the deadline refused; nobody sees another person's test or its answer key."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.assessment import attempts
from cairn.assessment.bank_import import load_builtin_bank
from cairn.assessment.enums import AttemptStatus, CampaignStatus, EvidenceSource, TestMode
from cairn.assessment.irt import even_cut_scores, proficiency_level
from cairn.assessment.models import (
    Attempt,
    Campaign,
    CampaignParticipant,
    Evidence,
    Item,
    ItemBank,
    Response,
)
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, InvalidInput, NotFound
from cairn.kit.progress import NoProgress
from cairn.orgs.models import Organisation
from cairn.profiles import service as profiles_service
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.importers.builtin import load_digital_framework
from cairn.taxonomy.models import Skill
from tests.assessment.answers import right_answer, wrong_answer
from tests.factories.orgs import actor, make_member, make_org


@pytest.fixture
def bank(session: Session) -> ItemBank:
    load_digital_framework(session, progress=NoProgress())
    load_builtin_bank(session, progress=NoProgress())
    found = session.scalar(select(ItemBank).where(ItemBank.slug == "cairn-digital-items"))
    assert found is not None
    return found


@pytest.fixture
def org(session: Session) -> Organisation:
    return make_org(session, name="Harbour Logistics")


@pytest.fixture
def learner(session: Session, org: Organisation) -> Actor:
    return actor(session, make_member(session, org))


def area(session: Session, bank: ItemBank, code: str) -> Skill:
    skill = taxonomy_repository.find_skill_by_code(session, bank.framework_id, code)
    assert skill is not None
    return skill


def take(session: Session, who: Actor, attempt: Attempt, ability: float) -> Attempt:
    """Answer as someone who gets right every question easier than ``ability``."""
    while attempt.status is AttemptStatus.IN_PROGRESS:
        assert attempt.current_item_id is not None
        item = session.get(Item, attempt.current_item_id)
        assert item is not None
        given = right_answer(item) if item.difficulty < ability else wrong_answer(item)
        attempt = attempts.answer(session, who, attempt.id, item.id, given)
    return attempt


def test_an_adaptive_test_ends_in_a_level_recorded_on_the_profile(
    session: Session, bank: ItemBank, learner: Actor
) -> None:
    safety = area(session, bank, "4")
    attempt = attempts.start(session, learner, bank_id=bank.id, scope_skill_id=safety.id)

    finished = take(session, learner, attempt, ability=1.2)

    state = finished.state
    assert finished.status is AttemptStatus.COMPLETED
    assert attempts.SETTINGS.min_length <= len(state["items"]) <= attempts.SETTINGS.max_length
    assert (
        finished.level
        == proficiency_level(finished.theta or 0, finished.se or 0, even_cut_scores(8)).level
    )
    assert abs((finished.theta or 0) - 1.2) < 0.8
    answers = session.scalar(select(func.count()).where(Response.attempt_id == finished.id))
    assert answers == len(state["items"])
    evidence = session.scalars(
        select(Evidence).where(Evidence.person_id == learner.person_id)
    ).all()
    measured = {e.skill_id for e in evidence}
    competences = {uuid.UUID(c) for c in state["competence_counts"]}
    assert measured == competences | {safety.id}
    assert len(competences) == 4, "content balancing visits every competence of the area"
    assert {e.source for e in evidence} == {EvidenceSource.TEST}
    assert {e.level for e in evidence} == {finished.level}
    assert all(e.details["attempt_id"] == str(finished.id) for e in evidence)
    profile = {
        line.skill.id: line
        for line in profiles_service.profile(session, learner, learner.person_id)
    }
    assert profile[safety.id].merged.level == finished.level


def test_stronger_answers_give_a_higher_level(
    session: Session, bank: ItemBank, org: Organisation
) -> None:
    levels = []
    for ability in (-1.5, 1.5):
        who = actor(session, make_member(session, org))
        attempt = attempts.start(session, who, bank_id=bank.id)
        levels.append(take(session, who, attempt, ability).level or 0)
    assert levels[0] + 2 <= levels[1]


def test_an_answer_after_the_test_ended_is_refused_and_changes_nothing(
    session: Session, bank: ItemBank, learner: Actor
) -> None:
    attempt = take(session, learner, attempts.start(session, learner, bank_id=bank.id), 0.0)
    last = session.scalars(
        select(Response).where(Response.attempt_id == attempt.id).order_by(Response.position.desc())
    ).first()
    assert last is not None
    before = session.scalar(select(func.count()).select_from(Response))

    with pytest.raises(Conflict, match="over"):
        attempts.answer(session, learner, attempt.id, last.item_id, {"choice": "a"})

    assert session.scalar(select(func.count()).select_from(Response)) == before


def test_an_answer_after_the_deadline_is_refused(
    session: Session, bank: ItemBank, learner: Actor
) -> None:
    attempt = attempts.start(session, learner, bank_id=bank.id)
    attempt.closes_at = utcnow() - timedelta(minutes=1)
    item = session.get(Item, attempt.current_item_id)
    assert item is not None

    with pytest.raises(Conflict, match="closed"):
        attempts.answer(session, learner, attempt.id, item.id, right_answer(item))
    assert attempt.state["items"] == []


def test_a_resent_answer_to_an_earlier_question_is_refused(
    session: Session, bank: ItemBank, learner: Actor
) -> None:
    attempt = attempts.start(session, learner, bank_id=bank.id)
    first = session.get(Item, attempt.current_item_id)
    assert first is not None
    attempts.answer(session, learner, attempt.id, first.id, right_answer(first))

    with pytest.raises(Conflict, match="already answered"):
        attempts.answer(session, learner, attempt.id, first.id, right_answer(first))
    assert len(attempt.state["items"]) == 1


def test_a_malformed_answer_is_refused_without_recording_anything(
    session: Session, bank: ItemBank, learner: Actor
) -> None:
    attempt = attempts.start(session, learner, bank_id=bank.id)
    assert attempt.current_item_id is not None

    with pytest.raises(InvalidInput):
        attempts.answer(session, learner, attempt.id, attempt.current_item_id, {"nonsense": 1})
    assert attempt.state["items"] == []
    assert session.scalar(select(func.count()).where(Response.attempt_id == attempt.id)) == 0


def test_nobody_else_sees_or_answers_a_persons_test(
    session: Session, bank: ItemBank, learner: Actor, org: Organisation
) -> None:
    attempt = attempts.start(session, learner, bank_id=bank.id)
    colleague = actor(session, make_member(session, org))
    assert attempt.current_item_id is not None

    with pytest.raises(NotFound):
        attempts.view(session, colleague, attempt.id)
    with pytest.raises(NotFound):
        attempts.answer(session, colleague, attempt.id, attempt.current_item_id, {"choice": "a"})


def test_the_question_shown_never_carries_its_answer_key(
    session: Session, bank: ItemBank, learner: Actor
) -> None:
    attempt = attempts.start(session, learner, bank_id=bank.id)
    for _ in range(8):
        question = attempts.view(session, learner, attempt.id).question
        assert question is not None
        assert not attempts.HIDDEN_FIELDS & set(question.content)
        attempts.answer(session, learner, attempt.id, question.item.id, wrong_answer(question.item))


def test_starting_again_resumes_the_unfinished_attempt(
    session: Session, bank: ItemBank, learner: Actor
) -> None:
    first = attempts.start(session, learner, bank_id=bank.id)
    assert attempts.start(session, learner, bank_id=bank.id).id == first.id


def test_a_fixed_form_gives_everyone_the_same_questions_in_order(
    session: Session, bank: ItemBank, org: Organisation
) -> None:
    shown = []
    for number in range(2):
        who = actor(session, make_member(session, org))
        attempt = attempts.start(session, who, bank_id=bank.id, mode=TestMode.FIXED_FORM)
        attempt = take(session, who, attempt, ability=number * 2.0 - 1.0)
        shown.append(attempt.state["items"])
    assert shown[0] == shown[1]
    assert len(shown[0]) == attempts.FIXED_FORM_LENGTH


def test_a_scope_without_test_questions_is_refused(
    session: Session, bank: ItemBank, learner: Actor
) -> None:
    other = session.scalar(select(Skill).where(Skill.framework_id != bank.framework_id))
    with pytest.raises(InvalidInput) as refused:
        attempts.start(
            session,
            learner,
            bank_id=bank.id,
            scope_skill_id=uuid.uuid4() if other is None else other.id,
        )
    assert refused.value.field_errors[0].field == "scope_skill_id"


def test_a_campaigns_test_is_only_for_its_participants_and_counts_as_proctored(
    session: Session, bank: ItemBank, learner: Actor, org: Organisation
) -> None:
    campaign = Campaign(
        org_id=org.id,
        title="Safety check",
        bank_id=bank.id,
        scope_skill_id=area(session, bank, "4").id,
        proctored=True,
        deadline=utcnow() + timedelta(days=7),
        status=CampaignStatus.OPEN,
    )
    session.add(campaign)
    session.flush()
    outsider = actor(session, make_member(session, org))
    with pytest.raises(NotFound):
        attempts.start(session, outsider, campaign_id=campaign.id)

    session.add(CampaignParticipant(campaign_id=campaign.id, person_id=learner.person_id))
    session.flush()
    attempt = take(session, learner, attempts.start(session, learner, campaign_id=campaign.id), 0.5)

    assert attempt.campaign_id == campaign.id
    assert attempt.closes_at == campaign.deadline
    sources = session.scalars(
        select(Evidence.source).where(Evidence.person_id == learner.person_id)
    )
    assert set(sources) == {EvidenceSource.PROCTORED_TEST}
    assert {e.org_id for e in session.scalars(select(Evidence))} == {org.id}

    with pytest.raises(Conflict, match="already taken"):
        attempts.start(session, learner, campaign_id=campaign.id)


def test_a_quiz_is_answered_in_any_order_with_skips_and_scored_once(
    session: Session, bank: ItemBank, learner: Actor
) -> None:
    attempt = attempts.start(session, learner, bank_id=bank.id, mode=TestMode.QUIZ)
    questions = attempts.view(session, learner, attempt.id).quiz
    assert len(questions) == attempts.QUIZ_LENGTH
    assert attempt.current_item_id is None
    with pytest.raises(Conflict, match="all at once"):
        attempts.answer(session, learner, attempt.id, questions[0].item.id, {"choice": "a"})

    chosen = list(reversed(questions))[:8]  # the last first, four skipped
    answers = {q.item.id: right_answer(q.item) for q in chosen}
    finished = attempts.submit_quiz(session, learner, attempt.id, answers)

    assert finished.status is AttemptStatus.COMPLETED
    assert session.scalar(select(func.count()).where(Response.attempt_id == attempt.id)) == 8
    assert finished.level is not None
    assert finished.level >= 5, "eight right answers and no wrong one"
    assert session.scalar(select(func.count()).where(Evidence.person_id == learner.person_id))
    with pytest.raises(Conflict, match="over"):
        attempts.submit_quiz(session, learner, attempt.id, answers)


def test_one_malformed_quiz_answer_refuses_them_all_naming_its_question(
    session: Session, bank: ItemBank, learner: Actor
) -> None:
    attempt = attempts.start(session, learner, bank_id=bank.id, mode=TestMode.QUIZ)
    questions = attempts.view(session, learner, attempt.id).quiz
    answers = {q.item.id: right_answer(q.item) for q in questions[:3]}
    answers[questions[1].item.id] = {"nonsense": True}

    with pytest.raises(InvalidInput) as refused:
        attempts.submit_quiz(session, learner, attempt.id, answers)

    assert [error.field for error in refused.value.field_errors] == ["question-2"]
    assert session.scalar(select(func.count()).where(Response.attempt_id == attempt.id)) == 0
    assert attempt.status is AttemptStatus.IN_PROGRESS
    with pytest.raises(InvalidInput, match="at least one"):
        attempts.submit_quiz(session, learner, attempt.id, {})
