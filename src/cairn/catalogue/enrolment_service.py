"""Enrolling in an offering and paying for it from learning accounts: the split shown
first, then the learner's confirmation of that split; completion pays the programs'
reservations and withdrawal returns them.

The enrolment and every program's hold are written in one savepoint, so a refusal anywhere
(a split that changed, an overdraft, a spent budget, a full offering) leaves neither an
enrolment nor a hold behind, whatever the caller then does with its transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cairn.accounts import payments
from cairn.accounts.pricing import Quote
from cairn.catalogue import enrolment_repository as repo
from cairn.catalogue import offerings
from cairn.catalogue.enums import EnrolmentStatus, OfferingStatus
from cairn.catalogue.offering_models import Enrolment
from cairn.catalogue.offering_schemas import QuoteRead
from cairn.catalogue.offerings import OfferingView
from cairn.catalogue.service import can_design
from cairn.kit.actor import Actor, Scope, require_person, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, NotFound, PermissionDenied
from cairn.kit.i18n import LazyString, lazy_gettext
from cairn.orgs.models import Person

LINE_LABELS: dict[str, LazyString] = {
    "subsidy": lazy_gettext("Subsidy"),
    "credit": lazy_gettext("Learning credit"),
    "matching": lazy_gettext("Employer share"),
}
"""What each kind of quote line is called on pages and at the command line."""


def line_label(kind: str) -> str:
    return str(LINE_LABELS.get(kind, kind))


@dataclass(frozen=True)
class Preview:
    """What the learner sees before confirming: the offering and how its price is split."""

    offering: OfferingView
    quote: Quote


@dataclass(frozen=True)
class EnrolmentView:
    enrolment: Enrolment
    offering: OfferingView

    @property
    def quote(self) -> QuoteRead:
        return QuoteRead.model_validate(self.enrolment.quote)


def _today(on: date | None) -> date:
    return on if on is not None else utcnow().date()


def _open_for(view: OfferingView, on: date) -> None:
    """Refuse an offering that takes no enrolment on ``on``: closed, past its last day to
    enrol (or its end, without one), or full."""
    offering = view.offering
    if offering.status is not OfferingStatus.OPEN:
        raise Conflict(lazy_gettext("This offering is not open for enrolment."))
    last_day = offering.enrol_by or offering.ends_on
    if on > last_day:
        raise Conflict(
            lazy_gettext("Enrolment closed on %(date)s.", date=last_day.isoformat()),
        )
    if view.places_left == 0:
        raise Conflict(lazy_gettext("This offering is full."))


def quote(
    session: Session, actor: Actor, offering_id: uuid.UUID, *, on: date | None = None
) -> Preview:
    """The split the learner would confirm, worked out from their programs today."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    require_person(actor)
    view = offerings.find(session, offering_id)
    day = _today(on)
    _open_for(view, day)
    split = payments.quote_for(session, actor, person_id=actor.person_id, item=view.item(), on=day)
    return Preview(view, split)


def enrol(
    session: Session,
    actor: Actor,
    offering_id: uuid.UUID,
    *,
    expected: Quote,
    on: date | None = None,
) -> Enrolment:
    """Enrol the learner at the split they saw; a different split now is refused with the
    new one (``QuoteChanged``), and nothing is reserved."""
    require_scope(actor, Scope.ACCOUNTS_WRITE)
    require_person(actor)
    view = offerings.find(session, offering_id, lock=True)
    day = _today(on)
    if repo.place_of(session, offering_id, actor.person_id) is not None:
        raise Conflict(lazy_gettext("You are already enrolled."))
    _open_for(view, day)
    enrolment_id = uuid.uuid4()
    with session.begin_nested():
        plan = payments.pay(
            session,
            actor,
            person_id=actor.person_id,
            enrolment_id=enrolment_id,
            item=view.item(),
            on=day,
            expected=expected,
        )
        split = plan.quote
        enrolment = Enrolment(
            id=enrolment_id,
            offering_id=offering_id,
            person_id=actor.person_id,
            status=EnrolmentStatus.ENROLLED,
            price_minor=split.price_minor,
            currency=split.currency,
            subsidy_minor=split.total("subsidy"),
            credit_minor=split.total("credit"),
            employer_minor=split.total("matching"),
            copay_minor=split.copay_minor,
            quote=QuoteRead.of(split).model_dump(mode="json"),
        )
        session.add(enrolment)
        session.flush()
    return enrolment


