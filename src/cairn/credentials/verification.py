"""Graded verification of a verifiable credential, Cairn's or anyone's.

Each check ends passed, failed, could not check, or not applicable, with a reason a
registrar can act on. "Could not check" is never folded into a pass: a status list that
cannot be fetched leaves revocation unknown, and the verdict says "incomplete", not
"verified" (decision 0034)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pyld.jsonld import JsonLdError

from cairn.credentials import bitstring, data_integrity, jose
from cairn.credentials.data_integrity import MalformedProof
from cairn.credentials.jsonld import (
    OFFLINE,
    DocumentLoader,
    as_list,
    undefined_terms,
    unknown_context_of,
)
from cairn.credentials.multikey import InvalidKey
from cairn.credentials.resolution import (
    CouldNotResolve,
    DocumentFetcher,
    KeyResolver,
    controller_of,
)
from cairn.kit.i18n import LazyString, lazy_gettext

V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
STATUS_ENTRY_TYPES = {"BitstringStatusListEntry", "StatusList2021Entry"}


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    COULD_NOT_CHECK = "could_not_check"
    NOT_APPLICABLE = "not_applicable"


class CheckName(StrEnum):
    FORMAT = "format"
    CONTEXT = "context"
    SCHEMA = "schema"
    PROOF = "proof"
    ISSUER = "issuer"
    VALIDITY = "validity"
    STATUS = "status"


class Problem(StrEnum):
    """The headline reason a credential is not verified, one per failure kind."""

    MALFORMED = "malformed"
    UNKNOWN_CONTEXT = "unknown_context"
    UNDEFINED_TERMS = "undefined_terms"
    INVALID_SCHEMA = "invalid_schema"
    UNSIGNED = "unsigned"
    TAMPERED = "tampered"
    WRONG_SIGNER = "wrong_signer"
    """Signed, but by a key that is not the issuer's: forged."""
    MALFORMED_PROOF = "malformed_proof"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    SUSPENDED = "suspended"


class Verdict(StrEnum):
    VERIFIED = "verified"
    FAILED = "failed"
    INCOMPLETE = "incomplete"
    """Nothing failed, but something could not be checked."""


@dataclass(frozen=True)
class Check:
    name: CheckName
    outcome: Outcome
    message: LazyString
    problem: Problem | None = None


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    credential: dict[str, Any] | None = None

    @property
    def verdict(self) -> Verdict:
        outcomes = {check.outcome for check in self.checks}
        if Outcome.FAILED in outcomes:
            return Verdict.FAILED
        if Outcome.COULD_NOT_CHECK in outcomes:
            return Verdict.INCOMPLETE
        return Verdict.VERIFIED

    @property
    def problems(self) -> list[Problem]:
        return [check.problem for check in self.checks if check.problem is not None]

    def add(
        self,
        name: CheckName,
        outcome: Outcome,
        message: LazyString,
        problem: Problem | None = None,
    ) -> None:
        self.checks.append(Check(name, outcome, message, problem))

    def as_json(self) -> dict[str, Any]:
        return {
            "verified": self.verdict is Verdict.VERIFIED,
            "verdict": self.verdict.value,
            "problems": [problem.value for problem in self.problems],
            "checks": [
                {
                    "check": check.name.value,
                    "outcome": check.outcome.value,
                    "message": str(check.message),
                    **({"problem": check.problem.value} if check.problem else {}),
                }
                for check in self.checks
            ],
        }


