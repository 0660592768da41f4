"""Amounts and rates as the reader's locale writes them, for explanations and pages."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, format_percent, get_currency_precision

from cairn.kit.i18n import get_locale


def format_money(amount_minor: int, currency: str) -> str:
    """``format_money(2500, "SGD")`` → ``SGD 25.00`` in English, ``25,00 SGD`` in French."""
    digits = get_currency_precision(currency)
    return format_currency(Decimal(amount_minor).scaleb(-digits), currency, locale=get_locale())


def format_rate(rate_bp: int) -> str:
    """Basis points as a percentage, keeping any fraction (7050 → 70.5%)."""
    return format_percent(
        Decimal(rate_bp) / 10_000, locale=get_locale(), decimal_quantization=False
    )
