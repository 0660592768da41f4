"""What learning accounts refuse, each with its own problem code so a client can tell an
overdraft from a spent budget without reading the message.

The API reference lists every code through ``problem_types()``; a class added to this
module is listed without further registration."""

from __future__ import annotations

import sys

from cairn.accounts.pricing import Quote
from cairn.kit.errors import Conflict, DomainError, FieldError, InvalidInput, ProblemType
from cairn.kit.i18n import LazyString, lazy_gettext


class Unbalanced(InvalidInput):
    """A posting whose legs do not sum to zero, has fewer than two legs or a zero leg."""

    code = "ledger_unbalanced"
    meaning = lazy_gettext("A posting must have two or more non-zero legs that sum to zero.")


class AccountMismatch(InvalidInput):
    """A leg on an account of another program or in another currency."""

    code = "ledger_account_mismatch"
    meaning = lazy_gettext("Every account of a posting must belong to its program and currency.")


class Overdraft(Conflict):
    """The posting would take an account below zero; the message names it and the shortfall."""

    code = "ledger_overdraft"
    meaning = lazy_gettext("Not enough credit in an account; nothing was posted.")


class DuplicatePosting(Conflict):
    """An idempotency key already used for a different posting."""

    code = "ledger_duplicate_posting"
    meaning = lazy_gettext("The idempotency key was already used for a different posting.")


class BudgetExhausted(Conflict):
    """The program has committed and spent its whole budget."""

    code = "budget_exhausted"
    meaning = lazy_gettext("The program's budget cannot cover this; nothing was reserved.")


class HoldSettled(Conflict):
    """A reservation already paid or released cannot be settled the other way."""

    code = "hold_settled"
    meaning = lazy_gettext("The reservation was already paid or released.")


def problem_types() -> tuple[ProblemType, ...]:
    """Every problem code raised by learning accounts, for the API reference page."""
    module = vars(sys.modules[__name__])
    kinds = [
        kind
        for kind in module.values()
        if isinstance(kind, type)
        and issubclass(kind, DomainError)
        and kind.__module__ == __name__
        and "code" in vars(kind)
    ]
    return tuple(ProblemType(kind.code, kind.status, kind.meaning) for kind in kinds)


class NotEligible(Conflict):
    """A learner who does not meet a program's eligibility; the field errors name each
    unmet criterion in words."""

    code = "not_eligible"
    meaning = lazy_gettext("You do not meet the program's eligibility; each reason is listed.")


class AlreadyParticipating(Conflict):
    code = "already_participating"
    meaning = lazy_gettext("You already take part in this program.")


class ProgramNotOpen(Conflict):
    """Joining, or anything else that needs learners, in a draft or closed program."""

    code = "program_not_open"
    meaning = lazy_gettext("The program is not open.")


class ProgramNotDraft(Conflict):
    """Rules change only while a program is a draft, so nobody's credit changes under them."""

    code = "program_not_draft"
    meaning = lazy_gettext("Only a draft program's rules can change.")


class QuoteChanged(Conflict):
    """The split worked out at confirmation differs from the one the learner saw; ``quote``
    is the new one, to show them before they confirm again. Nothing was reserved."""

    code = "quote_changed"
    meaning = lazy_gettext(
        "The split of the price changed since it was shown; nothing was charged. The quote "
        "member holds the new split, as the quote operation answers it: show it, and confirm "
        "with it to enrol."
    )

    def __init__(
        self,
        message: str | LazyString,
        field_errors: list[FieldError] | None = None,
        *,
        quote: Quote,
    ) -> None:
        super().__init__(message, field_errors or [])
        self.quote = quote
