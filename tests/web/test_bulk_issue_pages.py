"""Bulk issue on the web: a registrar checks a file, then issues it, and reads each run's
page and the issue log; a bad file's page lists every problem with its line; the form
without a file is shown again; only the issuer's registrars reach any of it."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.credentials.issued_models import IssueBatch, IssuedCredential
from cairn.orgs.models import Person
from tests.factories.bulk_issue import learners_csv
from tests.factories.credentials import Issuer, make_issuer
from tests.factories.orgs import make_person
from tests.helpers import form_page
from tests.web.conftest import SignIn
from tests.web.test_page_structure import problems_with

SPEC = "wound-care"


def _college(session: Session) -> Issuer:
    college = make_issuer(session, name="Lakeshore College")
    college.publish(session, SPEC)
    return college


def _registrar(session: Session, college: Issuer) -> Person:
    return session.get_one(Person, college.registrar.person_id)


def _post(
    client: httpx.Client, college: Issuer, data: bytes, action: str, **fields: str
) -> httpx.Response:
    path = f"/orgs/{college.org.id}/bulk-issue"
    form = {
        "csrf_token": form_page(client, path),
        "specification": SPEC,
        "proof_format": "eddsa-rdfc-2022",
        "action": action,
        **fields,
    }
    return client.post(path, data=form, files={"file": ("cohort.csv", data, "text/csv")})


def _followed(client: httpx.Client, response: httpx.Response) -> httpx.Response:
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert problems_with(response.headers["location"], page.text) == []
    return page


def test_a_registrar_checks_a_file_then_issues_it_and_reads_the_log(
    session: Session, sign_in_as: SignIn
) -> None:
    college = _college(session)
    make_person(session, email="lena@example.org")
    client = sign_in_as(_registrar(session, college))
    path = f"/orgs/{college.org.id}/bulk-issue"
    page = client.get(path)
    assert problems_with(path, page.text) == []
    assert f'<a href="{path}" aria-current="page">Bulk issue</a>' in page.text
    assert "No file checked or issued yet." in page.text
    data = learners_csv([("lena@example.org", "2026-03-02")], ("email", "awarded_on"))

    checked = _followed(client, _post(client, college, data, "check"))
    assert "The file's 1 row is good. Nothing was issued" in checked.text
    assert "Checked, nothing issued" in checked.text
    issued = _followed(client, _post(client, college, data, "issue"))
    assert "1 credential was issued." in issued.text

    session.expire_all()
    [credential] = session.scalars(select(IssuedCredential)).all()
    batch = session.get_one(IssueBatch, credential.batch_id)
    assert (batch.rows, batch.issued) == (1, 1)
    log = client.get(path)
    assert "2 runs, newest first" in log.text
    assert log.text.index("<td>Issued</td>") < log.text.index("<td>Checked, nothing issued</td>")
    assert f'href="{path}/{batch.id}"' in log.text


def test_a_bad_files_page_lists_every_problem_with_its_line(
    session: Session, sign_in_as: SignIn
) -> None:
    college = _college(session)
    client = sign_in_as(_registrar(session, college))
    data = learners_csv(
        [("nobody@example.org", "2026-03-02"), ("nobody@example.org", "yesterday")],
        ("email", "awarded_on"),
    )

    page = _followed(client, _post(client, college, data, "issue"))

    assert "Nothing was issued. Fix the problems below" in page.text
    assert (
        '<tr><th scope="row">2</th><td>email</td><td>Nobody on Cairn has this e-mail address.'
        "</td></tr>"
    ) in page.text
    assert '<tr><th scope="row">3</th><td>email</td>' in page.text
    assert '<tr><th scope="row">3</th><td>awarded_on</td>' in page.text
    session.expire_all()
    assert session.scalars(select(IssuedCredential)).all() == []


def test_a_form_without_a_file_or_a_known_format_is_shown_again_naming_the_field(
    session: Session, sign_in_as: SignIn
) -> None:
    college = _college(session)
    client = sign_in_as(_registrar(session, college))
    path = f"/orgs/{college.org.id}/bulk-issue"

    no_file = client.post(
        path, data={"csrf_token": form_page(client, path), "specification": SPEC, "action": "check"}
    )
    assert no_file.status_code == 422
    assert problems_with(path, no_file.text) == []
    assert '<a href="#file">Choose the CSV file of learners.</a>' in no_file.text
    unknown = _post(client, college, b"email,awarded_on\n", "check", proof_format="pgp")
    assert unknown.status_code == 422
    assert '<a href="#proof_format">' in unknown.text
    session.expire_all()
    assert session.scalars(select(IssueBatch)).all() == []


def test_only_the_issuers_registrars_reach_bulk_issue(session: Session, sign_in_as: SignIn) -> None:
    college = _college(session)
    other = _college(session)
    client = sign_in_as(_registrar(session, college))
    data = learners_csv([("nobody@example.org", "2026-03-02")], ("email", "awarded_on"))
    batch_page = _post(client, college, data, "check").headers["location"]
    batch_id = batch_page.rsplit("/", 1)[1]

    as_educator = sign_in_as(session.get_one(Person, college.educator.person_id))
    assert as_educator.get(f"/orgs/{college.org.id}/bulk-issue").status_code == 403
    assert as_educator.get(batch_page).status_code == 403
    specifications = as_educator.get(f"/orgs/{college.org.id}/specifications")
    assert "/bulk-issue" not in specifications.text  # no tab for educators
    as_other_registrar = sign_in_as(_registrar(session, other))
    assert as_other_registrar.get(batch_page).status_code == 404
    assert as_other_registrar.get(f"/orgs/{other.org.id}/bulk-issue/{batch_id}").status_code == 404
