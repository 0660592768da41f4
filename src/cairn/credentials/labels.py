"""Words for the verifier's checks and outcomes, as pages and the CLI show them."""

from __future__ import annotations

from cairn.credentials.verification import CheckName, Outcome
from cairn.kit.i18n import LazyString, lazy_gettext

CHECKS: dict[CheckName, LazyString] = {
    CheckName.FORMAT: lazy_gettext("Format"),
    CheckName.CONTEXT: lazy_gettext("Vocabulary"),
    CheckName.SCHEMA: lazy_gettext("Required parts"),
    CheckName.PROOF: lazy_gettext("Signature"),
    CheckName.ISSUER: lazy_gettext("Issuer"),
    CheckName.VALIDITY: lazy_gettext("Dates"),
    CheckName.STATUS: lazy_gettext("Revocation and suspension"),
    CheckName.HOLDER: lazy_gettext("Presenter's signature"),
    CheckName.CHALLENGE: lazy_gettext("Challenge"),
    CheckName.DOMAIN: lazy_gettext("Domain"),
    CheckName.HOLDER_BINDING: lazy_gettext("Held by its subject"),
}
OUTCOMES: dict[Outcome, LazyString] = {
    Outcome.PASSED: lazy_gettext("Passed"),
    Outcome.FAILED: lazy_gettext("Failed"),
    Outcome.COULD_NOT_CHECK: lazy_gettext("Could not check"),
    Outcome.NOT_APPLICABLE: lazy_gettext("Not applicable"),
}


def check_label(name: CheckName) -> str:
    return str(CHECKS.get(name, name.value))


def outcome_label(outcome: Outcome) -> str:
    return str(OUTCOMES[outcome])
