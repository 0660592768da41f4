"""The rules a registrar relies on when issuing, revoking, suspending and reinstating: what
is unknown is reported as such, a reason has limits, a state cannot be entered twice, and
nobody outside the issuer touches its credentials. Each refusal leaves everything as it was."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import service as catalogue_service
from cairn.credentials import issuing_service, verifying
from cairn.credentials.issued_models import CredentialKind, IssuedCredential, StatusList
from cairn.credentials.verification import Problem, Verdict
from cairn.kit.errors import Conflict, InvalidInput, NotFound
from cairn.kit.mail import list_outbox
from cairn.orgs.models import Person
from tests.factories.credentials import Issuer, make_issued, make_issuer
from tests.factories.orgs import make_person


def _notices(session: Session, learner: Person, word: str) -> list[str]:
    """The subjects of the status notices the learner was sent, e.g. of the 'revoked' ones."""
    return [m.subject for m in list_outbox(session, recipient=learner.email) if word in m.subject]


def _endorsement_id(issued: IssuedCredential) -> uuid.UUID:
    """The id of the EndorsementCredential embedded in an achievement credential."""
    document = json.loads(issued.document)
    [endorsement] = document["credentialSubject"]["achievement"]["endorsement"]
    return uuid.UUID(str(endorsement["id"]).removeprefix("urn:uuid:"))


@pytest.fixture
def college(session: Session) -> Issuer:
    return make_issuer(session, name="Lakeshore College")


def test_actions_on_an_unknown_award_credential_or_version_are_reported_as_not_found(
    session: Session, college: Issuer
) -> None:
    unknown = uuid.uuid4()
    registrar = college.registrar

    with pytest.raises(NotFound, match="no such award"):
        issuing_service.issue_award(session, registrar, unknown)
    with pytest.raises(NotFound, match="no such specification version"):
        issuing_service.plan_for(session, unknown)
    attempts: list[Callable[[], IssuedCredential]] = [
        lambda: issuing_service.issued_credential(session, registrar, unknown),
        lambda: issuing_service.revoke(session, registrar, unknown, "Wrong learner."),
        lambda: issuing_service.suspend(session, registrar, unknown, "Under appeal."),
        lambda: issuing_service.reinstate(session, registrar, unknown),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound, match="There is no such credential"):
            attempt()
    assert session.query(IssuedCredential).count() == 0


def test_a_reason_over_two_thousand_characters_is_refused_naming_the_field(
    session: Session, college: Issuer
) -> None:
    learner = make_person(session)
    issued = make_issued(session, college, college.publish(session, "wound-care"), learner)

    for action in (issuing_service.revoke, issuing_service.suspend):
        with pytest.raises(InvalidInput, match="under 2000 characters") as refused:
            action(session, college.registrar, issued.id, "x" * 2001)
        assert [error.field for error in refused.value.field_errors] == ["reason"]
    assert (issued.revoked_at, issued.suspended_at) == (None, None)
    assert verifying.verifier(session).verify(issued.document).verdict is Verdict.VERIFIED
    assert _notices(session, learner, "revoked") == _notices(session, learner, "suspended") == []

    # The limit counts the reason itself, not the blank space pasted around it.
    kept = issuing_service.revoke(session, college.registrar, issued.id, "  " + "y" * 2000 + "\n")
    assert kept.revocation_reason == "y" * 2000


def test_a_credential_is_not_suspended_twice_and_a_revoked_one_cannot_change_again(
    session: Session, college: Issuer
) -> None:
    learner = make_person(session)
    issued = make_issued(session, college, college.publish(session, "wound-care"), learner)
    issuing_service.suspend(session, college.registrar, issued.id, "Under appeal.")

    with pytest.raises(Conflict, match="already suspended"):
        issuing_service.suspend(session, college.registrar, issued.id, "Still under appeal.")
    assert issued.suspension_reason == "Under appeal."
    assert len(_notices(session, learner, "suspended")) == 1

    issuing_service.revoke(session, college.registrar, issued.id, "Appeal dismissed.")
    with pytest.raises(Conflict, match="already revoked"):
        issuing_service.revoke(session, college.registrar, issued.id, "Dismissed again.")
    with pytest.raises(Conflict, match="revoked credential cannot be suspended"):
        issuing_service.suspend(session, college.registrar, issued.id, "Another appeal.")
    assert issued.revocation_reason == "Appeal dismissed."
    assert len(_notices(session, learner, "revoked")) == 1
    report = verifying.verifier(session).verify(issued.document)
    assert Problem.REVOKED in report.problems


def test_another_issuers_registrar_can_neither_see_suspend_nor_reinstate_a_credential(
    session: Session, college: Issuer
) -> None:
    learner = make_person(session)
    issued = make_issued(session, college, college.publish(session, "wound-care"), learner)
    other = make_issuer(session, name="Harbour Polytechnic")

    with pytest.raises(NotFound):
        issuing_service.issued_credential(session, other.registrar, issued.id)
    with pytest.raises(NotFound):
        issuing_service.suspend(session, other.registrar, issued.id, "Not ours to judge.")
    issuing_service.suspend(session, college.registrar, issued.id, "Under appeal.")
    with pytest.raises(NotFound):
        issuing_service.reinstate(session, other.registrar, issued.id)

    assert issued.suspension_reason == "Under appeal."
    assert verifying.verifier(session).verify(issued.document).problems == [Problem.SUSPENDED]
    assert issuing_service.issued_credential(session, college.registrar, issued.id) is issued


def test_an_endorser_withdraws_its_signed_endorsement_and_later_credentials_carry_a_new_one(
    session: Session, college: Issuer
) -> None:
    partner = make_issuer(session, name="Harbour Polytechnic")
    version = college.publish(session, "wound-care")
    catalogue_service.endorse(
        session, partner.registrar, version.id, partner.org.id, "Sound practice."
    )
    learner = make_person(session)
    first = make_issued(session, college, version, learner)
    withdrawn = _endorsement_id(first)

    # The achievement's issuer cannot withdraw what its endorser signed.
    with pytest.raises(NotFound):
        issuing_service.revoke(session, college.registrar, withdrawn, "We disagree.")

    endorsement = issuing_service.revoke(
        session, partner.registrar, withdrawn, "Statement out of date."
    )

    assert endorsement.kind is CredentialKind.ENDORSEMENT
    assert endorsement.revocation_reason == "Statement out of date."
    # An endorsement has no place in any status list and no learner to tell.
    assert session.query(StatusList).filter_by(org_id=partner.org.id).count() == 0
    assert _notices(session, learner, "revoked") == []
    second = make_issued(session, college, version, make_person(session))
    assert _endorsement_id(second) != withdrawn
    assert verifying.verifier(session).verify(second.document).verdict is Verdict.VERIFIED
