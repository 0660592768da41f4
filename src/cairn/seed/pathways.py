"""Demo pathways: Lena Whitford, a personal support worker, plans her way to Northwind's
Patient Navigator role and Omar Haddad his way to Lakeshore's spreadsheet credential, each
saved through the pathway service as they would from their pages.

Lena already holds every credential Lakeshore published first (the feedback seed), so two
more Lakeshore micro-credentials, written for people moving from care into patient
navigation, cover the navigator role's digital gaps; without them her plan would have no
course to take. Each requires one of those first credentials, so her steps say that a
credential she holds meets their prerequisites."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cairn.catalogue import service
from cairn.catalogue.enums import AssessmentType, Participation, Profile
from cairn.catalogue.schemas import SpecificationCreate
from cairn.orgs import repository as orgs_repository
from cairn.pathways import service as pathways_service
from cairn.pathways.enums import Objective
from cairn.pathways.schemas import PlanRequest
from cairn.seed.actors import actor_by_email
from cairn.seed.catalogue import COMMON, EDUCATOR, REGISTRAR, aligned_outcomes, set_prerequisites
from cairn.seed.taxonomy import DIGITAL_SLUG
from cairn.taxonomy import repository as taxonomy_repository

LENA = "lena.whitford@northwind.example"
OMAR = "omar.haddad@newcomerconnect.example"
LENA_TARGET = "Patient Navigator"
OMAR_TARGET = "spreadsheets-for-operations"

NAVIGATION_COURSES: tuple[dict[str, Any], ...] = (
    {
        "slug": "digital-patient-communication",
        "title": "Digital patient communication",
        "summary": "Talk with patients and families through secure messages and video "
        "visits, and write the handouts they take home, keeping their information private.",
        "workload_hours": 24,
        "ects": 1,
        "eqf_level": 4,
        "assessment_type": AssessmentType.PORTFOLIO,
        "participation": Participation.ONLINE,
        "stackability": "Part of Lakeshore's patient navigation pathway.",
        "prerequisites": "Lakeshore's Collaborating online: patients are answered through the "
        "same messaging and video tools.",
        "requires": (("lakeshore-college/collaborating-online",),),
        "price_minor": 27900,
        "outcomes": [
            ("2.1", 3, "Answer patients through secure messaging and video visits."),
            ("3.1", 3, "Write plain-language handouts and forms patients can act on."),
            ("4.2", 3, "Share only what a patient has agreed to, as privacy law requires."),
        ],
    },
    {
        "slug": "health-information-tools",
        "title": "Health information tools",
        "summary": "Find, book and track appointments and referrals in the systems a "
        "clinic runs on, signed in safely.",
        "workload_hours": 30,
        "ects": 1,
        "eqf_level": 4,
        "assessment_type": AssessmentType.PRACTICAL,
        "participation": Participation.BLENDED,
        "stackability": "Part of Lakeshore's patient navigation pathway.",
        "prerequisites": "Lakeshore's Digital safety at work, or Collège du Nord's Sécurité "
        "numérique au travail: signing in to health records builds on them.",
        "requires": (
            (
                "lakeshore-college/digital-safety-at-work",
                "college-du-nord/securite-numerique-au-travail",
            ),
        ),
        "price_minor": 32900,
        "outcomes": [
            ("1.3", 4, "Organise, store and retrieve appointment and referral records."),
            ("5.2", 3, "Choose the right system or tool for a patient's question."),
            ("4.1", 3, "Sign in to health records safely on shared devices."),
        ],
    },
)
"""Lakeshore's courses for people moving into patient navigation: (competence code, level,
statement) outcomes on the digital framework, and the credentials each requires first."""


def publish_navigation_courses(session: Session) -> None:
    """Lakeshore designs, reviews and publishes its two patient navigation courses."""
    college = orgs_repository.get_organisation_by_slug(session, "lakeshore-college")
    framework = taxonomy_repository.find_framework(session, DIGITAL_SLUG)
    educator, registrar = (actor_by_email(session, email) for email in (EDUCATOR, REGISTRAR))
    if college is None or framework is None or educator is None or registrar is None:
        return
    for course in NAVIGATION_COURSES:
        fields = {k: v for k, v in course.items() if k not in ("outcomes", "requires")}
        data = SpecificationCreate.model_validate(
            {
                **COMMON,
                **fields,
                "profile": Profile.EU_2022,
                "language": "en",
                "outcomes": aligned_outcomes(session, framework.id, course["outcomes"]),
            }
        )
        version = service.create_specification(session, educator, college.id, data)
        set_prerequisites(session, educator, version.id, course["requires"])
        service.submit_for_review(session, educator, version.id)
        service.publish(session, registrar, version.id)


def build_pathways(session: Session) -> None:
    """Lena's cheapest English pathway to Patient Navigator, and Omar's to Lakeshore's
    spreadsheet credential, planned on the demo's day with the credit they hold."""
    lena, omar = actor_by_email(session, LENA), actor_by_email(session, OMAR)
    if lena is not None:
        profile = next(
            (
                head.profile.id
                for head in pathways_service.role_profiles(session, lena)
                if head.name == LENA_TARGET
            ),
            None,
        )
        if profile is not None:
            pathways_service.save(
                session,
                lena,
                PlanRequest(
                    target_profile_id=profile,
                    languages=["en"],
                    hours_per_week=10,
                    objective=Objective.COST,
                ),
            )
    if omar is not None:
        pathways_service.save(
            session,
            omar,
            PlanRequest(
                target_specification=OMAR_TARGET, hours_per_week=8, objective=Objective.TIME
            ),
        )
