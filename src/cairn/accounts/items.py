"""What a program's credit, subsidies and matching may pay for: a catalogue item as the
rules see it, and the filters that admit it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from cairn.accounts.rules import AllItems, ItemFilter, ListedItems


@dataclass(frozen=True)
class CatalogueItem:
    """One offering of a published specification, at its price."""

    specification_id: uuid.UUID
    slug: str
    tags: frozenset[str]
    hours: float | None
    """The offering's hours of learning, for subsidies capped per hour; None if unknown."""
    price_minor: int
    currency: str | None = None
    """ISO 4217. None (a catalogue entry without one): the price is taken to be in the
    currency of the first program quoted, and programs in other currencies give nothing."""


def item_allowed(item_filter: ItemFilter, item: CatalogueItem) -> bool:
    """A listed specification matches by id or by slug; tags match when any is shared."""
    if isinstance(item_filter, AllItems):
        return True
    if isinstance(item_filter, ListedItems):
        named = set(item_filter.specifications)
        return str(item.specification_id) in named or item.slug in named
    return not item.tags.isdisjoint(item_filter.tags)
