"""Skills in demand: postings counted by region and period, employers' needs weighted by
headcount and role profiles beside them; who may import and delete batches; and how much
of a specification's outcomes is in demand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.catalogue import demand_service
from cairn.catalogue.demand_import import PostingsFile
from cairn.catalogue.demand_models import JobPosting, PostingBatch
from cairn.catalogue.demand_schemas import Period
from cairn.catalogue.enums import NeedStatus
from cairn.kit.actor import Actor, Role
from cairn.kit.clock import utcnow
from cairn.kit.errors import InvalidInput, NotFound, PermissionDenied
from cairn.orgs.enums import OrgKind
from cairn.taxonomy.models import Framework, Skill
from tests.factories.catalogue import make_specification
from tests.factories.demand import (
    import_csv,
    make_importer,
    make_need,
    make_role_profile,
    postings_csv,
)
from tests.factories.intelligence import with_embeddings
from tests.factories.orgs import actor, make_member, make_org
from tests.factories.taxonomy import make_framework, make_skill


@dataclass(frozen=True)
class Skills:
    framework: Framework
    triage: Skill
    lifting: Skill
    forklift: Skill


@pytest.fixture
def skills(session: Session) -> Skills:
    framework = make_framework(session)
    skills = Skills(
        framework,
        make_skill(session, framework, "triage"),
        make_skill(session, framework, "safe lifting"),
        make_skill(session, framework, "operate forklift"),
    )
    with_embeddings(session, framework)
    return skills


def _framework(skills: Skills) -> str:
    return f"{skills.framework.slug}@{skills.framework.version}"


def test_postings_are_counted_by_region_and_period(session: Session, skills: Skills) -> None:
    importer = make_importer(session)
    import_csv(
        session,
        importer,
        skills.framework,
        [
            ("Nurse", "Triage and safe lifting.", "Sudbury", "2026-01-10"),
            ("Nurse", "Triage.", "sudbury", "2026-03-31"),
            ("Nurse", "Triage.", "Hamilton", "2026-04-01"),
            ("Driver", "Operate forklift; safe lifting.", "Hamilton", "2026-05-20"),
            ("Driver", "Operate forklift.", "", "2025-12-31"),
            ("Clerk", "Filing.", "Sudbury", "2026-02-02"),
        ],
    )
    reader = actor(session, make_member(session, make_org(session)))

    quarters = demand_service.skills_in_demand(session, reader, framework=_framework(skills))
    assert quarters.periods == ["2025-Q4", "2026-Q1", "2026-Q2"]
    assert quarters.postings_total == 6
    rows = {row.skill_label: row for row in quarters.skills}
    assert [row.skill_label for row in quarters.skills] == [
        "triage",
        "operate forklift",
        "safe lifting",
    ]
    assert rows["triage"].by_period == {"2026-Q1": 2, "2026-Q2": 1}
    assert rows["triage"].by_region == {"Hamilton": 1, "Sudbury": 1, "sudbury": 1}
    assert rows["operate forklift"].by_region == {"": 1, "Hamilton": 1}

    sudbury = demand_service.skills_in_demand(
        session, reader, region=" SUDBURY ", period=Period.MONTH, framework=_framework(skills)
    )
    assert sudbury.postings_total == 3
    assert [(r.skill_label, r.by_period) for r in sudbury.skills] == [
        ("triage", {"2026-01": 1, "2026-03": 1}),
        ("safe lifting", {"2026-01": 1}),
    ]

    years = demand_service.skills_in_demand(
        session, reader, period=Period.YEAR, since=date(2026, 4, 1), framework=_framework(skills)
    )
    assert years.periods == ["2026"]
    assert {r.skill_label: r.postings for r in years.skills} == {
        "triage": 1,
        "operate forklift": 1,
        "safe lifting": 1,
    }
    with pytest.raises(InvalidInput):
        demand_service.skills_in_demand(session, reader, limit=0)


def test_needs_are_weighted_by_headcount_and_role_profiles_counted_apart(
    session: Session, skills: Skills
) -> None:
    clinic = make_org(session, name="Clinic", region="Sudbury")
    depot = make_org(session, name="Depot", region="Hamilton")
    make_need(session, clinic, [skills.triage], headcount=12)
    make_need(session, clinic, [skills.triage, skills.lifting])
    make_need(session, depot, [skills.forklift], headcount=5, status=NeedStatus.AGREED)
    make_need(session, depot, [skills.lifting], headcount=40, status=NeedStatus.CLOSED)
    make_need(session, depot, [skills.triage], headcount=3, region="Sudbury")
    make_role_profile(session, clinic, [skills.triage, skills.lifting])
    make_role_profile(session, depot, [skills.lifting])
    college = make_org(session, kind=OrgKind.PROVIDER, region="Sudbury")
    make_role_profile(session, college, [skills.triage])  # not an employer: not counted
    reader = actor(session, make_member(session, college))

    everywhere = {
        row.skill_label: (row.postings, row.needs, row.needed_headcount, row.role_profiles)
        for row in demand_service.skills_in_demand(
            session, reader, framework=_framework(skills)
        ).skills
    }
    assert everywhere == {
        "triage": (0, 3, 16, 1),
        "safe lifting": (0, 1, 1, 2),
        "operate forklift": (0, 1, 5, 0),
    }
    sudbury = {
        row.skill_label: (row.needs, row.needed_headcount, row.role_profiles)
        for row in demand_service.skills_in_demand(
            session, reader, region="Sudbury", framework=_framework(skills)
        ).skills
    }
    assert sudbury == {"triage": (3, 16, 1), "safe lifting": (1, 1, 1)}


def test_program_authorities_and_platform_administrators_import(
    session: Session, skills: Skills
) -> None:
    importer = make_importer(session)
    community = make_org(session, kind=OrgKind.COMMUNITY)
    community_lead = actor(session, make_member(session, community, Role.PROGRAM_ADMIN))
    hr = actor(session, make_member(session, make_org(session), Role.HR_ADMIN))
    learner = actor(session, make_member(session, importer.authority, Role.LEARNER))
    platform = actor(session, make_member(session, make_org(session), Role.PLATFORM_ADMIN))
    data = PostingsFile("p.csv", postings_csv([("Nurse", "Triage.", "Sudbury", "2026-01-10")]))

    def attempt(who: Actor, org_id: object) -> PostingBatch:
        return demand_service.import_postings(
            session,
            who,
            source="Job board",
            postings=data,
            framework=_framework(skills),
            org_id=org_id,  # type: ignore[arg-type]
        ).batch

    with pytest.raises(PermissionDenied):
        attempt(community_lead, community.id)
    with pytest.raises(PermissionDenied):
        attempt(learner, importer.authority.id)
    with pytest.raises(PermissionDenied):
        attempt(importer.actor, None)
    with pytest.raises(NotFound):
        attempt(hr, importer.authority.id)
    assert session.scalar(select(func.count()).select_from(PostingBatch)) == 0

    assert attempt(importer.actor, importer.authority.id).org_id == importer.authority.id
    assert attempt(platform, None).org_id is None
    assert attempt(Actor.operator(), importer.authority.id).postings == 1
    assert demand_service.importing_organisations(session, importer.actor) == [importer.authority]
    assert demand_service.importing_organisations(session, community_lead) == []


def test_a_batch_is_listed_and_deleted_only_by_its_owner(session: Session, skills: Skills) -> None:
    importer = make_importer(session)
    rival = make_importer(session)
    batch = import_csv(
        session, importer, skills.framework, [("Nurse", "Triage.", "Sudbury", "2026-01-10")]
    ).batch
    learner = actor(session, make_member(session, importer.authority, Role.LEARNER))

    assert list(demand_service.list_batches(session, importer.actor)) == [batch]
    assert list(demand_service.list_batches(session, rival.actor)) == []
    with pytest.raises(NotFound):
        demand_service.delete_batch(session, rival.actor, batch.id)
    with pytest.raises(PermissionDenied):
        demand_service.delete_batch(session, learner, batch.id)
    assert session.scalar(select(func.count()).select_from(JobPosting)) == 1

    demand_service.delete_batch(session, importer.actor, batch.id)
    session.expire_all()
    assert session.get(PostingBatch, batch.id) is None
    assert session.scalar(select(func.count()).select_from(JobPosting)) == 0
    assert demand_service.skills_in_demand(session, importer.actor).skills == []


def test_coverage_says_which_outcomes_are_in_demand(session: Session, skills: Skills) -> None:
    college = make_org(session, kind=OrgKind.PROVIDER)
    educator = actor(session, make_member(session, college, Role.EDUCATOR))
    unused = make_skill(session, skills.framework, "embroidery")
    version = make_specification(
        session,
        educator,
        college,
        outcomes=[
            {"statement": "Triage patients.", "skill_id": skills.triage.id},
            {"statement": "Lift safely.", "skill_id": skills.lifting.id},
            {"statement": "Drive a forklift.", "skill_id": skills.forklift.id},
            {"statement": "Embroider.", "skill_id": unused.id},
            {"statement": "Reflect on practice."},
        ],
    )
    today = utcnow().date()
    import_csv(
        session,
        make_importer(session),
        skills.framework,
        [
            ("Nurse", "Triage.", "Sudbury", (today - timedelta(days=30)).isoformat()),
            ("Nurse", "Triage.", "Hamilton", (today - timedelta(days=60)).isoformat()),
            ("Driver", "Operate forklift.", "Sudbury", (today - timedelta(days=400)).isoformat()),
        ],
    )
    make_need(session, make_org(session, region="Hamilton"), [skills.lifting], headcount=4)

    found = demand_service.coverage(session, educator, version.id)
    assert (found.outcomes_in_demand, found.outcomes, found.share) == (2, 5, 0.4)
    assert [(o.position, o.postings, o.needed_headcount, o.in_demand) for o in found.details] == [
        (1, 2, 0, True),
        (2, 0, 4, True),
        (3, 0, 0, False),
        (4, 0, 0, False),
        (5, 0, 0, False),
    ]
    assert found.details[0].skill_label == "triage"
    assert found.details[4].skill_label is None

    sudbury = demand_service.coverage(session, educator, version.id, region="Sudbury")
    assert [o.in_demand for o in sudbury.details] == [True, False, False, False, False]

    stranger = actor(session, make_member(session, make_org(session), Role.HR_ADMIN))
    with pytest.raises(NotFound):  # a draft exists only for its issuer
        demand_service.coverage(session, stranger, version.id)
