"""Queries of networks, their members and what the members offer."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.catalogue.codesign_models import Network, NetworkMember
from cairn.catalogue.enums import VersionStatus
from cairn.catalogue.models import Specification, SpecificationVersion
from cairn.orgs.models import Organisation


def get_network(session: Session, network_id: uuid.UUID) -> Network | None:
    return session.get(Network, network_id)


def find_network(session: Session, slug: str) -> Network | None:
    return session.scalar(select(Network).where(Network.slug == slug))


def list_networks(session: Session) -> Sequence[Network]:
    return session.scalars(select(Network).order_by(Network.name)).all()


def members_of(
    session: Session, network_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[NetworkMember, Organisation]]]:
    """Each network's members, by name."""
    rows = session.execute(
        select(NetworkMember, Organisation)
        .join(Organisation, Organisation.id == NetworkMember.org_id)
        .where(NetworkMember.network_id.in_(list(network_ids)))
        .order_by(Organisation.name)
    ).all()
    found: dict[uuid.UUID, list[tuple[NetworkMember, Organisation]]] = {
        network_id: [] for network_id in network_ids
    }
    for member, org in rows:
        found[member.network_id].append((member, org))
    return found


def get_member(session: Session, network_id: uuid.UUID, org_id: uuid.UUID) -> NetworkMember | None:
    return session.get(NetworkMember, (network_id, org_id))


def memberships_of(
    session: Session, org_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, frozenset[uuid.UUID]]:
    """For each organisation, the networks it belongs to."""
    rows = session.execute(
        select(NetworkMember.org_id, NetworkMember.network_id).where(
            NetworkMember.org_id.in_(list(org_ids))
        )
    ).all()
    found: dict[uuid.UUID, set[uuid.UUID]] = {org_id: set() for org_id in org_ids}
    for org_id, network_id in rows:
        found[org_id].add(network_id)
    return {org_id: frozenset(networks) for org_id, networks in found.items()}


def networks_by_ids(
    session: Session, network_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Network]:
    found = session.scalars(select(Network).where(Network.id.in_(list(network_ids)))).all()
    return {network.id: network for network in found}


def published_offers(
    session: Session, org_ids: Collection[uuid.UUID]
) -> Sequence[tuple[SpecificationVersion, Specification, Organisation]]:
    """The published versions of these organisations' specifications, by title."""
    rows = session.execute(
        select(SpecificationVersion, Specification, Organisation)
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .join(Organisation, Organisation.id == Specification.owner_org_id)
        .where(
            Specification.owner_org_id.in_(list(org_ids)),
            SpecificationVersion.status == VersionStatus.PUBLISHED,
        )
        .order_by(SpecificationVersion.title)
    ).all()
    return [(version, specification, org) for version, specification, org in rows]
