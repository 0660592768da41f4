"""Specifications for tests: a complete one passes both profiles' checks but for the
elements a test takes away."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from cairn.accounts.models import Program
from cairn.catalogue import (
    codesign_service,
    enrolment_service,
    network_service,
    offerings,
    proposal_service,
    service,
)
from cairn.catalogue.codesign_models import Network, Proposal, SkillsNeed
from cairn.catalogue.codesign_schemas import NeedCreate, NetworkCreate, ProposalCreate
from cairn.catalogue.enums import (
    AssessmentType,
    IdentityCheck,
    NetworkKind,
    Participation,
    Profile,
)
from cairn.catalogue.models import SpecificationVersion
from cairn.catalogue.offering_models import Enrolment, Offering
from cairn.catalogue.offering_schemas import OfferingCreate
from cairn.catalogue.schemas import SpecificationCreate, SpecificationFields
from cairn.kit.actor import Actor, Role
from cairn.orgs import people
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation, Person
from cairn.taxonomy.models import Framework, Skill
from tests.factories.accounts import make_credit, make_participant, make_program
from tests.factories.orgs import actor as org_actor
from tests.factories.orgs import make_member, make_org
from tests.factories.taxonomy import make_framework, make_skill


def complete_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "slug": "wound-care-essentials",
        "title": "Wound care essentials",
        "profile": Profile.EU_2022,
        "language": "en",
        "country": "CA",
        "region": "Ontario",
        "workload_hours": 30,
        "ects": 1,
        "eqf_level": 4,
        "assessment_type": AssessmentType.PRACTICAL,
        "summative": True,
        "participation": Participation.BLENDED,
        "quality_assurance": "Reviewed by the college's program quality committee each year.",
        "stackability": "Counts toward the Community Care certificate.",
        "transcriptable": True,
        "outcomes": [{"statement": "Assess a wound and choose a dressing."}],
    }
    fields.update(changes)
    return fields


def make_specification(
    session: Session, actor: Actor, issuer: Organisation, **changes: Any
) -> SpecificationVersion:
    data = SpecificationCreate.model_validate(complete_fields(**changes))
    return service.create_specification(session, actor, issuer.id, data)


WAREHOUSE_OUTCOMES = (
    "Operate a forklift truck safely in a warehouse",
    "Record stock levels in a spreadsheet",
    "Write a short poem about autumn leaves",
)
"""Two outcomes naming a skill of ``make_linkable_framework`` in other words, and one none."""


def make_warehouse_draft(
    session: Session, designer: Actor, issuer: Organisation
) -> SpecificationVersion:
    """A draft whose outcomes skill intelligence can align: see ``WAREHOUSE_OUTCOMES``."""
    return make_specification(
        session,
        designer,
        issuer,
        slug="warehouse-safety",
        title="Warehouse safety",
        outcomes=[{"statement": statement} for statement in WAREHOUSE_OUTCOMES],
    )


def publish(
    session: Session, designer: Actor, registrar: Actor, version: SpecificationVersion
) -> SpecificationVersion:
    """Send a draft through review to publication, as its issuer would."""
    service.submit_for_review(session, designer, version.id)
    return service.publish(session, registrar, version.id)


def make_published(
    session: Session, designer: Actor, registrar: Actor, issuer: Organisation, **changes: Any
) -> SpecificationVersion:
    """A complete specification, published; pass a distinct ``slug`` for each."""
    version = make_specification(session, designer, issuer, **changes)
    return publish(session, designer, registrar, version)


@dataclass
class SmallCatalogue:
    """A college's offer with one of each thing the public catalogue filters on: three
    specifications on offer (one in its second edition), a co-issuer, an endorsement and
    skills from a framework with a hierarchy; plus a draft, one in review and one retired,
    which the catalogue must never show."""

    college: Organisation
    university: Organisation
    employer: Organisation
    framework: Framework
    caring: Skill
    wounds: Skill
    infection: Skill
    wound_care: SpecificationVersion
    infection_control: SpecificationVersion
    records_v1: SpecificationVersion
    records_v2: SpecificationVersion
    draft: SpecificationVersion
    in_review: SpecificationVersion
    retired: SpecificationVersion


def make_catalogue(session: Session) -> SmallCatalogue:
    college = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    university = make_org(session, name="Partner University", kind=OrgKind.PROVIDER)
    employer = make_org(session, name="Northwind Care", kind=OrgKind.EMPLOYER)
    educator = org_actor(session, make_member(session, college, Role.EDUCATOR))
    registrar = org_actor(session, make_member(session, college, Role.ISSUER_ADMIN))
    hr = org_actor(session, make_member(session, employer, Role.HR_ADMIN))
    framework = make_framework(session, title="Care Skills")
    caring = make_skill(session, framework, "caring for people", is_group=True, code="C1")
    wounds = make_skill(session, framework, "dress wounds", broader=caring, code="C1.1")
    infection = make_skill(session, framework, "prevent infection", broader=caring)

    def published(**changes: Any) -> SpecificationVersion:
        return make_published(session, educator, registrar, college, **changes)

    wound_care = published(
        summary="Dressings for chronic and acute wounds.",
        participation=Participation.ONLINE,
        identity_check=IdentityCheck.ONLINE_PROCTORED,
        price_minor=0,
        currency="CAD",
        prerequisites="A first-aid certificate.",
        grading_scheme="Pass or fail against a checklist.",
        outcomes=[
            {
                "statement": "Assess a wound and choose a dressing.",
                "skill_id": wounds.id,
                "level": 2,
            }
        ],
    )
    service.endorse(session, hr, wound_care.id, employer.id, "Our nurses need it.")
    infection_control = published(
        slug="infection-control",
        title="Infection control",
        summary="Hand hygiene and protective equipment.",
        language="fr-CA",
        region="Québec",
        eqf_level=5,
        ects=2,
        participation=Participation.BLENDED,
        price_minor=15000,
        currency="CAD",
        co_issuer_ids=[university.id],
        outcomes=[{"statement": "Apply the five moments.", "skill_id": infection.id, "level": 1}],
    )
    records_v1 = published(
        slug="care-records",
        title="Care records",
        participation=Participation.ON_SITE,
        price_minor=30000,
        currency="CAD",
        outcomes=[{"statement": "Keep accurate care records."}],
    )
    records_v2 = service.new_version(session, educator, records_v1.id)
    service.update_draft(
        session,
        educator,
        records_v2.id,
        SpecificationFields.model_validate({"title": "Care records, second edition"}),
    )
    publish(session, educator, registrar, records_v2)
    draft = make_specification(session, educator, college, slug="draft-wounds", title="Wound draft")
    in_review = make_specification(
        session, educator, college, slug="review-wounds", title="Wound review"
    )
    service.submit_for_review(session, educator, in_review.id)
    retired = published(slug="retired-wounds", title="Wound retired")
    service.retire(session, registrar, retired.id)
    return SmallCatalogue(
        college=college,
        university=university,
        employer=employer,
        framework=framework,
        caring=caring,
        wounds=wounds,
        infection=infection,
        wound_care=wound_care,
        infection_control=infection_control,
        records_v1=records_v1,
        records_v2=records_v2,
        draft=draft,
        in_review=in_review,
        retired=retired,
    )


def make_network(
    session: Session,
    convenor: Organisation,
    *members: Organisation,
    name: str = "Health Care Workforce Network",
) -> Network:
    """A sector network convened by ``convenor``, with ``members`` joined."""
    operator = Actor.operator()
    network = network_service.create_network(
        session,
        operator,
        NetworkCreate(org_id=convenor.id, name=name, kind=NetworkKind.SECTOR, sector="Health care"),
    )
    for member in members:
        network_service.join_network(session, operator, network.id, member.id)
    return network


def make_need(
    session: Session,
    poster: Actor,
    org: Organisation,
    skill: Skill,
    *,
    network: Network | None = None,
    level: int | None = 2,
    **changes: Any,
) -> SkillsNeed:
    """An open need for one skill, shared with ``network`` or (without one) every provider."""
    fields: dict[str, Any] = {
        "title": "Digital documentation for ward clerks",
        "role_title": "Ward clerk",
        "region": "Ontario",
        "headcount": 40,
        "needed_from": date(2031, 3, 1),
        "needed_by": date(2031, 5, 31),
        "network_id": network.id if network else None,
        "skills": [{"skill_id": skill.id, "level": level}],
    }
    fields.update(changes)
    return codesign_service.create_need(session, poster, org.id, NeedCreate.model_validate(fields))


def make_proposal(
    session: Session,
    designer: Actor,
    need: SkillsNeed,
    provider: Organisation,
    **changes: Any,
) -> Proposal:
    fields: dict[str, Any] = {
        "org_id": provider.id,
        "title": "Clinical documentation essentials",
        "summary": "Twelve hours online, then practice on the ward's own system.",
    }
    fields.update(changes)
    return proposal_service.submit_proposal(
        session, designer, need.id, ProposalCreate.model_validate(fields)
    )


# Offerings and enrolments -------------------------------------------------------------------


def make_offering(
    session: Session,
    version: SpecificationVersion,
    provider: Organisation,
    **changes: Any,
) -> Offering:
    """An open run of a published version, added by the operator for ``provider``."""
    fields: dict[str, Any] = {
        "code": f"RUN-{uuid.uuid4().hex[:6]}",
        "starts_on": date(2031, 3, 2),
        "ends_on": date(2031, 4, 24),
        "delivery": Participation.ONLINE,
        "language": "en",
        "hours": 30,
        "price_minor": 100000,
        "currency": "SGD",
    }
    fields.update(changes)
    return offerings.create_offering(
        session,
        Actor.operator(),
        version.id,
        org_id=provider.id,
        data=OfferingCreate.model_validate(fields),
    )


def make_enrolment(session: Session, learner: Person, offering: Offering) -> Enrolment:
    """The learner's enrolment at the split they are quoted now."""
    actor = people.actor_for(session, learner)
    preview = enrolment_service.quote(session, actor, offering.id)
    return enrolment_service.enrol(session, actor, offering.id, expected=preview.quote)


