"""Structured prerequisites of a specification version: the credentials to hold before
starting, as clauses that must all be met, each by any one of its specifications
(decision 0044).

They change where a version's other elements change (a draft, by its issuer's educators
and registrars), and every write is checked as a whole, so nothing is written when one
part is wrong: no clause empty or repeated, no specification twice in a clause, never the
version's own specification, only specifications the issuer sees in the catalogue (on
offer, or its own), and no cycle through the newest version of each specification named.
The free-text ``prerequisites`` element stays beside them: the words explain, the clauses
are what the pathway planner and the CTDL export read."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import NoReturn

from sqlalchemy.orm import Session

from cairn.catalogue import repository as repo
from cairn.catalogue import service as catalogue_service
from cairn.catalogue import stacking_views
from cairn.catalogue.models import Specification
from cairn.catalogue.stacking_views import SpecificationHead
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound
from cairn.kit.i18n import gettext, lazy_gettext

Clauses = list[list[uuid.UUID]]


def set_prerequisites(
    session: Session, actor: Actor, version_id: uuid.UUID, clauses: Sequence[Sequence[uuid.UUID]]
) -> Clauses:
    """Replace a draft's clauses (an empty list removes them); the same clauses again
    change nothing. Errors name ``clauses.<n>`` or ``clauses.<n>.<m>``, counted from 0."""
    specification, version = catalogue_service.lock_draft(session, actor, version_id)
    stored = repo.prerequisites_of(session, [version.id]).get(version.id, [])
    wanted = [list(clause) for clause in clauses]
    _check(session, actor, specification, wanted, stored)
    repo.replace_prerequisites(session, version.id, wanted)
    session.flush()
    return wanted


def add_clause(
    session: Session, actor: Actor, version_id: uuid.UUID, specification_ids: Sequence[uuid.UUID]
) -> Clauses:
    """One more clause after the others, by the rules of any write."""
    view = catalogue_service.view(session, actor.without_scopes(), version_id)
    return set_prerequisites(
        session, actor, version_id, [*view.prerequisites, list(specification_ids)]
    )


def remove_clause(session: Session, actor: Actor, version_id: uuid.UUID, number: int) -> Clauses:
    """Drop clause ``number`` (from 0); the clauses after it move up."""
    view = catalogue_service.view(session, actor.without_scopes(), version_id)
    if not 0 <= number < len(view.prerequisites):
        raise NotFound(lazy_gettext("This prerequisite is not there any more."))
    kept = [clause for at, clause in enumerate(view.prerequisites) if at != number]
    return set_prerequisites(session, actor, version_id, kept)


def specification_id_at(session: Session, reference: str) -> uuid.UUID:
    """A specification named by its id or by its catalogue address, ``issuer/slug``, as a
    command line names it. Whether the caller may require it is the write's to say."""
    try:
        return uuid.UUID(reference)
    except ValueError:
        pass
    org_slug, _, slug = reference.strip().partition("/")
    found = repo.specification_at(session, org_slug, slug) if slug else None
    if found is None:
        raise NotFound(
            lazy_gettext(
                "No micro-credential has the address %(address)s (issuer/short name).",
                address=reference,
            )
        )
    return found.id


