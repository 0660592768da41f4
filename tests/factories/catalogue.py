"""Specifications for tests: a complete one passes both profiles' checks but for the
elements a test takes away."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from cairn.catalogue import service
from cairn.catalogue.enums import AssessmentType, Participation, Profile
from cairn.catalogue.models import SpecificationVersion
from cairn.catalogue.schemas import SpecificationCreate
from cairn.kit.actor import Actor
from cairn.orgs.models import Organisation


def complete_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "slug": "wound-care-essentials",
        "title": "Wound care essentials",
        "profile": Profile.EU_2022,
        "language": "en",
        "country": "CA",
        "region": "Ontario",
        "workload_hours": 30,
        "ects": 1,
        "eqf_level": 4,
        "assessment_type": AssessmentType.PRACTICAL,
        "summative": True,
        "participation": Participation.BLENDED,
        "quality_assurance": "Reviewed by the college's program quality committee each year.",
        "stackability": "Counts toward the Community Care certificate.",
        "transcriptable": True,
        "outcomes": [{"statement": "Assess a wound and choose a dressing."}],
    }
    fields.update(changes)
    return fields


def make_specification(
    session: Session, actor: Actor, issuer: Organisation, **changes: Any
) -> SpecificationVersion:
    data = SpecificationCreate.model_validate(complete_fields(**changes))
    return service.create_specification(session, actor, issuer.id, data)


def publish(
    session: Session, designer: Actor, registrar: Actor, version: SpecificationVersion
) -> SpecificationVersion:
    """Send a draft through review to publication, as its issuer would."""
    service.submit_for_review(session, designer, version.id)
    return service.publish(session, registrar, version.id)


def make_published(
    session: Session, designer: Actor, registrar: Actor, issuer: Organisation, **changes: Any
) -> SpecificationVersion:
    """A complete specification, published; pass a distinct ``slug`` for each."""
    version = make_specification(session, designer, issuer, **changes)
    return publish(session, designer, registrar, version)
