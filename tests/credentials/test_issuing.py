"""Issuing OB 3.0 credentials from awards, and revoking or suspending them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import service as catalogue_service
from cairn.credentials import issuing_service, jose, verifying
from cairn.credentials.issued_models import IssuedCredential, ProofFormat
from cairn.credentials.issuing_service import IssueOptions
from cairn.credentials.jsonld import undefined_terms
from cairn.credentials.verification import Problem, Verdict
from cairn.credentials.wallet_models import WalletItem
from cairn.kit.actor import Role
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cairn.kit.mail import list_outbox
from cairn.orgs.enums import OrgKind
from tests.factories.credentials import Issuer, make_award, make_issued, make_issuer
from tests.factories.orgs import actor, make_member, make_org, make_person
from tests.factories.taxonomy import make_framework, make_skill


def _document(issued: IssuedCredential) -> dict[str, object]:
    if issued.proof_format is ProofFormat.VC_JWT:
        return jose.read(issued.document).credential
    loaded: dict[str, object] = json.loads(issued.document)
    return loaded


def _college(session: Session) -> Issuer:
    return make_issuer(session, name="Lakeshore College")


@pytest.mark.parametrize("proof", list(ProofFormat))
def test_an_issued_credential_verifies_in_every_proof_format(
    session: Session, proof: ProofFormat
) -> None:
    college = _college(session)
    version = college.publish(session, "wound-care")
    learner = make_person(session, name="Lena Whitford")

    issued = make_issued(session, college, version, learner, proof=proof)
    report = verifying.verifier(session).verify(issued.document)

    assert report.verdict is Verdict.VERIFIED, report.as_json()
    assert [check["outcome"] for check in report.as_json()["checks"]].count("passed") >= 5


def test_the_achievement_carries_the_versions_elements_and_aligned_skills(
    session: Session,
) -> None:
    college = _college(session)
    framework = make_framework(session, title="Care Skills")
    wounds = make_skill(session, framework, "dress wounds", code="C1.1")
    version = college.publish(
        session,
        "wound-care",
        eqf_level=4,
        ects=1,
        grading_scheme="Pass or fail against a checklist.",
        outcomes=[{"statement": "Assess a wound and choose a dressing.", "skill_id": wounds.id}],
    )
    learner = make_person(session)
    award = make_award(session, college, version, learner, grade="Pass")
    issued = issuing_service.issue_award(session, college.registrar, award.id)
    document = _document(issued)

    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = document["credentialSubject"]
    assert isinstance(subject, dict)
    achievement = subject["achievement"]
    assert achievement["name"] == "Wound care essentials"
    assert "Assess a wound and choose a dressing." in achievement["criteria"]["narrative"]
    targets = {a["targetUrl"]: a for a in achievement["alignment"]}
    assert targets[wounds.uri]["targetName"] == "dress wounds"
    assert targets["http://data.europa.eu/snb/eqf/4"]["targetCode"] == "4"
    assert achievement["creditsAvailable"] == 1
    assert subject["result"][0]["value"] == "Pass"
    # the learner's e-mail is bound only as a salted hash; their name is given in the clear
    assert learner.email not in issued.document
    assert {"identityType": "name", "identityHash": learner.display_name}.items() <= next(
        i for i in subject["identifier"] if i["identityType"] == "name"
    ).items()
    # every term is one the contexts define: nothing is silently dropped
    assert undefined_terms(document) == []


def test_endorsements_travel_as_credentials_signed_by_the_endorser(session: Session) -> None:
    college = _college(session)
    employer = make_org(session, name="Northwind Care", kind=OrgKind.EMPLOYER)
    hr = actor(session, make_member(session, employer, Role.HR_ADMIN))
    version = college.publish(session, "wound-care")
    catalogue_service.endorse(session, hr, version.id, employer.id, "Our nurses need it.")

    first = make_issued(session, college, version, make_person(session))
    second = make_issued(session, college, version, make_person(session))
    endorsement = _document(first)["credentialSubject"]["achievement"]["endorsement"][0]  # type: ignore[index]

    assert endorsement["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert endorsement["issuer"]["name"] == "Northwind Care"
    assert endorsement["credentialSubject"]["endorsementComment"] == "Our nurses need it."
    report = verifying.verifier(session).verify(endorsement)
    assert report.verdict is Verdict.VERIFIED, report.as_json()
    # signed once, reused
    again = _document(second)["credentialSubject"]["achievement"]["endorsement"][0]  # type: ignore[index]
    assert again == endorsement


def test_issuing_puts_the_credential_in_the_learners_wallet_and_tells_them(
    session: Session,
) -> None:
    college = _college(session)
    version = college.publish(session, "wound-care")
    learner = make_person(session)

    issued = make_issued(session, college, version, learner)

    item = session.query(WalletItem).filter_by(owner_id=learner.id).one()
    assert item.document == issued.document
    mail = list_outbox(session, recipient=learner.email)
    assert any("Wound care essentials" in message.subject for message in mail)


def test_the_subject_is_the_learners_own_did_the_same_for_each_credential(
    session: Session,
) -> None:
    college = _college(session)
    learner = make_person(session)
    one = make_issued(session, college, college.publish(session, "one"), learner)
    two = make_issued(session, college, college.publish(session, "two"), learner)

    subject_one = _document(one)["credentialSubject"]["id"]  # type: ignore[index]
    assert str(subject_one).startswith("did:key:z6Mk")
    assert subject_one == _document(two)["credentialSubject"]["id"]  # type: ignore[index]


def test_only_the_issuers_registrars_issue(session: Session) -> None:
    college = _college(session)
    version = college.publish(session, "wound-care")
    award = make_award(session, college, version, make_person(session))
    other = make_issuer(session, name="Other College")

    for someone in (college.educator, other.registrar):
        with pytest.raises((PermissionDenied, NotFound)):
            issuing_service.issue_award(session, someone, award.id)


def test_an_award_gets_one_live_credential(session: Session) -> None:
    college = _college(session)
    version = college.publish(session, "wound-care")
    award = make_award(session, college, version, make_person(session))
    first = issuing_service.issue_award(session, college.registrar, award.id)

    with pytest.raises(Conflict):
        issuing_service.issue_award(session, college.registrar, award.id)
    issuing_service.revoke(session, college.registrar, first.id, "Issued with the wrong grade.")
    again = issuing_service.issue_award(session, college.registrar, award.id)
    assert again.id != first.id


def test_an_expiry_in_the_past_is_refused_naming_the_field(session: Session) -> None:
    college = _college(session)
    version = college.publish(session, "wound-care")
    award = make_award(session, college, version, make_person(session))

    with pytest.raises(InvalidInput) as refused:
        issuing_service.issue_award(
            session,
            college.registrar,
            award.id,
            IssueOptions(valid_until=utcnow() - timedelta(days=1)),
        )
    assert refused.value.field_errors[0].field == "valid_until"


def test_an_expired_credential_is_reported_as_expired(session: Session) -> None:
    college = _college(session)
    version = college.publish(session, "wound-care")
    issued = make_issued(
        session, college, version, make_person(session), valid_until=utcnow() + timedelta(days=1)
    )
    later = verifying.verifier(session)
    from dataclasses import replace

    report = replace(later, clock=lambda: utcnow() + timedelta(days=2)).verify(issued.document)

    assert report.problems == [Problem.EXPIRED]


def test_revoking_needs_a_reason_tells_the_learner_and_shows_in_the_status_list(
    session: Session,
) -> None:
    college = _college(session)
    version = college.publish(session, "wound-care")
    learner = make_person(session)
    issued = make_issued(session, college, version, learner)

    with pytest.raises(InvalidInput) as refused:
        issuing_service.revoke(session, college.registrar, issued.id, "   ")
    assert refused.value.field_errors[0].field == "reason"

    issuing_service.revoke(session, college.registrar, issued.id, "Assessment was not proctored.")

    report = verifying.verifier(session).verify(issued.document)
    assert report.verdict is Verdict.FAILED
    assert report.problems == [Problem.REVOKED]
    notices = [m for m in list_outbox(session, recipient=learner.email) if "revoked" in m.subject]
    assert "Assessment was not proctored." in notices[0].body


def test_a_suspended_credential_verifies_again_once_reinstated(session: Session) -> None:
    college = _college(session)
    version = college.publish(session, "wound-care")
    issued = make_issued(session, college, version, make_person(session))

    issuing_service.suspend(session, college.registrar, issued.id, "Under appeal.")
    assert verifying.verifier(session).verify(issued.document).problems == [Problem.SUSPENDED]

    issuing_service.reinstate(session, college.registrar, issued.id)
    assert verifying.verifier(session).verify(issued.document).verdict is Verdict.VERIFIED


def test_only_the_issuers_registrars_revoke(session: Session) -> None:
    college = _college(session)
    version = college.publish(session, "wound-care")
    learner = make_person(session)
    issued = make_issued(session, college, version, learner)
    learner_actor = actor(session, learner)

    for someone in (college.educator, make_issuer(session).registrar, learner_actor):
        with pytest.raises((PermissionDenied, NotFound)):
            issuing_service.revoke(session, someone, issued.id, "No.")
