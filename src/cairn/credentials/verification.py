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
    reason_of,
    undefined_terms,
    unknown_context_of,
)
from cairn.credentials.multikey import InvalidKey
from cairn.credentials.resolution import (
    CouldNotResolve,
    DocumentFetcher,
    KeyResolver,
    ResolvedKey,
    controller_of,
)
from cairn.kit.i18n import LazyString, lazy_gettext

V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
STATUS_ENTRY_TYPES = {"BitstringStatusListEntry", "StatusList2021Entry"}
ENVELOPED_CREDENTIAL = "EnvelopedVerifiableCredential"
JWT_DATA_URL = "data:application/vc+jwt,"
"""How a VC-JWT travels inside a JSON-LD presentation: the ``id`` of an enveloped
credential (VC Data Model 2.0; VC-JOSE-COSE)."""


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
    HOLDER = "holder"
    """A presentation's: it was signed by its holder's key."""
    CHALLENGE = "challenge"
    DOMAIN = "domain"
    HOLDER_BINDING = "holder_binding"
    """A credential in a presentation: it is about whoever presents it."""


class Problem(StrEnum):
    """The headline reason a credential is not verified, one per failure kind."""

    MALFORMED = "malformed"
    UNKNOWN_CONTEXT = "unknown_context"
    UNDEFINED_TERMS = "undefined_terms"
    INVALID_SCHEMA = "invalid_schema"
    UNSIGNED = "unsigned"
    TAMPERED = "tampered"
    WRONG_SIGNER = "wrong_signer"
    """Signed, but by a key that is not the issuer's (or, for a presentation, the
    holder's): forged."""
    MALFORMED_PROOF = "malformed_proof"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    WRONG_CHALLENGE = "wrong_challenge"
    """A presentation that does not answer the verifier's challenge: maybe a replay."""
    WRONG_DOMAIN = "wrong_domain"
    """A presentation made for another verifier."""
    NOT_THE_HOLDER = "not_the_holder"
    """A presented credential about someone other than its presenter."""


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


@dataclass
class PresentationReport(Report):
    """The presentation's own checks, then one ``Report`` per credential it encloses, in
    order; its verdict and problems are those of the whole."""

    presentation: dict[str, Any] | None = None
    credentials: list[Report] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        verdicts = {super().verdict, *(report.verdict for report in self.credentials)}
        for worst in (Verdict.FAILED, Verdict.INCOMPLETE):
            if worst in verdicts:
                return worst
        return Verdict.VERIFIED

    @property
    def problems(self) -> list[Problem]:
        found = super().problems + [p for report in self.credentials for p in report.problems]
        return list(dict.fromkeys(found))

    def as_json(self) -> dict[str, Any]:
        return {
            **super().as_json(),
            "credentials": [report.as_json() for report in self.credentials],
        }


@dataclass(frozen=True)
class SignerWords:
    """What the report says about a signer -- a credential's issuer or a presentation's
    holder -- at each step, so both are checked by the same code."""

    check: CheckName
    unreachable: Callable[[str], LazyString]
    unchecked: LazyString
    not_theirs: Callable[[str], LazyString]
    theirs: Callable[[str], LazyString]
    changed: LazyString


ISSUER_WORDS = SignerWords(
    check=CheckName.ISSUER,
    unreachable=lambda why: lazy_gettext(
        "The issuer's key could not be found just now: %(why)s", why=why
    ),
    unchecked=lazy_gettext("The signature was not checked because the issuer's key is unknown."),
    not_theirs=lambda why: lazy_gettext(
        "The signing key is not one of the issuer's keys: %(why)s", why=why
    ),
    theirs=lambda who: lazy_gettext("Signed with a key of its issuer %(issuer)s.", issuer=who),
    changed=lazy_gettext(
        "The signature does not match the content: the credential was changed after it was signed."
    ),
)
HOLDER_WORDS = SignerWords(
    check=CheckName.HOLDER,
    unreachable=lambda why: lazy_gettext(
        "The holder's key could not be found just now: %(why)s", why=why
    ),
    unchecked=lazy_gettext("The signature was not checked because the holder's key is unknown."),
    not_theirs=lambda why: lazy_gettext(
        "The signing key is not one of the holder's keys: %(why)s", why=why
    ),
    theirs=lambda who: lazy_gettext("Signed by its holder %(holder)s.", holder=who),
    changed=lazy_gettext(
        "The signature does not match the content: the presentation was changed after it "
        "was signed."
    ),
)


