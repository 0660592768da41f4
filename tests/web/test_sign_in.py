from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role
from tests.factories.orgs import make_member, make_org
from tests.helpers import csrf_from, web_sign_in


def test_sign_in_opens_the_dashboard(session: Session, http: httpx.Client) -> None:
    org = make_org(session, name="Northwind")
    person = make_member(session, org, Role.HR_ADMIN, person=None)
    session.commit()

    response = web_sign_in(http, person.email)

    assert response.status_code == 303
    dashboard = http.get("/")
    assert dashboard.status_code == 200
    assert "Northwind" in dashboard.text


def test_sign_in_without_csrf_token_is_refused(session: Session, http: httpx.Client) -> None:
    person = make_member(session, make_org(session))
    session.commit()
    http.get("/sign-in")

    response = http.post("/sign-in", data={"email": person.email, "password": "x", "next": "/"})

    assert response.status_code == 403
    assert "cairn_session" not in response.cookies


def test_wrong_password_says_so_without_revealing_the_account(
    session: Session, http: httpx.Client
) -> None:
    person = make_member(session, make_org(session))
    session.commit()

    wrong = web_sign_in(http, person.email, "not the password at all")
    unknown = web_sign_in(http, "nobody@example.org", "not the password at all")

    assert wrong.status_code == unknown.status_code == 401
    assert "The e-mail address or password is not right." in wrong.text
    assert "The e-mail address or password is not right." in unknown.text
    assert csrf_from(wrong.text)
