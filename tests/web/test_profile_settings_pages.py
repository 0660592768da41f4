"""My profile's language and fields, the consent wording, and the token page's safeguards."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from cairn.auth.models import ApiToken
from cairn.kit.actor import Scope
from cairn.kit.clock import utcnow
from cairn.kit.i18n import LOCALE_COOKIE
from cairn.orgs.models import LearnerProfile, Person
from tests.factories.auth import make_token
from tests.factories.orgs import make_member, make_org
from tests.helpers import submit
from tests.web.conftest import SignIn


def test_the_profile_is_saved_and_the_language_cookie_follows_it(
    session: Session, sign_in_as: SignIn
) -> None:
    person = make_member(session, make_org(session))
    client = sign_in_as(person)
    fields = {"display_name": "Mireille Roy", "headline": "Welder", "about": "", "region": "Gaspé"}

    french = submit(client, "/profile", "/profile", {**fields, "locale": "fr"})
    assert french.status_code == 303
    assert f"{LOCALE_COOKIE}=fr" in french.headers["set-cookie"]
    assert client.cookies.get(LOCALE_COOKIE) == "fr"

    browser_choice = submit(client, "/profile", "/profile", {**fields, "locale": ""})
    assert browser_choice.status_code == 303
    assert client.cookies.get(LOCALE_COOKIE) is None  # Accept-Language decides again
    session.expire_all()
    profile = session.get(LearnerProfile, person.id)
    assert profile is not None
    assert profile.region == "Gaspé"
    assert profile.headline == "Welder"
    assert session.get(Person, person.id).locale is None  # type: ignore[union-attr]


def test_profile_mistakes_are_named_and_nothing_is_saved(
    session: Session, sign_in_as: SignIn
) -> None:
    person = make_member(session, make_org(session))
    name = person.display_name
    client = sign_in_as(person)

    response = submit(
        client, "/profile", "/profile", {"display_name": "x" * 201, "headline": "y" * 121}
    )

    assert response.status_code == 422
    assert '<a href="#display_name">Enter at most 200 characters.</a>' in response.text
    assert '<a href="#headline">Enter at most 120 characters.</a>' in response.text
    session.expire_all()
    assert session.get(Person, person.id).display_name == name  # type: ignore[union-attr]


def test_the_equity_page_asks_for_consent_in_plain_words(
    session: Session, sign_in_as: SignIn
) -> None:
    client = sign_in_as(make_member(session, make_org(session)))

    page = client.get("/profile/equity").text

    assert "Employers, managers and administrators never see them." in page
    assert "only in totals" in page
    assert '<input type="checkbox" id="consent" name="consent" value="yes"' in page
    assert '<label for="consent">' in page
    assert "Withdraw consent" not in page  # nothing to withdraw yet
    for name in ("region_type", "indigenous_identity", "age_band", "disability", "newcomer"):
        assert f'<select id="{name}" name="{name}"' in page
    assert 'value="prefer_not_to_say"' in page


def test_saved_equity_answers_are_shown_back_to_their_owner(
    session: Session, sign_in_as: SignIn
) -> None:
    client = sign_in_as(make_member(session, make_org(session)))
    answers = {"region_type": "remote", "newcomer": "yes", "official_language": "fr"}

    saved = submit(client, "/profile/equity", "/profile/equity", {**answers, "consent": "yes"})

    assert saved.status_code == 303
    page = client.get(saved.headers["location"]).text
    assert '<option value="remote" selected>' in page
    assert '<option value="fr" selected>' in page
    assert "checked" in page.split('id="consent"', 1)[1].split(">", 1)[0]
    assert "Withdraw consent and erase my answers" in page


def test_the_new_token_page_is_never_cached(session: Session, sign_in_as: SignIn) -> None:
    client = sign_in_as(make_member(session, make_org(session)))

    created = submit(
        client, "/profile/tokens", "/profile/tokens", {"name": "ci", "scopes": ["orgs:read"]}
    )

    assert created.status_code == 200
    assert 'id="new-token"' in created.text
    assert created.headers["cache-control"] == "no-store"


def test_token_mistakes_are_named_and_nothing_is_created(
    session: Session, sign_in_as: SignIn
) -> None:
    person = make_member(session, make_org(session))
    client = sign_in_as(person)

    not_a_number = submit(
        client,
        "/profile/tokens",
        "/profile/tokens",
        {"name": "ci", "scopes": ["orgs:read"], "expires_in_days": "soon"},
    )
    too_long = submit(
        client,
        "/profile/tokens",
        "/profile/tokens",
        {"name": "ci", "scopes": ["orgs:read"], "expires_in_days": "400"},
    )

    assert not_a_number.status_code == 422
    assert '<a href="#expires_in_days">' in not_a_number.text
    assert 'value="soon"' in not_a_number.text
    assert 'value="orgs:read" checked' in not_a_number.text
    assert too_long.status_code == 422
    assert '<a href="#expires_in_days">A token lasts between 1 and 366 days.</a>' in too_long.text
    assert 'id="new-token"' not in not_a_number.text + too_long.text
    assert session.query(ApiToken).filter_by(person_id=person.id).count() == 0


def test_the_token_list_says_which_tokens_still_work(session: Session, sign_in_as: SignIn) -> None:
    person = make_member(session, make_org(session))
    make_token(session, person, [Scope.ORGS_READ], name="active one")
    make_token(session, person, [Scope.ORGS_READ], name="old one")
    make_token(session, person, [Scope.ORGS_READ], name="revoked one")
    tokens = {token.name: token for token in session.query(ApiToken).filter_by(person_id=person.id)}
    tokens["old one"].expires_at = utcnow() - timedelta(days=1)
    tokens["revoked one"].revoked_at = utcnow()
    client = sign_in_as(person)

    page = client.get("/profile/tokens").text

    def row(name: str) -> str:
        return page[page.index(f'<th scope="row">{name}</th>') :].split("</tr>", 1)[0]

    assert "Active" in row("active one")
    assert "/revoke" in row("active one")
    assert "Expired" in row("old one")
    assert "Revoked" in row("revoked one")
    assert "/revoke" not in row("revoked one")
    assert f"cairn_{tokens['active one'].prefix}_" in row("active one")
