"""A small world to plan pathways in: a college with three published micro-credentials
aligned to data skills, dated offerings of them, an employer with a data-analyst role
profile, and a learner who works there and knows a little already."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence
from cairn.catalogue.models import SpecificationVersion
from cairn.catalogue.offering_models import Offering
from cairn.kit.actor import Actor, Role
from cairn.kit.clock import utcnow
from cairn.orgs import skill_profiles
from cairn.orgs.models import Organisation, Person, SkillProfile
from cairn.orgs.schemas import SkillProfileItemWrite
from cairn.orgs.skill_profiles import Target
from cairn.pathways import service
from cairn.pathways.models import Pathway
from cairn.pathways.schemas import PlanRequest
from cairn.taxonomy.models import Skill
from tests.factories.catalogue import make_offering
from tests.factories.credentials import Issuer, make_issuer
from tests.factories.orgs import actor as actor_of
from tests.factories.orgs import make_member, make_org, make_position
from tests.factories.taxonomy import make_framework, make_skill


def make_offering_run(
    session: Session,
    version: SpecificationVersion,
    provider: Organisation,
    *,
    starts_in_days: int = 14,
    weeks: int = 4,
    **changes: Any,
) -> Offering:
    """An open offering starting ``starts_in_days`` from today, in Canadian dollars."""
    starts_on = today() + timedelta(days=starts_in_days)
    fields: dict[str, Any] = {
        "starts_on": starts_on,
        "ends_on": starts_on + timedelta(days=7 * weeks - 3),
        "enrol_by": starts_on,
        "hours": 20,
        "price_minor": 50_000,
        "currency": "CAD",
    }
    fields.update(changes)
    return make_offering(session, version, provider, **fields)


def record_level(session: Session, person: Person, skill: Skill, level: int) -> None:
    session.add(
        Evidence(
            person_id=person.id,
            skill_id=skill.id,
            level=level,
            source=EvidenceSource.SELF_ASSESSMENT,
            observed_at=utcnow() - timedelta(days=5),
            confidence=0.9,
        )
    )
    session.flush()


@dataclass
class PathwayWorld:
    college: Issuer
    employer: Organisation
    profile: SkillProfile
    learner: Person
    learner_actor: Actor
    sql: Skill
    python: Skill
    charts: Skill
    sql_course: SpecificationVersion
    python_course: SpecificationVersion
    charts_course: SpecificationVersion
    sql_run: Offering
    python_run: Offering
    python_late_run: Offering
    charts_run: Offering

    def request(self, **changes: Any) -> PlanRequest:
        return PlanRequest.model_validate({"target_profile_id": self.profile.id, **changes})


def make_world(session: Session) -> PathwayWorld:
    """Gaps in SQL (wanted 2, has 1), Python (wanted 2, has none) and charts (wanted 1,
    has none); SQL and charts are taught together in one course, cheaper than the two
    alone."""
    college = make_issuer(session, name="Harbour College")
    framework = make_framework(session, title="Data skills")
    sql = make_skill(session, framework, "Query databases with SQL")
    python = make_skill(session, framework, "Program in Python")
    charts = make_skill(session, framework, "Draw charts")
    sql_course = college.publish(
        session,
        "sql-and-charts",
        title="SQL and charts",
        ects=2,
        prerequisites="Basic spreadsheet use.",
        outcomes=[
            {"statement": "Write joins.", "skill_id": sql.id, "level": 2},
            {"statement": "Chart a table.", "skill_id": charts.id, "level": 1},
        ],
    )
    python_course = college.publish(
        session,
        "python-basics",
        title="Python basics",
        ects=3,
        outcomes=[{"statement": "Write scripts.", "skill_id": python.id, "level": 2}],
    )
    charts_course = college.publish(
        session,
        "charts-only",
        title="Charts only",
        outcomes=[{"statement": "Chart a table.", "skill_id": charts.id}],
    )
    employer = make_org(session, name="Harbour Logistics")
    admin = actor_of(session, make_member(session, employer, Role.HR_ADMIN))
    position = make_position(session, employer, title="Data analyst")
    target = Target(employer.id, position_id=position.id)
    for skill, level in ((sql, 2), (python, 2), (charts, 1)):
        skill_profiles.set_item(
            session, admin, target, SkillProfileItemWrite(skill_id=skill.id, target_level=level)
        )
    profile = skill_profiles.view(session, admin, target).profile
    assert profile is not None
    learner = make_member(session, employer, Role.LEARNER)
    record_level(session, learner, sql, 1)
    return PathwayWorld(
        college=college,
        employer=employer,
        profile=profile,
        learner=learner,
        learner_actor=actor_of(session, learner),
        sql=sql,
        python=python,
        charts=charts,
        sql_course=sql_course,
        python_course=python_course,
        charts_course=charts_course,
        sql_run=make_offering_run(session, sql_course, college.org, price_minor=60_000),
        python_run=make_offering_run(
            session, python_course, college.org, starts_in_days=21, price_minor=80_000
        ),
        python_late_run=make_offering_run(
            session, python_course, college.org, starts_in_days=120, price_minor=40_000
        ),
        charts_run=make_offering_run(session, charts_course, college.org, price_minor=30_000),
    )


def make_pathway(session: Session, world: PathwayWorld, **changes: Any) -> Pathway:
    return service.save(session, world.learner_actor, world.request(**changes))


def today() -> date:
    return utcnow().date()
