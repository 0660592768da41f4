"""The verifier Cairn runs for its pages, API and command line: it reads this
installation's DID documents and status lists from the database, and refers everything
else to the network -- so a credential naming a college or a status list this
installation never had is "could not check", never a pass, and anyone else's status list
is still fetched and obeyed."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from cairn.config import get_settings
from cairn.credentials import data_integrity, multikey, status_service, verifying
from cairn.credentials.data_integrity import ProofOptions
from cairn.credentials.did import did_web
from cairn.credentials.verification import Outcome, Problem, Report, Verdict
from tests.credentials.test_verification import LIST_URL, Issuer, StatusLists, status_entry

SIGNED_ON = "2026-12-01T00:00:00Z"


def outcome(report: Report, check: str) -> Outcome:
    return next(c.outcome for c in report.checks if c.name.value == check)


def test_a_credential_from_an_organisation_this_installation_does_not_have_is_unchecked(
    session: Session,
) -> None:
    stranger = Issuer()
    claimed = did_web(get_settings().base_url, "no-such-college")
    signed = data_integrity.sign(
        stranger.credential(issuer=claimed),
        stranger.key,
        ProofOptions(f"{claimed}#{multikey.public_multikey(stranger.public)}", SIGNED_ON),
    )

    report = verifying.verifier(session).verify(signed)

    assert report.verdict is Verdict.INCOMPLETE
    assert outcome(report, "issuer") is outcome(report, "proof") is Outcome.COULD_NOT_CHECK
    assert f"no organisation publishes {claimed}" in str(report.checks[3].message)


def test_a_status_list_this_installation_never_published_leaves_revocation_unknown(
    session: Session,
) -> None:
    issuer = Issuer()
    entry = {**status_entry(3), "statusListCredential": status_service.list_url(uuid.uuid4())}

    report = verifying.verifier(session).verify(
        issuer.sign(issuer.credential(credentialStatus=entry))
    )

    assert report.verdict is Verdict.INCOMPLETE
    assert outcome(report, "status") is Outcome.COULD_NOT_CHECK
    assert f"there is no status list at {entry['statusListCredential']}" in str(
        report.checks[-1].message
    )


def test_a_status_list_published_elsewhere_is_fetched_and_obeyed(session: Session) -> None:
    issuer = Issuer()
    remote = StatusLists()
    remote.documents[LIST_URL] = issuer.status_list(revoked=4)
    verifier = verifying.verifier(session, remote=remote)

    revoked = verifier.verify(issuer.sign(issuer.credential(credentialStatus=status_entry(4))))
    sound = verifier.verify(issuer.sign(issuer.credential(credentialStatus=status_entry(5))))

    assert revoked.problems == [Problem.REVOKED]
    assert sound.verdict is Verdict.VERIFIED, sound.as_json()
