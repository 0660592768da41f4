"""A small framework whose skills and occupations the linker can find, embeddings built."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.intelligence import service as intelligence_service
from cairn.taxonomy.models import Framework, Occupation, Skill
from tests.factories.taxonomy import make_framework, make_occupation, make_skill

SKILLS: dict[str, tuple[str, ...]] = {
    "use spreadsheets software": ("Excel", "spreadsheet software", "use Microsoft Excel"),
    "Python (computer programming)": ("Python", "Python programming"),
    "SQL": ("structured query language", "SQL queries"),
    "manage a team": ("lead a team", "team management", "supervise staff"),
    "customer service": ("serve customers", "client service"),
    "communicate with customers": ("talk to customers", "customer communication"),
    "administer medication": ("give medicines", "medication administration"),
    "cook meals": ("prepare meals", "cooking"),
    "forklift operation": ("drive a forklift", "operate forklift"),
    "project management": ("manage projects",),
    "bookkeeping": ("keep accounts", "maintain financial records"),
    "speak French": ("French language", "communicate in French"),
    "carpentry": ("woodworking",),
    "data analysis": ("analyse data", "analyze data", "data analytics"),
    "welding": ("weld metal",),
}
OCCUPATIONS: dict[str, tuple[str, ...]] = {
    "software developer": ("programmer", "software engineer", "coder"),
    "registered nurse": ("RN", "staff nurse"),
    "cook": ("line cook", "chef de partie"),
    "warehouse worker": ("forklift driver", "order picker"),
    "accountant": ("bookkeeper", "accounts clerk"),
}


@dataclass(frozen=True)
class LinkableFramework:
    framework: Framework
    skills: dict[str, Skill]
    """By preferred label."""
    occupations: dict[str, Occupation]

    def skill_id(self, label: str) -> uuid.UUID:
        return self.skills[label].id


def make_linkable_framework(
    session: Session, *, owner_org_id: uuid.UUID | None = None, slug: str | None = None
) -> LinkableFramework:
    """Fifteen everyday skills and five occupations with alternative labels, and their
    embeddings built and stored, as an import would leave them."""
    framework = make_framework(
        session, slug=slug, title="Everyday skills", owner_org_id=owner_org_id
    )
    skills = {
        label: make_skill(session, framework, label, alt_labels=alts)
        for label, alts in SKILLS.items()
    }
    occupations = {
        label: make_occupation(session, framework, label, alt_labels=alts)
        for label, alts in OCCUPATIONS.items()
    }
    session.flush()
    intelligence_service.build_embeddings_after_import(session, framework)
    return LinkableFramework(framework, skills, occupations)


def with_embeddings(session: Session, framework: Framework) -> Framework:
    """A framework made in a test, its embeddings built as an import builds them."""
    session.flush()
    intelligence_service.build_embeddings_after_import(session, framework)
    return framework
