"""Who the demo acts as: each seeding step acts through the services as a persona."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cairn.kit.actor import Actor
from cairn.orgs import people
from cairn.orgs import repository as orgs_repository


def actor_by_email(session: Session, email: str) -> Actor | None:
    """The persona with this e-mail, with the roles they hold; None if the demo lacks them."""
    person = orgs_repository.get_person_by_email(session, email)
    return people.actor_for(session, person) if person else None
