"""Demo awards and feedback: Lakeshore's registrar awards its published micro-credential
to eight learners seven months ago, so both learner surveys are due. Most answer them,
Lena Whitford lets her employer be asked, and Northwind's HR administrator answers.

Specifications are looked up by what is published at run time, so the demo copes with
whatever the catalogue seed made."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from cairn.catalogue import feedback_service
from cairn.catalogue.enums import JobOutcome, SurveyKind
from cairn.catalogue.feedback_schemas import SurveyAnswer
from cairn.credentials import service as credentials_service
from cairn.credentials.schemas import AwardCreate
from cairn.kit.actor import Actor, Role
from cairn.kit.clock import utcnow
from cairn.orgs import people
from cairn.orgs import repository as orgs_repository
from cairn.orgs.models import Person

REGISTRAR = "irene.baptiste@lakeshore.example"
EMPLOYER_HR = "hannah.okafor@northwind.example"
LEARNERS = (
    "lena.whitford@northwind.example",
    "marc.tremblay@northwind.example",
    "omar.haddad@newcomerconnect.example",
)
MAIN = "digital-safety-at-work"
"""Everyone's award; Lena also holds each other published Lakeshore specification."""
COMPLETION = ((5, 4), (4, 5), (4, 4), (5, 5), (3, 4), (4, 3), (5, 4))
"""(relevance, quality) of the seven learners who answer at completion; the eighth has not."""
FOLLOW_UP = (
    (5, JobOutcome.NEW_RESPONSIBILITIES),
    (4, JobOutcome.SAME_JOB_BETTER),
    (4, JobOutcome.PROMOTION),
    (3, JobOutcome.NO_CHANGE),
    (5, JobOutcome.SAME_JOB_BETTER),
    (4, JobOutcome.PAY_RISE),
)
COMMENTS = {
    0: "The phishing exercises were exactly what our clinic sees.",
    2: "More on shared devices at the nursing station, please.",
}


def build_feedback(session: Session) -> None:
    college = orgs_repository.get_organisation_by_slug(session, "lakeshore-college")
    northwind = orgs_repository.get_organisation_by_slug(session, "northwind-health")
    registrar = _person(session, REGISTRAR)
    hr = _person(session, EMPLOYER_HR)
    if college is None or northwind is None or registrar is None or hr is None:
        return
    issuer = people.actor_for(session, registrar)
    published = credentials_service.awardable_versions(session, issuer, college.id)
    if not published:
        return
    main = next((v for s, v in published if s.slug == MAIN), published[0][1])
    learners = _learners(session, northwind.id)
    awarded_on = feedback_service.add_months(utcnow().date(), -7)
    for index, learner in enumerate(learners):
        versions = [main] if index else [main, *(v for _, v in published if v.id != main.id)]
        for version in versions:
            credentials_service.record_award(
                session,
                issuer,
                college.id,
                AwardCreate(
                    version_id=version.id,
                    learner_email=learner.email,
                    awarded_on=awarded_on,
                    grade="Pass",
                ),
            )
    surveys = {
        (view.invitation.kind, view.invitation.respondent_id): view.invitation.token
        for learner in learners
        for view in feedback_service.my_pending_surveys(session, people.actor_for(session, learner))
        if view.invitation.version_id == main.id
    }
    for index, (learner, (relevance, quality)) in enumerate(
        zip(learners, COMPLETION, strict=False)
    ):
        feedback_service.answer_survey(
            session,
            people.actor_for(session, learner),
            surveys[(SurveyKind.LEARNER_COMPLETION, learner.id)],
            SurveyAnswer(
                relevance=relevance,
                quality=quality,
                employer_may_be_asked=index == 0,
                comment=COMMENTS.get(index),
            ),
        )
    for learner, (relevance, outcome) in zip(learners, FOLLOW_UP, strict=False):
        feedback_service.answer_survey(
            session,
            people.actor_for(session, learner),
            surveys[(SurveyKind.LEARNER_FOLLOW_UP, learner.id)],
            SurveyAnswer(relevance=relevance, job_outcome=outcome),
        )
    employer = people.actor_for(session, hr)
    for view in feedback_service.my_pending_surveys(session, employer):
        if view.invitation.kind is SurveyKind.EMPLOYER:
            feedback_service.answer_survey(
                session,
                employer,
                view.invitation.token,
                SurveyAnswer(had_skills=4, comment="She now leads our privacy huddles."),
            )
    feedback_service.send_due_surveys(session, Actor.operator())


def _person(session: Session, email: str) -> Person | None:
    return orgs_repository.get_person_by_email(session, email)


def _learners(session: Session, org_id: uuid.UUID) -> list[Person]:
    """The three learner personas, then five more of Northwind's learners by e-mail."""
    personas = [p for p in (_person(session, email) for email in LEARNERS) if p is not None]
    taken = {p.id for p in personas}
    ids = {
        membership.person_id
        for membership in orgs_repository.memberships_in(session, org_id)
        if membership.role is Role.LEARNER and membership.person_id not in taken
    }
    others = [p for p in (orgs_repository.get_person(session, i) for i in ids) if p is not None]
    return [*personas, *sorted(others, key=lambda person: person.email)[:5]]
