"""Offerings: an issuer's educators and registrars run dated, priced runs of a published
version; bad values are refused naming the field; anyone reads what is upcoming."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import offerings
from cairn.catalogue.enums import OfferingStatus
from cairn.catalogue.models import SpecificationVersion
from cairn.catalogue.offering_schemas import OfferingCreate, OfferingFields
from cairn.kit.actor import Actor, Role, Scope
from cairn.kit.errors import Conflict, InsufficientScope, InvalidInput, NotFound, PermissionDenied
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation
from tests.factories.catalogue import make_offering, make_published, make_specification
from tests.factories.orgs import actor, make_member, make_org

TODAY = date(2031, 1, 10)


@pytest.fixture
def college(session: Session) -> Organisation:
    return make_org(session, name="Harbour Polytechnic", kind=OrgKind.PROVIDER)


@pytest.fixture
def educator(session: Session, college: Organisation) -> Actor:
    return actor(session, make_member(session, college, Role.EDUCATOR))


@pytest.fixture
def version(session: Session, college: Organisation, educator: Actor) -> SpecificationVersion:
    registrar = actor(session, make_member(session, college, Role.ISSUER_ADMIN))
    return make_published(session, educator, registrar, college, slug="data-analytics")


def _create(**changes: object) -> OfferingCreate:
    fields: dict[str, object] = {
        "code": "DA-1",
        "starts_on": "2031-03-02",
        "ends_on": "2031-04-24",
        "delivery": "online",
        "language": "en",
        "hours": 30,
        "price_minor": 100000,
        "currency": "SGD",
    }
    fields.update(changes)
    return OfferingCreate.model_validate(fields)


def test_an_educator_offers_a_published_version(
    session: Session, college: Organisation, educator: Actor, version: SpecificationVersion
) -> None:
    offering = offerings.create_offering(
        session,
        educator,
        version.id,
        org_id=college.id,
        data=_create(tags=["Digital", "mid-career", "digital"], enrol_by="2031-02-20"),
    )
    assert offering.status is OfferingStatus.OPEN
    assert offering.tags == ["digital", "mid-career"]
    view = offerings.get_offering(session, Actor.operator(), offering.id)
    item = view.item()
    assert (item.slug, item.price_minor, item.hours, item.currency) == (
        "data-analytics",
        100000,
        30,
        "SGD",
    )


def test_bad_values_are_refused_naming_each_field(
    session: Session, college: Organisation, educator: Actor, version: SpecificationVersion
) -> None:
    bad = _create(
        ends_on="2031-03-01",
        enrol_by="2031-05-01",
        hours=0,
        price_minor=-1,
        currency="XYZ",
        language="English",
        capacity=0,
        tags=["two words"],
    )
    with pytest.raises(InvalidInput) as refused:
        offerings.create_offering(session, educator, version.id, org_id=college.id, data=bad)
    assert [problem.field for problem in refused.value.field_errors] == [
        "ends_on",
        "enrol_by",
        "hours",
        "price_minor",
        "currency",
        "language",
        "capacity",
        "tags",
    ]


def test_only_an_issuers_staff_offer_only_published_versions(
    session: Session, college: Organisation, educator: Actor, version: SpecificationVersion
) -> None:
    learner = actor(session, make_member(session, college, Role.LEARNER))
    with pytest.raises(PermissionDenied):
        offerings.create_offering(session, learner, version.id, org_id=college.id, data=_create())
    other = make_org(session, kind=OrgKind.PROVIDER)
    outsider = actor(session, make_member(session, other, Role.EDUCATOR))
    with pytest.raises(NotFound):
        offerings.create_offering(session, outsider, version.id, org_id=college.id, data=_create())
    with pytest.raises(PermissionDenied, match="Only an issuer"):
        offerings.create_offering(session, outsider, version.id, org_id=other.id, data=_create())
    draft = make_specification(session, educator, college, slug="draft-course")
    with pytest.raises(NotFound):
        offerings.create_offering(session, educator, draft.id, org_id=college.id, data=_create())
    token = replace(educator, scopes=frozenset({Scope.CATALOGUE_READ}))
    with pytest.raises(InsufficientScope):
        offerings.create_offering(session, token, version.id, org_id=college.id, data=_create())


def test_upcoming_runs_leave_out_closed_cancelled_and_ended_ones(
    session: Session, college: Organisation, educator: Actor, version: SpecificationVersion
) -> None:
    later = make_offering(session, version, college, code="LATER", starts_on=date(2031, 4, 1))
    sooner = make_offering(session, version, college, code="SOONER")
    closed = make_offering(session, version, college, code="CLOSED")
    cancelled = make_offering(session, version, college, code="CANCELLED")
    make_offering(session, version, college, starts_on=date(2030, 1, 1), ends_on=date(2030, 2, 1))
    offerings.close_offering(session, educator, closed.id)
    offerings.cancel_offering(session, educator, cancelled.id)
    upcoming = offerings.upcoming_offerings(session, None, version.specification_id, today=TODAY)
    assert [view.offering.code for view in upcoming] == [sooner.code, later.code]
    with pytest.raises(Conflict, match="cancelled"):
        offerings.update_offering(session, educator, cancelled.id, OfferingFields(hours=4))
    mine = offerings.provider_offerings(session, educator, college.id)
    assert len(mine) == 5


def test_editing_keeps_values_in_bounds_and_other_providers_out(
    session: Session, college: Organisation, educator: Actor, version: SpecificationVersion
) -> None:
    offering = make_offering(session, version, college)
    offerings.update_offering(
        session, educator, offering.id, OfferingFields(price_minor=80000, capacity=12)
    )
    assert (offering.price_minor, offering.capacity) == (80000, 12)
    with pytest.raises(InvalidInput) as refused:
        offerings.update_offering(session, educator, offering.id, OfferingFields(hours=-2))
    assert refused.value.field_errors[0].field == "hours"
    outsider = actor(session, make_member(session, make_org(session), Role.EDUCATOR))
    with pytest.raises(NotFound):
        offerings.close_offering(session, outsider, offering.id)
    assert [v.id for v, _ in offerings.offerable_versions(session, educator, college.id)] == [
        version.id
    ]
