"""Demo learning accounts: the Provincial Skills Fund's public learning account (modelled on
Singapore's SkillsFuture Credit, in Canadian dollars) and Northwind's employer allowance
with matching; dated runs of every published college credential; learners who declare
their facts and join with consent; the daily grant and expiry run as of 1 January and of
today, so last year's allowances lapse; and enrolments completed, in progress and
withdrawn, so balances, statements and the programs' dashboards have something to show.

Everything goes through the services the pages and the API use, from a fixed seed; dates
follow today, as the other demo seeds' do."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from cairn.accounts import facts, participation, scheduling
from cairn.accounts import service as accounts_service
from cairn.accounts.enums import EmploymentStatus, IncomeBand, Residency
from cairn.accounts.models import Program
from cairn.accounts.rules import example_rules
from cairn.accounts.schemas import FactsWrite, ProgramCreate
from cairn.catalogue import enrolment_service, offerings
from cairn.catalogue.enums import Participation
from cairn.catalogue.offering_models import Offering
from cairn.catalogue.offering_schemas import OfferingCreate
from cairn.kit.actor import Actor, Role
from cairn.kit.clock import utcnow
from cairn.orgs import people
from cairn.orgs import repository as orgs_repository
from cairn.orgs.enums import RegionType
from cairn.orgs.models import Organisation
from cairn.seed.actors import actor_by_email
from cairn.seed.catalogue import EDUCATOR, EMPLOYER_HR, REGISTRAIRE
from cairn.seed.data import ORGANISATIONS

SEED = 41
AUTHORITY = "skills-fund-authority"
EMPLOYER = "northwind-health"
PROGRAM_OFFICER = "paul.nakamura@skillsfund.example"
LENA = "lena.whitford@northwind.example"
OMAR = "omar.haddad@newcomerconnect.example"
MARC = "marc.tremblay@northwind.example"
PUBLIC_BUDGET_MINOR = 200_000_000
"""C$2,000,000."""
EMPLOYER_BUDGET_MINOR = 15_000_000
"""C$150,000."""


@dataclass(frozen=True)
class Declared:
    """What a persona declares: age in years on the demo's day, and when they joined the
    public program and (Northwind staff) the employer's, in days before it."""

    email: str
    age: int
    residency: Residency
    employment: EmploymentStatus
    income: IncomeBand
    region: RegionType
    joined_public: int
    joined_employer: int
    attributes: dict[str, str] = field(default_factory=dict)


PERSONA_FACTS: tuple[Declared, ...] = (
    Declared(
        LENA,
        41,
        Residency.CITIZEN,
        EmploymentStatus.EMPLOYED,
        IncomeBand.MIDDLE,
        RegionType.URBAN,
        joined_public=570,
        joined_employer=460,
    ),
    Declared(
        OMAR,
        29,
        Residency.PERMANENT_RESIDENT,
        EmploymentStatus.UNEMPLOYED,
        IncomeBand.LOW,
        RegionType.URBAN,
        joined_public=200,
        joined_employer=0,
        attributes={"newcomer": "yes"},
    ),
    Declared(
        MARC,
        52,
        Residency.CITIZEN,
        EmploymentStatus.EMPLOYED,
        IncomeBand.HIGH,
        RegionType.URBAN,
        joined_public=400,
        joined_employer=455,
    ),
)
GENERATED: tuple[tuple[str, int], ...] = (
    ("maple-ridge-precision", 7),
    ("northwind-health", 7),
    ("brightpath-logistics", 3),
    ("newcomer-connect", 3),
)
"""Learners of each organisation who declare facts and join: rural small-firm staff, a
large employer's, a city SME's, and newcomers."""

RUNS: tuple[tuple[int, int], ...] = ((-240, 35), (-18, 56), (32, 42))
"""Each course's runs, as (start in days from today, length in days): one that ended, one
under way and one to come. Enrolment closes five days before a run starts."""
ENROL_BEFORE = 5
MID_CAREER = frozenset(
    {"spreadsheets-for-operations", "digital-patient-communication", "health-information-tools"}
)
"""Courses the public program's mid-career credit may pay for."""
CAPACITY = 24

HISTORY: tuple[tuple[str, str, int, str], ...] = (
    (LENA, "digital-safety-at-work", 0, "completed"),
    (LENA, "health-information-tools", 1, "withdrawn"),
    (LENA, "digital-patient-communication", 2, "enrolled"),
    (MARC, "collaborating-online", 1, "enrolled"),
    (OMAR, "digital-safety-at-work", 0, "completed"),
)
"""(learner, course, run index, outcome) for the personas."""
OUTCOMES = ("completed", "enrolled", "withdrawn", "completed", "enrolled")
"""What became of every other generated learner's enrolment, in turn."""
COURSE_ORDER = (
    "spreadsheets-for-operations",
    "collaborating-online",
    "digital-safety-at-work",
    "securite-numerique-au-travail",
)
"""The courses those enrolments are in, in turn."""


@dataclass
class Course:
    provider: Actor
    """Who runs the course and records completion."""
    runs: list[Offering]


