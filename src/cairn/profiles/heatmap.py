"""Skill gaps of a department or a whole organisation, as a department-by-skill heatmap.

Each member is measured against the skill profile of their job role, or failing that of
their department. A cell counts the assessed people whose target includes the skill: the
share below target and the mean shortfall. Cells with fewer assessed people than
``min_cell`` are suppressed, so that no one can be singled out (decision 0017)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.assessment.merge import Claim, current_levels
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.orgs import repository as orgs_repository
from cairn.orgs import service as orgs_service
from cairn.orgs.models import Department
from cairn.profiles import repository
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.models import Skill

DEFAULT_MIN_CELL = 5


@dataclass(frozen=True)
class Cell:
    targeted: int
    """Members whose role or department profile includes the skill."""
    assessed: int
    """Of those, members with evidence for the skill."""
    below: int | None
    mean_gap: float | None
    """Mean levels short of target among the assessed; None when suppressed."""

    @property
    def suppressed(self) -> bool:
        return self.below is None

    @property
    def share_below(self) -> float | None:
        return None if self.below is None else self.below / self.assessed


@dataclass(frozen=True)
class Heatmap:
    departments: list[Department]
    skills: list[Skill]
    cells: dict[tuple[uuid.UUID, uuid.UUID], Cell]
    min_cell: int


def department_heatmap(
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    *,
    department_id: uuid.UUID | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
) -> Heatmap:
    """Only the organisation's administrators see it; figures are aggregates only."""
    require_scope(actor, Scope.PEOPLE_READ)
    orgs_service.require_org_admin(session, actor.without_scopes(), org_id)
    if min_cell < 1:
        message = lazy_gettext("A cell needs at least one person.")
        raise InvalidInput(message, [FieldError("min_cell", message)])
    departments = {d.id: d for d in orgs_repository.list_departments(session, org_id)}
    wanted = _subtree(departments, department_id) if department_id else set(departments)
    if department_id and department_id not in departments:
        message = lazy_gettext("Department not found.")
        raise InvalidInput(message, [FieldError("department", message)])

    by_position: dict[uuid.UUID, dict[uuid.UUID, int]] = defaultdict(dict)
    by_department: dict[uuid.UUID, dict[uuid.UUID, int]] = defaultdict(dict)
    for profile, item in orgs_repository.profile_items_of(session, org_id):
        if profile.position_id is not None:
            by_position[profile.position_id][item.skill_id] = item.target_level
        elif profile.department_id is not None:
            by_department[profile.department_id][item.skill_id] = item.target_level

    targets: dict[uuid.UUID, tuple[uuid.UUID, dict[uuid.UUID, int]]] = {}
    for membership in orgs_repository.memberships_in(session, org_id):
        home = membership.department_id
        if home is None or home not in wanted:
            continue
        role = by_position.get(membership.position_id) if membership.position_id else None
        target = role or by_department.get(home)
        if target:
            targets[membership.person_id] = (home, target)

    skill_ids = sorted({skill for _, target in targets.values() for skill in target})
    evidence: dict[uuid.UUID, list[Claim]] = defaultdict(list)
    for claim in repository.claims_for(session, list(targets), skill_ids):
        evidence[claim.person_id].append(claim)
    now = utcnow()
    tallies: dict[tuple[uuid.UUID, uuid.UUID], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for person_id, (dept_id, target) in targets.items():
        levels = current_levels(evidence.get(person_id, []), now)
        for skill_id, goal in target.items():
            tally = tallies[(dept_id, skill_id)]
            tally[0] += 1
            if skill_id in levels:
                shortfall = max(0, goal - levels[skill_id])
                tally[1] += 1
                tally[2] += shortfall > 0
                tally[3] += shortfall
    cells = {
        key: Cell(
            targeted=targeted,
            assessed=assessed,
            below=below if assessed >= min_cell else None,
            mean_gap=gap / assessed if assessed >= min_cell else None,
        )
        for key, (targeted, assessed, below, gap) in tallies.items()
    }
    skills = taxonomy_repository.skills_by_ids(session, skill_ids)
    shown = sorted({dept for dept, _ in cells}, key=lambda d: departments[d].name.lower())
    return Heatmap(
        departments=[departments[d] for d in shown],
        skills=sorted(skills.values(), key=lambda s: s.preferred_label.lower()),
        cells=cells,
        min_cell=min_cell,
    )


def _subtree(departments: dict[uuid.UUID, Department], root: uuid.UUID) -> set[uuid.UUID]:
    found = {root}
    changed = True
    while changed:
        changed = False
        for department in departments.values():
            if department.parent_id in found and department.id not in found:
                found.add(department.id)
                changed = True
    return found
