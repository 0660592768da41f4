"""Employer and educator networks: sector or regional groups whose members see each other's
skills needs and offers.

Networks are a directory every signed-in person may read: their names, members and the
members' published specifications are meant to be found. What a reader sees of the needs
shared with a network still follows the needs' own rules, so a learner sees none. An
organisation's administrators start a network (it becomes the convenor), join and leave
(decision 0025)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.catalogue import codesign_repository
from cairn.catalogue import network_repository as repo
from cairn.catalogue.codesign_models import Network, NetworkMember
from cairn.catalogue.codesign_schemas import NetworkCreate
from cairn.catalogue.codesign_views import NeedSummary, list_needs
from cairn.catalogue.models import Specification, SpecificationVersion
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.errors import Conflict, FieldError, NotFound
from cairn.kit.i18n import lazy_gettext
from cairn.orgs import repository as orgs_repository
from cairn.orgs.models import Organisation
from cairn.orgs.permissions import administered_organisation, is_org_admin
from cairn.orgs.service import slugify


@dataclass(frozen=True)
class NetworkView:
    network: Network
    members: list[tuple[NetworkMember, Organisation]]
    needs: list[NeedSummary]
    """The needs shared with the network that the reader may see."""
    offers: Sequence[tuple[SpecificationVersion, Specification, Organisation]]
    """The members' published specifications."""
    joinable: list[Organisation]
    """Organisations the reader administers that are not members yet."""
    leavable: list[Organisation]
    """Members the reader administers, other than the convenor."""


Members = list[tuple[NetworkMember, Organisation]]


def list_networks(session: Session, actor: Actor) -> list[tuple[Network, Members]]:
    """Every network with its members, by name."""
    require_scope(actor, Scope.CATALOGUE_READ)
    networks = repo.list_networks(session)
    members = repo.members_of(session, [network.id for network in networks])
    return [(network, members[network.id]) for network in networks]


def administered(session: Session, actor: Actor) -> list[Organisation]:
    """The actor's organisations it administers, by name: those it can act for."""
    orgs = orgs_repository.organisations_by_ids(session, list(actor.org_ids))
    return sorted(
        (org for org in orgs.values() if is_org_admin(actor, org.id)), key=lambda org: org.name
    )


def _network(session: Session, network_id: uuid.UUID) -> Network:
    network = repo.get_network(session, network_id)
    if network is None:
        raise NotFound(lazy_gettext("Network not found."))
    return network


def get_network(session: Session, actor: Actor, network_id: uuid.UUID) -> NetworkView:
    require_scope(actor, Scope.CATALOGUE_READ)
    network = _network(session, network_id)
    members = repo.members_of(session, [network.id])[network.id]
    member_ids = {org.id for _, org in members}
    mine = administered(session, actor)
    return NetworkView(
        network=network,
        members=members,
        needs=list_needs(session, actor, network_id=network.id),
        offers=repo.published_offers(session, member_ids),
        joinable=[org for org in mine if org.id not in member_ids],
        leavable=[
            org for org in mine if org.id in member_ids and org.id != network.convenor_org_id
        ],
    )


def create_network(session: Session, actor: Actor, data: NetworkCreate) -> Network:
    """A new network, convened by (and with as its first member) an organisation the
    actor administers."""
    require_scope(actor, Scope.CATALOGUE_WRITE)
    convenor = administered_organisation(session, actor, data.org_id)
    if data.slug is not None and repo.find_network(session, data.slug) is not None:
        message = lazy_gettext("A network already has this short name.")
        raise Conflict(message, [FieldError("slug", message)])
    network = Network(
        slug=data.slug or _free_slug(session, slugify(data.name)),
        name=data.name,
        kind=data.kind,
        sector=data.sector,
        region=data.region,
        description=data.description,
        convenor_org_id=convenor.id,
    )
    session.add(network)
    session.flush()
    _add_member(session, actor, network, convenor)
    return network


def _free_slug(session: Session, base: str) -> str:
    slug, counter = base, 2
    while repo.find_network(session, slug) is not None:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _add_member(
    session: Session, actor: Actor, network: Network, org: Organisation
) -> NetworkMember:
    member = NetworkMember(
        network_id=network.id,
        org_id=org.id,
        joined_by_id=None if actor.system else actor.person_id,
    )
    session.add(member)
    session.flush()
    return member


def join_network(
    session: Session, actor: Actor, network_id: uuid.UUID, org_id: uuid.UUID
) -> NetworkMember:
    """An organisation's administrator joins it to a network."""
    require_scope(actor, Scope.CATALOGUE_WRITE)
    network = _network(session, network_id)
    org = administered_organisation(session, actor, org_id)
    if repo.get_member(session, network.id, org.id) is not None:
        raise Conflict(lazy_gettext("%(org)s is already a member.", org=org.name))
    return _add_member(session, actor, network, org)


def leave_network(session: Session, actor: Actor, network_id: uuid.UUID, org_id: uuid.UUID) -> None:
    """An organisation leaves a network; the convenor stays, and an organisation with open
    needs shared with the network closes or re-shares them first."""
    require_scope(actor, Scope.CATALOGUE_WRITE)
    network = _network(session, network_id)
    org = administered_organisation(session, actor, org_id)
    member = repo.get_member(session, network.id, org.id)
    if member is None:
        raise Conflict(lazy_gettext("%(org)s is not a member.", org=org.name))
    if org.id == network.convenor_org_id:
        raise Conflict(lazy_gettext("The convenor looks after the network and cannot leave it."))
    if codesign_repository.open_needs_shared_with(session, org.id, network.id):
        raise Conflict(
            lazy_gettext(
                "%(org)s has open needs shared with this network: close them or share them "
                "elsewhere first.",
                org=org.name,
            )
        )
    session.delete(member)
    session.flush()