@dataclass(frozen=True)
class Learner:
    actor: Actor
    generated: bool


def build_accounts(session: Session) -> None:
    authority = orgs_repository.get_organisation_by_slug(session, AUTHORITY)
    employer = orgs_repository.get_organisation_by_slug(session, EMPLOYER)
    officer, hr = actor_by_email(session, PROGRAM_OFFICER), actor_by_email(session, EMPLOYER_HR)
    if authority is None or employer is None or officer is None or hr is None:
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    today = utcnow().date()
    programs = [
        _public_program(session, officer, authority, today),
        _employer_program(session, hr, employer, today),
    ]
    courses = _courses(session, today)
    learners = _join(session, rng, today, programs)
    operator = Actor.operator()
    for as_of in (date(today.year, 1, 1), today):
        scheduling.run(session, operator, as_of=as_of)
    _history(session, today, courses, learners)
    for course in courses.values():
        for offering in course.runs:
            if offering.ends_on < today:
                offerings.close_offering(session, course.provider, offering.id)


def _public_program(
    session: Session, officer: Actor, authority: Organisation, today: date
) -> Program:
    """SkillsFuture's tiers, grants and subsidies in Canadian dollars, its credit open to
    citizens and permanent residents alike."""
    rules = example_rules("skillsfuture").model_dump(mode="json")
    rules["currency"] = "CAD"
    tier_names = {
        "base": "Base credit",
        "topup-2020": "One-off top-up (2020)",
        "mid-career": "Mid-career credit",
    }
    for tier in rules["tiers"]:
        tier["name"] = tier_names[tier["code"]]
    for grant in rules["grants"]:
        grant["eligibility"] = {"residency": ["citizen", "permanent_resident"]}
    rules["description"] = (
        "Modelled on Singapore's SkillsFuture Credit and course-fee subsidies, with "
        "illustrative figures in Canadian dollars: C$500 of base credit from age 25 that "
        "never expires, a 2020 top-up usable until the end of 2025, C$4,000 of mid-career "
        "credit from age 40 for courses tagged mid-career, and course-fee subsidies."
    )
    program = accounts_service.create_program(
        session,
        officer,
        authority.id,
        ProgramCreate(
            slug="skills-fund-learning-account",
            name="Skills Fund Learning Account",
            description="A learning account for every adult citizen and permanent resident "
            "of the province, modelled on Singapore's SkillsFuture Credit. The figures are "
            "illustrative, not a real scheme's.",
            rules=rules,
            budget_minor=PUBLIC_BUDGET_MINOR,
            opens_on=today - timedelta(days=600),
        ),
    )
    return accounts_service.open_program(session, officer, program.id)


def _employer_program(session: Session, hr: Actor, employer: Organisation, today: date) -> Program:
    rules: dict[str, Any] = example_rules("employer_matching").model_dump(mode="json")
    program = accounts_service.create_program(
        session,
        hr,
        employer.id,
        ProgramCreate(
            slug="northwind-learning-allowance",
            name="Northwind Learning Allowance",
            description="Every Northwind employee's yearly learning allowance, and half of "
            "what is left to pay matched by Northwind.",
            rules=rules,
            budget_minor=EMPLOYER_BUDGET_MINOR,
            opens_on=today - timedelta(days=480),
        ),
    )
    return accounts_service.open_program(session, hr, program.id)


def _courses(session: Session, today: date) -> dict[str, Course]:
    """Every published credential of both colleges runs three times (the free French one
    twice: under way and to come), priced as its specification says."""
    courses: dict[str, Course] = {}
    for slug, email, runs in (
        ("lakeshore-college", EDUCATOR, RUNS),
        ("college-du-nord", REGISTRAIRE, RUNS[1:]),
    ):
        college = orgs_repository.get_organisation_by_slug(session, slug)
        provider = actor_by_email(session, email)
        if college is None or provider is None:
            continue
        for version, specification in offerings.offerable_versions(session, provider, college.id):
            initials = "".join(word[0] for word in specification.slug.split("-")).upper()
            tags = ["digital", *(["mid-career"] if specification.slug in MID_CAREER else [])]
            made = []
            for start, length in runs:
                starts_on = today + timedelta(days=start)
                made.append(
                    offerings.create_offering(
                        session,
                        provider,
                        version.id,
                        org_id=college.id,
                        data=OfferingCreate(
                            code=f"{initials}-{starts_on:%y%m}",
                            starts_on=starts_on,
                            ends_on=starts_on + timedelta(days=length),
                            enrol_by=starts_on - timedelta(days=ENROL_BEFORE),
                            delivery=version.participation or Participation.ONLINE,
                            language=version.language,
                            region=college.region,
                            hours=version.workload_hours or 20,
                            price_minor=version.price_minor or 0,
                            currency=version.currency or "CAD",
                            capacity=CAPACITY,
                            tags=tags,
                        ),
                    )
                )
            courses[specification.slug] = Course(provider, made)
    return courses


def _born(today: date, age: int, days_past_birthday: int) -> date:
    """A birth date that makes someone ``age`` today, their birthday that many days ago."""
    birthday = date(today.year, today.month, min(today.day, 28)) - timedelta(
        days=days_past_birthday
    )
    return date(birthday.year - age, birthday.month, min(birthday.day, 28))


