"""My profile, the optional equity questions, and API tokens."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.auth.models import ApiToken
from cairn.kit.actor import Role
from cairn.orgs.enums import AgeBand
from cairn.orgs.models import EquityAttributes, Person
from tests.factories.orgs import make_member, make_org
from tests.helpers import submit

SignIn = Callable[[Person], httpx.Client]


def test_saving_a_language_preference_switches_the_pages(
    session: Session, sign_in_as: SignIn
) -> None:
    person = make_member(session, make_org(session))
    client = sign_in_as(person)

    saved = submit(
        client,
        "/profile",
        "/profile",
        {"display_name": "Lena W.", "headline": "Support worker", "locale": "fr"},
    )

    assert saved.status_code == 303
    session.expire_all()
    assert person.display_name == "Lena W."
    assert person.locale == "fr"
    assert "Mon profil" in client.get("/profile").text


def test_equity_answers_need_consent_and_withdrawal_erases_them(
    session: Session, sign_in_as: SignIn
) -> None:
    person = make_member(session, make_org(session))
    client = sign_in_as(person)

    refused = submit(client, "/profile/equity", "/profile/equity", {"age_band": "40_54"})
    assert refused.status_code == 422
    assert 'id="consent-error"' in refused.text
    assert session.get(EquityAttributes, person.id) is None

    saved = submit(
        client, "/profile/equity", "/profile/equity", {"age_band": "40_54", "consent": "yes"}
    )
    assert saved.status_code == 303
    session.expire_all()
    answers = session.get(EquityAttributes, person.id)
    assert answers is not None
    assert answers.age_band is AgeBand.AGE_40_54

    erased = submit(client, "/profile/equity", "/profile/equity/withdraw", {})
    assert erased.status_code == 303
    session.expire_all()
    assert session.get(EquityAttributes, person.id) is None


def test_a_token_is_shown_once_and_then_only_by_its_prefix(
    session: Session, sign_in_as: SignIn
) -> None:
    person = make_member(session, make_org(session), Role.HR_ADMIN)
    client = sign_in_as(person)

    created = submit(
        client,
        "/profile/tokens",
        "/profile/tokens",
        {"name": "payroll sync", "scopes": ["people:read"]},
    )

    assert created.status_code == 200
    token = session.scalars(select(ApiToken).where(ApiToken.person_id == person.id)).one()
    assert token.scopes == ["people:read"]
    shown = created.text.split('id="new-token">', 1)[1].split("<", 1)[0].strip()
    assert shown.startswith(f"cairn_{token.prefix}_")
    profile = client.get("/api/v1/me/profile", headers={"Authorization": f"Bearer {shown}"})
    assert profile.status_code == 403  # people:read does not cover the profile
    listing = client.get("/profile/tokens").text
    assert shown not in listing
    assert f"cairn_{token.prefix}_" in listing


def test_a_token_without_scopes_is_refused_with_the_field_named(
    session: Session, sign_in_as: SignIn
) -> None:
    client = sign_in_as(make_member(session, make_org(session)))

    response = submit(client, "/profile/tokens", "/profile/tokens", {"name": "nothing"})

    assert response.status_code == 422
    assert 'id="scopes-error"' in response.text


def test_a_revoked_token_stops_working(session: Session, sign_in_as: SignIn) -> None:
    person = make_member(session, make_org(session))
    client = sign_in_as(person)
    created = submit(
        client, "/profile/tokens", "/profile/tokens", {"name": "script", "scopes": ["orgs:read"]}
    )
    plain = created.text.split('id="new-token">', 1)[1].split("<", 1)[0].strip()
    token = session.scalars(select(ApiToken).where(ApiToken.person_id == person.id)).one()
    assert (
        client.get("/api/v1/orgs", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    )

    assert (
        submit(client, "/profile/tokens", f"/profile/tokens/{token.id}/revoke", {}).status_code
        == 303
    )

    assert (
        client.get("/api/v1/orgs", headers={"Authorization": f"Bearer {plain}"}).status_code == 401
    )
