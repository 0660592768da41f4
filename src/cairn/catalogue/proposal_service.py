"""Proposals: a training provider's answer to an open skills need, and the owner's review.

    submitted ──ask for changes──► changes requested ──revise──► submitted (revision + 1)
    submitted ──agree──► agreed, and the need with it
    submitted or changes requested ──decline (owner) / withdraw (provider)──► declined / withdrawn

The owner reviews, and the provider proposes and revises, only while the need is open; a
provider may withdraw a proposal still under review at any time. Other proposals stay as
they are when one is agreed: the need, no longer open, freezes them (decision 0025)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from cairn.catalogue import codesign_repository as repo
from cairn.catalogue import repository as catalogue_repository
from cairn.catalogue.codesign_access import Seen, seen_need
from cairn.catalogue.codesign_audit import apply, change, record
from cairn.catalogue.codesign_models import Proposal, SkillsNeed
from cairn.catalogue.codesign_schemas import ProposalCreate, ProposalFields
from cairn.catalogue.codesign_service import post_comment
from cairn.catalogue.enums import CodesignAction, NeedStatus, ProposalStatus
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import LazyString, lazy_gettext
from cairn.orgs import repository as orgs_repository
from cairn.orgs.models import Organisation
from cairn.orgs.permissions import visible_organisation

UNDER_REVIEW = (ProposalStatus.SUBMITTED, ProposalStatus.CHANGES_REQUESTED)


def _expect_open(need: SkillsNeed) -> None:
    if need.status is not NeedStatus.OPEN:
        raise Conflict(lazy_gettext("This need is no longer open: its proposals cannot change."))


def _expect(proposal: Proposal, allowed: tuple[ProposalStatus, ...], message: LazyString) -> None:
    if proposal.status not in allowed:
        raise Conflict(message)


def _check_specification(
    session: Session, provider_id: uuid.UUID, specification_id: uuid.UUID | None
) -> None:
    if specification_id is None:
        return
    specification = catalogue_repository.get_specification(session, specification_id)
    if specification is None or specification.owner_org_id != provider_id:
        message = lazy_gettext("Choose one of the provider's own specifications.")
        raise InvalidInput(message, [FieldError("specification_id", message)])


def submit_proposal(
    session: Session, actor: Actor, need_id: uuid.UUID, data: ProposalCreate
) -> Proposal:
    """A provider the need reaches answers it: with one of its specifications, in any
    status, or with none for a new design. One proposal in play per provider."""
    seen = seen_need(session, actor, need_id, write=True, lock=True)
    need = seen.need
    provider = visible_organisation(session, actor, data.org_id)
    if provider.id not in seen.viewer.designs_for:
        raise PermissionDenied(
            lazy_gettext("Only a training provider's educators and registrars propose for it.")
        )
    if not seen.viewer.reaches(need, provider.id):
        message = lazy_gettext(
            "This need is shared with a network %(org)s is not in.", org=provider.name
        )
        raise InvalidInput(message, [FieldError("org_id", message)])
    _expect_open(need)
    if repo.active_proposal(session, need.id, provider.id) is not None:
        raise Conflict(
            lazy_gettext(
                "%(org)s already has a proposal for this need: revise it instead.",
                org=provider.name,
            )
        )
    _check_specification(session, provider.id, data.specification_id)
    proposal = Proposal(
        need_id=need.id,
        provider_org_id=provider.id,
        status=ProposalStatus.SUBMITTED,
        revision=1,
        created_by_id=None if actor.system else actor.person_id,
    )
    detail = apply(proposal, data.model_dump(exclude={"org_id"}, exclude_unset=True))
    session.add(proposal)
    session.flush()
    record(
        session,
        actor,
        need,
        CodesignAction.PROPOSAL_SUBMITTED,
        provider.id,
        proposal=proposal,
        detail=detail,
    )
    return proposal


def proposing_orgs(session: Session, actor: Actor, need_id: uuid.UUID) -> list[Organisation]:
    """The providers ``actor`` may propose for on this need, by name (the form is shown
    only when there is one)."""
    seen = seen_need(session, actor, need_id, write=True)
    _expect_open(seen.need)
    orgs = orgs_repository.organisations_by_ids(session, seen.viewer.can_propose_for(seen.need))
    if not orgs:
        raise PermissionDenied(
            lazy_gettext("Only the educators and registrars of a provider it reaches propose.")
        )
    return sorted(orgs.values(), key=lambda org: org.name)


def _proposal(
    session: Session, actor: Actor, proposal_id: uuid.UUID, *, write: bool = True
) -> tuple[Proposal, Seen]:
    """A proposal on a need the actor may read; locked, with its need, to change it."""
    proposal = (
        repo.proposal_for_update(session, proposal_id)
        if write
        else repo.get_proposal(session, proposal_id)
    )
    try:
        if proposal is None:
            raise NotFound(lazy_gettext("Proposal not found."))
        return proposal, seen_need(session, actor, proposal.need_id, write=write, lock=write)
    except NotFound:
        raise NotFound(lazy_gettext("Proposal not found.")) from None


def get_proposal(session: Session, actor: Actor, proposal_id: uuid.UUID) -> Proposal:
    return _proposal(session, actor, proposal_id, write=False)[0]


def require_reviser(session: Session, actor: Actor, proposal_id: uuid.UUID) -> Proposal:
    """The proposal, if ``actor`` may revise it (the form is shown only then)."""
    proposal, seen = _proposal(session, actor, proposal_id, write=False)
    _as_provider(seen, proposal)
    return proposal


def _as_provider(seen: Seen, proposal: Proposal) -> None:
    if proposal.provider_org_id not in seen.viewer.designs_for:
        raise PermissionDenied(
            lazy_gettext("Only the provider that made the proposal can change it.")
        )


def _as_owner(seen: Seen) -> None:
    if not seen.owns:
        raise PermissionDenied(
            lazy_gettext("Only the organisation that posted the need reviews its proposals.")
        )


def revise_proposal(
    session: Session, actor: Actor, proposal_id: uuid.UUID, data: ProposalFields
) -> Proposal:
    """The provider answers a review (or improves a submission): the revision goes up by
    one and the proposal is submitted again."""
    proposal, seen = _proposal(session, actor, proposal_id)
    _as_provider(seen, proposal)
    _expect_open(seen.need)
    _expect(
        proposal,
        UNDER_REVIEW,
        lazy_gettext("Only a proposal under review can be revised."),
    )
    values = data.model_dump(exclude_unset=True)
    if "title" in values and values["title"] is None:
        message = lazy_gettext("Give the proposal a title.")
        raise InvalidInput(message, [FieldError("title", message)])
    _check_specification(session, proposal.provider_org_id, values.get("specification_id"))
    detail = apply(
        proposal, {**values, "status": ProposalStatus.SUBMITTED, "revision": proposal.revision + 1}
    )
    session.flush()
    record(
        session,
        actor,
        seen.need,
        CodesignAction.PROPOSAL_REVISED,
        proposal.provider_org_id,
        proposal=proposal,
        detail=detail,
    )
    return proposal


def withdraw_proposal(session: Session, actor: Actor, proposal_id: uuid.UUID) -> Proposal:
    proposal, seen = _proposal(session, actor, proposal_id)
    _as_provider(seen, proposal)
    _expect(proposal, UNDER_REVIEW, lazy_gettext("Only a proposal under review can be withdrawn."))
    detail = apply(proposal, {"status": ProposalStatus.WITHDRAWN})
    session.flush()
    record(
        session,
        actor,
        seen.need,
        CodesignAction.PROPOSAL_WITHDRAWN,
        proposal.provider_org_id,
        proposal=proposal,
        detail=detail,
    )
    return proposal


def request_changes(session: Session, actor: Actor, proposal_id: uuid.UUID, note: str) -> Proposal:
    """The owner asks for changes; the note is posted on the thread, about the proposal,
    where the provider can answer it."""
    proposal, seen = _proposal(session, actor, proposal_id)
    _as_owner(seen)
    _expect_open(seen.need)
    _expect(
        proposal,
        (ProposalStatus.SUBMITTED,),
        lazy_gettext("Changes can be asked for only on a submitted proposal."),
    )
    detail = apply(proposal, {"status": ProposalStatus.CHANGES_REQUESTED})
    session.flush()
    post_comment(
        session,
        actor,
        seen.need,
        seen.need.org_id,
        note,
        proposal,
        action=CodesignAction.CHANGES_REQUESTED,
        detail=detail,
    )
    return proposal


def agree(session: Session, actor: Actor, proposal_id: uuid.UUID) -> Proposal:
    """The owner agrees a submitted proposal, and the need is agreed with it."""
    proposal, seen = _proposal(session, actor, proposal_id)
    _as_owner(seen)
    _expect_open(seen.need)
    _expect(
        proposal,
        (ProposalStatus.SUBMITTED,),
        lazy_gettext("Only a submitted proposal can be agreed: changes were asked for."),
    )
    detail = apply(proposal, {"status": ProposalStatus.AGREED})
    detail["need_status"] = change(seen.need.status, NeedStatus.AGREED)
    proposal.agreed_at = utcnow()
    proposal.agreed_by_id = None if actor.system else actor.person_id
    seen.need.status = NeedStatus.AGREED
    session.flush()
    record(
        session,
        actor,
        seen.need,
        CodesignAction.PROPOSAL_AGREED,
        seen.need.org_id,
        proposal=proposal,
        detail=detail,
    )
    return proposal


def decline(
    session: Session, actor: Actor, proposal_id: uuid.UUID, note: str | None = None
) -> Proposal:
    """The owner declines a proposal under review, saying why on the thread if it wishes."""
    proposal, seen = _proposal(session, actor, proposal_id)
    _as_owner(seen)
    _expect_open(seen.need)
    _expect(proposal, UNDER_REVIEW, lazy_gettext("Only a proposal under review can be declined."))
    detail = apply(proposal, {"status": ProposalStatus.DECLINED})
    session.flush()
    action = CodesignAction.PROPOSAL_DECLINED
    if note:
        post_comment(
            session,
            actor,
            seen.need,
            seen.need.org_id,
            note,
            proposal,
            action=action,
            detail=detail,
        )
    else:
        record(
            session, actor, seen.need, action, seen.need.org_id, proposal=proposal, detail=detail
        )
    return proposal
