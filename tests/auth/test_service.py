"""Sign-in with throttling, web sessions and scoped API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.auth import service as auth_service
from cairn.auth.models import ApiToken, LoginAttempt, WebSession
from cairn.config import get_settings
from cairn.kit.actor import Actor, Role, Scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import InvalidInput, NotFound, PermissionDenied
from cairn.kit.ids import digest
from cairn.kit.pagination import PageParams
from cairn.kit.passwords import needs_rehash, verify_password
from cairn.orgs import people
from cairn.orgs import service as orgs_service
from cairn.orgs.models import Person
from cairn.orgs.schemas import ProfileUpdate
from tests.factories.orgs import PASSWORD, actor, make_member, make_org, make_person

# --- signing in ------------------------------------------------------------------------


def record_attempts(
    session: Session, email: str, *, succeeded: bool, count: int, minutes_ago: float
) -> None:
    """Earlier sign-in attempts, as the service would have recorded them."""
    when = utcnow() - timedelta(minutes=minutes_ago)
    session.add_all(
        LoginAttempt(email=email, succeeded=succeeded, attempted_at=when) for _ in range(count)
    )
    session.flush()


def test_the_right_password_opens_a_session(session: Session) -> None:
    person = make_person(session, email="lena@example.org")

    result = auth_service.sign_in(
        session, email="  LENA@example.org ", password=PASSWORD, user_agent="Firefox"
    )

    assert result.error is None
    assert result.person is person
    assert result.session_token is not None
    stored = session.scalars(select(WebSession).where(WebSession.person_id == person.id)).one()
    assert stored.token_hash == digest(result.session_token)
    assert result.session_token not in {stored.token_hash, stored.user_agent}
    hours = get_settings().session_hours
    assert abs(stored.expires_at - (utcnow() + timedelta(hours=hours))) < timedelta(minutes=1)
    signed_in = auth_service.session_actor(session, result.session_token)
    assert signed_in is not None
    assert (signed_in.person_id, signed_in.scopes) == (person.id, None)


def test_a_wrong_password_and_an_unknown_address_read_the_same(session: Session) -> None:
    person = make_person(session)

    wrong = auth_service.sign_in(session, email=person.email, password="not the password")
    unknown = auth_service.sign_in(session, email="nobody@example.org", password=PASSWORD)

    for result in (wrong, unknown):
        assert (result.person, result.session_token, result.locked) == (None, None, False)
    assert wrong.error is not None
    assert unknown.error is not None
    assert str(wrong.error) == str(unknown.error)
    assert session.scalars(select(WebSession)).all() == []


def test_a_deactivated_person_cannot_sign_in(session: Session) -> None:
    person = make_person(session)
    person.is_active = False
    session.flush()

    result = auth_service.sign_in(session, email=person.email, password=PASSWORD)

    assert result.session_token is None
    assert str(result.error) == "The e-mail address or password is not right."


def test_too_many_failures_lock_the_address_even_for_the_right_password(
    session: Session,
) -> None:
    settings = get_settings()
    person = make_person(session)
    bystander = make_person(session)
    for _ in range(settings.login_max_failures):
        failed = auth_service.sign_in(session, email=person.email, password="guess guess guess")
        assert not failed.locked

    locked = auth_service.sign_in(session, email=person.email.upper(), password=PASSWORD)

    assert locked.locked
    assert locked.session_token is None
    assert str(settings.login_window_minutes) in str(locked.error)
    assert auth_service.sign_in(session, email=bystander.email, password=PASSWORD).session_token


def test_failures_before_the_window_do_not_count(session: Session) -> None:
    settings = get_settings()
    person = make_person(session)
    record_attempts(
        session,
        person.email,
        succeeded=False,
        count=settings.login_max_failures,
        minutes_ago=settings.login_window_minutes + 1,
    )

    assert auth_service.sign_in(session, email=person.email, password=PASSWORD).session_token


def test_a_success_starts_the_count_again(session: Session) -> None:
    settings = get_settings()
    almost = settings.login_max_failures - 1
    assert almost * 2 >= settings.login_max_failures, "the setting is too small for this test"
    forgetful, attacked = make_person(session), make_person(session)
    for person, succeeded_between in ((forgetful, True), (attacked, False)):
        record_attempts(session, person.email, succeeded=False, count=almost, minutes_ago=6)
        if succeeded_between:
            record_attempts(session, person.email, succeeded=True, count=1, minutes_ago=5)
        record_attempts(session, person.email, succeeded=False, count=almost, minutes_ago=4)

    assert auth_service.sign_in(session, email=forgetful.email, password=PASSWORD).session_token
    assert auth_service.sign_in(session, email=attacked.email, password=PASSWORD).locked


def test_an_old_hash_is_upgraded_at_sign_in(session: Session) -> None:
    person = make_person(session, with_password=False)
    person.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    session.flush()
    assert needs_rehash(person.password_hash)

    assert auth_service.sign_in(session, email=person.email, password=PASSWORD).session_token

    assert person.password_hash.startswith("$argon2id$")
    assert not needs_rehash(person.password_hash)
    assert verify_password(person.password_hash, PASSWORD)


# --- web sessions ----------------------------------------------------------------------


def signed_in(session: Session, person: Person) -> str:
    token = auth_service.sign_in(session, email=person.email, password=PASSWORD).session_token
    assert token is not None
    return token


def test_an_expired_session_is_refused(session: Session) -> None:
    person = make_person(session)
    token = signed_in(session, person)
    web_session = session.scalars(select(WebSession).where(WebSession.person_id == person.id)).one()
    web_session.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()

    assert auth_service.session_actor(session, token) is None


def test_signing_out_ends_the_session(session: Session) -> None:
    person = make_person(session)
    token = signed_in(session, person)
    other_device = signed_in(session, person)

    auth_service.sign_out(session, token)

    assert auth_service.session_actor(session, token) is None
    assert auth_service.session_actor(session, other_device) is not None
    assert auth_service.session_actor(session, "made-up") is None


def test_a_deactivated_persons_session_stops_working(session: Session) -> None:
    person = make_person(session)
    token = signed_in(session, person)

    person.is_active = False
    session.flush()

    assert auth_service.session_actor(session, token) is None


def test_the_session_carries_the_persons_roles(session: Session) -> None:
    org = make_org(session)
    person = make_member(session, org, Role.HR_ADMIN)

    signed = auth_service.session_actor(session, signed_in(session, person))

    assert signed is not None
    assert signed.roles_in(org.id) == {Role.HR_ADMIN}


# --- API tokens ------------------------------------------------------------------------


def test_the_plain_token_is_returned_once_and_only_its_digest_kept(session: Session) -> None:
    me = actor(session, make_person(session))

    token, plain = auth_service.create_api_token(
        session, me, name="  Payroll sync ", scopes=[Scope.PEOPLE_READ, Scope.ORGS_READ]
    )

    assert plain.startswith(auth_service.TOKEN_PREFIX)
    assert token.token_hash == digest(plain)
    assert token.prefix in plain
    assert len(plain) > len(token.prefix) + 32
    assert not any(plain in str(value) for value in vars(token).values())
    assert (token.name, token.scopes, token.expires_at) == (
        "Payroll sync",
        ["orgs:read", "people:read"],
        None,
    )
    assert [t.id for t in auth_service.list_api_tokens(session, me)] == [token.id]
    _, another = auth_service.create_api_token(session, me, name="Again", scopes=[Scope.ORGS_READ])
    assert another != plain


def test_a_token_acts_with_its_scopes_only(session: Session) -> None:
    org = make_org(session)
    person = make_member(session, org, Role.HR_ADMIN)
    _, plain = auth_service.create_api_token(
        session, actor(session, person), name="read orgs", scopes=[Scope.ORGS_READ]
    )

    token_actor = auth_service.token_actor(session, plain)

    assert token_actor is not None
    assert token_actor.scopes == frozenset({Scope.ORGS_READ})
    assert token_actor.roles_in(org.id) == {Role.HR_ADMIN}
    assert orgs_service.get_organisation(session, token_actor, org.id).id == org.id
    with pytest.raises(PermissionDenied) as error:
        orgs_service.list_members(session, token_actor, org.id, PageParams())
    assert "people:read" in str(error.value)
    with pytest.raises(PermissionDenied):
        people.update_my_profile(session, token_actor, ProfileUpdate(headline="x"))
    stored = session.scalars(select(ApiToken).where(ApiToken.token_hash == digest(plain))).one()
    assert stored.last_used_at is not None


def test_a_token_cannot_mint_tokens(session: Session) -> None:
    person = make_person(session)
    _, plain = auth_service.create_api_token(
        session, actor(session, person), name="all", scopes=list(Scope)
    )
    token_actor = auth_service.token_actor(session, plain)
    assert token_actor is not None

    with pytest.raises(PermissionDenied):
        auth_service.create_api_token(session, token_actor, name="child", scopes=[Scope.ORGS_READ])
    assert len(auth_service.list_api_tokens(session, actor(session, person))) == 1


def test_a_revoked_token_is_refused(session: Session) -> None:
    me = actor(session, make_person(session))
    token, plain = auth_service.create_api_token(session, me, name="ci", scopes=[Scope.ORGS_READ])

    revoked = auth_service.revoke_api_token(session, me, token.id)
    first_revocation = revoked.revoked_at
    again = auth_service.revoke_api_token(session, me, token.id)

    assert first_revocation is not None
    assert again.revoked_at == first_revocation
    assert auth_service.token_actor(session, plain) is None


def test_an_expired_token_is_refused(session: Session) -> None:
    me = actor(session, make_person(session))
    token, plain = auth_service.create_api_token(
        session, me, name="temp", scopes=[Scope.ORGS_READ], expires_in_days=30
    )
    assert token.expires_at is not None
    assert abs(token.expires_at - (utcnow() + timedelta(days=30))) < timedelta(minutes=1)
    assert auth_service.token_actor(session, plain) is not None

    token.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()

    assert auth_service.token_actor(session, plain) is None


def test_revocation_wins_over_expiry(session: Session) -> None:
    me = actor(session, make_person(session))
    token, _ = auth_service.create_api_token(
        session, me, name="x", scopes=[Scope.ORGS_READ], expires_in_days=1
    )
    now = utcnow()

    assert auth_service.token_status(token, now) is auth_service.TokenStatus.ACTIVE
    assert auth_service.token_status(token, now + timedelta(days=2)) is (
        auth_service.TokenStatus.EXPIRED
    )
    auth_service.revoke_api_token(session, me, token.id)
    assert auth_service.token_status(token, now + timedelta(days=2)) is (
        auth_service.TokenStatus.REVOKED
    )


def test_unknown_tokens_and_deactivated_owners_are_refused(session: Session) -> None:
    person = make_person(session)
    _, plain = auth_service.create_api_token(
        session, actor(session, person), name="x", scopes=[Scope.ORGS_READ]
    )

    for bad in ("", "cairn_", plain[:-1], plain.removeprefix(auth_service.TOKEN_PREFIX)):
        assert auth_service.token_actor(session, bad) is None
    person.is_active = False
    session.flush()
    assert auth_service.token_actor(session, plain) is None


def test_nobody_revokes_someone_elses_token(session: Session) -> None:
    owner = actor(session, make_person(session))
    other = actor(session, make_person(session))
    token, plain = auth_service.create_api_token(session, owner, name="x", scopes=[Scope.ORGS_READ])

    with pytest.raises(NotFound):
        auth_service.revoke_api_token(session, other, token.id)
    assert auth_service.list_api_tokens(session, other) == []
    assert auth_service.token_actor(session, plain) is not None


@pytest.mark.parametrize(
    ("name", "scopes", "days", "field"),
    [
        ("", [Scope.ORGS_READ], None, "name"),
        ("   ", [Scope.ORGS_READ], None, "name"),
        ("x" * 101, [Scope.ORGS_READ], None, "name"),
        ("ci", [], None, "scopes"),
        ("ci", [Scope.ORGS_READ], 0, "expires_in_days"),
        ("ci", [Scope.ORGS_READ], 367, "expires_in_days"),
    ],
)
def test_a_token_needs_a_name_a_scope_and_a_sensible_lifetime(
    session: Session, name: str, scopes: list[Scope], days: int | None, field: str
) -> None:
    me = actor(session, make_person(session))

    with pytest.raises(InvalidInput) as error:
        auth_service.create_api_token(session, me, name=name, scopes=scopes, expires_in_days=days)

    assert [item.field for item in error.value.field_errors] == [field]
    assert auth_service.list_api_tokens(session, me) == []


def test_the_operator_cannot_own_a_token(session: Session) -> None:
    with pytest.raises(PermissionDenied):
        auth_service.create_api_token(
            session, Actor.operator(), name="ops", scopes=[Scope.ORGS_READ]
        )
