"""A co-design thread in progress, made through the services as its people would: a health
care workforce network of Northwind and both colleges, Northwind's need for ward clerks'
digital documentation skills, Lakeshore's proposal, a request for changes, the revision and
a few comments each way. It is left open, for a visitor to agree or ask for more."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from cairn.catalogue import codesign_service, codesign_views, network_service, proposal_service
from cairn.catalogue import repository as catalogue_repository
from cairn.catalogue.codesign_schemas import (
    CommentCreate,
    NeedCreate,
    NetworkCreate,
    ProposalCreate,
    ProposalFields,
)
from cairn.catalogue.enums import NetworkKind
from cairn.catalogue.network_repository import find_network
from cairn.kit.clock import utcnow
from cairn.orgs import repository as orgs_repository
from cairn.seed.actors import actor_by_email
from cairn.seed.catalogue import EDUCATOR, EMPLOYER_HR, REGISTRAIRE, REGISTRAR
from cairn.taxonomy import repository as taxonomy_repository

NETWORK_SLUG = "ontario-health-care-workforce"
SKILLS = (("1.3", 3), ("2.4", 3), ("4.2", 4))
"""Codes in Cairn's digital framework, with the level ward clerks need."""


def build_codesign(session: Session) -> None:
    if find_network(session, NETWORK_SLUG) is not None:
        return
    northwind = orgs_repository.get_organisation_by_slug(session, "northwind-health")
    lakeshore = orgs_repository.get_organisation_by_slug(session, "lakeshore-college")
    nord = orgs_repository.get_organisation_by_slug(session, "college-du-nord")
    framework = taxonomy_repository.find_framework(session, "cairn-digital")
    hr, registrar, registraire, educator = (
        actor_by_email(session, email) for email in (EMPLOYER_HR, REGISTRAR, REGISTRAIRE, EDUCATOR)
    )
    if (
        northwind is None
        or lakeshore is None
        or nord is None
        or framework is None
        or hr is None
        or registrar is None
        or registraire is None
        or educator is None
    ):
        return
    network = network_service.create_network(
        session,
        hr,
        NetworkCreate(
            org_id=northwind.id,
            name="Ontario Health Care Workforce Network",
            slug=NETWORK_SLUG,
            kind=NetworkKind.SECTOR,
            sector="Health care",
            region="Ontario",
            description="Hospitals, clinics and colleges planning the skills of Ontario's "
            "health care workforce together.",
        ),
    )
    network_service.join_network(session, registrar, network.id, lakeshore.id)
    network_service.join_network(session, registraire, network.id, nord.id)

    skills = []
    for code, level in SKILLS:
        skill = taxonomy_repository.find_skill_by_code(session, framework.id, code)
        if skill is not None:
            skills.append({"skill_id": skill.id, "level": level})
    spring = utcnow().year + 1
    need = codesign_service.create_need(
        session,
        hr,
        northwind.id,
        NeedCreate.model_validate(
            {
                "title": "Digital documentation for ward clerks",
                "role_title": "Ward clerk",
                "description": "Our ward clerks move from paper to the electronic patient "
                "record next spring: they need to file, find and share records safely, and "
                "to work with the clinical team in the new tools.",
                "region": northwind.region,
                "headcount": 40,
                "needed_from": date(spring, 3, 1),
                "needed_by": date(spring, 5, 31),
                "network_id": network.id,
                "skills": skills,
            }
        ),
    )
    offered = catalogue_repository.find_specification(
        session, lakeshore.id, "data-for-frontline-teams"
    )
    proposal = proposal_service.submit_proposal(
        session,
        educator,
        need.id,
        ProposalCreate(
            org_id=lakeshore.id,
            title="Data for frontline teams, ward edition",
            summary="Our micro-credential on a team's data, with its project set on a ward's "
            "own records: 30 hours, blended, over six weeks.",
            specification_id=offered.id if offered else None,
        ),
    )
    proposal_service.request_changes(
        session,
        hr,
        proposal.id,
        "Could the project use our ward census sheets, and could sessions run in the "
        "evening so clerks on day shifts can attend?",
    )
    asked = codesign_views.thread(session, hr, need.id).comments[-1].comment
    answer = codesign_service.add_comment(
        session,
        educator,
        need.id,
        CommentCreate(
            body="Yes to both: we will build the project on anonymised census sheets and run "
            "Tuesday and Thursday evening sessions.",
            parent_id=asked.id,
        ),
    )
    proposal_service.revise_proposal(
        session,
        educator,
        proposal.id,
        ProposalFields(
            summary="Our micro-credential on a team's data, with its project built on "
            "anonymised ward census sheets: 30 hours, blended, evening sessions on Tuesdays "
            "and Thursdays over six weeks."
        ),
    )
    codesign_service.add_comment(
        session,
        hr,
        need.id,
        CommentCreate(
            body="Thank you. Our clinical educators will review the revision this week.",
            parent_id=answer.id,
        ),
    )
    codesign_service.add_comment(
        session,
        registrar,
        need.id,
        CommentCreate(
            body="Once it is agreed we can send the specification for your endorsement.",
            org_id=lakeshore.id,
        ),
    )
