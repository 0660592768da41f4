"""An issuer's credentials on the web: a registrar issues one from an award in the format
they choose, reads it with its verification report, suspends, reinstates and revokes it
with a reason, and rotates the signing key; nobody else reaches these pages."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import httpx
from sqlalchemy.orm import Session

from cairn.credentials import jose
from cairn.credentials.issued_models import IssuedCredential, ProofFormat
from cairn.kit.actor import Role
from cairn.kit.clock import utcnow
from cairn.orgs.models import Person
from tests.factories.credentials import Issuer, make_award, make_issued, make_issuer
from tests.factories.orgs import make_member, make_org, make_person
from tests.helpers import submit
from tests.web.conftest import SignIn
from tests.web.test_page_structure import outline_of, problems_with

CREDENTIAL_PAGE = re.compile(r"^/orgs/[0-9a-f-]+/credentials/([0-9a-f-]{36})\?notice=created$")


def _registrar(session: Session, college: Issuer) -> Person:
    person = session.get(Person, college.registrar.person_id)
    assert person is not None
    return person


def _issued(session: Session, location: str) -> IssuedCredential:
    match = CREDENTIAL_PAGE.match(location)
    assert match, location
    issued = session.get(IssuedCredential, uuid.UUID(match.group(1)))
    assert issued is not None
    return issued


def test_a_registrar_issues_from_an_award_and_reads_it_verified(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_issuer(session, name="Lakeshore College")
    version = college.publish(session, "wound-care")
    learner = make_person(session, name="Lena Whitford")
    award = make_award(session, college, version, learner, grade="Pass")
    client = sign_in_as(_registrar(session, college))
    awards = f"/orgs/{college.org.id}/awards"
    form = f"{awards}/{award.id}/issue"

    assert f'href="{form}"' in client.get(awards).text
    page = client.get(form)
    assert page.status_code == 200
    assert problems_with(form, page.text) == []
    assert "Data Integrity, by meaning (recommended)" in page.text

    valid_until = (utcnow() + timedelta(days=365)).date().isoformat()
    issued_answer = submit(
        client,
        form,
        form,
        {
            "proof_format": "eddsa-jcs-2022",
            "valid_until": valid_until,
            "evidence_url": "https://portfolio.example.org/lena/wound-care",
            "evidence_name": "Wound care case study",
        },
    )
    assert issued_answer.status_code == 303
    session.expire_all()
    issued = _issued(session, issued_answer.headers["location"])
    assert issued.proof_format is ProofFormat.EDDSA_JCS_2022
    assert issued.valid_until is not None
    assert issued.valid_until.date().isoformat() == valid_until
    document = json.loads(issued.document)
    assert document["evidence"][0]["name"] == "Wound care case study"

    detail_path = issued_answer.headers["location"].split("?")[0]
    detail = client.get(detail_path)
    assert detail.status_code == 200
    assert problems_with(detail_path, detail.text) == []
    assert "Verified: every check passed" in detail.text
    assert "&#34;cryptosuite&#34;: &#34;eddsa-jcs-2022&#34;" in detail.text
    assert 'data-copy="credential-document"' in detail.text

    listing = client.get(f"/orgs/{college.org.id}/credentials")
    assert problems_with("credentials", listing.text) == []
    assert '<th scope="row">Lena Whitford</th>' in listing.text
    assert "<td>Active</td>" in listing.text
    # the award now links to its credential instead of offering to issue another
    assert f'href="{detail_path}">Active<' in client.get(awards).text
    assert "already has a credential" in client.get(form).text


def test_a_vc_jwt_credential_is_shown_as_its_token(session: Session, sign_in_as: SignIn) -> None:
    college = make_issuer(session)
    issued = make_issued(
        session,
        college,
        college.publish(session, "wound-care"),
        make_person(session),
        proof=ProofFormat.VC_JWT,
    )
    client = sign_in_as(_registrar(session, college))

    detail = client.get(f"/orgs/{college.org.id}/credentials/{issued.id}")

    assert issued.document in detail.text
    assert jose.read(issued.document).credential["id"] == f"urn:uuid:{issued.id}"
    assert "Verified: every check passed" in detail.text


def test_the_issue_form_names_each_field_at_fault(session: Session, sign_in_as: SignIn) -> None:
    college = make_issuer(session)
    version = college.publish(session, "wound-care")
    award = make_award(session, college, version, make_person(session))
    client = sign_in_as(_registrar(session, college))
    form = f"/orgs/{college.org.id}/awards/{award.id}/issue"
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    attempts: list[tuple[dict[str, str | list[str]], list[str]]] = [
        ({"proof_format": "rsa-2048"}, ["proof_format"]),
        ({"proof_format": "vc+jwt", "valid_until": "next June"}, ["valid_until"]),
        ({"proof_format": "vc+jwt", "evidence_name": "Case study"}, ["evidence_url"]),
        ({"proof_format": "vc+jwt", "evidence_url": "https://example.org/x"}, ["evidence_name"]),
        ({"proof_format": "eddsa-rdfc-2022", "valid_until": yesterday}, ["valid_until"]),
        (
            {
                "proof_format": "eddsa-rdfc-2022",
                "evidence_url": "ftp://example.org/x",
                "evidence_name": "Case study",
            },
            ["evidence_url"],
        ),
    ]
    for data, fields in attempts:
        answer = submit(client, form, form, data)
        assert answer.status_code == 422, data
        assert outline_of(answer.text).summary_links == fields, data
        assert problems_with(form, answer.text) == []

    session.expire_all()
    assert session.query(IssuedCredential).filter_by(award_id=award.id).count() == 0


def test_revoking_needs_a_reason_and_a_confirmation_and_is_final(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_issuer(session)
    issued = make_issued(
        session, college, college.publish(session, "wound-care"), make_person(session)
    )
    client = sign_in_as(_registrar(session, college))
    page = f"/orgs/{college.org.id}/credentials/{issued.id}"
    revoke = f"{page}/revoke"

    unconfirmed = submit(client, page, revoke, {"revoke_reason": "Wrong learner."})
    assert unconfirmed.status_code == 422
    assert outline_of(unconfirmed.text).summary_links == ["confirm"]
    assert "Wrong learner." in unconfirmed.text  # what was typed is kept
    no_reason = submit(client, page, revoke, {"revoke_reason": " ", "confirm": "yes"})
    assert no_reason.status_code == 422
    assert outline_of(no_reason.text).summary_links == ["revoke_reason"]
    assert problems_with(page, no_reason.text) == []
    session.expire_all()
    assert session.get(IssuedCredential, issued.id).revoked_at is None  # type: ignore[union-attr]

    assert "cannot be undone" in client.get(page).text
    done = submit(client, page, revoke, {"revoke_reason": "Wrong learner.", "confirm": "yes"})
    assert done.status_code == 303
    after = client.get(page).text
    assert "Revoked: Wrong learner." in after
    assert "Not verified: a check failed" in after
    assert revoke not in after  # nothing more to do with it
    listing = client.get(f"/orgs/{college.org.id}/credentials").text
    assert "Wrong learner." in listing


def test_a_suspended_credential_fails_verification_until_reinstated(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_issuer(session)
    issued = make_issued(
        session, college, college.publish(session, "wound-care"), make_person(session)
    )
    client = sign_in_as(_registrar(session, college))
    page = f"/orgs/{college.org.id}/credentials/{issued.id}"

    no_reason = submit(client, page, f"{page}/suspend", {"suspend_reason": ""})
    assert outline_of(no_reason.text).summary_links == ["suspend_reason"]
    assert submit(client, page, f"{page}/suspend", {"suspend_reason": "Appeal"}).status_code == 303
    suspended = client.get(page).text
    assert "Suspended: Appeal" in suspended
    assert "Not verified: a check failed" in suspended

    assert submit(client, page, f"{page}/reinstate", {}).status_code == 303
    assert "Verified: every check passed" in client.get(page).text
    again = submit(client, page, f"{page}/reinstate", {})
    assert again.status_code == 409
    assert "not suspended" in again.text


def test_rotating_the_key_keeps_earlier_credentials_verifying(
    session: Session, sign_in_as: SignIn, http: httpx.Client
) -> None:
    college = make_issuer(session)
    issued = make_issued(
        session, college, college.publish(session, "wound-care"), make_person(session)
    )
    client = sign_in_as(_registrar(session, college))
    listing = f"/orgs/{college.org.id}/credentials"
    did_json = f"/orgs/{college.org.slug}/did.json"
    assert f'href="{did_json}"' in client.get(listing).text
    assert len(http.get(did_json).json()["verificationMethod"]) == 1

    assert submit(client, listing, f"{listing}/rotate-key", {}).status_code == 303

    document = http.get(did_json).json()
    assert len(document["verificationMethod"]) == 2
    assert len(document["authentication"]) == 1
    assert "2 keys published" in client.get(listing).text
    detail = client.get(f"{listing}/{issued.id}").text
    assert "Verified: every check passed" in detail


def test_only_the_issuers_registrars_reach_its_credentials(
    session: Session, sign_in_as: SignIn, http: httpx.Client
) -> None:
    college = make_issuer(session)
    version = college.publish(session, "wound-care")
    learner = make_member(session, college.org, Role.LEARNER)
    issued = make_issued(session, college, version, learner)
    award = make_award(session, college, version, make_person(session))
    educator = session.get(Person, college.educator.person_id)
    assert educator is not None
    base = f"/orgs/{college.org.id}"
    pages = [
        f"{base}/credentials",
        f"{base}/credentials/{issued.id}",
        f"{base}/awards/{award.id}/issue",
    ]
    other = make_issuer(session)
    for person, status in (
        (educator, 403),
        (learner, 403),
        (_registrar(session, other), 404),
    ):
        client = sign_in_as(person)
        for path in pages:
            assert client.get(path).status_code == status, (person.display_name, path)
        assert (
            submit(
                client, "/", f"{base}/credentials/{issued.id}/suspend", {"suspend_reason": "x"}
            ).status_code
            == status
        )

    # the other college's registrar cannot reach this credential through their own pages
    other_page = f"/orgs/{other.org.id}/credentials/{issued.id}"
    assert sign_in_as(_registrar(session, other)).get(other_page).status_code == 404
    http.cookies.clear()
    assert http.get(pages[0]).status_code == 303
    session.expire_all()
    assert session.get(IssuedCredential, issued.id).suspended_at is None  # type: ignore[union-attr]


def test_a_credentials_achievement_id_leads_to_its_public_page(
    session: Session, http: httpx.Client
) -> None:
    college = make_issuer(session)
    version = college.publish(session, "wound-care")
    issued = make_issued(session, college, version, make_person(session))
    session.commit()
    achievement = json.loads(issued.document)["credentialSubject"]["achievement"]["id"]
    path = achievement.removeprefix("http://testserver.example")
    assert path == f"/catalogue/{college.org.slug}/wound-care/v1"

    page = http.get(path)
    assert page.status_code == 303
    assert page.headers["location"] == f"/catalogue/{college.org.slug}/wound-care?version=1"
    assert http.get(page.headers["location"]).status_code == 200
    as_json = http.get(path, headers={"Accept": "application/ld+json"})
    assert (
        as_json.headers["location"] == f"/catalogue/{college.org.slug}/wound-care.jsonld?version=1"
    )
    assert http.get(f"/catalogue/{college.org.slug}/wound-care/v2").status_code == 404
    assert http.get(f"/catalogue/{college.org.slug}/wound-care/vtwo").status_code == 404
    assert http.get(f"/catalogue/{make_org(session).slug}/wound-care/v1").status_code == 404