PUBLIC_RULES: dict[str, Any] = {
    "currency": "SGD",
    "tiers": [{"code": "base", "name": "Base credit"}, {"code": "bonus", "name": "Bonus credit"}],
    "deduction_order": ["bonus", "base"],
    "subsidies": [{"code": "half", "name": "Course-fee subsidy", "rate_bp": 5000}],
}
"""A public program: half the price as subsidy, then bonus credit before base credit."""
EMPLOYER_RULES: dict[str, Any] = {
    "currency": "SGD",
    "eligibility": {"employees_of_program_org": True},
    "tiers": [{"code": "allowance", "name": "Learning allowance"}],
    "deduction_order": ["allowance"],
    "matching": {"rate_bp": 5000, "cap_per_year_minor": 50000},
}
"""An employer's program: an allowance, then half of what is left matched."""


@dataclass
class FundedCourse:
    """A learner in a public and an employer program, and an offering of S$1,000.00 whose
    split is: subsidy 500.00, bonus 50.00, base 150.00, allowance 100.00, matching 100.00,
    co-pay 100.00."""

    college: Organisation
    educator: Person
    version: SpecificationVersion
    offering: Offering
    employer: Organisation
    public_program: Program
    employer_program: Program
    learner: Person


def make_funded_course(session: Session, *, budget_minor: int | None = None) -> FundedCourse:
    college = make_org(session, name="Harbour Polytechnic", kind=OrgKind.PROVIDER)
    educator = make_member(session, college, Role.EDUCATOR)
    registrar = make_member(session, college, Role.ISSUER_ADMIN)
    version = make_published(
        session,
        org_actor(session, educator),
        org_actor(session, registrar),
        college,
        slug=f"data-analytics-{uuid.uuid4().hex[:6]}",
        title="Data analytics",
    )
    offering = make_offering(session, version, college, code="DA-2031-03")
    employer = make_org(session, name="Straits Logistics", kind=OrgKind.EMPLOYER)
    learner = make_member(session, employer, Role.LEARNER)
    public_program = make_program(
        session, rules=PUBLIC_RULES, name="SkillsFund", budget_minor=budget_minor
    )
    employer_program = make_program(
        session, org=employer, rules=EMPLOYER_RULES, name="Straits learning account"
    )
    public_place = make_participant(session, public_program, person=learner)
    make_credit(session, public_place, 15000, tier="base")
    make_credit(session, public_place, 5000, tier="bonus")
    employer_place = make_participant(
        session, employer_program, person=learner, joined_on=date(2026, 1, 6)
    )
    make_credit(session, employer_place, 10000, tier="allowance")
    return FundedCourse(
        college=college,
        educator=educator,
        version=version,
        offering=offering,
        employer=employer,
        public_program=public_program,
        employer_program=employer_program,
        learner=learner,
    )
