"""What the page tests share: a browser signed in as someone, without the sign-in form."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy.orm import Session

from cairn.auth.dependencies import SESSION_COOKIE
from cairn.orgs.models import Person
from tests.factories.auth import make_web_session

SignIn = Callable[[Person], httpx.Client]


@pytest.fixture
def sign_in_as(session: Session, http: httpx.Client) -> SignIn:
    """Give the ``http`` client a session cookie for a person and return it. Skips the argon2
    check of the form (test_sign_in.py covers that) and commits, so the served app sees
    everything the test has made so far. Signing in again replaces the previous person."""

    def sign_in(person: Person) -> httpx.Client:
        token = make_web_session(session, person)
        session.commit()
        http.cookies.clear()
        http.cookies.set(SESSION_COOKIE, token)
        return http

    return sign_in
