"""A person's skills profile: who may read it, and gaps against a role's skill profile."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence
from cairn.kit.actor import Role
from cairn.kit.clock import utcnow
from cairn.kit.errors import NotFound
from cairn.kit.progress import NoProgress
from cairn.orgs import skill_profiles
from cairn.orgs.models import Organisation, Person
from cairn.orgs.schemas import SkillProfileItemWrite
from cairn.orgs.skill_profiles import Target
from cairn.profiles import service
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.importers.builtin import load_digital_framework
from cairn.taxonomy.models import Skill
from tests.factories.orgs import actor, make_member, make_org, make_position


@pytest.fixture
def digital(session: Session) -> dict[str, Skill]:
    load_digital_framework(session, progress=NoProgress())
    framework = taxonomy_repository.find_framework(session, "cairn-digital")
    assert framework is not None
    return {
        code: skill
        for code in ("1.1", "4.1", "5.1")
        if (skill := taxonomy_repository.find_skill_by_code(session, framework.id, code))
    }


@pytest.fixture
def employer(session: Session) -> Organisation:
    return make_org(session, name="Harbour Logistics")


def record(
    session: Session, person: Person, skill: Skill, level: int, source: EvidenceSource
) -> None:
    session.add(
        Evidence(
            person_id=person.id,
            skill_id=skill.id,
            level=level,
            source=source,
            observed_at=utcnow() - timedelta(days=10),
            confidence=0.9,
        )
    )
    session.flush()


def test_the_person_reads_their_merged_profile(
    session: Session, digital: dict[str, Skill], employer: Organisation
) -> None:
    learner = make_member(session, employer)
    record(session, learner, digital["4.1"], 5, EvidenceSource.SELF_ASSESSMENT)
    record(session, learner, digital["4.1"], 3, EvidenceSource.TEST)

    lines = service.profile(session, actor(session, learner), learner.id)

    assert [(line.skill.code, line.merged.level, line.merged.source) for line in lines] == [
        ("4.1", 3, EvidenceSource.TEST)
    ]


def test_employers_see_it_only_once_shared_and_only_their_own_people(
    session: Session, digital: dict[str, Skill], employer: Organisation
) -> None:
    learner = make_member(session, employer)
    record(session, learner, digital["1.1"], 4, EvidenceSource.TEST)
    hr = actor(session, make_member(session, employer, Role.HR_ADMIN))
    outsider = actor(session, make_member(session, make_org(session), Role.HR_ADMIN))
    colleague = actor(session, make_member(session, employer))

    with pytest.raises(NotFound):
        service.profile(session, hr, learner.id)
    service.set_sharing(session, actor(session, learner), with_employers=True)

    assert len(service.profile(session, hr, learner.id)) == 1
    for stranger in (outsider, colleague):
        with pytest.raises(NotFound):
            service.profile(session, stranger, learner.id)


def test_gaps_list_the_role_skills_below_target_biggest_first(
    session: Session, digital: dict[str, Skill], employer: Organisation
) -> None:
    learner = make_member(session, employer)
    admin = actor(session, make_member(session, employer, Role.HR_ADMIN))
    role = make_position(session, employer, title="Dispatcher")
    target = Target(employer.id, position_id=role.id)
    for code, level, weight in (("1.1", 4, 3), ("4.1", 5, 5), ("5.1", 3, 2)):
        skill_profiles.set_item(
            session,
            admin,
            target,
            SkillProfileItemWrite(skill_id=digital[code].id, target_level=level, weight=weight),
        )
    record(session, learner, digital["1.1"], 4, EvidenceSource.TEST)
    record(session, learner, digital["4.1"], 2, EvidenceSource.MANAGER_RATING)

    found = service.gaps(session, actor(session, learner), learner.id, target)

    assert [(g.skill.code, g.current, g.shortfall) for g in found] == [
        ("4.1", 2, 3),  # 3 levels short, weight 5
        ("5.1", None, 3),  # no evidence: counted from zero, weight 2
        ("1.1", 4, 0),
    ]
