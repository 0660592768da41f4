from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy.orm import Session

from cairn.auth import service as auth_service
from cairn.auth.models import WebSession
from cairn.kit.actor import Scope
from cairn.kit.clock import utcnow
from cairn.kit.ids import digest, new_token
from cairn.orgs import people
from cairn.orgs.models import Person

ALL_SCOPES = tuple(Scope)


def make_token(
    session: Session, person: Person, scopes: Iterable[Scope] = ALL_SCOPES, *, name: str = "test"
) -> str:
    """A plain API token for ``person``, as shown once when created."""
    _, plain = auth_service.create_api_token(
        session, people.actor_for(session, person), name=name, scopes=scopes
    )
    return plain


def make_web_session(session: Session, person: Person) -> str:
    """A signed-in browser's session cookie value, without spending an argon2 check."""
    token = new_token()
    session.add(
        WebSession(
            token_hash=digest(token), person_id=person.id, expires_at=utcnow() + timedelta(hours=1)
        )
    )
    session.flush()
    return token
