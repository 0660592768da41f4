"""Skills needs and their threads.

An employer, a sector group or a program authority posts what it needs people to be able
to do, for one network it belongs to or for every training provider; providers answer with
proposals (``proposal_service``) and both sides talk on the need's thread. Every change
writes an event to the thread's audit trail (decision 0025)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from cairn.catalogue import codesign_repository as repo
from cairn.catalogue import codesign_skills, network_repository
from cairn.catalogue.codesign_access import Seen, seen_need
from cairn.catalogue.codesign_audit import apply, change, record
from cairn.catalogue.codesign_models import (
    CodesignComment,
    Network,
    Proposal,
    SkillsNeed,
)
from cairn.catalogue.codesign_schemas import CommentCreate, NeedCreate, NeedFields
from cairn.catalogue.enums import CodesignAction, NeedStatus
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.errors import Conflict, FieldError, InvalidInput, PermissionDenied
from cairn.kit.i18n import lazy_gettext
from cairn.orgs import repository as orgs_repository
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation, Position
from cairn.orgs.permissions import is_org_admin, visible_organisation


def require_poster(session: Session, actor: Actor, org_id: uuid.UUID) -> Organisation:
    """The organisation, if ``actor`` may post its needs: administrators of an employer, a
    sector group or a program authority (forms are shown only then)."""
    require_scope(actor, Scope.CATALOGUE_WRITE)
    org = visible_organisation(session, actor, org_id)
    if org.kind is OrgKind.PROVIDER:
        raise PermissionDenied(
            lazy_gettext("Training providers answer skills needs; they do not post them.")
        )
    if not is_org_admin(actor, org_id):
        raise PermissionDenied(lazy_gettext("Only an administrator can post a skills need."))
    return org


def posting_orgs(session: Session, actor: Actor) -> list[Organisation]:
    """The organisations ``actor`` may post needs for, by name."""
    orgs = orgs_repository.organisations_by_ids(session, list(actor.org_ids))
    return sorted(
        (o for o in orgs.values() if o.kind is not OrgKind.PROVIDER and is_org_admin(actor, o.id)),
        key=lambda org: org.name,
    )


def posting_choices(
    session: Session, actor: Actor, org_id: uuid.UUID
) -> tuple[list[Position], list[Network]]:
    """The organisation's job roles and the networks it can share a need with."""
    require_poster(session, actor, org_id)
    networks = network_repository.memberships_of(session, [org_id])[org_id]
    found = network_repository.networks_by_ids(session, networks)
    return list(orgs_repository.list_positions(session, org_id)), sorted(
        found.values(), key=lambda network: network.name
    )


def _check_fields(
    session: Session, org_id: uuid.UUID, values: dict[str, Any], need: SkillsNeed | None = None
) -> None:
    """A title is kept, the timing is in order, the job role is the organisation's own and
    the network one it belongs to."""
    if "title" in values and values["title"] is None:
        message = lazy_gettext("Give the need a title.")
        raise InvalidInput(message, [FieldError("title", message)])
    needed_from = values.get("needed_from", need.needed_from if need else None)
    needed_by = values.get("needed_by", need.needed_by if need else None)
    if needed_from and needed_by and needed_by < needed_from:
        message = lazy_gettext("The need cannot end before it starts.")
        raise InvalidInput(message, [FieldError("needed_by", message)])
    position_id, network_id = values.get("position_id"), values.get("network_id")
    if (
        position_id is not None
        and orgs_repository.get_position(session, org_id, position_id) is None
    ):
        message = lazy_gettext("Choose one of the organisation's job roles.")
        raise InvalidInput(message, [FieldError("position_id", message)])
    if (
        network_id is not None
        and network_repository.get_member(session, network_id, org_id) is None
    ):
        message = lazy_gettext("Choose a network the organisation belongs to.")
        raise InvalidInput(message, [FieldError("network_id", message)])


def create_need(session: Session, actor: Actor, org_id: uuid.UUID, data: NeedCreate) -> SkillsNeed:
    """An open need, shared with one of the organisation's networks or every provider."""
    require_poster(session, actor, org_id)
    values = data.model_dump(exclude={"skills"}, exclude_unset=True)
    _check_fields(session, org_id, values)
    skills = codesign_skills.checked_skills(session, data.skills)
    need = SkillsNeed(
        org_id=org_id,
        status=NeedStatus.OPEN,
        created_by_id=None if actor.system else actor.person_id,
    )
    detail = apply(need, values)
    session.add(need)
    session.flush()
    rows = codesign_skills.need_skill_rows(need.id, skills)
    repo.replace_skills(session, need.id, rows)
    detail["skills"] = change(None, codesign_skills.skill_texts(session, rows))
    record(session, actor, need, CodesignAction.NEED_POSTED, org_id, detail=detail)
    return need


def require_owner(session: Session, actor: Actor, need_id: uuid.UUID) -> SkillsNeed:
    """The need, if ``actor`` speaks for the organisation that posted it (forms are shown
    only then)."""
    return _owned(session, actor, need_id, lock=False).need


def _owned(session: Session, actor: Actor, need_id: uuid.UUID, *, lock: bool = True) -> Seen:
    seen = seen_need(session, actor, need_id, write=True, lock=lock)
    if not seen.owns:
        raise PermissionDenied(
            lazy_gettext("Only the organisation that posted the need can do that.")
        )
    return seen


