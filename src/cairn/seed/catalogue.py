"""Demo micro-credentials from both colleges, made through the catalogue service as their
educators and registrars would: published ones aligned to the digital framework and
endorsed by Northwind, one in review, and a French one from Collège du Nord."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cairn.catalogue import service
from cairn.catalogue.enums import AssessmentType, IdentityCheck, Participation, Profile
from cairn.catalogue.schemas import SpecificationCreate
from cairn.kit.actor import Actor
from cairn.orgs import people
from cairn.orgs import repository as orgs_repository
from cairn.taxonomy import repository as taxonomy_repository

EDUCATOR = "ethan.clarke@lakeshore.example"
REGISTRAR = "irene.baptiste@lakeshore.example"
REGISTRAIRE = "julie.gagnon@collegedunord.example"
EMPLOYER_HR = "hannah.okafor@northwind.example"

COMMON: dict[str, Any] = {
    "country": "CA",
    "region": "Ontario",
    "summative": True,
    "quality_assurance": "Approved by the college's program quality committee and reviewed "
    "every year with its employer advisory panel.",
    "identity_check": IdentityCheck.ONLINE_UNSUPERVISED_CHECKED,
    "transcriptable": True,
    "currency": "CAD",
}
OFFERS: tuple[dict[str, Any], ...] = (
    {
        "slug": "digital-safety-at-work",
        "title": "Digital safety at work",
        "summary": "Keep devices, accounts and patient or customer data safe in everyday work.",
        "profile": Profile.ECAMPUS_ONTARIO,
        "workload_hours": 20,
        "national_level": "Ontario College Certificate (micro-credential)",
        "assessment_type": AssessmentType.ADAPTIVE_TEST,
        "participation": Participation.ONLINE,
        "stackability": "Counts toward Lakeshore's Digital Workplace certificate.",
        "price_minor": 19900,
        "outcomes": [
            ("4.1", 4, "Protect devices and accounts with strong, managed sign-ins."),
            ("4.2", 4, "Handle personal data as privacy law and policy require."),
        ],
        "endorse": True,
        "state": "published",
    },
    {
        "slug": "data-for-frontline-teams",
        "title": "Data for frontline teams",
        "summary": "Read, check and present the figures a ward or warehouse runs on.",
        "profile": Profile.EU_2022,
        "workload_hours": 30,
        "ects": 1,
        "eqf_level": 4,
        "assessment_type": AssessmentType.PROJECT,
        "participation": Participation.BLENDED,
        "stackability": "Counts toward Lakeshore's Digital Workplace certificate.",
        "price_minor": 29900,
        "outcomes": [
            ("1.3", 4, "Organise and analyse a team's operational data in a spreadsheet."),
            ("1.2", 4, "Judge whether a figure or source can be trusted."),
        ],
        "endorse": False,
        "state": "in_review",
    },
)


def build_catalogue(session: Session) -> None:
    college = orgs_repository.get_organisation_by_slug(session, "lakeshore-college")
    employer = orgs_repository.get_organisation_by_slug(session, "northwind-health")
    framework = taxonomy_repository.find_framework(session, "cairn-digital")
    if college is None or employer is None or framework is None:
        return
    educator, registrar, hr = (
        _actor(session, email) for email in (EDUCATOR, REGISTRAR, EMPLOYER_HR)
    )
    if educator is None or registrar is None or hr is None:
        return
    for offer in OFFERS:
        outcomes = []
        for code, level, statement in offer["outcomes"]:
            skill = taxonomy_repository.find_skill_by_code(session, framework.id, code)
            outcomes.append(
                {"statement": statement, "skill_id": skill.id if skill else None, "level": level}
            )
        fields = {k: v for k, v in offer.items() if k not in ("outcomes", "endorse", "state")}
        data = SpecificationCreate.model_validate(
            {**COMMON, **fields, "language": "en", "outcomes": outcomes}
        )
        version = service.create_specification(session, educator, college.id, data)
        service.submit_for_review(session, educator, version.id)
        if offer["endorse"]:
            service.endorse(
                session, hr, version.id, employer.id, "Built with our clinical educators."
            )
        if offer["state"] == "published":
            service.publish(session, registrar, version.id)
    _french(session)


def _french(session: Session) -> None:
    nord = orgs_repository.get_organisation_by_slug(session, "college-du-nord")
    registraire = _actor(session, REGISTRAIRE)
    if nord is None or registraire is None:
        return
    data = SpecificationCreate.model_validate(
        {
            **COMMON,
            "slug": "communication-numerique",
            "title": "Communication numérique en milieu de travail",
            "summary": "Collaborer à distance avec les bons outils et le bon ton.",
            "profile": Profile.EU_2022,
            "language": "fr",
            "region": "Ontario",
            "workload_hours": 15,
            "eqf_level": 3,
            "assessment_type": AssessmentType.PORTFOLIO,
            "participation": Participation.ONLINE,
            "price_minor": 0,
            "outcomes": [{"statement": "Choisir l'outil de collaboration adapté à la tâche."}],
        }
    )
    service.create_specification(session, registraire, nord.id, data)


def _actor(session: Session, email: str) -> Actor | None:
    person = orgs_repository.get_person_by_email(session, email)
    return people.actor_for(session, person) if person else None
