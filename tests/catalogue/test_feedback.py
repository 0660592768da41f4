"""Feedback surveys: answers checked against the scale and the kind of survey, only the
respondent answers, consent brings in the employer, mail goes once, and results are
aggregated per version with small groups hidden."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import feedback_service
from cairn.catalogue import service as catalogue_service
from cairn.catalogue.enums import JobOutcome, SurveyKind
from cairn.catalogue.feedback_models import SurveyInvitation, SurveyResponse
from cairn.catalogue.feedback_schemas import SurveyAnswer
from cairn.catalogue.models import SpecificationVersion
from cairn.catalogue.schemas import SpecificationFields
from cairn.kit.actor import Actor, Role
from cairn.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cairn.kit.mail import OutboxMessage
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Person
from tests.factories.catalogue import publish
from tests.factories.credentials import Issuer, answer, make_award, make_issuer, survey_of
from tests.factories.orgs import actor, make_member, make_org, make_person

AWARDED = date(2026, 1, 15)
LATER = date(2026, 9, 1)
"""After the follow-up (July 15) and the employer survey (April 15) fall due."""


@pytest.fixture
def college(session: Session) -> Issuer:
    return make_issuer(session, name="Lakeshore College")


@pytest.fixture
def version(session: Session, college: Issuer) -> SpecificationVersion:
    return college.publish(session, "wound-care")


def holders(
    session: Session, college: Issuer, version: SpecificationVersion, count: int
) -> list[Person]:
    people = [make_person(session) for _ in range(count)]
    for person in people:
        make_award(session, college, version, person, awarded_on=AWARDED)
    return people


def test_months_are_calendar_months() -> None:
    assert feedback_service.add_months(date(2026, 1, 15), 6) == date(2026, 7, 15)
    assert feedback_service.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert feedback_service.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_results_are_shown_from_five_responses_with_known_figures(
    session: Session, college: Issuer, version: SpecificationVersion
) -> None:
    people = holders(session, college, version, 6)
    ratings = [(5, 4), (4, 4), (4, 3), (3, 5), (2, 4)]
    for person, (relevance, quality) in zip(people[:4], ratings, strict=False):
        answer(session, person, version, relevance=relevance, quality=quality, today=LATER)

    hidden = feedback_service.results_for_version(
        session, college.educator, version.id, today=LATER
    )
    completion = hidden.surveys[0]
    assert (completion.kind, completion.due, completion.responses) == (
        SurveyKind.LEARNER_COMPLETION,
        6,
        4,
    )
    assert not completion.shown
    assert (completion.mean_relevance, completion.mean_quality, completion.comments) == (
        None,
        None,
        None,
    )

    answer(session, people[4], version, relevance=2, quality=4, comment="Great", today=LATER)
    shown = feedback_service.results_for_version(
        session, college.educator, version.id, today=LATER
    ).surveys[0]
    assert shown.shown
    assert shown.mean_relevance == pytest.approx(3.6)
    assert shown.mean_quality == pytest.approx(4.0)
    assert shown.response_rate == pytest.approx(5 / 6)
    assert shown.comments == ["Great"]

    follow_ups = [
        JobOutcome.PROMOTION,
        JobOutcome.PROMOTION,
        JobOutcome.NO_CHANGE,
        JobOutcome.NEW_JOB,
        JobOutcome.PROMOTION,
    ]
    for person, outcome in zip(people, follow_ups, strict=False):
        answer(
            session,
            person,
            version,
            SurveyKind.LEARNER_FOLLOW_UP,
            relevance=4,
            job_outcome=outcome,
            today=LATER,
        )
    follow_up = feedback_service.results_for_version(
        session, college.educator, version.id, today=LATER
    ).surveys[1]
    assert follow_up.job_outcomes == {
        JobOutcome.PROMOTION: 3,
        JobOutcome.NO_CHANGE: 1,
        JobOutcome.NEW_JOB: 1,
    }
    assert follow_up.mean_relevance == pytest.approx(4.0)


def test_answers_outside_the_scale_are_refused_naming_the_field(
    session: Session, college: Issuer, version: SpecificationVersion
) -> None:
    [person] = holders(session, college, version, 1)

    def refused(kind: SurveyKind, **answers: object) -> dict[str, str]:
        with pytest.raises(InvalidInput) as error:
            answer(session, person, version, kind, today=LATER, **answers)
        return {e.field: str(e.message) for e in error.value.field_errors}

    completion = refused(SurveyKind.LEARNER_COMPLETION, relevance=0, quality=6)
    assert set(completion) == {"relevance", "quality"}
    assert "from 1" in completion["relevance"]
    assert set(refused(SurveyKind.LEARNER_FOLLOW_UP, relevance=9, job_outcome="new_job")) == {
        "relevance"
    }
    assert set(refused(SurveyKind.LEARNER_COMPLETION, relevance=3)) == {"quality"}  # required
    assert set(refused(SurveyKind.LEARNER_COMPLETION, relevance=3, quality=3, had_skills=3)) == {
        "had_skills"  # not asked of a learner
    }

    hr = _consent(session, person, version)
    employer_survey = session.query(SurveyInvitation).filter_by(kind=SurveyKind.EMPLOYER).one()
    with pytest.raises(InvalidInput) as error:
        feedback_service.answer_survey(
            session, hr, employer_survey.token, SurveyAnswer(had_skills=-1), today=LATER
        )
    assert [e.field for e in error.value.field_errors] == ["had_skills"]
    assert session.query(SurveyResponse).count() == 1  # only the consent


def _consent(session: Session, person: Person, version: SpecificationVersion) -> Actor:
    """The learner works for an employer and says yes at completion; returns the
    employer's HR administrator."""
    employer = make_org(session, name="Northwind Health", kind=OrgKind.EMPLOYER)
    make_member(session, employer, Role.LEARNER, person=person)
    hr = make_member(session, employer, Role.HR_ADMIN)
    answer(
        session, person, version, relevance=4, quality=4, employer_may_be_asked=True, today=LATER
    )
    return actor(session, hr)


