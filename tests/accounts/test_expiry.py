"""Expiry: the last day credit can be spent, and what lapses from a balance when spending
always takes the earliest-expiring credit first."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.accounts.expiry import Lot, expiry_date, expiry_due
from cairn.accounts.rules import ExpiresAfterMonths, ExpiresAtEndOfYear, ExpiresOn

START = date(2026, 1, 1)
TOPUP = Lot(50_000, date(2025, 12, 31))
BASE = Lot(50_000, None)


@pytest.mark.parametrize(
    ("expiry", "granted_on", "last_day"),
    [
        (None, date(2026, 3, 15), None),
        (ExpiresOn(on=date(2025, 12, 31)), date(2020, 10, 1), date(2025, 12, 31)),
        (ExpiresAtEndOfYear(end_of_year=True), date(2026, 3, 10), date(2026, 12, 31)),
        (ExpiresAfterMonths(months_after_grant=12), date(2026, 3, 15), date(2027, 3, 14)),
        (ExpiresAfterMonths(months_after_grant=1), date(2026, 3, 1), date(2026, 3, 31)),
        (ExpiresAfterMonths(months_after_grant=1), date(2027, 1, 31), date(2027, 2, 28)),
        (ExpiresAfterMonths(months_after_grant=1), date(2028, 1, 31), date(2028, 2, 29)),
        (ExpiresAfterMonths(months_after_grant=3), date(2026, 11, 30), date(2027, 2, 28)),
        (ExpiresAfterMonths(months_after_grant=24), date(2024, 2, 29), date(2026, 2, 28)),
    ],
)
def test_the_last_day_credit_can_be_spent(
    expiry: ExpiresOn | ExpiresAfterMonths | ExpiresAtEndOfYear | None,
    granted_on: date,
    last_day: date | None,
) -> None:
    assert expiry_date(expiry, granted_on) == last_day


def test_credit_lapses_the_day_after_its_last_day() -> None:
    assert expiry_due([TOPUP, BASE], 100_000, date(2025, 12, 31)) == 0
    assert expiry_due([TOPUP, BASE], 100_000, date(2026, 1, 1)) == 50_000


def test_credit_spent_first_from_the_expiring_lot_leaves_nothing_to_lapse() -> None:
    assert expiry_due([TOPUP, BASE], 30_000, date(2026, 1, 1)) == 0
    assert expiry_due([TOPUP, BASE], 80_000, date(2026, 1, 1)) == 30_000


def test_a_lot_already_lapsed_is_not_lapsed_again() -> None:
    older = Lot(20_000, date(2024, 12, 31))
    balance = 120_000 - expiry_due([older, TOPUP, BASE], 120_000, date(2025, 1, 1))

    assert balance == 100_000
    assert expiry_due([older, TOPUP, BASE], balance, date(2025, 6, 1)) == 0
    assert expiry_due([older, TOPUP, BASE], balance, date(2026, 1, 1)) == 50_000


lots = st.lists(
    st.builds(
        Lot,
        st.integers(min_value=1, max_value=100_000),
        st.none() | st.dates(min_value=START, max_value=START + timedelta(days=60)),
    ),
    max_size=6,
)


@st.composite
def tier_accounts(draw: st.DrawFn) -> tuple[list[Lot], int]:
    """Lots and a balance the spending could have left: never more than was granted."""
    drawn = draw(lots)
    granted = sum(lot.amount_minor for lot in drawn)
    return drawn, draw(st.integers(min_value=0, max_value=granted))


@settings(max_examples=75, deadline=None)
@given(tier_accounts(), st.integers(min_value=0, max_value=70))
def test_expiring_day_by_day_equals_expiring_once_at_the_end(
    account: tuple[list[Lot], int], days: int
) -> None:
    grants, balance = account
    end = START + timedelta(days=days)

    stepwise = balance
    day = START
    while day <= end:
        stepwise -= expiry_due(grants, stepwise, day)
        day += timedelta(days=1)

    assert stepwise == balance - expiry_due(grants, balance, end)


@settings(max_examples=75, deadline=None)
@given(tier_accounts(), st.dates(min_value=START, max_value=START + timedelta(days=90)))
def test_expiry_never_takes_more_than_the_balance_nor_credit_that_never_expires(
    account: tuple[list[Lot], int], on: date
) -> None:
    grants, balance = account
    lapsed = expiry_due(grants, balance, on)
    lasting = sum(lot.amount_minor for lot in grants if lot.expires_on is None)

    assert 0 <= lapsed <= balance
    assert balance - lapsed >= min(balance, lasting)
    if all(lot.expires_on is None or lot.expires_on >= on for lot in grants):
        assert lapsed == 0
