"""Awards: the registrar records that a learner achieved one exact published version, and
the learner sees what their credentials already count toward (decision 0027).

Only the issuer's registrars (the catalogue's publishers) record an award; the learner
must be on Cairn already. Recording one schedules the learner's feedback surveys."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import timedelta

from sqlalchemy.orm import Session

from cairn.catalogue import feedback_service, stacking_service
from cairn.catalogue.enums import VersionStatus
from cairn.catalogue.models import Specification, SpecificationVersion
from cairn.catalogue.service import can_publish
from cairn.catalogue.stacking_service import Standing
from cairn.credentials import repository as repo
from cairn.credentials.models import Award
from cairn.credentials.repository import AwardLine
from cairn.credentials.schemas import AwardCreate
from cairn.kit.actor import Actor, Scope, require_person, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, PermissionDenied
from cairn.kit.i18n import lazy_gettext
from cairn.orgs import people
from cairn.orgs.models import Organisation
from cairn.orgs.permissions import visible_organisation

EARLIEST_ZONE = timedelta(hours=14)
"""UTC+14, where a day starts first: a date is in the future only if it is everywhere."""


def require_registrar(
    session: Session, actor: Actor, org_id: uuid.UUID, *, write: bool = True
) -> Organisation:
    """The organisation, if ``actor`` records its awards: for forms, before reading input."""
    require_scope(actor, Scope.CATALOGUE_WRITE if write else Scope.CATALOGUE_READ)
    org = visible_organisation(session, actor, org_id)
    if not can_publish(actor, org_id):
        raise PermissionDenied(lazy_gettext("Only the issuer's registrars record its awards."))
    return org


def awardable_versions(
    session: Session, actor: Actor, org_id: uuid.UUID
) -> Sequence[tuple[Specification, SpecificationVersion]]:
    """What the record form offers: each specification at its published version."""
    require_registrar(session, actor, org_id, write=False)
    return repo.awardable_versions(session, org_id)


def awardable_version(
    session: Session, actor: Actor, org_id: uuid.UUID, slug: str
) -> SpecificationVersion:
    """The published version of the issuer's specification with this short name."""
    for specification, version in awardable_versions(session, actor, org_id):
        if specification.slug == slug:
            return version
    message = lazy_gettext("The issuer has no published specification with this short name.")
    raise InvalidInput(message, [FieldError("specification", message)])


def _check_version(
    session: Session, org_id: uuid.UUID, data: AwardCreate
) -> tuple[SpecificationVersion, Specification]:
    """A published version of the issuer's own; a retired one only for an award dated
    before it was retired, so results that come in late can still be recorded."""
    found = repo.version_with_specification(session, data.version_id)
    if found is None or found[1].owner_org_id != org_id:
        message = lazy_gettext("Choose one of this issuer's published specifications.")
        raise InvalidInput(message, [FieldError("version_id", message)])
    version, specification = found
    retired_on = version.retired_at.date() if version.retired_at else None
    if version.status is VersionStatus.RETIRED and retired_on and data.awarded_on <= retired_on:
        return version, specification
    if version.status is not VersionStatus.PUBLISHED:
        message = lazy_gettext(
            "Only a published version can be awarded, or a retired one on a date before "
            "it was retired."
        )
        raise InvalidInput(message, [FieldError("version_id", message)])
    return version, specification


def record_award(session: Session, actor: Actor, org_id: uuid.UUID, data: AwardCreate) -> Award:
    """Record that a learner achieved a version, once, and schedule their surveys."""
    require_registrar(session, actor, org_id)
    version, _ = _check_version(session, org_id, data)
    learner = people.get_person_by_email(session, str(data.learner_email))
    if learner is None:
        message = lazy_gettext("Nobody on Cairn has this e-mail address.")
        raise InvalidInput(message, [FieldError("learner_email", message)])
    if data.awarded_on > (utcnow() + EARLIEST_ZONE).date():
        message = lazy_gettext("An award cannot be dated in the future.")
        raise InvalidInput(message, [FieldError("awarded_on", message)])
    if repo.find_award(session, learner.id, version.id) is not None:
        message = lazy_gettext("This learner already holds an award of this version.")
        raise Conflict(message, [FieldError("learner_email", message)])
    award = Award(
        learner_id=learner.id,
        version_id=version.id,
        issuer_org_id=org_id,
        awarded_on=data.awarded_on,
        grade=data.grade,
        via_rpl=data.via_rpl,
        note=data.note or None,
        recorded_by_id=None if actor.system else actor.person_id,
    )
    session.add(award)
    session.flush()
    feedback_service.schedule_learner_surveys(
        session, version_id=version.id, learner_id=learner.id, awarded_on=data.awarded_on
    )
    return award


def list_awards_for_issuer(session: Session, actor: Actor, org_id: uuid.UUID) -> list[AwardLine]:
    """The issuer's awards, newest first: for its registrars."""
    require_registrar(session, actor, org_id, write=False)
    return repo.awards_of_issuer(session, org_id)


def award_line(session: Session, actor: Actor, award: Award) -> AwardLine:
    """An award as lists show it, for the issuer's registrars."""
    require_registrar(session, actor, award.issuer_org_id, write=False)
    return repo.award_line(session, award.id)


def my_awards(session: Session, actor: Actor) -> list[AwardLine]:
    """The actor's own awards, newest first."""
    require_scope(actor, Scope.PROFILE_READ)
    require_person(actor)
    return repo.awards_of_learner(session, actor.person_id)


def counts_toward(session: Session, actor: Actor) -> list[Standing]:
    """The stacking rules the actor's awards already count toward, achieved ones first."""
    require_scope(actor, Scope.PROFILE_READ)
    require_person(actor)
    held = repo.held_specification_ids(session, actor.person_id)
    return stacking_service.what_counts(session, actor, held)


def specification_titles(
    session: Session, actor: Actor, specification_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """Titles of published specifications (public), to name what counts and what is
    missing."""
    require_scope(actor, Scope.CATALOGUE_READ)
    return repo.specification_titles(session, specification_ids)


def rule_titles(
    session: Session, actor: Actor, rule_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """Titles of rules (public), to name the nested rules a learner still misses."""
    return {
        rule_id: stacking_service.get_rule(session, actor, rule_id).title for rule_id in rule_ids
    }
