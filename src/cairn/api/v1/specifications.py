"""Micro-credential specifications: drafting, structured prerequisites, the profile check,
review, publication, new versions and endorsements."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy.orm import Session

from cairn.api.v1.common import ERROR_RESPONSES
from cairn.auth.dependencies import ApiActor, DbSession
from cairn.catalogue import alignment_suggestions, prerequisite_service, service
from cairn.catalogue.schemas import (
    AlignmentSuggestionsRead,
    EndorsementWrite,
    FindingRead,
    OutcomeRead,
    PrerequisitesWrite,
    ProfileCheckRead,
    SpecificationCreate,
    SpecificationFields,
    SpecificationRead,
)
from cairn.kit.actor import Actor

router = APIRouter(tags=["specifications"], responses=ERROR_RESPONSES)


def specification_read(session: Session, actor: Actor, version_id: uuid.UUID) -> SpecificationRead:
    view = service.view(session, actor, version_id)
    version, check = view.version, view.check
    return SpecificationRead.model_validate(
        {
            **{column: getattr(version, column) for column in service.COPIED},
            "id": version.id,
            "specification_id": view.specification.id,
            "slug": view.specification.slug,
            "owner_org_id": view.specification.owner_org_id,
            "number": version.number,
            "status": version.status,
            "published_at": version.published_at,
            "issuers": list(view.draft.issuer_names),
            "endorsed_by": list(view.draft.endorser_names),
            "outcomes": [
                OutcomeRead(
                    position=o.position, statement=o.statement, skill_id=o.skill_id, level=o.level
                )
                for o in view.draft.outcomes
            ],
            "prerequisite_clauses": view.prerequisites,
            "check": ProfileCheckRead(
                profile=check.profile,
                passed=check.passed,
                findings=[
                    FindingRead(
                        element=f.element,
                        label=str(f.label),
                        passed=f.passed,
                        missing=None if f.missing is None else str(f.missing),
                    )
                    for f in check.findings
                ],
            ),
        }
    )


@router.get(
    "/orgs/{org_id}/specifications",
    response_model=list[SpecificationRead],
    summary="An organisation's specifications, each at its newest version",
)
def list_specifications(
    org_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> list[SpecificationRead]:
    return [
        specification_read(session, actor, version.id)
        for _, version in service.list_for_organisation(session, actor, org_id)
    ]


@router.post(
    "/orgs/{org_id}/specifications",
    response_model=SpecificationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Start a specification: version 1, in draft",
)
def create_specification(
    org_id: uuid.UUID, data: SpecificationCreate, session: DbSession, actor: ApiActor
) -> SpecificationRead:
    version = service.create_specification(session, actor, org_id, data)
    return specification_read(session, actor.without_scopes(), version.id)


@router.get(
    "/specifications/{version_id}",
    response_model=SpecificationRead,
    summary="A version of a specification, with its profile check",
)
def read_specification(
    version_id: uuid.UUID, session: DbSession, actor: ApiActor
) -> SpecificationRead:
    return specification_read(session, actor, version_id)


@router.patch(
    "/specifications/{version_id}",
    response_model=SpecificationRead,
    summary="Change a draft (a published version never changes: 409)",
)
def update_specification(
    version_id: uuid.UUID, data: SpecificationFields, session: DbSession, actor: ApiActor
) -> SpecificationRead:
    service.update_draft(session, actor, version_id, data)
    return specification_read(session, actor.without_scopes(), version_id)


@router.put(
    "/specifications/{version_id}/prerequisites",
    response_model=SpecificationRead,
    summary="Set a draft's structured prerequisites, replacing those it has",
    description=(
        "Every clause must be met, each by holding any one of its specifications. Refused "
        "with 422 naming `clauses.<n>` or `clauses.<n>.<m>` (from 0): an empty or repeated "
        "clause, a specification twice in a clause, the version's own specification, one "
        "neither on offer nor of this issuer; with 409 for a cycle through the newest "
        "version of each specification named, or a version past its draft."
    ),
)
def set_prerequisites(
    version_id: uuid.UUID, data: PrerequisitesWrite, session: DbSession, actor: ApiActor
) -> SpecificationRead:
    prerequisite_service.set_prerequisites(session, actor, version_id, data.clauses)
    return specification_read(session, actor.without_scopes(), version_id)


@router.get(
    "/specifications/{version_id}/alignment-suggestions",
    response_model=AlignmentSuggestionsRead,
    summary="Skills suggested for each outcome of a draft, from its words (its editors)",
    description=(
        "Suggestions only: keep some by sending the outcomes with their `skill_id` and "
        "`level` to `PATCH /api/v1/specifications/{version_id}`. Needs `catalogue:write`, "
        "as editing does; a version past its draft answers 409."
    ),
)
def suggest_alignments(
    version_id: uuid.UUID,
    session: DbSession,
    actor: ApiActor,
    framework: Annotated[
        str | None,
        Query(
            max_length=120,
            description="esco, or slug@version; by default the framework the outcomes "
            "already align to, else ESCO, else the first framework with skills.",
        ),
    ] = None,
    top: Annotated[
        int, Query(ge=1, le=20, description="At most this many skills per outcome.")
    ] = alignment_suggestions.DEFAULT_TOP,
) -> AlignmentSuggestionsRead:
    return alignment_suggestions.to_read(
        alignment_suggestions.suggest_alignments(
            session, actor, version_id, framework=framework, top=top
        )
    )


def _transition(name: str, summary: str) -> None:
    action = getattr(service, name)

    def endpoint(version_id: uuid.UUID, session: DbSession, actor: ApiActor) -> SpecificationRead:
        version = action(session, actor, version_id)
        return specification_read(session, actor.without_scopes(), version.id)

    path = name.replace("_", "-")
    router.post(
        f"/specifications/{{version_id}}/{path}",
        response_model=SpecificationRead,
        summary=summary,
        name=name,
    )(endpoint)


_transition("submit_for_review", "Send a draft for review")
_transition("return_to_draft", "Return a version in review to draft")
_transition("publish", "Publish a version in review that passes its profile check (registrars)")
_transition("retire", "Retire a published version (registrars)")
_transition("new_version", "Start the next version, in draft, as a copy of this one")


@router.post(
    "/specifications/{version_id}/endorsements",
    response_model=SpecificationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Endorse a version in review or published, for an organisation you administer",
)
def endorse(
    version_id: uuid.UUID, data: EndorsementWrite, session: DbSession, actor: ApiActor
) -> SpecificationRead:
    service.endorse(session, actor, version_id, data.org_id, data.statement)
    return specification_read(session, actor.without_scopes(), version_id)
