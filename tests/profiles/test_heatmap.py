"""The department-by-skill gap heatmap: shares and mean gaps, small cells suppressed, and
only the organisation's administrators may see it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence
from cairn.kit.actor import Role
from cairn.kit.clock import utcnow
from cairn.kit.errors import NotFound, PermissionDenied
from cairn.kit.progress import NoProgress
from cairn.orgs import skill_profiles
from cairn.orgs.models import Organisation
from cairn.orgs.schemas import SkillProfileItemWrite
from cairn.orgs.skill_profiles import Target
from cairn.profiles.heatmap import department_heatmap
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.importers.builtin import load_digital_framework
from cairn.taxonomy.models import Skill
from tests.factories.orgs import actor, make_department, make_member, make_org, make_position


@pytest.fixture
def security(session: Session) -> Skill:
    load_digital_framework(session, progress=NoProgress())
    framework = taxonomy_repository.find_framework(session, "cairn-digital")
    assert framework is not None
    skill = taxonomy_repository.find_skill_by_code(session, framework.id, "4.1")
    assert skill is not None
    return skill


@pytest.fixture
def employer(session: Session) -> Organisation:
    return make_org(session, name="Northshore Freight")


def staff(
    session: Session,
    employer: Organisation,
    security: Skill,
    department: str,
    levels: list[int | None],
) -> None:
    """A department whose job role targets level 4 in security, with people at ``levels``."""
    admin = actor(session, make_member(session, employer, Role.HR_ADMIN))
    unit = make_department(session, employer, name=department)
    role = make_position(session, employer, title=f"{department} clerk", department=unit)
    skill_profiles.set_item(
        session,
        admin,
        Target(employer.id, position_id=role.id),
        SkillProfileItemWrite(skill_id=security.id, target_level=4, weight=3),
    )
    for level in levels:
        person = make_member(session, employer, department=unit, position=role)
        if level is not None:
            session.add(
                Evidence(
                    person_id=person.id,
                    skill_id=security.id,
                    level=level,
                    source=EvidenceSource.TEST,
                    observed_at=utcnow() - timedelta(days=5),
                    confidence=0.9,
                )
            )
    session.flush()


def test_cells_show_share_below_and_mean_gap_and_hide_small_groups(
    session: Session, employer: Organisation, security: Skill
) -> None:
    staff(session, employer, security, "Dispatch", [2, 3, 4, 5, 6, 1, None])
    staff(session, employer, security, "Billing", [1, 2])
    admin = actor(session, make_member(session, employer, Role.HR_ADMIN))

    heatmap = department_heatmap(session, admin, employer.id)

    by_name = {d.name: d for d in heatmap.departments}
    dispatch = heatmap.cells[(by_name["Dispatch"].id, security.id)]
    assert (dispatch.targeted, dispatch.assessed, dispatch.below) == (7, 6, 3)
    assert dispatch.share_below == 0.5
    assert dispatch.mean_gap == pytest.approx((2 + 1 + 0 + 0 + 0 + 3) / 6)
    billing = heatmap.cells[(by_name["Billing"].id, security.id)]
    assert billing.suppressed
    assert billing.mean_gap is None
    assert (
        department_heatmap(session, admin, employer.id, min_cell=2)
        .cells[(by_name["Billing"].id, security.id)]
        .below
        == 2
    )


def test_only_the_organisations_administrators_see_it(
    session: Session, employer: Organisation, security: Skill
) -> None:
    staff(session, employer, security, "Dispatch", [3])
    learner = actor(session, make_member(session, employer))
    outsider = actor(session, make_member(session, make_org(session), Role.HR_ADMIN))

    with pytest.raises(PermissionDenied):
        department_heatmap(session, learner, employer.id)
    with pytest.raises(NotFound):
        department_heatmap(session, outsider, employer.id)
