"""Demo micro-credentials from both colleges, made through the catalogue service as their
educators and registrars would: Lakeshore's published ones aligned to the digital
framework (one endorsed by Northwind) and one in review, which requires its spreadsheet
credential first; Collège du Nord's published one and its draft, in French; and
Lakeshore's Digital Workplace Certificate, a stacking rule over its digital
micro-credentials, which recognises Collège du Nord's digital safety credential as
equivalent to its own and offers an assessment-only route."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from cairn.catalogue import prerequisite_service, service, stacking_service
from cairn.catalogue import repository as catalogue_repository
from cairn.catalogue.enums import AssessmentType, IdentityCheck, Participation, Profile
from cairn.catalogue.schemas import SpecificationCreate
from cairn.catalogue.stacking import RuleKind
from cairn.catalogue.stacking_schemas import EquivalenceCreate, RplRouteCreate, StackRuleCreate
from cairn.kit.actor import Actor
from cairn.kit.errors import NotFound
from cairn.orgs import repository as orgs_repository
from cairn.seed.actors import actor_by_email
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
        "prerequisites": "Lakeshore's Spreadsheets for operations: the analysis starts from "
        "a well-kept spreadsheet.",
        "requires": (("lakeshore-college/spreadsheets-for-operations",),),
        "price_minor": 29900,
        "outcomes": [
            ("1.3", 4, "Organise and analyse a team's operational data in a spreadsheet."),
            ("1.2", 4, "Judge whether a figure or source can be trusted."),
        ],
        "endorse": False,
        "state": "in_review",
    },
    {
        "slug": "spreadsheets-for-operations",
        "title": "Spreadsheets for operations",
        "summary": "Build the schedules, stock lists and trackers a team runs on, and keep "
        "them right.",
        "profile": Profile.EU_2022,
        "workload_hours": 25,
        "ects": 1,
        "eqf_level": 4,
        "assessment_type": AssessmentType.PRACTICAL,
        "participation": Participation.BLENDED,
        "stackability": "Counts toward Lakeshore's Digital Workplace certificate.",
        "price_minor": 24900,
        "outcomes": [
            ("1.3", 4, "Organise a team's schedules and stock lists in a shared spreadsheet."),
            ("3.4", 3, "Automate a repeated calculation with formulas instead of by hand."),
        ],
        "endorse": False,
        "state": "published",
    },
    {
        "slug": "collaborating-online",
        "title": "Collaborating online",
        "summary": "Work well with colleagues on other shifts and sites: meetings, shared "
        "documents and messages.",
        "profile": Profile.EU_2022,
        "workload_hours": 20,
        "ects": 1,
        "eqf_level": 3,
        "assessment_type": AssessmentType.PORTFOLIO,
        "participation": Participation.ONLINE,
        "stackability": "Counts toward Lakeshore's Digital Workplace certificate.",
        "price_minor": 19900,
        "outcomes": [
            ("2.4", 4, "Plan and run a short online meeting that ends with decisions."),
            ("2.5", 3, "Write messages that colleagues on other shifts can act on."),
        ],
        "endorse": False,
        "state": "published",
    },
)
STACKED = ("digital-safety-at-work", "spreadsheets-for-operations", "collaborating-online")
"""Lakeshore's Digital Workplace Certificate: any two of these."""


def build_catalogue(session: Session) -> None:
    college = orgs_repository.get_organisation_by_slug(session, "lakeshore-college")
    employer = orgs_repository.get_organisation_by_slug(session, "northwind-health")
    framework = taxonomy_repository.find_framework(session, "cairn-digital")
    if college is None or employer is None or framework is None:
        return
    educator, registrar, hr = (
        actor_by_email(session, email) for email in (EDUCATOR, REGISTRAR, EMPLOYER_HR)
    )
    if educator is None or registrar is None or hr is None:
        return
    drafts = []
    for offer in OFFERS:
        fields = {
            k: v for k, v in offer.items() if k not in ("outcomes", "endorse", "state", "requires")
        }
        data = SpecificationCreate.model_validate(
            {
                **COMMON,
                **fields,
                "language": "en",
                "outcomes": aligned_outcomes(session, framework.id, offer["outcomes"]),
            }
        )
        drafts.append((offer, service.create_specification(session, educator, college.id, data)))
    # Every draft exists before any names another as a prerequisite, in whatever order.
    for offer, version in drafts:
        set_prerequisites(session, educator, version.id, offer.get("requires", ()))
        service.submit_for_review(session, educator, version.id)
        if offer["endorse"]:
            service.endorse(
                session, hr, version.id, employer.id, "Built with our clinical educators."
            )
        if offer["state"] == "published":
            service.publish(session, registrar, version.id)
    securite = _french(session, framework.id)
    if securite is not None:
        _stack(session, educator, college.id, securite)


