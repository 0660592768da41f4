"""Skill profiles of job roles and departments: started from an occupation, then edited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from cairn.kit.errors import InsufficientScope, InvalidInput, NotFound, PermissionDenied
from cairn.kit.progress import NoProgress
from cairn.orgs import people, skill_profiles
from cairn.orgs.models import Organisation, Position
from cairn.orgs.schemas import FromOccupation, SkillProfileItemWrite, SkillProfileWrite
from cairn.orgs.skill_profiles import Target
from cairn.taxonomy import repository
from cairn.taxonomy.importers.esco import import_esco
from cairn.taxonomy.models import Framework
from tests.factories.orgs import actor, make_department, make_member, make_org, make_position
from tests.taxonomy.esco_files import OCCUPATION, SKILL, small_esco


@pytest.fixture
def framework(session: Session, tmp_path: Path) -> Framework:
    import_esco(session, [small_esco(tmp_path / "v9.9.9")], version=None, progress=NoProgress())
    found = repository.find_framework(session, "esco", "v9.9.9")
    assert found is not None
    return found


@pytest.fixture
def employer(session: Session) -> Organisation:
    return make_org(session, name="Riverside Care")


@pytest.fixture
def nurse_role(session: Session, employer: Organisation) -> Position:
    return make_position(session, employer, title="Community Nurse")


def test_starting_from_an_occupation_adds_its_essential_skills(
    session: Session, framework: Framework, employer: Organisation, nurse_role: Position
) -> None:
    admin = actor(session, make_member(session, employer, Role.HR_ADMIN))
    target = Target(employer.id, position_id=nurse_role.id)

    added = skill_profiles.start_from_occupation(
        session, admin, target, FromOccupation(occupation_uri=f"{OCCUPATION}nurse")
    )

    view = skill_profiles.view(session, admin, target)
    assert added == 2
    assert view.occupation is not None
    assert view.occupation.preferred_label == "community nurse"
    assert {line.skill.preferred_label for line in view.lines} == {
        "dress wounds",
        "keep patient records",
    }
    # ESCO has no levels: the middle of the generic scale, weighted as important.
    assert {
        (line.item.target_level, line.target_label, line.item.weight) for line in view.lines
    } == {(3, "Competent", 4)}


def test_edits_are_kept_when_the_occupation_is_applied_again(
    session: Session, framework: Framework, employer: Organisation, nurse_role: Position
) -> None:
    admin = actor(session, make_member(session, employer, Role.HR_ADMIN))
    target = Target(employer.id, position_id=nurse_role.id)
    nurse = FromOccupation(occupation_uri=f"{OCCUPATION}nurse")
    skill_profiles.start_from_occupation(session, admin, target, nurse)
    wound = repository.skills_by_uri(session, framework.id)[f"{SKILL}wound"]
    skill_profiles.set_item(
        session, admin, target, SkillProfileItemWrite(skill_id=wound.id, target_level=5, weight=5)
    )

    assert skill_profiles.start_from_occupation(session, admin, target, nurse) == 0
    lines = {line.skill.id: line.item for line in skill_profiles.view(session, admin, target).lines}
    assert (lines[wound.id].target_level, lines[wound.id].weight) == (5, 5)

    replaced = FromOccupation(occupation_uri=f"{OCCUPATION}nurse", replace=True)
    assert skill_profiles.start_from_occupation(session, admin, target, replaced) == 2
    lines = {line.skill.id: line.item for line in skill_profiles.view(session, admin, target).lines}
    assert lines[wound.id].target_level == 3


def test_a_level_outside_the_scale_names_the_field(
    session: Session, framework: Framework, employer: Organisation, nurse_role: Position
) -> None:
    admin = actor(session, make_member(session, employer, Role.HR_ADMIN))
    wound = repository.skills_by_uri(session, framework.id)[f"{SKILL}wound"]

    with pytest.raises(InvalidInput) as failure:
        skill_profiles.replace(
            session,
            admin,
            Target(employer.id, position_id=nurse_role.id),
            SkillProfileWrite(items=[SkillProfileItemWrite(skill_id=wound.id, target_level=9)]),
        )

    assert [e.field for e in failure.value.field_errors] == ["items.0.target_level"]
    assert str(failure.value.field_errors[0].message) == "Choose a level from 1 to 5."


def test_a_group_is_not_a_skill_to_require(
    session: Session, framework: Framework, employer: Organisation, nurse_role: Position
) -> None:
    admin = actor(session, make_member(session, employer, Role.HR_ADMIN))
    group = next(s for s in repository.skills_by_uri(session, framework.id).values() if s.is_group)

    with pytest.raises(InvalidInput):
        skill_profiles.set_item(
            session,
            admin,
            Target(employer.id, position_id=nurse_role.id),
            SkillProfileItemWrite(skill_id=group.id, target_level=3),
        )


def test_replace_sets_exactly_the_listed_skills(
    session: Session, framework: Framework, employer: Organisation
) -> None:
    admin = actor(session, make_member(session, employer, Role.HR_ADMIN))
    ward = make_department(session, employer, name="Ward 4")
    target = Target(employer.id, department_id=ward.id)
    skills = repository.skills_by_uri(session, framework.id)
    skill_profiles.start_from_occupation(
        session, admin, target, FromOccupation(occupation_uri=f"{OCCUPATION}nurse")
    )

    empathy = skills[f"{SKILL}empathy"]
    skill_profiles.replace(
        session,
        admin,
        target,
        SkillProfileWrite(
            items=[SkillProfileItemWrite(skill_id=empathy.id, target_level=2, weight=1)]
        ),
    )

    lines = skill_profiles.view(session, admin, target).lines
    assert [(line.skill.preferred_label, line.item.target_level) for line in lines] == [
        ("show empathy", 2)
    ]


def test_members_read_the_profile_and_only_administrators_change_it(
    session: Session, framework: Framework, employer: Organisation, nurse_role: Position
) -> None:
    learner = actor(session, make_member(session, employer, Role.LEARNER))
    target = Target(employer.id, position_id=nurse_role.id)

    assert skill_profiles.view(session, learner, target).lines == []
    with pytest.raises(PermissionDenied):
        skill_profiles.start_from_occupation(
            session, learner, target, FromOccupation(occupation_uri=f"{OCCUPATION}nurse")
        )


def test_another_organisations_role_does_not_exist(
    session: Session, framework: Framework, employer: Organisation, nurse_role: Position
) -> None:
    outsider = actor(session, make_member(session, make_org(session), Role.HR_ADMIN))

    with pytest.raises(NotFound):
        skill_profiles.view(session, outsider, Target(employer.id, position_id=nurse_role.id))


def test_a_token_needs_the_orgs_write_scope_to_change_it(
    session: Session, framework: Framework, employer: Organisation, nurse_role: Position
) -> None:
    admin = make_member(session, employer, Role.HR_ADMIN)
    read_only = people.actor_for(session, admin, scopes=frozenset({Scope.ORGS_READ}))
    target = Target(employer.id, position_id=nurse_role.id)

    assert skill_profiles.view(session, read_only, target).lines == []
    with pytest.raises(InsufficientScope):
        skill_profiles.start_from_occupation(
            session, read_only, target, FromOccupation(occupation_uri=f"{OCCUPATION}nurse")
        )
