"""The public verification page, over real HTTP and without signing in."""

from __future__ import annotations

import json

import httpx
from sqlalchemy.orm import Session

from cairn.credentials import baking
from tests.factories.credentials import make_issued, make_issuer
from tests.factories.orgs import make_person
from tests.helpers import form_page


def _issued_document(session: Session) -> str:
    college = make_issuer(session, name="Lakeshore College")
    version = college.publish(session, "wound-care")
    issued = make_issued(session, college, version, make_person(session, name="Lena Whitford"))
    session.commit()  # the served app reads in its own transaction
    return issued.document


def test_the_page_needs_no_sign_in_and_is_not_indexed(http: httpx.Client) -> None:
    page = http.get("/verify")

    assert page.status_code == 200
    assert '<meta name="robots" content="noindex">' in page.text
    assert 'for="credential"' in page.text
    assert 'for="file"' in page.text


def test_a_pasted_credential_shows_each_check_and_the_verdict(
    session: Session, http: httpx.Client
) -> None:
    document = _issued_document(session)
    token = form_page(http, "/verify")

    page = http.post("/verify", data={"credential": document, "csrf_token": token})

    assert page.status_code == 200
    assert "Verified: every check passed" in page.text
    assert "Wound care essentials" in page.text
    assert "Lakeshore College" in page.text
    assert page.text.count('class="outcome-passed"') >= 5


def test_a_changed_credential_is_reported_as_changed(session: Session, http: httpx.Client) -> None:
    document = json.loads(_issued_document(session))
    document["credentialSubject"]["achievement"]["name"] = "Brain surgery"
    token = form_page(http, "/verify")

    page = http.post("/verify", data={"credential": json.dumps(document), "csrf_token": token})

    assert "Not verified: a check failed" in page.text
    assert "changed after it was signed" in page.text


def test_a_baked_badge_is_read_from_the_uploaded_image(
    session: Session, http: httpx.Client
) -> None:
    document = _issued_document(session)
    image = baking.bake_png(
        baking.badge_png("Wound care essentials", "Lakeshore College"), document
    )
    token = form_page(http, "/verify")

    page = http.post(
        "/verify",
        data={"csrf_token": token},
        files={"file": ("badge.png", image, "image/png")},
    )

    assert page.status_code == 200
    assert "Verified: every check passed" in page.text


def test_nothing_to_check_and_unreadable_files_are_refused_naming_the_field(
    http: httpx.Client,
) -> None:
    token = form_page(http, "/verify")
    empty = http.post("/verify", data={"credential": "  ", "csrf_token": token})
    assert empty.status_code == 422
    assert 'href="#credential"' in empty.text

    binary = http.post(
        "/verify",
        data={"csrf_token": token},
        files={"file": ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)), "image/jpeg")},
    )
    assert binary.status_code == 422
    assert 'href="#file"' in binary.text


def test_malformed_json_is_a_clear_failure_not_a_crash(http: httpx.Client) -> None:
    token = form_page(http, "/verify")

    page = http.post("/verify", data={"credential": '{"@context": [', "csrf_token": token})

    assert page.status_code == 200
    assert "Not verified" in page.text


def test_a_link_that_is_not_https_is_refused(http: httpx.Client) -> None:
    page = http.get("/verify", params={"url": "ftp://example.org/badge.json"})

    assert page.status_code == 422
    assert 'href="#url"' in page.text


def test_a_text_file_that_is_not_json_is_reported_with_where_it_breaks(
    http: httpx.Client,
) -> None:
    token = form_page(http, "/verify")
    text = b'{\n  "@context": ["https://www.w3.org/ns/credentials/v2"],\n  "type": \n}\n'

    page = http.post(
        "/verify",
        data={"csrf_token": token},
        files={"file": ("credential.json", text, "application/json")},
    )

    assert page.status_code == 200
    assert "Not verified: a check failed" in page.text
    assert "This is not JSON: Expecting value at line 4, column 1." in page.text


def test_an_empty_file_is_refused_naming_the_file_field(http: httpx.Client) -> None:
    token = form_page(http, "/verify")

    page = http.post(
        "/verify",
        data={"csrf_token": token},
        files={"file": ("credential.json", b"", "application/json")},
    )

    assert page.status_code == 422
    assert 'href="#file"' in page.text
    assert "The chosen file is empty." in page.text


def test_pasted_text_over_one_mebibyte_is_refused_on_its_field_as_the_browser_sends_it(
    http: httpx.Client,
) -> None:
    """The form is multipart (it has a file input): the web server's own 1 MiB part limit
    must not answer first with a page that names nothing."""
    token = form_page(http, "/verify")
    pasted = "{" + " " * (2 * 1024 * 1024) + "}"

    page = http.post(
        "/verify",
        data={"csrf_token": token, "credential": pasted},
        files={"file": ("", b"", "application/octet-stream")},
    )

    assert page.status_code == 422
    assert 'href="#credential"' in page.text
    assert "A credential over 1 MiB is not accepted." in page.text