def _report_signature(report: Report, valid: Callable[[], bool], words: SignerWords) -> None:
    try:
        matches = valid()
    except (MalformedProof, jose.MalformedJwt) as error:
        report.add(
            CheckName.PROOF,
            Outcome.FAILED,
            lazy_gettext("The proof cannot be checked: %(why)s", why=str(error)),
            Problem.MALFORMED_PROOF,
        )
        return
    if matches:
        report.add(
            CheckName.PROOF, Outcome.PASSED, lazy_gettext("The signature matches the content.")
        )
    else:
        report.add(CheckName.PROOF, Outcome.FAILED, words.changed, Problem.TAMPERED)


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

    def verify_presentation(
        self, data: str | Mapping[str, Any], *, challenge: str | None, domain: str | None
    ) -> PresentationReport:
        """Check a Data Integrity presentation: signed by its holder for authentication,
        answering ``challenge`` for ``domain`` (None: the verifier asked for none), and
        each credential inside it, with whether that credential is about the holder.

        The credentials are checked even when the presentation fails, so the report
        still says which of them are sound."""
        report = PresentationReport()
        presentation = _parse_presentation(data, report)
        if presentation is None:
            return report
        report.presentation = presentation
        holder: str | None = holder_id(presentation) or None
        if _check_context(presentation, report, self.loader) and _check_presentation_schema(
            presentation, report
        ):
            holder = self._check_holder_proof(presentation, report, challenge, domain)
        for enclosed in as_list(presentation.get("verifiableCredential")):
            credential_report = self._verify_enclosed(enclosed)
            _check_binding(credential_report, holder)
            report.credentials.append(credential_report)
        return report

    def _verify_enclosed(self, enclosed: Any) -> Report:
        if isinstance(enclosed, dict) and ENVELOPED_CREDENTIAL in as_list(enclosed.get("type")):
            envelope = str(enclosed.get("id", ""))
            if not envelope.startswith(JWT_DATA_URL):
                report = Report()
                report.add(
                    CheckName.FORMAT,
                    Outcome.FAILED,
                    lazy_gettext(
                        "The enveloped credential %(id)s is not a vc+jwt data URL, the one "
                        "envelope Cairn reads.",
                        id=envelope[:40] or "?",
                    ),
                    Problem.MALFORMED,
                )
                return report
            return self.verify(envelope.removeprefix(JWT_DATA_URL))
        return self.verify(enclosed)

    def _check_holder_proof(
        self,
        presentation: dict[str, Any],
        report: PresentationReport,
        challenge: str | None,
        domain: str | None,
    ) -> str | None:
        """The holder's proof, challenge and domain; returns who the holder is: the one
        named, or else the signer."""
        holder = holder_id(presentation)
        proofs = as_list(presentation.get("proof"))
        if not proofs or not isinstance(proofs[0], dict):
            report.add(
                CheckName.PROOF,
                Outcome.FAILED,
                lazy_gettext("The presentation is not signed by its holder: it has no proof."),
                Problem.UNSIGNED,
            )
            return holder or None
        proof = proofs[0]
        method = str(proof.get("verificationMethod", ""))
        holder = holder or controller_of(method)
        if controller_of(method) != holder:
            report.add(
                CheckName.HOLDER,
                Outcome.FAILED,
                lazy_gettext(
                    "It was signed with the key %(key)s, which does not belong to its holder "
                    "%(holder)s: someone else is presenting it.",
                    key=method or "?",
                    holder=holder,
                ),
                Problem.WRONG_SIGNER,
            )
        else:
            self._check_holder_signature(presentation, proof, method, report)
        _check_challenge(proof.get("challenge"), challenge, report)
        _check_domain([str(d) for d in as_list(proof.get("domain"))], domain, report)
        return holder

    def _check_holder_signature(
        self,
        presentation: dict[str, Any],
        proof: dict[str, Any],
        method: str,
        report: PresentationReport,
    ) -> None:
        key = self._resolve(method, report, HOLDER_WORDS, controller_of(method))
        if key is None:
            return

        def valid() -> bool:
            if proof.get("proofPurpose") != "authentication":
                raise MalformedProof("a presentation's proof purpose is authentication")
            return data_integrity.verify(presentation, proof, key.public_key, self.loader)

        _report_signature(report, valid, HOLDER_WORDS)

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
        key = self._resolve(method, report, ISSUER_WORDS, issuer)
        if key is None:
            return

        def valid() -> bool:
            if jwt is not None:
                return jose.verify(jwt.token, key.public_key)
            if proof.get("proofPurpose") != "assertionMethod":
                raise MalformedProof("a credential's proof purpose is assertionMethod")
            return data_integrity.verify(credential, proof, key.public_key, self.loader)

        _report_signature(report, valid, ISSUER_WORDS)

    def _resolve(
        self, method: str, report: Report, words: SignerWords, who: str
    ) -> ResolvedKey | None:
        """The signer's key, or None with the reason reported."""
        try:
            key = self.keys.resolve(method)
        except CouldNotResolve as error:
            report.add(words.check, Outcome.COULD_NOT_CHECK, words.unreachable(str(error)))
            report.add(CheckName.PROOF, Outcome.COULD_NOT_CHECK, words.unchecked)
            return None
        except InvalidKey as error:
            report.add(
                words.check, Outcome.FAILED, words.not_theirs(str(error)), Problem.WRONG_SIGNER
            )
            return None
        report.add(words.check, Outcome.PASSED, words.theirs(who))
        return key

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
        kinds = as_list(entry.get("type"))
        if not any(kind in kinds for kind in STATUS_ENTRY_TYPES) or purpose not in {
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
        except (CouldNotResolve, InvalidKey) as error:
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
        except (ValueError, TypeError):
            report.add(
                CheckName.STATUS,
                Outcome.FAILED,
                lazy_gettext("The status entry's statusListIndex is not a number."),
                Problem.INVALID_SCHEMA,
            )
            return
        listing_report = replace(self, status_lists=None).verify(listing)
        listed = listing.get("credentialSubject")
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
            encoded = listed.get("encodedList", "") if isinstance(listed, dict) else ""
            bits = bitstring.decode(str(encoded))
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


NOT_JSON = object()


def _loads(text: str, report: Report) -> Any:
    """The JSON value of ``text``, or ``NOT_JSON`` with where it stops being JSON reported
    (``null`` is JSON, and is refused later as not an object)."""
    try:
        return json.loads(text)
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
        return NOT_JSON


def issuer_id(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    return str(issuer.get("id", "")) if isinstance(issuer, dict) else str(issuer or "")


def holder_id(presentation: Mapping[str, Any]) -> str:
    holder = presentation.get("holder")
    return str(holder.get("id", "")) if isinstance(holder, dict) else str(holder or "")


def _parse_presentation(
    data: str | Mapping[str, Any], report: PresentationReport
) -> dict[str, Any] | None:
    document: object = data
    if isinstance(data, str) and not data.lstrip().startswith("{") and jose.looks_like_jwt(data):
        report.add(
            CheckName.FORMAT,
            Outcome.FAILED,
            lazy_gettext(
                "This presentation is a JWT; Cairn verifies presentations secured with a Data "
                "Integrity proof."
            ),
            Problem.MALFORMED,
        )
        return None
    if isinstance(data, str):
        document = _loads(data, report)
        if document is NOT_JSON:
            return None
    if not isinstance(document, dict):
        report.add(
            CheckName.FORMAT,
            Outcome.FAILED,
            lazy_gettext("A presentation is a JSON object; this is not one."),
            Problem.MALFORMED,
        )
        return None
    report.add(CheckName.FORMAT, Outcome.PASSED, lazy_gettext("A JSON-LD presentation."))
    return dict(document)


def _check_presentation_schema(presentation: dict[str, Any], report: Report) -> bool:
    if "VerifiablePresentation" not in as_list(presentation.get("type")):
        report.add(
            CheckName.SCHEMA,
            Outcome.FAILED,
            lazy_gettext("The presentation lacks type VerifiablePresentation."),
            Problem.INVALID_SCHEMA,
        )
        return False
    report.add(CheckName.SCHEMA, Outcome.PASSED, lazy_gettext("It has every required member."))
    return True


def _check_challenge(found: Any, expected: str | None, report: Report) -> None:
    if expected is None:
        report.add(
            CheckName.CHALLENGE,
            Outcome.NOT_APPLICABLE,
            lazy_gettext(
                "No challenge was asked for, so nothing shows it was made just now rather "
                "than replayed."
            ),
        )
    elif found == expected:
        report.add(
            CheckName.CHALLENGE,
            Outcome.PASSED,
            lazy_gettext("It answers the challenge it was given, so it is not a replay."),
        )
    elif found is None:
        report.add(
            CheckName.CHALLENGE,
            Outcome.FAILED,
            lazy_gettext(
                "It answers no challenge, though %(expected)s was asked: it may be a replay of "
                "an earlier presentation.",
                expected=expected,
            ),
            Problem.WRONG_CHALLENGE,
        )
    else:
        report.add(
            CheckName.CHALLENGE,
            Outcome.FAILED,
            lazy_gettext(
                "It answers the challenge %(found)s, not %(expected)s: it may be a replay of "
                "an earlier presentation.",
                found=str(found),
                expected=expected,
            ),
            Problem.WRONG_CHALLENGE,
        )


def _check_domain(found: list[str], expected: str | None, report: Report) -> None:
    if expected is None:
        report.add(
            CheckName.DOMAIN,
            Outcome.NOT_APPLICABLE,
            lazy_gettext("No domain was asked for, so whom it was made for was not checked."),
        )
    elif expected in found:
        report.add(
            CheckName.DOMAIN,
            Outcome.PASSED,
            lazy_gettext("It was made for %(domain)s.", domain=expected),
        )
    elif not found:
        report.add(
            CheckName.DOMAIN,
            Outcome.FAILED,
            lazy_gettext(
                "It does not say which verifier it was made for, though %(expected)s was "
                "asked: it may have been meant for another verifier.",
                expected=expected,
            ),
            Problem.WRONG_DOMAIN,
        )
    else:
        report.add(
            CheckName.DOMAIN,
            Outcome.FAILED,
            lazy_gettext(
                "It was made for %(found)s, not for %(expected)s: it was meant for another "
                "verifier.",
                found=", ".join(found),
                expected=expected,
            ),
            Problem.WRONG_DOMAIN,
        )


def _check_binding(report: Report, holder: str | None) -> None:
    """Whether a presented credential is about its presenter: a credential about someone
    else, shown by a holder it does not name, fails."""
    subjects = [
        str(subject["id"])
        for subject in as_list((report.credential or {}).get("credentialSubject"))
        if isinstance(subject, dict) and subject.get("id")
    ]
    if holder and holder in subjects:
        report.add(
            CheckName.HOLDER_BINDING,
            Outcome.PASSED,
            lazy_gettext("It is about its presenter %(holder)s.", holder=holder),
        )
    elif holder and subjects:
        report.add(
            CheckName.HOLDER_BINDING,
            Outcome.FAILED,
            lazy_gettext(
                "It is about %(subject)s, not about its presenter %(holder)s.",
                subject=", ".join(subjects),
                holder=holder,
            ),
            Problem.NOT_THE_HOLDER,
        )
    else:
        report.add(
            CheckName.HOLDER_BINDING,
            Outcome.NOT_APPLICABLE,
            lazy_gettext(
                "It names no subject identifier, or the presentation no holder, so whether it "
                "is about its presenter was not checked."
            ),
        )


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
        document = _loads(data, report)
        if document is NOT_JSON:
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
    if not contexts or contexts[0] not in (V2, V1):
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
            else lazy_gettext("The JSON-LD is not valid: %(why)s", why=reason_of(error)),
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
        try:
            if isinstance(claims.get("nbf"), int | float):
                start = max(filter(None, [start, datetime.fromtimestamp(claims["nbf"], UTC)]))
            if isinstance(claims.get("exp"), int | float):
                end = min(filter(None, [end, datetime.fromtimestamp(claims["exp"], UTC)]))
        except (OverflowError, OSError, ValueError):
            report.add(
                CheckName.VALIDITY,
                Outcome.FAILED,
                lazy_gettext("The JWT's nbf or exp claim is not a date and time."),
                Problem.MALFORMED,
            )
            return
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
