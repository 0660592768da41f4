"""What a learning outcome's alignment reads as: the skill it develops, the framework the
skill comes from, and the level a holder reaches on that framework's scale.

An outcome stores only a skill id and a level number; pages show words. The skill is
shown to anyone who can see the specification, since its issuer chose it, but linked
only for those who may open the framework (decision 0029)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.catalogue.models import LearningOutcome
from cairn.kit.actor import Actor
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy import service as taxonomy_service
from cairn.taxonomy.models import Framework, Skill


@dataclass(frozen=True)
class Alignment:
    skill: Skill
    framework: Framework
    level: int | None
    linked: bool
    """The reader may open the skill's page."""

    @property
    def levels(self) -> list[tuple[int, str]]:
        """The framework's scale as (rank, label), for a level select; empty without one."""
        scale = self.framework.scale
        return [(level.rank, level.label) for level in scale.levels] if scale else []

    @property
    def level_label(self) -> str | None:
        return dict(self.levels).get(self.level) if self.level is not None else None


def alignments(
    session: Session, actor: Actor, outcomes: Sequence[LearningOutcome]
) -> dict[int, Alignment]:
    """Outcome position → its alignment, for the outcomes aligned to a skill that exists."""
    skills = taxonomy_repository.skills_by_ids(
        session, {o.skill_id for o in outcomes if o.skill_id is not None}
    )
    frameworks = taxonomy_repository.frameworks_by_ids(
        session, {skill.framework_id for skill in skills.values()}
    )
    found: dict[int, Alignment] = {}
    for outcome in outcomes:
        skill = skills.get(outcome.skill_id) if outcome.skill_id is not None else None
        framework = frameworks.get(skill.framework_id) if skill is not None else None
        if skill is not None and framework is not None:
            found[outcome.position] = Alignment(
                skill, framework, outcome.level, taxonomy_service.can_see(actor, framework)
            )
    return found
