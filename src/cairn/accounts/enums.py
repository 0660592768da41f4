from enum import StrEnum

from cairn.kit.i18n import LazyString, lazy_gettext


class Residency(StrEnum):
    """A learner's residency status, as public programs define who may take part."""

    CITIZEN = "citizen"
    PERMANENT_RESIDENT = "permanent_resident"
    TEMPORARY_RESIDENT = "temporary_resident"
    NON_RESIDENT = "non_resident"


class EmploymentStatus(StrEnum):
    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    UNEMPLOYED = "unemployed"
    STUDENT = "student"
    NOT_IN_LABOUR_FORCE = "not_in_labour_force"


class IncomeBand(StrEnum):
    """Household income against the program's region's median, as means tests are written."""

    LOW = "low"
    MIDDLE = "middle"
    HIGH = "high"


class AccountKind(StrEnum):
    """The ledger's chart of accounts: one set per program, and credit accounts per learner."""

    FUNDING = "funding"
    """Where a program's money comes from; the only kind that may go negative, by as much as
    the program has put into the ledger."""
    LEARNER_CREDIT = "learner_credit"
    """One learner's credit in one tier of one program."""
    HELD = "held"
    """Credit and subsidy reserved for enrolments not yet completed: the program's commitments."""
    SPENT = "spent"
    """Captured at completion: what the program has paid for learning."""
    EXPIRED = "expired"
    """Credit that lapsed unused."""


class TransferKind(StrEnum):
    FUNDING = "funding"
    GRANT = "grant"
    HOLD = "hold"
    CAPTURE = "capture"
    RELEASE = "release"
    REFUND = "refund"
    EXPIRY = "expiry"
    ADJUSTMENT = "adjustment"


class ReferenceKind(StrEnum):
    """What a transfer is about, so that every posting links to its grant or enrolment."""

    PROGRAM = "program"
    GRANT = "grant"
    ENROLMENT = "enrolment"


class HoldStatus(StrEnum):
    HELD = "held"
    CAPTURED = "captured"
    RELEASED = "released"


class ProgramStatus(StrEnum):
    DRAFT = "draft"
    """Being set up: rules can change and nobody can join."""
    OPEN = "open"
    """Learners can join, credit is granted and spent."""
    CLOSED = "closed"
    """No new learners or enrolments; credit already held is still captured or released."""


class ParticipantStatus(StrEnum):
    ACTIVE = "active"
    LEFT = "left"


LABELS: dict[str, LazyString] = {
    Residency.CITIZEN: lazy_gettext("Citizen"),
    Residency.PERMANENT_RESIDENT: lazy_gettext("Permanent resident"),
    Residency.TEMPORARY_RESIDENT: lazy_gettext("Temporary resident"),
    Residency.NON_RESIDENT: lazy_gettext("Non-resident"),
    EmploymentStatus.EMPLOYED: lazy_gettext("Employed"),
    EmploymentStatus.SELF_EMPLOYED: lazy_gettext("Self-employed"),
    EmploymentStatus.UNEMPLOYED: lazy_gettext("Unemployed"),
    EmploymentStatus.STUDENT: lazy_gettext("Student"),
    EmploymentStatus.NOT_IN_LABOUR_FORCE: lazy_gettext("Not in the labour force"),
    IncomeBand.LOW: lazy_gettext("Low income"),
    IncomeBand.MIDDLE: lazy_gettext("Middle income"),
    IncomeBand.HIGH: lazy_gettext("High income"),
    AccountKind.FUNDING: lazy_gettext("Program funding"),
    AccountKind.LEARNER_CREDIT: lazy_gettext("Learner credit"),
    AccountKind.HELD: lazy_gettext("Held for enrolments"),
    AccountKind.SPENT: lazy_gettext("Spent on learning"),
    AccountKind.EXPIRED: lazy_gettext("Expired credit"),
    TransferKind.FUNDING: lazy_gettext("Funding"),
    TransferKind.GRANT: lazy_gettext("Credit granted"),
    TransferKind.HOLD: lazy_gettext("Reserved at enrolment"),
    TransferKind.CAPTURE: lazy_gettext("Paid at completion"),
    TransferKind.RELEASE: lazy_gettext("Released on withdrawal"),
    TransferKind.REFUND: lazy_gettext("Refund"),
    TransferKind.EXPIRY: lazy_gettext("Credit expired"),
    TransferKind.ADJUSTMENT: lazy_gettext("Adjustment"),
    ProgramStatus.DRAFT: lazy_gettext("Draft"),
    ProgramStatus.OPEN: lazy_gettext("Open"),
    ProgramStatus.CLOSED: lazy_gettext("Closed"),
    ParticipantStatus.ACTIVE: lazy_gettext("Taking part"),
    ParticipantStatus.LEFT: lazy_gettext("Left the program"),
    HoldStatus.HELD: lazy_gettext("Reserved"),
    HoldStatus.CAPTURED: lazy_gettext("Paid"),
    HoldStatus.RELEASED: lazy_gettext("Released"),
}


def label(value: str) -> str:
    """The translated label of an enum value, for pages and the CLI."""
    text = LABELS.get(value)
    return str(text) if text is not None else value
