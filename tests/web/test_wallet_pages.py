"""The wallet in the browser, over HTTP: a learner sees and checks what they hold, adds
credentials from elsewhere, shares one by link with consent, and presents; strangers see a
share link's one credential and nothing else, and no one else sees the wallet."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from sqlalchemy.orm import Session

from cairn.credentials import baking, verifying
from cairn.credentials.verification import Verdict
from cairn.credentials.wallet_models import ItemSource, Share, WalletItem
from cairn.kit.actor import Role
from cairn.orgs.models import Person
from tests.conftest import LiveServer
from tests.factories.credentials import Issuer, make_issued, make_issuer
from tests.factories.orgs import actor, make_member, make_org, make_person
from tests.factories.wallet import make_foreign_credential, make_held
from tests.helpers import csrf_from, form_page, submit
from tests.web.conftest import SignIn
from tests.web.test_page_structure import problems_with


@pytest.fixture
def college(session: Session) -> Issuer:
    return make_issuer(session, name="Lakeshore College")


@pytest.fixture
def learner(session: Session) -> Person:
    return make_person(session, name="Lena Whitford")


@pytest.fixture
def stranger(live_server: LiveServer, http: httpx.Client) -> Iterator[httpx.Client]:
    """Someone with a share link and no account: a browser with no cookies."""
    with httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=30) as client:
        yield client


def _item(session: Session, learner: Person) -> WalletItem:
    session.expire_all()
    return session.query(WalletItem).filter_by(owner_id=learner.id).one()


def _share_token(page: str) -> str:
    match = re.search(r"/s/([A-Za-z0-9_-]{40,})", page)
    assert match is not None, "the page shows no share link"
    return match.group(1)


def test_a_learner_sees_each_credential_checked_now(
    session: Session, sign_in_as: SignIn, college: Issuer, learner: Person
) -> None:
    make_issued(session, college, college.publish(session, "wound-care"), learner)
    client = sign_in_as(learner)

    page = client.get("/wallet")

    assert page.status_code == 200
    assert '<a href="/wallet" aria-current="page">' in page.text
    assert "Wound care essentials" in page.text
    assert "Lakeshore College" in page.text
    assert "Issued to you on Cairn" in page.text
    assert "<strong>Verified</strong>" in page.text

    item = _item(session, learner)
    detail = client.get(f"/wallet/items/{item.id}")
    assert detail.status_code == 200
    assert "Verified: every check passed" in detail.text
    assert "Signed with a key of its issuer" in detail.text
    assert "OpenBadgeCredential" in detail.text  # the credential as data
    image = client.get(f"/wallet/items/{item.id}/download/png")
    assert baking.unbake(image.content) == item.document


def test_a_learner_adds_a_credential_from_elsewhere_and_a_broken_one_shows_as_failed(
    session: Session, sign_in_as: SignIn, learner: Person
) -> None:
    client = sign_in_as(learner)
    tampered = json.loads(make_foreign_credential("Crane signals"))
    tampered["validFrom"] = "2020-01-01T00:00:00Z"

    added = submit(
        client,
        "/wallet/import",
        "/wallet/import",
        {"credential": make_foreign_credential("Forklift safety")},
    )
    failed = submit(
        client, "/wallet/import", "/wallet/import", {"credential": json.dumps(tampered)}
    )

    assert added.status_code == failed.status_code == 303
    listing = client.get("/wallet").text
    assert "Forklift safety" in listing
    assert "Crane signals" in listing
    assert "<strong>Failed</strong>: The signature does not match the content" in listing


def test_malformed_input_is_refused_naming_the_field(
    session: Session, sign_in_as: SignIn, learner: Person
) -> None:
    client = sign_in_as(learner)

    refused = submit(client, "/wallet/import", "/wallet/import", {"credential": '{"a": '})
    not_https = submit(
        client, "/wallet/import", "/wallet/import", {"url": "http://badges.example/mine"}
    )

    assert refused.status_code == not_https.status_code == 422
    assert 'href="#credential"' in refused.text
    assert "This is not JSON" in refused.text
    assert 'href="#url"' in not_https.text
    assert session.query(WalletItem).filter_by(owner_id=learner.id).count() == 0


def test_pasted_text_over_one_mebibyte_is_refused_on_its_field(
    session: Session, sign_in_as: SignIn, learner: Person
) -> None:
    client = sign_in_as(learner)
    token = form_page(client, "/wallet/import")

    refused = client.post(
        "/wallet/import",
        data={"csrf_token": token, "credential": "{" + " " * (2 * 1024 * 1024) + "}"},
        files={"file": ("", b"", "application/octet-stream")},
    )

    assert refused.status_code == 422
    assert 'href="#credential"' in refused.text
    assert "A credential over 1 MiB is not accepted." in refused.text
    assert session.query(WalletItem).filter_by(owner_id=learner.id).count() == 0


def test_a_baked_badge_is_uploaded_into_the_wallet(
    session: Session, sign_in_as: SignIn, learner: Person
) -> None:
    client = sign_in_as(learner)
    credential = make_foreign_credential("Forklift safety")
    badge = baking.bake_png(baking.badge_png("Forklift", "Harbour"), credential)

    response = client.post(
        "/wallet/import",
        data={"csrf_token": form_page(client, "/wallet/import")},
        files={"file": ("forklift.png", badge, "image/png")},
    )

    assert response.status_code == 303
    item = _item(session, learner)
    assert response.headers["location"] == f"/wallet/items/{item.id}?notice=created"
    assert (item.source, item.document) == (ItemSource.PNG, credential)


class _Serve(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:  # the name http.server calls
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_credential_is_added_from_a_link(
    session: Session, sign_in_as: SignIn, learner: Person
) -> None:
    """Over real HTTP from a server on this machine: plain http only for localhost."""
    credential = make_foreign_credential("Forklift safety")
    handler = type("Handler", (_Serve,), {"body": credential.encode()})
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/badges/forklift.json"
            response = submit(sign_in_as(learner), "/wallet/import", "/wallet/import", {"url": url})
        finally:
            server.shutdown()
            thread.join()

    assert response.status_code == 303
    item = _item(session, learner)
    assert (item.source, item.source_url, item.document) == (ItemSource.URL, url, credential)


def test_sharing_needs_consent_and_the_link_shows_the_credential_to_anyone_until_revoked(
    session: Session,
    sign_in_as: SignIn,
    college: Issuer,
    learner: Person,
    stranger: httpx.Client,
) -> None:
    make_issued(session, college, college.publish(session, "wound-care"), learner)
    client = sign_in_as(learner)
    item = _item(session, learner)
    path = f"/wallet/items/{item.id}"

    refused = submit(client, path, f"{path}/shares", {"expires_in_days": "30", "audience": "HR"})
    assert refused.status_code == 422
    assert 'href="#consent"' in refused.text
    assert session.query(Share).filter_by(item_id=item.id).count() == 0

    made = submit(
        client,
        path,
        f"{path}/shares",
        {"consent": "yes", "expires_in_days": "7", "audience": "Northwind HR"},
    )
    assert made.status_code == 303
    token = _share_token(client.get(path).text)

    shown = stranger.get(f"/s/{token}")
    assert shown.status_code == 200
    assert '<meta name="robots" content="noindex, nofollow">' in shown.text
    assert shown.headers["x-robots-tag"] == "noindex, nofollow"
    assert "Wound care essentials" in shown.text
    assert "Lakeshore College" in shown.text
    assert "Awarded to" in shown.text
    assert "Lena Whitford" in shown.text
    assert "Verified: every check passed" in shown.text
    pdf = stranger.get(f"/s/{token}/download/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment;")
    assert stranger.get(f"/s/{token}/download/json").text == item.document

    page = client.get(path).text
    assert "Northwind HR" in page
    assert re.search(r'<td class="number">1<', page), "one view, downloads not counted"
    share = session.query(Share).filter_by(item_id=item.id).one()
    assert "until" in share.consent_text

    revoke = submit(client, path, f"/wallet/shares/{share.id}/revoke", {})
    assert revoke.status_code == 303
    gone = stranger.get(f"/s/{token}")
    assert gone.status_code == 410
    assert "This link no longer works" in gone.text
    assert "revoked" in gone.text
    assert stranger.get(f"/s/{token}/download/json").status_code == 410
    assert stranger.get("/s/never-made").status_code == 404


def test_removing_a_credential_empties_the_wallet_and_ends_its_links(
    session: Session, sign_in_as: SignIn, learner: Person, stranger: httpx.Client
) -> None:
    owner = actor(session, learner)
    item = make_held(session, owner)
    client = sign_in_as(learner)
    path = f"/wallet/items/{item.id}"
    submit(client, path, f"{path}/shares", {"consent": "yes", "expires_in_days": "30"})
    token = _share_token(client.get(path).text)

    removed = submit(client, path, f"{path}/remove", {})

    assert removed.status_code == 303
    assert "Your wallet is empty" in client.get("/wallet").text
    assert client.get(path).status_code == 404
    assert stranger.get(f"/s/{token}").status_code == 410


def test_a_presentation_is_made_for_the_verifier_that_asked(
    session: Session, sign_in_as: SignIn, college: Issuer, learner: Person
) -> None:
    make_issued(session, college, college.publish(session, "wound-care"), learner)
    client = sign_in_as(learner)
    item = _item(session, learner)

    refused = submit(
        client, "/wallet/present", "/wallet/present", {"challenge": "abc", "domain": "jobs.example"}
    )
    made = submit(
        client,
        "/wallet/present",
        "/wallet/present",
        {"item_ids": [str(item.id)], "challenge": "abc", "domain": "jobs.example"},
    )

    assert refused.status_code == 422
    assert 'href="#item_ids"' in refused.text
    assert made.status_code == 200
    assert made.headers["content-disposition"].startswith(
        'attachment; filename="presentation.json"'
    )
    report = verifying.verifier(session).verify_presentation(
        made.json(), challenge="abc", domain="jobs.example"
    )
    assert report.verdict is Verdict.VERIFIED, report.as_json()


def test_no_one_else_reaches_a_learners_wallet(
    session: Session,
    sign_in_as: SignIn,
    college: Issuer,
    learner: Person,
    stranger: httpx.Client,
) -> None:
    make_issued(session, college, college.publish(session, "wound-care"), learner)
    other = make_held(session, actor(session, learner), make_foreign_credential("Forklift safety"))
    client = sign_in_as(learner)
    item = session.query(WalletItem).filter_by(owner_id=learner.id, source="issued").one()
    path = f"/wallet/items/{item.id}"
    submit(client, path, f"{path}/shares", {"consent": "yes", "expires_in_days": "30"})
    share = session.query(Share).filter_by(item_id=item.id).one()
    employer = make_org(session, name="Northwind Health")
    make_member(session, employer, Role.LEARNER, person=learner)
    people = {
        "another learner": make_person(session),
        "the issuer's registrar": session.get_one(Person, college.registrar.person_id),
        "the learner's employer's HR": make_member(session, employer, Role.HR_ADMIN),
    }

    for who, person in people.items():
        browser = sign_in_as(person)
        assert "Wound care essentials" not in browser.get("/wallet").text, who
        for url in (path, f"{path}/download/json", f"/wallet/items/{other.id}"):
            assert browser.get(url).status_code == 404, (who, url)
        token = csrf_from(browser.get("/wallet").text)
        for action, data in (
            (f"{path}/shares", {"consent": "yes", "expires_in_days": "30"}),
            (f"{path}/remove", {}),
            (f"/wallet/shares/{share.id}/revoke", {}),
            ("/wallet/present", {"item_ids": str(item.id), "challenge": "c", "domain": "d"}),
        ):
            response = browser.post(action, data={**data, "csrf_token": token})
            assert response.status_code == 404, (who, action, response.status_code)

    session.expire_all()
    assert session.get_one(Share, share.id).revoked_at is None
    assert session.get_one(WalletItem, item.id).removed_at is None
    assert session.query(Share).filter_by(item_id=item.id).count() == 1
    for url in ("/wallet", path, "/wallet/present", "/wallet/import"):
        response = stranger.get(url)
        assert response.status_code == 303, url
        assert response.headers["location"].startswith("/sign-in?next=")
    shown = stranger.get(f"/s/{share.token}").text
    assert "Wound care essentials" in shown
    assert "Forklift safety" not in shown  # a share shows its one credential, nothing else


def test_every_wallet_page_reads_well_with_assistive_technology(
    session: Session,
    sign_in_as: SignIn,
    college: Issuer,
    learner: Person,
    stranger: httpx.Client,
) -> None:
    make_issued(session, college, college.publish(session, "wound-care"), learner)
    make_held(session, actor(session, learner), make_foreign_credential("Forklift safety"))
    client = sign_in_as(learner)
    item = session.query(WalletItem).filter_by(owner_id=learner.id, source="issued").one()
    path = f"/wallet/items/{item.id}"
    submit(client, path, f"{path}/shares", {"consent": "yes", "expires_in_days": "30"})
    token = _share_token(client.get(path).text)

    pages = {url: client.get(url) for url in ("/wallet", path, "/wallet/import", "/wallet/present")}
    pages["refused share"] = submit(client, path, f"{path}/shares", {"expires_in_days": "400"})
    pages["refused import"] = submit(client, "/wallet/import", "/wallet/import", {"url": "ftp://x"})
    pages["refused presentation"] = submit(client, "/wallet/present", "/wallet/present", {})
    pages["share"] = stranger.get(f"/s/{token}")
    submit(client, path, f"{path}/remove", {})
    pages["ended share"] = stranger.get(f"/s/{token}")

    found = [problem for name, page in pages.items() for problem in problems_with(name, page.text)]
    assert found == []
    for name in ("refused share", "refused import", "refused presentation"):
        assert pages[name].status_code == 422, name
        assert "data-autofocus" in pages[name].text, name
    assert 'href="#expires_in_days"' in pages["refused share"].text
    assert 'href="#challenge"' in pages["refused presentation"].text