def set_prerequisites(
    session: Session,
    designer: Actor,
    version_id: uuid.UUID,
    clauses: tuple[tuple[str, ...], ...],
) -> None:
    """A draft's prerequisites from catalogue addresses (``issuer/slug``); a credential
    the demo did not make is left out, and a clause left with none with it."""
    found: list[list[uuid.UUID]] = []
    for clause in clauses:
        ids = []
        for address in clause:
            try:
                ids.append(prerequisite_service.specification_id_at(session, address))
            except NotFound:
                continue
        if ids:
            found.append(ids)
    if found:
        prerequisite_service.set_prerequisites(session, designer, version_id, found)


def aligned_outcomes(
    session: Session, framework_id: uuid.UUID, outcomes: list[tuple[str, int, str]]
) -> list[dict[str, Any]]:
    """Outcomes as (competence code, level, statement), aligned to the digital framework."""
    aligned = []
    for code, level, statement in outcomes:
        skill = taxonomy_repository.find_skill_by_code(session, framework_id, code)
        aligned.append(
            {"statement": statement, "skill_id": skill.id if skill else None, "level": level}
        )
    return aligned


def _french(session: Session, framework_id: uuid.UUID) -> uuid.UUID | None:
    """Collège du Nord's published digital safety credential (its lasting id) and a draft."""
    nord = orgs_repository.get_organisation_by_slug(session, "college-du-nord")
    registraire = actor_by_email(session, REGISTRAIRE)
    if nord is None or registraire is None:
        return None
    securite = SpecificationCreate.model_validate(
        {
            **COMMON,
            "slug": "securite-numerique-au-travail",
            "title": "Sécurité numérique au travail",
            "summary": "Protéger ses appareils, ses comptes et les données des clients au "
            "quotidien.",
            "profile": Profile.EU_2022,
            "language": "fr",
            "region": "Ontario",
            "workload_hours": 20,
            "ects": 1,
            "eqf_level": 4,
            "assessment_type": AssessmentType.ADAPTIVE_TEST,
            "participation": Participation.ONLINE,
            "stackability": "Reconnu par le Collège Lakeshore pour son certificat Digital "
            "Workplace.",
            "price_minor": 0,
            "outcomes": aligned_outcomes(
                session,
                framework_id,
                [
                    ("4.1", 4, "Protéger ses appareils et ses comptes par des accès gérés."),
                    ("4.2", 4, "Traiter les données personnelles comme la loi l'exige."),
                ],
            ),
        }
    )
    version = service.create_specification(session, registraire, nord.id, securite)
    service.submit_for_review(session, registraire, version.id)
    service.publish(session, registraire, version.id)
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
    return version.specification_id


def _stack(
    session: Session, educator: Actor, college_id: uuid.UUID, securite_id: uuid.UUID
) -> None:
    """Any two of Lakeshore's three digital credentials earn its certificate, Collège du
    Nord's digital safety credential counts as Lakeshore's, and spreadsheet skills learnt
    on the job can be shown by assessment alone."""
    stacked = {
        slug: catalogue_repository.find_specification(session, college_id, slug) for slug in STACKED
    }
    found = {slug: s.id for slug, s in stacked.items() if s is not None}
    if len(found) != len(STACKED):
        return
    stacking_service.create_rule(
        session,
        educator,
        college_id,
        StackRuleCreate.model_validate(
            {
                "slug": "digital-workplace-certificate",
                "title": "Digital Workplace Certificate",
                "kind": RuleKind.N_OF,
                "n": 2,
                "program_name": "Office Administration diploma",
                "program_code": "LC-OAD",
                "specification_ids": list(found.values()),
            }
        ),
    )
    stacking_service.declare_equivalence(
        session,
        educator,
        EquivalenceCreate(
            specification_id=found["digital-safety-at-work"],
            equivalent_specification_id=securite_id,
            note="Same outcomes and assessment, taught in French; reviewed with Collège du "
            "Nord in 2026.",
        ),
    )
    stacking_service.add_rpl_route(
        session,
        educator,
        RplRouteCreate(
            specification_id=found["spreadsheets-for-operations"],
            description="A practical spreadsheet task marked by a Lakeshore instructor, for "
            "people who already keep a team's schedules or stock lists at work.",
        ),
    )