@dataclass(frozen=True)
class Verifier:
    keys: KeyResolver
    status_lists: DocumentFetcher | None = None
    """None where status lists cannot be fetched: status is then "could not check"."""
    loader: DocumentLoader = OFFLINE
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def verify(self, data: str | Mapping[str, Any]) -> Report:
        report = Report()
        parsed = _parse(data, report)
        if parsed is None:
            return report
        credential, jwt = parsed
        report.credential = credential
        if not _check_context(credential, report, self.loader) or not _check_schema(
            credential, report
        ):
            return report
        self._check_proof(credential, jwt, report)
        _check_validity(credential, jwt, report, self.clock())
        self._check_status(credential, report)
        return report

    def _check_proof(
        self, credential: dict[str, Any], jwt: jose.DecodedJwt | None, report: Report
    ) -> None:
        issuer = issuer_id(credential)
        if jwt is not None:
            method = str(jwt.header.get("kid", ""))
        else:
            proofs = as_list(credential.get("proof"))
            if not proofs or not isinstance(proofs[0], dict):
                report.add(
                    CheckName.PROOF,
                    Outcome.FAILED,
                    lazy_gettext("The credential is not signed: it has no proof."),
                    Problem.UNSIGNED,
                )
                return
            proof = proofs[0]
            method = str(proof.get("verificationMethod", ""))
        if controller_of(method) != issuer:
            report.add(
                CheckName.ISSUER,
                Outcome.FAILED,
                lazy_gettext(
                    "It was signed with the key %(key)s, which does not belong to its issuer "
                    "%(issuer)s: the credential is forged.",
                    key=method or "?",
                    issuer=issuer,
                ),
                Problem.WRONG_SIGNER,
            )
            return
        try:
            key = self.keys.resolve(method)
        except CouldNotResolve as error:
            report.add(
                CheckName.ISSUER,
                Outcome.COULD_NOT_CHECK,
                lazy_gettext(
                    "The issuer's key could not be found just now: %(why)s", why=str(error)
                ),
            )
            report.add(
                CheckName.PROOF,
                Outcome.COULD_NOT_CHECK,
                lazy_gettext("The signature was not checked because the issuer's key is unknown."),
            )
            return
        except InvalidKey as error:
            report.add(
                CheckName.ISSUER,
                Outcome.FAILED,
                lazy_gettext(
                    "The signing key is not one of the issuer's keys: %(why)s", why=str(error)
                ),
                Problem.WRONG_SIGNER,
            )
            return
        report.add(
            CheckName.ISSUER,
            Outcome.PASSED,
            lazy_gettext("Signed with a key of its issuer %(issuer)s.", issuer=issuer),
        )
        try:
            if jwt is not None:
                valid = jose.verify(jwt.token, key.public_key)
            else:
                if proof.get("proofPurpose") != "assertionMethod":
                    raise MalformedProof("a credential's proof purpose is assertionMethod")
                valid = data_integrity.verify(credential, proof, key.public_key, self.loader)
        except (MalformedProof, jose.MalformedJwt) as error:
            report.add(
                CheckName.PROOF,
                Outcome.FAILED,
                lazy_gettext("The proof cannot be checked: %(why)s", why=str(error)),
                Problem.MALFORMED_PROOF,
            )
            return
        if valid:
            report.add(
                CheckName.PROOF,
                Outcome.PASSED,
                lazy_gettext("The signature matches the content."),
            )
        else:
            report.add(
                CheckName.PROOF,
                Outcome.FAILED,
                lazy_gettext(
                    "The signature does not match the content: the credential was changed "
                    "after it was signed."
                ),
                Problem.TAMPERED,
            )

    def _check_status(self, credential: dict[str, Any], report: Report) -> None:
        entries = [e for e in as_list(credential.get("credentialStatus")) if isinstance(e, dict)]
        if not entries:
            report.add(
                CheckName.STATUS,
                Outcome.NOT_APPLICABLE,
                lazy_gettext(
                    "The issuer gave no way to revoke it, so there is no status to check."
                ),
            )
            return
        for entry in entries:
            self._check_entry(credential, entry, report)

    def _check_entry(
        self, credential: dict[str, Any], entry: dict[str, Any], report: Report
    ) -> None:
        url = str(entry.get("statusListCredential", ""))
        purpose = str(entry.get("statusPurpose", ""))
        if entry.get("type") not in STATUS_ENTRY_TYPES or purpose not in {
            "revocation",
            "suspension",
        }:
            report.add(
                CheckName.STATUS,
                Outcome.COULD_NOT_CHECK,
                lazy_gettext(
                    "The status entry of type %(type)s for %(purpose)s is not one Cairn can check.",
                    type=str(entry.get("type")),
                    purpose=purpose or "?",
                ),
            )
            return
        if self.status_lists is None:
            report.add(
                CheckName.STATUS,
                Outcome.COULD_NOT_CHECK,
                lazy_gettext(
                    "Status lists cannot be fetched here, so %(purpose)s was not checked.",
                    purpose=purpose,
                ),
            )
            return
        try:
            listing = dict(self.status_lists.fetch(url))
            index = int(entry.get("statusListIndex", ""))
        except CouldNotResolve as error:
            report.add(
                CheckName.STATUS,
                Outcome.COULD_NOT_CHECK,
                lazy_gettext(
                    "The status list %(url)s could not be fetched (%(why)s), so it is not known "
                    "whether the credential was revoked.",
                    url=url,
                    why=str(error),
                ),
            )
            return
        except ValueError:
            report.add(
                CheckName.STATUS,
                Outcome.FAILED,
                lazy_gettext("The status entry's statusListIndex is not a number."),
                Problem.INVALID_SCHEMA,
            )
            return
        listing_report = replace(self, status_lists=None).verify(listing)
        listed = listing.get("credentialSubject", {})
        if (
            listing_report.verdict is not Verdict.VERIFIED
            and Problem.EXPIRED not in listing_report.problems
        ) or issuer_id(listing) != issuer_id(credential):
            report.add(
                CheckName.STATUS,
                Outcome.COULD_NOT_CHECK,
                lazy_gettext(
                    "The status list %(url)s is not a valid list signed by the credential's "
                    "issuer, so it was not trusted.",
                    url=url,
                ),
            )
            return
        try:
            bits = bitstring.decode(str(listed.get("encodedList", "")))
            flagged = bitstring.get(bits, index)
        except bitstring.BitstringError as error:
            report.add(
                CheckName.STATUS,
                Outcome.COULD_NOT_CHECK,
                lazy_gettext(
                    "The status list %(url)s cannot be read: %(why)s", url=url, why=str(error)
                ),
            )
            return
        if not flagged:
            report.add(
                CheckName.STATUS,
                Outcome.PASSED,
                lazy_gettext("Not revoked.")
                if purpose == "revocation"
                else lazy_gettext("Not suspended."),
            )
        elif purpose == "revocation":
            report.add(
                CheckName.STATUS,
                Outcome.FAILED,
                lazy_gettext("The issuer has revoked this credential."),
                Problem.REVOKED,
            )
        else:
            report.add(
                CheckName.STATUS,
                Outcome.FAILED,
                lazy_gettext("The issuer has suspended this credential."),
                Problem.SUSPENDED,
            )


