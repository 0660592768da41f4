"""Offerings: dated runs of a published micro-credential, with a price learners enrol at.

An offering is run by one of the version's issuers; its educators and registrars add,
edit, close and cancel it. Anyone reads the runs of published specifications. Closing
stops new enrolments and keeps the ones made; cancelling also releases what learning
accounts had reserved for every enrolment not yet completed."""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel.numbers import list_currencies
from sqlalchemy.orm import Session

from cairn.accounts import payments
from cairn.accounts.items import CatalogueItem
from cairn.catalogue import offering_repository as repo
from cairn.catalogue import repository as catalogue_repository
from cairn.catalogue.enums import EnrolmentStatus, OfferingStatus, VersionStatus
from cairn.catalogue.models import Specification, SpecificationVersion
from cairn.catalogue.offering_models import Offering
from cairn.catalogue.offering_schemas import OfferingCreate, OfferingFields
from cairn.catalogue.service import can_design
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import lazy_gettext
from cairn.orgs.models import Organisation
from cairn.orgs.permissions import visible_organisation

LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
TAG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PUBLIC = (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
"""Versions whose offerings anyone may read; only a published one gets new offerings."""


@dataclass(frozen=True)
class OfferingView:
    offering: Offering
    version: SpecificationVersion
    specification: Specification
    provider: Organisation
    places_taken: int = 0

    @property
    def places_left(self) -> int | None:
        capacity = self.offering.capacity
        return None if capacity is None else max(0, capacity - self.places_taken)

    def item(self) -> CatalogueItem:
        """The offering as learning-account rules see it."""
        offering = self.offering
        return CatalogueItem(
            specification_id=self.specification.id,
            slug=self.specification.slug,
            tags=frozenset(offering.tags),
            hours=offering.hours,
            price_minor=offering.price_minor,
            currency=offering.currency,
        )


def _today(today: date | None) -> date:
    return today if today is not None else utcnow().date()


def _not_found() -> NotFound:
    return NotFound(lazy_gettext("Offering not found."))


def _view(session: Session, row: repo.Row) -> OfferingView:
    taken = repo.places_taken(session, [row[0].id]).get(row[0].id, 0)
    return OfferingView(*row, places_taken=taken)


def find(session: Session, offering_id: uuid.UUID, *, lock: bool = False) -> OfferingView:
    """An offering of a version that was published; the others do not exist for anyone."""
    row = repo.get_offering(session, offering_id, lock=lock)
    if row is None or row[1].status not in PUBLIC:
        raise _not_found()
    return _view(session, row)


def get_offering(session: Session, actor: Actor, offering_id: uuid.UUID) -> OfferingView:
    require_scope(actor, Scope.CATALOGUE_READ)
    return find(session, offering_id)


def upcoming_offerings(
    session: Session, actor: Actor | None, specification_id: uuid.UUID, *, today: date | None = None
) -> list[OfferingView]:
    """Open runs of a published specification that have not ended, soonest first."""
    if actor is not None:
        require_scope(actor, Scope.CATALOGUE_READ)
    rows = repo.upcoming_of_specification(session, specification_id, _today(today))
    taken = repo.places_taken(session, [row[0].id for row in rows])
    return [OfferingView(*row, places_taken=taken.get(row[0].id, 0)) for row in rows]


def upcoming_offerings_of_version(
    session: Session, actor: Actor | None, version_id: uuid.UUID, *, today: date | None = None
) -> list[OfferingView]:
    """The upcoming runs of the specification a published (or retired) version belongs to."""
    version = catalogue_repository.get_version(session, version_id)
    if version is None or version.status not in PUBLIC:
        raise NotFound(lazy_gettext("No published micro-credential has this identifier."))
    return upcoming_offerings(session, actor, version.specification_id, today=today)


def published_version(
    session: Session, actor: Actor, owner_org_id: uuid.UUID, slug: str
) -> SpecificationVersion:
    """The version on offer of an organisation's specification, named by its short name."""
    require_scope(actor, Scope.CATALOGUE_READ)
    specification = catalogue_repository.find_specification(session, owner_org_id, slug)
    versions = catalogue_repository.versions_of(session, specification.id) if specification else []
    published = [v for v in versions if v.status is VersionStatus.PUBLISHED]
    if not published:
        raise NotFound(lazy_gettext("No published micro-credential has this short name."))
    return published[-1]


def _provider(session: Session, actor: Actor, org_id: uuid.UUID) -> Organisation:
    """The organisation, if ``actor`` runs its offerings: its educators and registrars."""
    org = visible_organisation(session, actor, org_id)
    if not can_design(actor, org_id):
        raise PermissionDenied(
            lazy_gettext("Only the provider's educators and registrars can manage its offerings.")
        )
    return org


def require_provider(session: Session, actor: Actor, org_id: uuid.UUID) -> Organisation:
    """The organisation, if ``actor`` may manage its offerings (pages show forms only then)."""
    require_scope(actor, Scope.CATALOGUE_READ)
    return _provider(session, actor, org_id)


def provider_offerings(session: Session, actor: Actor, org_id: uuid.UUID) -> list[OfferingView]:
    """Every run the organisation provides, newest first, for its staff."""
    require_provider(session, actor, org_id)
    rows = repo.of_provider(session, org_id)
    taken = repo.places_taken(session, [row[0].id for row in rows])
    return [OfferingView(*row, places_taken=taken.get(row[0].id, 0)) for row in rows]


def offerable_versions(
    session: Session, actor: Actor, org_id: uuid.UUID
) -> list[tuple[SpecificationVersion, Specification]]:
    """The published versions the organisation issues, which it may offer."""
    require_provider(session, actor, org_id)
    return list(repo.offerable_versions(session, org_id))


def managed(
    session: Session, actor: Actor, offering_id: uuid.UUID, *, lock: bool = False
) -> OfferingView:
    """An offering whose provider ``actor`` works for as an educator or registrar: another
    organisation's run is not found, a learner of the provider is refused."""
    view = find(session, offering_id, lock=lock)
    if not (actor.is_platform_admin or view.provider.id in actor.org_ids):
        raise _not_found()
    _provider(session, actor, view.provider.id)
    return view


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def _problems(offering: Offering, places_taken: int) -> list[FieldError]:
    problems: list[FieldError] = []
    if offering.ends_on < offering.starts_on:
        problems.append(
            FieldError("ends_on", lazy_gettext("The end date is before the start date."))
        )
    if offering.enrol_by is not None and offering.enrol_by > offering.ends_on:
        problems.append(
            FieldError(
                "enrol_by", lazy_gettext("The last day to enrol is after the offering ends.")
            )
        )
    if not math.isfinite(offering.hours) or offering.hours <= 0:
        problems.append(FieldError("hours", lazy_gettext("Give the hours of learning, above 0.")))
    if offering.price_minor < 0:
        problems.append(
            FieldError("price_minor", lazy_gettext("The price cannot be negative; 0 is free."))
        )
    if offering.currency not in _currencies():
        problems.append(
            FieldError(
                "currency", lazy_gettext("Give an ISO 4217 currency code in capitals, e.g. CAD.")
            )
        )
    if not LANGUAGE_TAG.fullmatch(offering.language):
        problems.append(
            FieldError("language", lazy_gettext("Give a language tag, e.g. en or fr-CA."))
        )
    if offering.capacity is not None and offering.capacity < max(1, places_taken):
        problems.append(
            FieldError(
                "capacity",
                lazy_gettext(
                    "Give at least %(count)s places, or none for no limit.",
                    count=str(max(1, places_taken)),
                ),
            )
        )
    if any(not TAG.fullmatch(tag) for tag in offering.tags):
        problems.append(
            FieldError("tags", lazy_gettext("Use lower-case letters, digits and hyphens in tags."))
        )
    return problems


def _apply(offering: Offering, data: OfferingFields, places_taken: int) -> None:
    """Check the offering as it would be after the change, then change it: a refused edit
    leaves the offering as it was."""
    changes = data.model_dump(exclude_unset=True)
    if "tags" in changes:
        changes["tags"] = sorted(set(changes["tags"] or []))
    after = Offering(**{name: getattr(offering, name) for name in OfferingFields.model_fields})
    for name, value in changes.items():
        setattr(after, name, value)
    problems = _problems(after, places_taken)
    if problems:
        raise InvalidInput(problems[0].message, problems)
    for name, value in changes.items():
        setattr(offering, name, value)


def create_offering(
    session: Session,
    actor: Actor,
    version_id: uuid.UUID,
    *,
    org_id: uuid.UUID,
    data: OfferingCreate,
) -> Offering:
    """A new run of a published version, provided by one of its issuers."""
    require_scope(actor, Scope.CATALOGUE_WRITE)
    provider = _provider(session, actor, org_id)
    version = catalogue_repository.get_version(session, version_id)
    if version is None or version.status not in PUBLIC:
        raise NotFound(lazy_gettext("No published micro-credential has this identifier."))
    if version.status is not VersionStatus.PUBLISHED:
        raise Conflict(lazy_gettext("A retired version cannot be offered; offer its successor."))
    if not repo.is_issuer(session, version, provider.id):
        raise PermissionDenied(
            lazy_gettext("Only an issuer of this micro-credential can offer it."),
            [FieldError("org_id", lazy_gettext("This organisation does not issue it."))],
        )
    offering = Offering(version_id=version.id, provider_org_id=provider.id, tags=[])
    _apply(offering, data, 0)
    session.add(offering)
    session.flush()
    return offering


def _changeable(session: Session, actor: Actor, offering_id: uuid.UUID) -> OfferingView:
    require_scope(actor, Scope.CATALOGUE_WRITE)
    view = managed(session, actor, offering_id, lock=True)
    if view.offering.status is OfferingStatus.CANCELLED:
        raise Conflict(lazy_gettext("This offering is cancelled."))
    return view


def update_offering(
    session: Session, actor: Actor, offering_id: uuid.UUID, data: OfferingFields
) -> Offering:
    """Change a run; enrolments already made keep the price and split they confirmed."""
    view = _changeable(session, actor, offering_id)
    _apply(view.offering, data, view.places_taken)
    session.flush()
    return view.offering


def close_offering(session: Session, actor: Actor, offering_id: uuid.UUID) -> Offering:
    """No more enrolments; the learners enrolled keep their places."""
    view = _changeable(session, actor, offering_id)
    view.offering.status = OfferingStatus.CLOSED
    session.flush()
    return view.offering


def cancel_offering(session: Session, actor: Actor, offering_id: uuid.UUID) -> Offering:
    """The run will not take place: every enrolment not yet completed is withdrawn and what
    learning accounts reserved for it goes back where it came from."""
    view = _changeable(session, actor, offering_id)
    now = utcnow()
    for enrolment in repo.active_enrolments(session, offering_id):
        payments.settle(session, actor, enrolment_id=enrolment.id, completed=False)
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.withdrawn_at = now
    view.offering.status = OfferingStatus.CANCELLED
    session.flush()
    return view.offering
