"""When credit expires, and how much of a tier's balance lapses on a given day.

``expires_on`` is the last day credit can be spent; it lapses the day after. Within a tier,
spending always takes the earliest-expiring credit first (credit that never expires last),
so what remains of a balance is the latest-expiring credit, and a lot's expiry lapses only
what is left of it (decision 0041)."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cairn.accounts.rules import ExpiresAfterMonths, ExpiresOn, Expiry


@dataclass(frozen=True)
class Lot:
    """One grant into a tier account."""

    amount_minor: int
    expires_on: date | None


def expiry_date(expiry: Expiry | None, granted_on: date) -> date | None:
    """The last day credit granted on ``granted_on`` can be spent; None if it never expires.

    ``months_after_grant`` ends the day before the same day N months on (granted 15 March,
    12 months: until 14 March); where that month has no such day (granted 31 January, one
    month), the credit lasts to the end of that month."""
    if expiry is None:
        return None
    if isinstance(expiry, ExpiresOn):
        return expiry.on
    if isinstance(expiry, ExpiresAfterMonths):
        months = granted_on.month - 1 + expiry.months_after_grant
        year, month = granted_on.year + months // 12, months % 12 + 1
        last_day = calendar.monthrange(year, month)[1]
        if granted_on.day > last_day:
            return date(year, month, last_day)
        return date(year, month, granted_on.day) - timedelta(days=1)
    return date(granted_on.year, 12, 31)


def expiry_due(lots: Sequence[Lot], balance_minor: int, on: date) -> int:
    """What lapses from a tier balance on ``on``: the part of ``balance_minor`` that belongs
    to lots expired before ``on``.

    The balance is the latest-expiring credit, so it all belongs to live lots (those not
    expired on ``on``, and those that never expire) up to their total; only the excess
    lapses. Lots that expired on earlier days were lapsed by earlier runs, which already
    brought the balance down to what later lots hold, so they are never lapsed twice and
    running this every day lapses exactly what one run at the end would. Run it before any
    spending on a day, so expired credit is never spent."""
    live = sum(lot.amount_minor for lot in lots if lot.expires_on is None or lot.expires_on >= on)
    return max(0, balance_minor - live)
