"""Sign-in with throttling, web sessions, and scoped API tokens."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from cairn.auth import repository
from cairn.auth.models import ApiToken, LoginAttempt, WebSession
from cairn.config import get_settings
from cairn.kit.actor import Actor, Scope, require_person
from cairn.kit.clock import utcnow
from cairn.kit.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import LazyString, lazy_gettext
from cairn.kit.ids import digest, new_token
from cairn.kit.passwords import hash_password, needs_rehash, verify_password
from cairn.orgs import people
from cairn.orgs.models import Person

TOKEN_PREFIX = "cairn_"  # noqa: S105 - a public marker, not a secret


@dataclass(frozen=True)
class SignInResult:
    """A failed sign-in is a result, not an exception: the attempt must still be recorded."""

    person: Person | None = None
    session_token: str | None = None
    error: LazyString | None = None
    locked: bool = False
    """True when the address is locked out by too many recent failures."""


def sign_in(
    session: Session,
    *,
    email: str,
    password: str,
    ip_address: str | None = None,
    user_agent: str | None = None,
) -> SignInResult:
    """Check the password unless the address is locked out by recent failures; one message
    for every failure so nobody learns which addresses are registered."""
    settings = get_settings()
    email = email.strip().lower()
    now = utcnow()
    window_start = now - timedelta(minutes=settings.login_window_minutes)
    last_ok = repository.last_success(session, email)
    since = max(window_start, last_ok) if last_ok is not None else window_start
    if repository.count_failures_since(session, email, since) >= settings.login_max_failures:
        session.add(LoginAttempt(email=email, ip_address=ip_address, succeeded=False))
        session.flush()
        return SignInResult(
            error=lazy_gettext(
                "Too many failed attempts. Wait %(minutes)s minutes, then try again.",
                minutes=settings.login_window_minutes,
            ),
            locked=True,
        )
    person = people.get_person_by_email(session, email)
    valid = verify_password(person.password_hash if person else None, password)
    if person is None or not valid or not person.is_active:
        session.add(LoginAttempt(email=email, ip_address=ip_address, succeeded=False))
        session.flush()
        return SignInResult(error=lazy_gettext("The e-mail address or password is not right."))
    if person.password_hash and needs_rehash(person.password_hash):
        person.password_hash = hash_password(password)
    session.add(LoginAttempt(email=email, ip_address=ip_address, succeeded=True))
    token = new_token()
    session.add(
        WebSession(
            token_hash=digest(token),
            person_id=person.id,
            expires_at=now + timedelta(hours=settings.session_hours),
            user_agent=(user_agent or "")[:300] or None,
        )
    )
    repository.delete_expired_sessions(session, now)
    session.flush()
    return SignInResult(person=person, session_token=token)


def sign_out(session: Session, session_token: str) -> None:
    repository.delete_session_by_hash(session, digest(session_token))
    session.flush()


def session_actor(session: Session, session_token: str) -> Actor | None:
    """The actor behind a session cookie, or None when it is unknown or expired."""
    web_session = repository.get_session_by_hash(session, digest(session_token))
    if web_session is None or web_session.expires_at <= utcnow():
        return None
    person = people.get_person(session, web_session.person_id)
    if person is None or not person.is_active:
        return None
    return people.actor_for(session, person)


def create_api_token(
    session: Session,
    actor: Actor,
    *,
    name: str,
    scopes: Iterable[Scope],
    expires_in_days: int | None = None,
) -> tuple[ApiToken, str]:
    """Mint a token; the plain value is returned once and only its digest is kept."""
    require_person(actor)
    if actor.scopes is not None:
        raise PermissionDenied(lazy_gettext("An API token cannot create other tokens."))
    name = name.strip()
    if not name or len(name) > 100:
        message = lazy_gettext("Give the token a name of 1 to 100 characters.")
        raise InvalidInput(message, [FieldError("name", message)])
    granted = sorted({scope.value for scope in scopes})
    if not granted:
        message = lazy_gettext("Choose at least one scope.")
        raise InvalidInput(message, [FieldError("scopes", message)])
    if expires_in_days is not None and not 1 <= expires_in_days <= 366:
        message = lazy_gettext("A token lasts between 1 and 366 days.")
        raise InvalidInput(message, [FieldError("expires_in_days", message)])
    prefix = new_token(6)[:8]
    plain = f"{TOKEN_PREFIX}{prefix}_{new_token(32)}"
    token = ApiToken(
        person_id=actor.person_id,
        name=name,
        prefix=prefix,
        token_hash=digest(plain),
        scopes=granted,
        expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(token)
    session.flush()
    return token, plain


class TokenStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


def token_status(token: ApiToken, now: datetime) -> TokenStatus:
    """Only an active token authenticates; revocation wins over expiry."""
    if token.revoked_at is not None:
        return TokenStatus.REVOKED
    if token.expires_at is not None and token.expires_at <= now:
        return TokenStatus.EXPIRED
    return TokenStatus.ACTIVE


def list_api_tokens(session: Session, actor: Actor) -> Sequence[ApiToken]:
    return repository.list_tokens(session, actor.person_id)


def revoke_api_token(session: Session, actor: Actor, token_id: uuid.UUID) -> ApiToken:
    token = repository.get_token(session, actor.person_id, token_id)
    if token is None:
        raise NotFound(lazy_gettext("Token not found."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token


LAST_USED_PRECISION = timedelta(minutes=1)
"""How stale "last used" may be. Writing it on every call would turn each API read into a
write, which SQLite serialises: busy clients would then fail with "database is locked"."""


def token_actor(session: Session, plain: str) -> Actor | None:
    """The actor for a bearer token, limited to its scopes; None when unknown, revoked or expired."""
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = repository.get_token_by_hash(session, digest(plain))
    now = utcnow()
    if token is None or token_status(token, now) is not TokenStatus.ACTIVE:
        return None
    person = people.get_person(session, token.person_id)
    if person is None or not person.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        token.last_used_at = now
        session.flush()
    return people.actor_for(
        session, person, scopes=frozenset(Scope(scope) for scope in token.scopes)
    )
