"""Issuers, awards and answered surveys for tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from cairn.catalogue import feedback_service
from cairn.catalogue.enums import SurveyKind
from cairn.catalogue.feedback_models import SurveyInvitation, SurveyResponse
from cairn.catalogue.feedback_schemas import SurveyAnswer
from cairn.catalogue.models import SpecificationVersion
from cairn.credentials import issuing_service, service
from cairn.credentials.issued_models import IssuedCredential, ProofFormat
from cairn.credentials.issuing_service import IssueOptions
from cairn.credentials.models import Award
from cairn.credentials.schemas import AwardCreate
from cairn.kit.actor import Actor, Role
from cairn.kit.clock import utcnow
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation, Person
from tests.factories.catalogue import make_published
from tests.factories.orgs import actor, make_member, make_org


@dataclass(frozen=True)
class Issuer:
    """A college with an educator (a designer) and a registrar (a publisher)."""

    org: Organisation
    educator: Actor
    registrar: Actor

    def publish(self, session: Session, slug: str, **changes: Any) -> SpecificationVersion:
        return make_published(
            session, self.educator, self.registrar, self.org, slug=slug, **changes
        )


def make_issuer(session: Session, *, name: str | None = None) -> Issuer:
    org = make_org(session, name=name, kind=OrgKind.PROVIDER)
    return Issuer(
        org=org,
        educator=actor(session, make_member(session, org, Role.EDUCATOR)),
        registrar=actor(session, make_member(session, org, Role.ISSUER_ADMIN)),
    )


def make_award(
    session: Session,
    issuer: Issuer,
    version: SpecificationVersion,
    learner: Person,
    *,
    awarded_on: date | None = None,
    **changes: Any,
) -> Award:
    data = AwardCreate(
        version_id=version.id,
        learner_email=learner.email,
        awarded_on=awarded_on or utcnow().date(),
        **changes,
    )
    return service.record_award(session, issuer.registrar, issuer.org.id, data)


def survey_of(
    session: Session, learner: Person, version: SpecificationVersion, kind: SurveyKind
) -> SurveyInvitation:
    return (
        session.query(SurveyInvitation)
        .filter_by(version_id=version.id, respondent_id=learner.id, kind=kind)
        .one()
    )


def answer(
    session: Session,
    learner: Person,
    version: SpecificationVersion,
    kind: SurveyKind = SurveyKind.LEARNER_COMPLETION,
    *,
    today: date | None = None,
    **answers: Any,
) -> SurveyResponse:
    """Answer one of the learner's surveys as they would."""
    invitation = survey_of(session, learner, version, kind)
    return feedback_service.answer_survey(
        session,
        actor(session, learner),
        invitation.token,
        SurveyAnswer.model_validate(answers),
        today=today,
    )


def make_issued(
    session: Session,
    issuer: Issuer,
    version: SpecificationVersion,
    learner: Person,
    *,
    proof: ProofFormat = ProofFormat.EDDSA_RDFC_2022,
    **options: Any,
) -> IssuedCredential:
    """An award of ``version`` to ``learner`` and its credential, issued by the registrar."""
    award = make_award(session, issuer, version, learner)
    return issuing_service.issue_award(
        session, issuer.registrar, award.id, IssueOptions(proof_format=proof, **options)
    )