def _enrolment(
    session: Session, actor: Actor, enrolment_id: uuid.UUID
) -> tuple[Enrolment, OfferingView]:
    """An enrolment its learner, its provider's members and platform administrators see;
    for anyone else it does not exist."""
    enrolment = repo.get_enrolment(session, enrolment_id, lock=True)
    if enrolment is None:
        raise NotFound(lazy_gettext("Enrolment not found."))
    view = offerings.find(session, enrolment.offering_id)
    own = not actor.system and enrolment.person_id == actor.person_id
    if not (own or actor.is_platform_admin or view.provider.id in actor.org_ids):
        raise NotFound(lazy_gettext("Enrolment not found."))
    return enrolment, view


def _expect_enrolled(enrolment: Enrolment) -> None:
    if enrolment.status is EnrolmentStatus.COMPLETED:
        raise Conflict(lazy_gettext("This enrolment is already completed."))
    if enrolment.status is EnrolmentStatus.WITHDRAWN:
        raise Conflict(lazy_gettext("This enrolment was withdrawn."))


def complete(session: Session, actor: Actor, enrolment_id: uuid.UUID) -> Enrolment:
    """The provider records that the learner completed it: the programs pay what they
    reserved."""
    require_scope(actor, Scope.ACCOUNTS_WRITE)
    enrolment, view = _enrolment(session, actor, enrolment_id)
    if not can_design(actor, view.provider.id):
        raise PermissionDenied(
            lazy_gettext("Only the provider's educators and registrars can record completion.")
        )
    _expect_enrolled(enrolment)
    payments.settle(session, actor, enrolment_id=enrolment.id, completed=True)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = utcnow()
    session.flush()
    return enrolment


def withdraw(session: Session, actor: Actor, enrolment_id: uuid.UUID) -> Enrolment:
    """The learner leaves before completing: what the programs reserved goes back."""
    require_scope(actor, Scope.ACCOUNTS_WRITE)
    enrolment, _ = _enrolment(session, actor, enrolment_id)
    if not (actor.system or enrolment.person_id == actor.person_id):
        raise PermissionDenied(lazy_gettext("Only the learner can withdraw from their enrolment."))
    if enrolment.status is EnrolmentStatus.COMPLETED:
        raise Conflict(lazy_gettext("A completed enrolment cannot be withdrawn."))
    _expect_enrolled(enrolment)
    payments.settle(session, actor, enrolment_id=enrolment.id, completed=False)
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_at = utcnow()
    session.flush()
    return enrolment


def find_enrolment(
    session: Session, actor: Actor, offering_id: uuid.UUID, person_id: uuid.UUID
) -> Enrolment:
    """The learner's enrolment in the offering that holds a place, as ``get_enrolment`` sees."""
    enrolment = repo.place_of(session, offering_id, person_id)
    if enrolment is None:
        raise NotFound(lazy_gettext("Enrolment not found."))
    return get_enrolment(session, actor, enrolment.id).enrolment


def get_enrolment(session: Session, actor: Actor, enrolment_id: uuid.UUID) -> EnrolmentView:
    require_scope(actor, Scope.ACCOUNTS_READ)
    enrolment, view = _enrolment(session, actor, enrolment_id)
    return EnrolmentView(enrolment, view)


def my_enrolments(session: Session, actor: Actor) -> list[EnrolmentView]:
    """The learner's enrolments, the most recent first, each with the split they confirmed."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    require_person(actor)
    return [
        EnrolmentView(enrolment, OfferingView(offering, version, specification, provider))
        for enrolment, offering, version, specification, provider in repo.of_person(
            session, actor.person_id
        )
    ]


def offering_enrolments(
    session: Session, actor: Actor, offering_id: uuid.UUID
) -> tuple[OfferingView, list[tuple[Enrolment, Person]]]:
    """An offering's learners, for its provider's educators and registrars."""
    require_scope(actor, Scope.ACCOUNTS_READ)
    view = offerings.managed(session, actor, offering_id)
    return view, list(repo.of_offering(session, offering_id))
