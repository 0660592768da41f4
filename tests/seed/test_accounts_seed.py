"""The demo's learning accounts and pathways, built on the test database (SQLite or
PostgreSQL) from the demo's people, digital framework, role profiles and catalogue: both
programs run with participants and real spending, Lena Whitford has credit in several tiers,
statements, enrolments in every state and a saved pathway whose steps' prerequisites are met
by credentials she holds, and the ledger's audit is clean."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn import seed
from cairn.accounts import reports
from cairn.accounts.audit import audit_ledger
from cairn.accounts.enums import ProgramStatus
from cairn.accounts.models import Program
from cairn.catalogue import enrolment_service
from cairn.catalogue.enums import EnrolmentStatus
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.progress import NoProgress
from cairn.orgs import people
from cairn.pathways import service as pathways_service
from cairn.pathways.enums import StepStatus
from cairn.seed.accounts import LENA, OMAR, PROGRAM_OFFICER, build_accounts
from cairn.seed.catalogue import EMPLOYER_HR, build_catalogue
from cairn.seed.feedback import build_feedback
from cairn.seed.pathways import build_pathways, publish_navigation_courses
from cairn.seed.taxonomy import build_role_profiles
from cairn.taxonomy.importers.builtin import load_digital_framework


def signed_in(session: Session, email: str) -> Actor:
    person = people.get_person_by_email(session, email)
    assert person is not None
    return people.actor_for(session, person)


def test_the_demo_runs_learning_accounts_and_saves_pathways(session: Session) -> None:
    seed.build_demo(session, password="demo password for tests")
    load_digital_framework(session, progress=NoProgress())
    build_role_profiles(session)
    build_catalogue(session)
    build_feedback(session)  # Lena's awards, which meet the navigation courses' prerequisites
    publish_navigation_courses(session)

    build_accounts(session)
    build_pathways(session)

    programs = {program.slug: program for program in session.scalars(select(Program))}
    public = programs["skills-fund-learning-account"]
    employer = programs["northwind-learning-allowance"]
    assert (public.currency, public.status) == ("CAD", ProgramStatus.OPEN)
    assert "SkillsFuture" in (public.description or "")
    assert employer.status is ProgramStatus.OPEN
    for program, admin in ((public, PROGRAM_OFFICER), (employer, EMPLOYER_HR)):
        dashboard = reports.program_dashboard(session, signed_in(session, admin), program.id)
        assert dashboard.participants >= 5, program.slug
        assert dashboard.committed_minor + dashboard.spent_minor > 0, program.slug
    # Last year's allowances lapsed on 1 January, as the scheduler ran as of that day.
    hr = signed_in(session, EMPLOYER_HR)
    assert reports.program_dashboard(session, hr, employer.id).expired_minor > 0

    lena = signed_in(session, LENA)
    funded = {
        (balance.program.slug, tier.code)
        for balance in reports.balances(session, lena)
        for tier in balance.tiers
        if tier.balance_minor > 0
    }
    assert {
        ("skills-fund-learning-account", "base"),
        ("skills-fund-learning-account", "mid-career"),
        ("northwind-learning-allowance", "allowance"),
    } <= funded
    this_month = reports.statement(session, lena, month=utcnow().date())
    assert not this_month.empty
    assert {view.enrolment.status for view in enrolment_service.my_enrolments(session, lena)} == {
        EnrolmentStatus.COMPLETED,
        EnrolmentStatus.ENROLLED,
        EnrolmentStatus.WITHDRAWN,
    }

    for email in (LENA, OMAR):
        learner = signed_in(session, email)
        (pathway,) = pathways_service.list_pathways(session, learner)
        shown = pathways_service.show(session, learner, pathway.id)
        assert shown.steps, email
    lena_path = pathways_service.show(
        session, lena, pathways_service.list_pathways(session, lena)[0].id
    )
    assert "Patient Navigator" in lena_path.title
    # Each navigation course's prerequisite is met by a credential she already holds.
    assert {step.title: step.prerequisites_met_by for step in lena_path.steps} == {
        "Digital patient communication": ["Collaborating online"],
        "Health information tools": ["Digital safety at work"],
    }
    assert StepStatus.ENROLLED in {step.status for step in lena_path.steps}

    assert audit_ledger(session).clean
