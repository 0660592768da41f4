"""The skills of a skills need: chosen from public frameworks, since the need is read by
other organisations, each at a level of its framework's scale."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.catalogue.codesign_models import NeedSkill
from cairn.catalogue.codesign_schemas import NeedSkillWrite
from cairn.kit.actor import Actor
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy import service as taxonomy_service
from cairn.taxonomy.models import Framework, ProficiencyLevel, Skill

SKILL_RESULTS = 10


@dataclass(frozen=True)
class SkillChoice:
    """A skill of a public framework with the levels of its scale, to choose from."""

    skill: Skill
    framework: Framework

    @property
    def levels(self) -> list[ProficiencyLevel]:
        return list(self.framework.scale.levels) if self.framework.scale else []

    def level_label(self, rank: int | None) -> str | None:
        return next((level.label for level in self.levels if level.rank == rank), None)


@dataclass(frozen=True)
class SkillLine:
    choice: SkillChoice
    level: int | None

    @property
    def text(self) -> str:
        label = self.choice.skill.preferred_label
        return label if self.level is None else f"{label} ({self.level})"


def find_skills(session: Session, actor: Actor, text: str) -> list[SkillChoice]:
    """Skills of public frameworks matching ``text``: a need is read by other organisations."""
    if not text.strip():
        return []
    found = taxonomy_service.search_skills(
        session, actor.without_scopes(), taxonomy_service.SkillQuery(text=text, limit=SKILL_RESULTS)
    )
    return [c for c in _choices(session, [s.id for s in found]) if c.framework.owner_org_id is None]


def skill_choices(session: Session, skill_ids: list[uuid.UUID]) -> list[SkillChoice]:
    """Public skills by id, in the order given; unknown ones are left out."""
    return [c for c in _choices(session, skill_ids) if c.framework.owner_org_id is None]


def _choices(session: Session, skill_ids: list[uuid.UUID]) -> list[SkillChoice]:
    skills = taxonomy_repository.skills_by_ids(session, skill_ids)
    frameworks: dict[uuid.UUID, Framework | None] = {}
    choices = []
    for skill_id in dict.fromkeys(skill_ids):
        skill = skills.get(skill_id)
        if skill is None:
            continue
        if skill.framework_id not in frameworks:
            frameworks[skill.framework_id] = taxonomy_repository.get_framework(
                session, skill.framework_id
            )
        framework = frameworks[skill.framework_id]
        if framework is not None:
            choices.append(SkillChoice(skill, framework))
    return choices


def checked_skills(session: Session, skills: list[NeedSkillWrite]) -> list[NeedSkillWrite]:
    """Each a skill (not a group) of a public framework, once, at a level of its scale."""
    choices = {c.skill.id: c for c in skill_choices(session, [s.skill_id for s in skills])}
    problems: list[FieldError] = []
    seen: set[uuid.UUID] = set()
    for index, item in enumerate(skills):
        choice = choices.get(item.skill_id)
        ranks = [level.rank for level in choice.levels] if choice else []
        if choice is None or choice.skill.is_group or item.skill_id in seen:
            problems.append(
                FieldError(
                    f"skills.{index}.skill_id",
                    lazy_gettext("Choose a skill (not a group) of a public framework, once."),
                )
            )
        elif item.level is not None and ranks and item.level not in ranks:
            problems.append(
                FieldError(
                    f"skills.{index}.level",
                    lazy_gettext(
                        "Choose a level from %(low)s to %(high)s.", low=min(ranks), high=max(ranks)
                    ),
                )
            )
        seen.add(item.skill_id)
    if problems:
        raise InvalidInput(problems[0].message, problems)
    return skills


def need_skill_rows(need_id: uuid.UUID, skills: list[NeedSkillWrite]) -> list[NeedSkill]:
    return [NeedSkill(need_id=need_id, skill_id=s.skill_id, level=s.level) for s in skills]


def skill_texts(session: Session, rows: list[NeedSkill]) -> list[str]:
    return [line.text for line in skill_lines(session, rows)]


def skill_lines(session: Session, rows: list[NeedSkill]) -> list[SkillLine]:
    choices = {c.skill.id: c for c in _choices(session, [row.skill_id for row in rows])}
    lines = [SkillLine(choices[row.skill_id], row.level) for row in rows if row.skill_id in choices]
    return sorted(lines, key=lambda line: line.choice.skill.preferred_label.lower())
