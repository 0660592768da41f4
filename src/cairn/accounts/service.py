"""Running learning-account programs: a program is created as a draft from a rules document,
edited while it is a draft, opened to learners, closed, and given a budget.

Rules freeze when a program opens, so that what learners were promised when they joined does
not change under them; a new scheme, or a changed one, is a new program."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.accounts import repository as repo
from cairn.accounts.enums import ProgramStatus, label
from cairn.accounts.errors import ProgramNotDraft
from cairn.accounts.models import Program
from cairn.accounts.permissions import (
    ADMIN_ROLES,
    administered_program,
    can_administer,
    require_program_admin,
)
from cairn.accounts.rules import ProgramRules
from cairn.accounts.schemas import ProgramCreate, ProgramUpdate
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound
from cairn.kit.i18n import lazy_gettext
from cairn.kit.validation import field_errors
from cairn.orgs.models import Organisation


def checked_rules(document: dict[str, Any]) -> ProgramRules:
    """A rules document checked in full; each error names its path inside ``rules``."""
    try:
        return ProgramRules.model_validate(document)
    except ValidationError as error:
        problems = [
            FieldError(f"rules.{item.field}" if item.field != "__root__" else "rules", item.message)
            for item in field_errors(error)
        ]
        message = lazy_gettext("The rules are not valid; each problem names its place in them.")
        raise InvalidInput(message, problems) from None


def program_rules(program: Program) -> ProgramRules:
    """A stored program's rules, checked when they were saved."""
    return ProgramRules.model_validate(program.rules)


def _check_dates(program: Program) -> None:
    if program.opens_on and program.closes_on and program.closes_on < program.opens_on:
        message = lazy_gettext("The program closes before it opens.")
        raise InvalidInput(message, [FieldError("closes_on", message)])


def create_program(
    session: Session, actor: Actor, org_id: uuid.UUID, data: ProgramCreate
) -> Program:
    """A draft program of ``org_id``; its currency is the rules document's."""
    require_scope(actor, Scope.ACCOUNTS_WRITE)
    require_program_admin(actor, org_id)
    if repo.organisation(session, org_id) is None:
        raise NotFound(lazy_gettext("Organisation not found."))
    rules = checked_rules(data.rules)
    if repo.get_program_by_slug(session, org_id, data.slug) is not None:
        message = lazy_gettext("This organisation already has a program with this slug.")
        raise Conflict(message, [FieldError("slug", message)])
    program = Program(
        org_id=org_id,
        slug=data.slug,
        name=data.name,
        description=data.description,
        status=ProgramStatus.DRAFT,
        currency=rules.currency,
        rules=rules.model_dump(mode="json"),
        budget_minor=data.budget_minor,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        created_by_id=None if actor.system else actor.person_id,
    )
    _check_dates(program)
    session.add(program)
    session.flush()
    return program


def update_program(
    session: Session, actor: Actor, program_id: uuid.UUID, data: ProgramUpdate
) -> Program:
    """Change a draft program; an open or closed one keeps its rules."""
    require_scope(actor, Scope.ACCOUNTS_WRITE)
    program = administered_program(session, actor, program_id, lock=True)
    if program.status is not ProgramStatus.DRAFT:
        raise ProgramNotDraft(
            lazy_gettext(
                "The program is %(status)s: only a draft's rules and details can change.",
                status=label(program.status).lower(),
            )
        )
    given = data.model_dump(exclude_unset=True)
    if "rules" in given and given["rules"] is not None:
        rules = checked_rules(given.pop("rules"))
        program.rules = rules.model_dump(mode="json")
        program.currency = rules.currency
    if given.get("name") is not None:
        program.name = given["name"]
    for name in ("description", "opens_on", "closes_on"):
        if name in given:
            setattr(program, name, given[name])
    _check_dates(program)
    session.flush()
    return program


def open_program(session: Session, actor: Actor, program_id: uuid.UUID) -> Program:
    """Learners may join an open program, and the scheduler grants its credit."""
    require_scope(actor, Scope.ACCOUNTS_WRITE)
    program = administered_program(session, actor, program_id, lock=True)
    if program.status is not ProgramStatus.DRAFT:
        raise Conflict(lazy_gettext("Only a draft program can be opened."))
    program.status = ProgramStatus.OPEN
    session.flush()
    return program


def close_program(session: Session, actor: Actor, program_id: uuid.UUID) -> Program:
    """No new learners, grants or enrolments; credit already reserved is still paid or
    released."""
    require_scope(actor, Scope.ACCOUNTS_WRITE)
    program = administered_program(session, actor, program_id, lock=True)
    if program.status is not ProgramStatus.OPEN:
        raise Conflict(lazy_gettext("Only an open program can be closed."))
    program.status = ProgramStatus.CLOSED
    session.flush()
    return program


def set_budget(
    session: Session, actor: Actor, program_id: uuid.UUID, budget_minor: int | None
) -> Program:
    """What the program may commit and spend in all (None: no cap). A budget below what is
    already committed and spent only stops new reservations."""
    require_scope(actor, Scope.ACCOUNTS_WRITE)
    program = administered_program(session, actor, program_id, lock=True)
    if budget_minor is not None and budget_minor < 0:
        message = lazy_gettext("A budget cannot be negative.")
        raise InvalidInput(message, [FieldError("budget_minor", message)])
    program.budget_minor = budget_minor
    session.flush()
    return program


def get_program(session: Session, actor: Actor, program_id: uuid.UUID) -> Program:
    """A program for its administrators."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    return administered_program(session, actor, program_id)


def find_program(session: Session, actor: Actor, org: Organisation, slug: str) -> Program:
    """A program by its organisation and slug (``ORG/SLUG`` at the command line)."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    program = repo.get_program_by_slug(session, org.id, slug)
    if program is None:
        raise NotFound(lazy_gettext("Program not found."))
    return administered_program(session, actor, program.id)


def list_programs(
    session: Session, actor: Actor, org_id: uuid.UUID | None = None
) -> Sequence[Program]:
    """The programs the actor runs: of one organisation, or of every organisation where
    they are a program administrator (all of them for the platform)."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    if org_id is not None:
        require_program_admin(actor, org_id)
        return repo.programs_of(session, [org_id])
    if actor.is_platform_admin:
        return repo.programs_of(session, None)
    administered = {org for org, role in actor.memberships if role in ADMIN_ROLES}
    return repo.programs_of(session, administered)


def runs_programs(actor: Actor) -> bool:
    """Whether to show the actor the programs they run (the navigation asks)."""
    return actor.is_platform_admin or any(can_administer(actor, org) for org in actor.org_ids)


def organisations_of(
    session: Session, programs: Sequence[Program]
) -> dict[uuid.UUID, Organisation]:
    """The organisations running ``programs``, to name them; callers were allowed the
    programs."""
    return repo.organisations(session, {program.org_id for program in programs})


def organisation_names(session: Session, programs: Sequence[Program]) -> dict[uuid.UUID, str]:
    return {org_id: org.name for org_id, org in organisations_of(session, programs).items()}


def organisation_slugs(session: Session, programs: Sequence[Program]) -> dict[uuid.UUID, str]:
    return {org_id: org.slug for org_id, org in organisations_of(session, programs).items()}
