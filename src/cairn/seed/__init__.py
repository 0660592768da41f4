"""The demo ecosystem, in one place that grows with the domains.

Everything is built through the same services the API, pages and CLI use, from a fixed
random seed, so every ``cairn demo`` shows the same believable world: a large health
employer, a rural small manufacturer, a city SME, two colleges (one francophone), a
program authority and a community organisation, with about 200 people.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.kit.actor import Actor, Role
from cairn.orgs import people, repository
from cairn.orgs import service as orgs_service
from cairn.orgs.enums import (
    AgeBand,
    OfficialLanguage,
    OrgKind,
    RegionType,
    YesNoUndisclosed,
)
from cairn.orgs.models import Department, Organisation, Person
from cairn.orgs.schemas import (
    DepartmentCreate,
    EquityAttributesWrite,
    OrganisationCreate,
    PersonCreate,
    PositionCreate,
)
from cairn.seed.data import FIRST_NAMES, LAST_NAMES, ORGANISATIONS, PERSONAS, OrgPlan

SEED = 20261123
MARKER_SLUG = "northwind-health"
"""The first organisation the demo creates: its presence means the demo is seeded."""


@dataclass(frozen=True)
class Persona:
    title: str
    email: str
    org_name: str
    role: Role


def is_seeded(session: Session) -> bool:
    return repository.get_organisation_by_slug(session, MARKER_SLUG) is not None


def personas(session: Session) -> list[Persona]:
    """The sign-ins printed by ``cairn demo``, read back from the database."""
    found: list[Persona] = []
    for plan in PERSONAS:
        org = repository.get_organisation_by_slug(session, plan.org_slug)
        if org is not None and repository.get_person_by_email(session, plan.email) is not None:
            found.append(
                Persona(title=plan.title, email=plan.email, org_name=org.name, role=plan.role)
            )
    return found


def build_demo(session: Session, *, password: str) -> None:
    """Create every demo organisation, department, job role, person and persona."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    operator = Actor.operator()
    orgs: dict[str, tuple[Organisation, dict[str, Department]]] = {}
    used_emails: set[str] = {plan.email for plan in PERSONAS}
    for plan in ORGANISATIONS:
        org, departments = _build_organisation(session, operator, plan)
        orgs[plan.slug] = (org, departments)
        _populate(session, rng, plan, org, departments, used_emails)
    for persona in PERSONAS:
        org, departments = orgs[persona.org_slug]
        person = people.create_person(
            session, PersonCreate(email=persona.email, display_name=persona.name, password=password)
        )
        person.locale = persona.locale
        department = departments.get(persona.department) if persona.department else None
        people.add_membership(
            session, person, org, persona.role, department_id=department.id if department else None
        )
        if persona.also_learner:
            people.add_membership(session, person, org, Role.LEARNER)
        _declare_equity(session, rng, person, _plan_for(persona.org_slug), force=True)
    session.flush()


def _plan_for(slug: str) -> OrgPlan:
    return next(plan for plan in ORGANISATIONS if plan.slug == slug)


def _build_organisation(
    session: Session, operator: Actor, plan: OrgPlan
) -> tuple[Organisation, dict[str, Department]]:
    org = orgs_service.create_organisation(
        session,
        operator,
        OrganisationCreate(
            name=plan.name,
            slug=plan.slug,
            kind=plan.kind,
            size_band=plan.size_band,
            sector=plan.sector,
            region=plan.region,
            description=plan.description,
        ),
    )
    departments: dict[str, Department] = {}
    for name, parent in plan.departments:
        departments[name] = orgs_service.create_department(
            session,
            operator,
            org.id,
            DepartmentCreate(name=name, parent_id=departments[parent].id if parent else None),
        )
    for title, department in plan.positions:
        orgs_service.create_position(
            session,
            operator,
            org.id,
            PositionCreate(
                title=title, department_id=departments[department].id if department else None
            ),
        )
    return org, departments


def _populate(
    session: Session,
    rng: random.Random,
    plan: OrgPlan,
    org: Organisation,
    departments: dict[str, Department],
    used_emails: set[str],
) -> None:
    """Staff or learners without passwords: they appear in lists and, later, in aggregates."""
    positions = repository.list_positions(session, org.id)
    leaf_departments = [
        d
        for d in departments.values()
        if not any(o.parent_id == d.id for o in departments.values())
    ]
    for index in range(plan.headcount):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = _unique_email(f"{first}.{last}".lower(), plan.email_domain, used_emails)
        person = people.create_person(
            session, PersonCreate(email=email, display_name=f"{first} {last}")
        )
        if plan.kind is OrgKind.PROVIDER and index % 4 == 0:
            role = Role.EDUCATOR
        elif plan.kind is OrgKind.PROGRAM_AUTHORITY:
            role = Role.PROGRAM_ADMIN if index % 3 == 0 else Role.MANAGER
        elif plan.kind is OrgKind.EMPLOYER and index % 12 == 0:
            role = Role.MANAGER
        else:
            role = Role.LEARNER
        department = rng.choice(leaf_departments) if leaf_departments else None
        in_department = [
            p for p in positions if department is not None and p.department_id == department.id
        ]
        position = (
            rng.choice(in_department) if in_department and plan.kind is OrgKind.EMPLOYER else None
        )
        people.add_membership(
            session,
            person,
            org,
            role,
            department_id=department.id if department else None,
            position_id=position.id if position else None,
        )
        _declare_equity(session, rng, person, plan, force=False)


def _unique_email(local: str, domain: str, used: set[str]) -> str:
    ascii_local = "".join(ch for ch in local if ch.isascii() and (ch.isalnum() or ch in ".-"))
    candidate, counter = f"{ascii_local}@{domain}", 2
    while candidate in used:
        candidate, counter = f"{ascii_local}{counter}@{domain}", counter + 1
    used.add(candidate)
    return candidate


def _declare_equity(
    session: Session, rng: random.Random, person: Person, plan: OrgPlan, *, force: bool
) -> None:
    """About seven in ten people answer; each answer follows the organisation's community."""
    if not force and rng.random() > 0.7:
        return
    weights = plan.region_weights
    actor = Actor(person_id=person.id, email=person.email)
    people.set_my_equity_attributes(
        session,
        actor,
        EquityAttributesWrite(
            consent=True,
            region_type=rng.choices(list(RegionType), weights=weights)[0],
            indigenous_identity=rng.choices(
                list(YesNoUndisclosed), weights=(plan.indigenous_share, 90, 4)
            )[0],
            age_band=rng.choices(list(AgeBand), weights=(14, 32, 30, 18, 6))[0],
            disability=rng.choices(list(YesNoUndisclosed), weights=(9, 85, 6))[0],
            newcomer=rng.choices(list(YesNoUndisclosed), weights=(plan.newcomer_share, 80, 3))[0],
            official_language=(
                OfficialLanguage.FRENCH
                if rng.random() < plan.french_share
                else OfficialLanguage.ENGLISH
            ),
        ),
    )