def test_consent_asks_each_employer_three_months_after_the_award(
    session: Session, college: Issuer, version: SpecificationVersion
) -> None:
    consenting, declining = holders(session, college, version, 2)
    make_member(session, college.org, Role.LEARNER, person=consenting)  # not an employer
    hr = _consent(session, consenting, version)
    answer(session, declining, version, relevance=3, quality=3, employer_may_be_asked=False)

    [survey] = session.query(SurveyInvitation).filter_by(kind=SurveyKind.EMPLOYER).all()
    assert (survey.holder_id, survey.respondent_id) == (consenting.id, None)
    assert survey.due_on == LATER  # three months after January 15 had passed: today
    [pending] = feedback_service.my_pending_surveys(session, hr, today=LATER)
    assert pending.holder is not None
    assert pending.holder.id == consenting.id
    assert pending.questions == ("had_skills", "comment")

    feedback_service.answer_survey(
        session, hr, survey.token, SurveyAnswer(had_skills=5), today=LATER
    )
    assert feedback_service.my_pending_surveys(session, hr, today=LATER) == []


def test_only_the_respondent_answers_and_only_once(
    session: Session, college: Issuer, version: SpecificationVersion
) -> None:
    learner, other = holders(session, college, version, 2)
    token = survey_of(session, learner, version, SurveyKind.LEARNER_COMPLETION).token
    data = SurveyAnswer(relevance=4, quality=4)
    platform_admin = actor(session, make_member(session, make_org(session), Role.PLATFORM_ADMIN))

    for intruder in (actor(session, other), college.registrar, platform_admin):
        with pytest.raises(NotFound):
            feedback_service.get_survey(session, intruder, token)
        with pytest.raises(NotFound):
            feedback_service.answer_survey(session, intruder, token, data)
    assert session.query(SurveyResponse).count() == 0

    feedback_service.answer_survey(session, actor(session, learner), token, data)
    with pytest.raises(Conflict):
        feedback_service.answer_survey(session, actor(session, learner), token, data)
    follow_up = survey_of(session, learner, version, SurveyKind.LEARNER_FOLLOW_UP)
    with pytest.raises(Conflict):  # not due until six months after the award
        feedback_service.answer_survey(
            session,
            actor(session, learner),
            follow_up.token,
            SurveyAnswer(relevance=3, job_outcome=JobOutcome.NO_CHANGE),
            today=AWARDED,
        )


def test_due_surveys_are_mailed_once_with_their_link(
    session: Session, college: Issuer, version: SpecificationVersion
) -> None:
    [learner] = holders(session, college, version, 1)
    operator = Actor.operator()

    assert feedback_service.send_due_surveys(session, operator, today=AWARDED) == 1
    assert feedback_service.send_due_surveys(session, operator, today=AWARDED) == 0
    [mail] = session.query(OutboxMessage).filter_by(recipient=learner.email).all()
    token = survey_of(session, learner, version, SurveyKind.LEARNER_COMPLETION).token
    assert f"http://testserver.example/surveys/{token}" in mail.body
    assert feedback_service.send_due_surveys(session, operator, today=LATER) == 1  # follow-up
    with pytest.raises(PermissionDenied):
        feedback_service.send_due_surveys(session, college.registrar, today=LATER)


def test_results_are_kept_per_version(
    session: Session, college: Issuer, version: SpecificationVersion
) -> None:
    for person in holders(session, college, version, 5):
        answer(session, person, version, relevance=2, quality=2, today=LATER)
    second = catalogue_service.new_version(session, college.educator, version.id)
    catalogue_service.update_draft(
        session, college.educator, second.id, SpecificationFields(title="Wound care, revised")
    )
    publish(session, college.educator, college.registrar, second)
    for person in holders(session, college, second, 5):
        answer(session, person, second, relevance=5, quality=5, today=LATER)

    results = feedback_service.results_for_specification(
        session, college.educator, version.specification_id, today=LATER
    )
    assert [(r.version.number, r.surveys[0].mean_relevance) for r in results] == [
        (2, 5.0),
        (1, 2.0),
    ]
    [dashboard] = feedback_service.issuer_dashboard(
        session, college.registrar, college.org.id, today=LATER
    )
    assert (dashboard.version.id, dashboard.surveys[0].responses) == (second.id, 5)


def test_figures_are_public_but_comments_and_the_dashboard_stay_with_the_issuer(
    session: Session, college: Issuer, version: SpecificationVersion
) -> None:
    for person in holders(session, college, version, 5):
        answer(session, person, version, relevance=4, quality=4, comment="Useful", today=LATER)
    outsider = actor(session, make_member(session, make_org(session), Role.HR_ADMIN))
    college_learner = actor(session, make_member(session, college.org, Role.LEARNER))

    seen = feedback_service.results_for_version(session, outsider, version.id, today=LATER)
    assert seen.surveys[0].mean_quality == pytest.approx(4.0)
    assert seen.surveys[0].comments is None
    assert not seen.comments_visible
    with pytest.raises(NotFound):
        feedback_service.issuer_dashboard(session, outsider, college.org.id)
    with pytest.raises(PermissionDenied):
        feedback_service.issuer_dashboard(session, college_learner, college.org.id)

    draft = catalogue_service.new_version(session, college.educator, version.id)
    with pytest.raises(NotFound):
        feedback_service.results_for_version(session, outsider, draft.id)