def _join(
    session: Session, rng: random.Random, today: date, programs: list[Program]
) -> list[Learner]:
    """Personas and generated learners declare their facts, then join each program they
    may, with consent, on their own day; the grants due then are posted as they join."""
    public, employer = programs
    learners: list[Learner] = []
    for declared in PERSONA_FACTS:
        actor = actor_by_email(session, declared.email)
        if actor is None:
            continue
        facts.set_my_facts(
            session,
            actor,
            FactsWrite(
                birth_date=_born(today, declared.age, 75),
                residency=declared.residency,
                employment_status=declared.employment,
                income_band=declared.income,
                region_type=declared.region,
                attributes=declared.attributes,
            ),
        )
        _join_if_eligible(session, actor, public, today - timedelta(days=declared.joined_public))
        if declared.joined_employer:
            days = declared.joined_employer
            _join_if_eligible(session, actor, employer, today - timedelta(days=days))
        learners.append(Learner(actor, generated=False))
    for org_slug, count in GENERATED:
        for actor in _generated(session, rng, today, org_slug, count):
            joined = today - timedelta(days=rng.randint(120, 600))
            _join_if_eligible(session, actor, public, joined)
            if org_slug == EMPLOYER:
                days = rng.randint(380, 520)
                _join_if_eligible(session, actor, employer, today - timedelta(days=days))
            learners.append(Learner(actor, generated=True))
    return learners


def _generated(
    session: Session, rng: random.Random, today: date, org_slug: str, count: int
) -> list[Actor]:
    """The organisation's first ``count`` learners by e-mail, with facts that follow its
    community: Maple Ridge's staff are rural and older, Newcomer Connect's newcomers."""
    org = orgs_repository.get_organisation_by_slug(session, org_slug)
    if org is None:
        return []
    plan = next(plan for plan in ORGANISATIONS if plan.slug == org_slug)
    members = [
        person
        for membership in orgs_repository.memberships_in(session, org.id)
        if membership.role is Role.LEARNER
        and (person := people.get_person(session, membership.person_id)) is not None
        and person.password_hash is None
    ]
    chosen = sorted(members, key=lambda person: person.email)[:count]
    actors = []
    for person in chosen:
        actor = people.actor_for(session, person)
        older = org_slug == "maple-ridge-precision" and rng.random() < 0.6
        age = rng.randint(50, 63) if older else rng.randint(23, 58)
        newcomer = org_slug == "newcomer-connect"
        facts.set_my_facts(
            session,
            actor,
            FactsWrite(
                birth_date=_born(today, age, rng.randrange(365)),
                residency=rng.choices(
                    list(Residency)[:3], weights=(20, 70, 10) if newcomer else (85, 12, 3)
                )[0],
                employment_status=(
                    rng.choice((EmploymentStatus.UNEMPLOYED, EmploymentStatus.EMPLOYED))
                    if newcomer
                    else EmploymentStatus.EMPLOYED
                ),
                income_band=rng.choices(list(IncomeBand), weights=(4, 5, 1))[0],
                region_type=rng.choices(list(RegionType), weights=plan.region_weights)[0],
                attributes={"newcomer": "yes"} if newcomer else {},
            ),
        )
        actors.append(actor)
    return actors


def _join_if_eligible(session: Session, actor: Actor, program: Program, on: date) -> None:
    if participation.preview(session, actor, program.id, on=on).eligible:
        participation.join(session, actor, program.id, consent=True, on=on)


def _history(
    session: Session, today: date, courses: dict[str, Course], learners: list[Learner]
) -> None:
    """Persona enrolments as ``HISTORY`` says, then one for every other generated learner:
    a course that ended and was completed, one under way, or one to come withdrawn from."""
    by_email = {learner.actor.email: learner.actor for learner in learners}
    plan = [
        (by_email[email], slug, run, outcome)
        for email, slug, run, outcome in HISTORY
        if email in by_email and slug in courses and run < len(courses[slug].runs)
    ]
    generated = [learner for learner in learners if learner.generated][::2]
    for index, learner in enumerate(generated):
        outcome = OUTCOMES[index % len(OUTCOMES)]
        run = {"completed": 0, "enrolled": 1, "withdrawn": 2}[outcome]
        slug = COURSE_ORDER[index % len(COURSE_ORDER)]
        if slug in courses and run < len(courses[slug].runs):
            plan.append((learner.actor, slug, run, outcome))
    for actor, slug, run, outcome in plan:
        course = courses[slug]
        offering = course.runs[run]
        on = min(today, offering.starts_on - timedelta(days=ENROL_BEFORE + 3))
        preview = enrolment_service.quote(session, actor, offering.id, on=on)
        enrolment = enrolment_service.enrol(
            session, actor, offering.id, expected=preview.quote, on=on
        )
        if outcome == "completed":
            enrolment_service.complete(session, course.provider, enrolment.id)
        elif outcome == "withdrawn":
            enrolment_service.withdraw(session, actor, enrolment.id)
