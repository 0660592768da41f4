"""Small frameworks built with the ORM, for tests that need one of everything quickly."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.kit.clock import utcnow
from cairn.taxonomy.enums import Relation, ReuseLevel, SkillType
from cairn.taxonomy.models import (
    Crosswalk,
    CrosswalkEntry,
    Framework,
    Occupation,
    OccupationSkill,
    OccupationTask,
    ProficiencyLevel,
    ProficiencyScale,
    Skill,
    SkillBroader,
    SkillCollection,
    SkillCollectionMember,
    SkillLevelDescriptor,
    SkillRelation,
)

_counter = itertools.count(1)


def make_framework(
    session: Session,
    *,
    slug: str | None = None,
    title: str = "Test Framework",
    version: str = "1.0",
    owner_org_id: uuid.UUID | None = None,
    levels: Iterable[str] = ("Beginner", "Practised", "Expert"),
) -> Framework:
    number = next(_counter)
    scale = ProficiencyScale(
        slug=f"test-scale-{number}-{uuid.uuid4().hex[:6]}",
        name=f"Test scale {number}",
        levels=[
            ProficiencyLevel(rank=rank, label=text, descriptor=f"{text} in general.")
            for rank, text in enumerate(levels, start=1)
        ],
    )
    session.add(scale)
    session.flush()
    framework = Framework(
        slug=slug or f"test-{number}-{uuid.uuid4().hex[:6]}",
        version=version,
        title=title,
        publisher="Test Publisher",
        licence="CC BY 4.0",
        source="https://example.org/framework",
        code_system="TEST",
        owner_org_id=owner_org_id,
        scale_id=scale.id,
        imported_at=utcnow(),
    )
    session.add(framework)
    session.flush()
    return framework


def make_skill(
    session: Session,
    framework: Framework,
    label: str,
    *,
    broader: Skill | None = None,
    is_group: bool = False,
    skill_type: SkillType | None = SkillType.SKILL,
    alt_labels: Iterable[str] = (),
    description: str | None = None,
    code: str | None = None,
) -> Skill:
    skill = Skill(
        framework_id=framework.id,
        uri=f"https://example.org/skill/{next(_counter)}-{uuid.uuid4().hex[:6]}",
        code=code,
        preferred_label=label,
        alt_labels="\n".join(alt_labels),
        description=description,
        skill_type=None if is_group else skill_type,
        reuse_level=None if is_group else ReuseLevel.CROSS_SECTOR,
        is_group=is_group,
    )
    session.add(skill)
    session.flush()
    if broader is not None:
        session.add(SkillBroader(skill_id=skill.id, broader_id=broader.id))
        session.flush()
    return skill


def make_occupation(
    session: Session,
    framework: Framework,
    label: str,
    *,
    code: str | None = None,
    isco_code: str | None = None,
    broader: Occupation | None = None,
    is_group: bool = False,
    alt_labels: Iterable[str] = (),
) -> Occupation:
    occupation = Occupation(
        framework_id=framework.id,
        uri=f"https://example.org/occupation/{next(_counter)}-{uuid.uuid4().hex[:6]}",
        code=code,
        isco_code=isco_code,
        preferred_label=label,
        alt_labels="\n".join(alt_labels),
        description=f"People who work as {label}.",
        is_group=is_group,
        broader_id=broader.id if broader else None,
    )
    session.add(occupation)
    session.flush()
    return occupation


def needs(
    session: Session,
    occupation: Occupation,
    skill: Skill,
    relation: Relation | None = Relation.ESSENTIAL,
    *,
    importance: float | None = None,
    level: float | None = None,
) -> None:
    session.add(
        OccupationSkill(
            occupation_id=occupation.id,
            skill_id=skill.id,
            relation=relation,
            importance=importance,
            level=level,
        )
    )
    session.flush()


@dataclass
class SmallFramework:
    """A framework with one of everything the skill and occupation pages show."""

    framework: Framework
    group: Skill
    skill: Skill
    related: Skill
    other: Skill
    occupation_group: Occupation
    occupation: Occupation
    collection: SkillCollection


def make_small_framework(
    session: Session, *, title: str = "Care Skills", owner_org_id: uuid.UUID | None = None
) -> SmallFramework:
    framework = make_framework(session, title=title, owner_org_id=owner_org_id)
    group = make_skill(session, framework, "caring for people", is_group=True, code="C1")
    skill = make_skill(
        session,
        framework,
        "dress wounds",
        broader=group,
        alt_labels=["apply wound dressings", "change dressings"],
        description="Clean and dress wounds.",
        code="C1.1",
    )
    related = make_skill(session, framework, "prevent infection", broader=group)
    other = make_skill(session, framework, "keep records", skill_type=SkillType.KNOWLEDGE)
    session.add(
        SkillRelation(skill_id=skill.id, related_id=related.id, relation=Relation.ESSENTIAL)
    )
    session.add(
        SkillLevelDescriptor(skill_id=skill.id, rank=2, descriptor="Dresses simple wounds.")
    )
    collection = SkillCollection(
        framework_id=framework.id, slug="clinical", title="Clinical skills"
    )
    session.add(collection)
    session.flush()
    session.add(SkillCollectionMember(collection_id=collection.id, skill_id=skill.id))
    occupation_group = make_occupation(
        session, framework, "health professionals", code="22", is_group=True
    )
    occupation = make_occupation(
        session,
        framework,
        "community nurse",
        code="2221.9",
        isco_code="2221",
        broader=occupation_group,
        alt_labels=["district nurse"],
    )
    needs(session, occupation, skill, Relation.ESSENTIAL)
    needs(session, occupation, other, Relation.OPTIONAL)
    session.add_all(
        [
            OccupationTask(
                occupation_id=occupation.id, code="T1", text="Visit patients.", core=True
            ),
            OccupationTask(
                occupation_id=occupation.id, code="T2", text="Order supplies.", core=False
            ),
        ]
    )
    crosswalk = Crosswalk(
        slug=f"test-crosswalk-{uuid.uuid4().hex[:6]}",
        title="Test to NOC",
        source_system="TEST",
        target_system="NOC 2021",
    )
    session.add(crosswalk)
    session.flush()
    session.add(
        CrosswalkEntry(
            crosswalk_id=crosswalk.id,
            source_code="2221.9",
            source_label="community nurse",
            target_code="31301",
            target_label="Registered nurses",
        )
    )
    session.flush()
    return SmallFramework(
        framework, group, skill, related, other, occupation_group, occupation, collection
    )