def _check(
    session: Session,
    actor: Actor,
    specification: Specification,
    clauses: Clauses,
    stored: Clauses,
) -> None:
    problems: list[FieldError] = []
    first_of: dict[frozenset[uuid.UUID], int] = {}
    for at, clause in enumerate(clauses):
        if not clause:
            problems.append(
                FieldError(
                    f"clauses.{at}", lazy_gettext("Choose at least one credential for a clause.")
                )
            )
            continue
        seen: set[uuid.UUID] = set()
        for place, specification_id in enumerate(clause):
            if specification_id == specification.id:
                problems.append(
                    FieldError(
                        f"clauses.{at}.{place}",
                        lazy_gettext("A micro-credential cannot be its own prerequisite."),
                    )
                )
            elif specification_id in seen:
                problems.append(
                    FieldError(
                        f"clauses.{at}.{place}",
                        lazy_gettext("This credential is already in the clause."),
                    )
                )
            seen.add(specification_id)
        earlier = first_of.setdefault(frozenset(clause), at)
        if earlier != at:
            problems.append(
                FieldError(
                    f"clauses.{at}",
                    lazy_gettext(
                        "This clause is already prerequisite %(number)s.", number=earlier + 1
                    ),
                )
            )
    # Only what is newly named must be on offer: a credential retired since it was chosen
    # stays a prerequisite until someone removes it.
    known = {s for clause in stored for s in clause}
    named = {s for clause in clauses for s in clause} - known - {specification.id}
    requirable = repo.requirable_ids(session, named, specification.owner_org_id)
    for at, clause in enumerate(clauses):
        for place, specification_id in enumerate(clause):
            if specification_id in named and specification_id not in requirable:
                problems.append(
                    FieldError(
                        f"clauses.{at}.{place}",
                        lazy_gettext(
                            "Only a micro-credential on offer, or one of this issuer's own, "
                            "can be a prerequisite."
                        ),
                    )
                )
    if problems:
        raise InvalidInput(problems[0].message, problems)
    _refuse_cycle(session, actor, specification.id, clauses)


def _refuse_cycle(
    session: Session, actor: Actor, specification_id: uuid.UUID, clauses: Clauses
) -> None:
    """Follow what the newest version of each required specification requires, breadth
    first; reaching this specification again is a cycle, named from here. The stored
    prerequisites have none (every write is checked), so any cycle runs through this one."""
    came_from: dict[uuid.UUID, uuid.UUID] = {}
    frontier: list[uuid.UUID] = []
    for clause in clauses:
        for required in clause:
            if required not in came_from:
                came_from[required] = specification_id
                frontier.append(required)
    while frontier:
        edges = repo.newest_prerequisites(session, frontier)
        following: list[uuid.UUID] = []
        for source in frontier:
            for target in sorted(edges.get(source, ())):
                if target == specification_id:
                    _cycle(session, actor, specification_id, source, came_from, clauses)
                if target not in came_from:
                    came_from[target] = source
                    following.append(target)
        frontier = following


def _cycle(
    session: Session,
    actor: Actor,
    specification_id: uuid.UUID,
    last: uuid.UUID,
    came_from: dict[uuid.UUID, uuid.UUID],
    clauses: Clauses,
) -> NoReturn:
    path = [last]
    while path[-1] != specification_id:
        path.append(came_from[path[-1]])
    path.reverse()
    path.append(specification_id)
    text = " → ".join(_titles(session, actor, path))
    at = next(number for number, clause in enumerate(clauses) if path[1] in clause)
    message = lazy_gettext("These prerequisites would go round in a circle: %(cycle)s.", cycle=text)
    raise Conflict(message, [FieldError(f"clauses.{at}", message)])


def _titles(session: Session, actor: Actor, ids: Sequence[uuid.UUID]) -> list[str]:
    """Titles as the actor may see them: another issuer's unpublished one stays unnamed."""
    heads = stacking_views.specification_heads(session, actor.without_scopes(), set(ids))
    return [
        heads[s].title if s in heads else gettext("an unpublished micro-credential") for s in ids
    ]


@dataclass(frozen=True)
class ShownClause:
    """A clause as pages show it: its number (from 0, what removing it takes) and the
    specifications it names that the reader may see, by title."""

    number: int
    options: list[SpecificationHead]


def shown(session: Session, actor: Actor, clauses: Clauses) -> list[ShownClause]:
    """The clauses with each specification's title, issuer and version to link to."""
    heads = named_heads(session, actor, {s for clause in clauses for s in clause})
    found = [
        ShownClause(
            number,
            sorted(
                (heads[s] for s in clause if s in heads), key=lambda head: head.title.casefold()
            ),
        )
        for number, clause in enumerate(clauses)
    ]
    return [clause for clause in found if clause.options]


def named_heads(
    session: Session, actor: Actor, specification_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, SpecificationHead]:
    """What a prerequisite names, as stacking rules name their components."""
    return stacking_views.specification_heads(session, actor.without_scopes(), specification_ids)