def issuer_id(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    return str(issuer.get("id", "")) if isinstance(issuer, dict) else str(issuer or "")


def _parse(
    data: str | Mapping[str, Any], report: Report
) -> tuple[dict[str, Any], jose.DecodedJwt | None] | None:
    decoded: jose.DecodedJwt | None = None
    document: object
    if isinstance(data, str) and jose.looks_like_jwt(data):
        try:
            decoded = jose.read(data.strip())
        except jose.MalformedJwt as error:
            report.add(
                CheckName.FORMAT,
                Outcome.FAILED,
                lazy_gettext("This is not a credential Cairn can read: %(why)s", why=str(error)),
                Problem.MALFORMED,
            )
            return None
        document = decoded.credential
    elif isinstance(data, str):
        try:
            document = json.loads(data)
        except json.JSONDecodeError as error:
            report.add(
                CheckName.FORMAT,
                Outcome.FAILED,
                lazy_gettext(
                    "This is not JSON: %(why)s at line %(line)s, column %(column)s.",
                    why=error.msg,
                    line=error.lineno,
                    column=error.colno,
                ),
                Problem.MALFORMED,
            )
            return None
    else:
        document = data
    if not isinstance(document, dict):
        report.add(
            CheckName.FORMAT,
            Outcome.FAILED,
            lazy_gettext("A credential is a JSON object; this is not one."),
            Problem.MALFORMED,
        )
        return None
    report.add(
        CheckName.FORMAT,
        Outcome.PASSED,
        lazy_gettext("A JWT-secured credential.")
        if decoded
        else lazy_gettext("A JSON-LD credential."),
    )
    return dict(document), decoded


def _check_context(credential: dict[str, Any], report: Report, loader: DocumentLoader) -> bool:
    contexts = as_list(credential.get("@context"))
    if not contexts or contexts[0] not in {V2, V1}:
        report.add(
            CheckName.CONTEXT,
            Outcome.FAILED,
            lazy_gettext(
                "The first @context must be %(v2)s (or, for older credentials, %(v1)s).",
                v2=V2,
                v1=V1,
            ),
            Problem.INVALID_SCHEMA,
        )
        return False
    try:
        undefined = undefined_terms(credential, loader)
    except JsonLdError as error:
        unknown = unknown_context_of(error)
        report.add(
            CheckName.CONTEXT,
            Outcome.FAILED,
            lazy_gettext(
                "The context %(url)s is not one Cairn knows, so the credential's meaning "
                "cannot be checked; it was not fetched.",
                url=unknown.url,
            )
            if unknown
            else lazy_gettext("The JSON-LD is not valid: %(why)s", why=str(error).splitlines()[0]),
            Problem.UNKNOWN_CONTEXT if unknown else Problem.MALFORMED,
        )
        return False
    if undefined:
        report.add(
            CheckName.CONTEXT,
            Outcome.FAILED,
            lazy_gettext(
                "These terms are not defined by the credential's contexts, so a signature "
                "over its meaning would not cover them: %(terms)s.",
                terms=", ".join(undefined),
            ),
            Problem.UNDEFINED_TERMS,
        )
        return False
    report.add(
        CheckName.CONTEXT, Outcome.PASSED, lazy_gettext("Every term is defined by known contexts.")
    )
    return True


def _check_schema(credential: dict[str, Any], report: Report) -> bool:
    missing: list[str] = []
    types = as_list(credential.get("type"))
    if "VerifiableCredential" not in types:
        missing.append("type VerifiableCredential")
    if not issuer_id(credential):
        missing.append("issuer")
    if not credential.get("credentialSubject"):
        missing.append("credentialSubject")
    v2 = as_list(credential.get("@context"))[0] == V2
    start_field = "validFrom" if v2 else "issuanceDate"
    end_field = "validUntil" if v2 else "expirationDate"
    if not v2 and start_field not in credential:
        missing.append(start_field)
    for name in (start_field, end_field):
        if name in credential and _datetime(credential[name]) is None:
            missing.append(f"{name} as a date and time")
    if "OpenBadgeCredential" in types or "AchievementCredential" in types:
        subject = credential.get("credentialSubject")
        if not isinstance(subject, dict) or not subject.get("achievement"):
            missing.append("credentialSubject.achievement")
    if missing:
        report.add(
            CheckName.SCHEMA,
            Outcome.FAILED,
            lazy_gettext("The credential lacks %(fields)s.", fields=", ".join(missing)),
            Problem.INVALID_SCHEMA,
        )
        return False
    report.add(CheckName.SCHEMA, Outcome.PASSED, lazy_gettext("It has every required member."))
    return True


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _check_validity(
    credential: dict[str, Any], jwt: jose.DecodedJwt | None, report: Report, now: datetime
) -> None:
    v2 = as_list(credential.get("@context"))[0] == V2
    start = _datetime(credential.get("validFrom" if v2 else "issuanceDate"))
    end = _datetime(credential.get("validUntil" if v2 else "expirationDate"))
    if jwt is not None:
        claims = jwt.claims
        if isinstance(claims.get("nbf"), int | float):
            start = max(filter(None, [start, datetime.fromtimestamp(claims["nbf"], UTC)]))
        if isinstance(claims.get("exp"), int | float):
            end = min(filter(None, [end, datetime.fromtimestamp(claims["exp"], UTC)]))
    if start is not None and now < start:
        report.add(
            CheckName.VALIDITY,
            Outcome.FAILED,
            lazy_gettext(
                "It is not valid yet: it becomes valid on %(start)s.", start=start.isoformat()
            ),
            Problem.NOT_YET_VALID,
        )
    elif end is not None and now >= end:
        report.add(
            CheckName.VALIDITY,
            Outcome.FAILED,
            lazy_gettext("It expired on %(end)s.", end=end.isoformat()),
            Problem.EXPIRED,
        )
    else:
        report.add(
            CheckName.VALIDITY, Outcome.PASSED, lazy_gettext("It is within its validity dates.")
        )