def update_need(session: Session, actor: Actor, need_id: uuid.UUID, data: NeedFields) -> SkillsNeed:
    """Change an open need; the audit trail keeps each field's old and new value."""
    need = _owned(session, actor, need_id).need
    if need.status is not NeedStatus.OPEN:
        raise Conflict(lazy_gettext("Only an open need can be changed."))
    values = data.model_dump(exclude={"skills"}, exclude_unset=True)
    _check_fields(session, need.org_id, values, need)
    rows = (
        None
        if data.skills is None
        else codesign_skills.need_skill_rows(
            need.id, codesign_skills.checked_skills(session, data.skills)
        )
    )
    detail = apply(need, values)
    if rows is not None:
        before = list(repo.skills_of(session, [need.id])[need.id])
        if {(r.skill_id, r.level) for r in before} != {(r.skill_id, r.level) for r in rows}:
            detail["skills"] = change(
                codesign_skills.skill_texts(session, before),
                codesign_skills.skill_texts(session, rows),
            )
            repo.replace_skills(session, need.id, rows)
    session.flush()
    if detail:
        record(session, actor, need, CodesignAction.NEED_UPDATED, need.org_id, detail=detail)
    return need


def close_need(session: Session, actor: Actor, need_id: uuid.UUID) -> SkillsNeed:
    """Close an open or agreed need: the work is done or no longer wanted."""
    return _end(session, actor, need_id, NeedStatus.CLOSED)


def withdraw_need(session: Session, actor: Actor, need_id: uuid.UUID) -> SkillsNeed:
    """Withdraw an open need that should not have been posted."""
    return _end(session, actor, need_id, NeedStatus.WITHDRAWN)


def _end(session: Session, actor: Actor, need_id: uuid.UUID, status: NeedStatus) -> SkillsNeed:
    need = _owned(session, actor, need_id).need
    allowed = (
        (NeedStatus.OPEN, NeedStatus.AGREED) if status is NeedStatus.CLOSED else (NeedStatus.OPEN,)
    )
    if need.status not in allowed:
        raise Conflict(
            lazy_gettext("Only an open or agreed need can be closed.")
            if status is NeedStatus.CLOSED
            else lazy_gettext("Only an open need can be withdrawn.")
        )
    detail = apply(need, {"status": status})
    session.flush()
    action = (
        CodesignAction.NEED_CLOSED if status is NeedStatus.CLOSED else CodesignAction.NEED_WITHDRAWN
    )
    record(session, actor, need, action, need.org_id, detail=detail)
    return need


def add_comment(
    session: Session, actor: Actor, need_id: uuid.UUID, data: CommentCreate
) -> CodesignComment:
    """A comment on the thread, for the owner or a provider the need reaches; a reply is
    about its parent's proposal."""
    seen = seen_need(session, actor, need_id, write=True)
    need = seen.need
    if need.status not in (NeedStatus.OPEN, NeedStatus.AGREED):
        raise Conflict(lazy_gettext("This need is closed: its thread can be read, not added to."))
    org_id = _speaker(seen, data.org_id)
    proposal_id = data.proposal_id
    if data.parent_id is not None:
        parent = repo.get_comment(session, data.parent_id)
        if parent is None or parent.need_id != need.id:
            message = lazy_gettext("Answer a comment on this need.")
            raise InvalidInput(message, [FieldError("parent_id", message)])
        proposal_id = proposal_id or parent.proposal_id
    proposal = repo.get_proposal(session, proposal_id) if proposal_id else None
    if proposal_id is not None and (proposal is None or proposal.need_id != need.id):
        message = lazy_gettext("Choose a proposal made to this need.")
        raise InvalidInput(message, [FieldError("proposal_id", message)])
    return post_comment(session, actor, need, org_id, data.body, proposal, data.parent_id)


def _speaker(seen: Seen, wanted: uuid.UUID | None) -> uuid.UUID:
    sides = seen.sides
    if not sides:
        raise PermissionDenied(
            lazy_gettext(
                "Only the organisation that posted the need and the providers it reaches "
                "take part in its thread."
            )
        )
    if wanted is None and len(sides) > 1:
        message = lazy_gettext("Say which organisation you speak for.")
        raise InvalidInput(message, [FieldError("org_id", message)])
    if wanted is not None and wanted not in sides:
        message = lazy_gettext("You cannot speak for that organisation on this thread.")
        raise InvalidInput(message, [FieldError("org_id", message)])
    return wanted or sides[0]


def post_comment(
    session: Session,
    actor: Actor,
    need: SkillsNeed,
    org_id: uuid.UUID,
    body: str,
    proposal: Proposal | None = None,
    parent_id: uuid.UUID | None = None,
    *,
    action: CodesignAction = CodesignAction.COMMENTED,
    detail: dict[str, Any] | None = None,
) -> CodesignComment:
    """Write a comment and its event; a review's note is posted this way, under its action."""
    comment = CodesignComment(
        need_id=need.id,
        proposal_id=proposal.id if proposal else None,
        parent_id=parent_id,
        author_id=None if actor.system else actor.person_id,
        author_org_id=org_id,
        body=body,
    )
    session.add(comment)
    session.flush()
    record(
        session,
        actor,
        need,
        action,
        org_id,
        proposal=proposal,
        detail={**(detail or {}), "comment_id": str(comment.id)},
    )
    return comment
