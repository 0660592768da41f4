"""Networks: an administrator starts one for their organisation and others join; members
see each other's needs and published offers, and anyone signed in finds the network."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import codesign_service, network_service
from cairn.catalogue.codesign_schemas import NetworkCreate
from cairn.catalogue.enums import NetworkKind
from cairn.kit.actor import Role
from cairn.kit.errors import Conflict, NotFound, PermissionDenied
from cairn.orgs.enums import OrgKind
from tests.factories.catalogue import (
    make_need,
    make_network,
    make_published,
    make_specification,
)
from tests.factories.orgs import actor, make_member, make_org
from tests.factories.taxonomy import make_framework, make_skill


def test_an_administrator_starts_a_network_that_its_organisation_convenes(
    session: Session,
) -> None:
    employer = make_org(session, name="Northwind Health")
    hr = actor(session, make_member(session, employer, Role.HR_ADMIN))
    manager = actor(session, make_member(session, employer, Role.MANAGER))
    data = NetworkCreate(
        org_id=employer.id, name="Ontario Health Care Workforce", kind=NetworkKind.REGIONAL
    )

    with pytest.raises(PermissionDenied):
        network_service.create_network(session, manager, data)
    with pytest.raises(NotFound):
        network_service.create_network(
            session, hr, data.model_copy(update={"org_id": make_org(session).id})
        )
    network = network_service.create_network(session, hr, data)
    again = network_service.create_network(session, hr, data)

    assert (network.slug, again.slug) == (
        "ontario-health-care-workforce",
        "ontario-health-care-workforce-2",
    )
    view = network_service.get_network(session, hr, network.id)
    assert [org.name for _, org in view.members] == ["Northwind Health"]
    assert view.leavable == []  # the convenor stays
    with pytest.raises(Conflict):
        network_service.create_network(
            session, hr, data.model_copy(update={"slug": "ontario-health-care-workforce"})
        )


def test_members_join_and_leave_for_organisations_they_administer(session: Session) -> None:
    employer = make_org(session, name="Northwind Health")
    hr = actor(session, make_member(session, employer, Role.HR_ADMIN))
    college = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    registrar = actor(session, make_member(session, college, Role.ISSUER_ADMIN))
    educator = actor(session, make_member(session, college, Role.EDUCATOR))
    convenor = make_org(session, name="Convenor")
    convenor_admin = actor(session, make_member(session, convenor, Role.PROGRAM_ADMIN))
    network = make_network(session, convenor)

    with pytest.raises(PermissionDenied):
        network_service.join_network(session, educator, network.id, college.id)
    with pytest.raises(NotFound):
        network_service.join_network(session, registrar, network.id, employer.id)
    network_service.join_network(session, registrar, network.id, college.id)
    network_service.join_network(session, hr, network.id, employer.id)
    with pytest.raises(Conflict):
        network_service.join_network(session, hr, network.id, employer.id)

    need = make_need(
        session, hr, employer, make_skill(session, make_framework(session), "x"), network=network
    )
    with pytest.raises(Conflict):  # its open need is shared there
        network_service.leave_network(session, hr, network.id, employer.id)
    with pytest.raises(Conflict):
        network_service.leave_network(session, convenor_admin, network.id, convenor.id)
    codesign_service.withdraw_need(session, hr, need.id)
    network_service.leave_network(session, hr, network.id, employer.id)
    with pytest.raises(Conflict):
        network_service.leave_network(session, hr, network.id, employer.id)

    members = [org.name for _, org in network_service.get_network(session, hr, network.id).members]
    assert members == ["Convenor", "Lakeshore College"]


def test_a_network_page_shows_members_offers_and_the_needs_each_reader_may_see(
    session: Session,
) -> None:
    employer = make_org(session, name="Northwind Health")
    hr = actor(session, make_member(session, employer, Role.HR_ADMIN))
    nurse = actor(session, make_member(session, employer))
    college = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    educator = actor(session, make_member(session, college, Role.EDUCATOR))
    registrar = actor(session, make_member(session, college, Role.ISSUER_ADMIN))
    outsider = make_org(session, name="Far College", kind=OrgKind.PROVIDER)
    far_educator = actor(session, make_member(session, outsider, Role.EDUCATOR))
    far_registrar = actor(session, make_member(session, outsider, Role.ISSUER_ADMIN))
    network = make_network(session, employer, college)
    make_published(session, educator, registrar, college, slug="published-one")
    make_specification(session, educator, college, slug="still-a-draft")
    make_published(session, far_educator, far_registrar, outsider, slug="not-a-member")
    need = make_need(
        session, hr, employer, make_skill(session, make_framework(session), "x"), network=network
    )

    for reader in (hr, educator):
        view = network_service.get_network(session, reader, network.id)
        assert [summary.need.id for summary in view.needs] == [need.id]
        assert [(v.title, org.name) for v, _, org in view.offers] == [
            ("Wound care essentials", "Lakeshore College")
        ]
    for reader in (nurse, far_educator):
        view = network_service.get_network(session, reader, network.id)
        assert view.needs == []
        assert len(view.members) == 2
    assert [
        org.name for org in network_service.get_network(session, far_registrar, network.id).joinable
    ] == ["Far College"]
    assert [n.name for n, _ in network_service.list_networks(session, nurse)] == [network.name]
