"""The verifier names exactly what is wrong with a credential — tampered, forged, expired,
not yet valid, revoked, suspended, malformed — and says "could not check" rather than
guessing when a status list cannot be fetched."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cairn.credentials import bitstring, data_integrity, jose, multikey
from cairn.credentials.data_integrity import Cryptosuite, ProofOptions
from cairn.credentials.resolution import CouldNotResolve, DidResolver
from cairn.credentials.verification import Outcome, Problem, Verdict, Verifier

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
LIST_URL = "https://cairn.example/status/1"
CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


class StatusLists:
    """Status list credentials by URL; an absent URL is unreachable."""

    def __init__(self) -> None:
        self.documents: dict[str, Mapping[str, Any]] = {}

    def fetch(self, url: str) -> Mapping[str, Any]:
        if url not in self.documents:
            raise CouldNotResolve(f"{url} did not answer")
        return self.documents[url]


class Issuer:
    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.public = self.key.public_key().public_bytes_raw()
        self.did = multikey.did_key(self.public)
        self.method = multikey.did_key_method(self.public)

    def sign(
        self, document: Mapping[str, Any], suite: Cryptosuite = Cryptosuite.EDDSA_RDFC_2022
    ) -> dict[str, Any]:
        return data_integrity.sign(
            document, self.key, ProofOptions(self.method, "2026-12-01T00:00:00Z"), suite
        )

    def credential(self, **changes: Any) -> dict[str, Any]:
        credential: dict[str, Any] = {
            "@context": CONTEXTS,
            "id": "urn:uuid:0b5c1a2e-6f0e-4a53-9a39-2f0f7f1f6a10",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": self.did, "type": ["Profile"], "name": "Lakeshore College"},
            "validFrom": "2026-12-01T00:00:00Z",
            "name": "Digital safety at work",
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "achievement": {
                    "id": "https://cairn.example/achievements/digital-safety",
                    "type": ["Achievement"],
                    "name": "Digital safety at work",
                    "criteria": {"narrative": "Passes the practical assessment."},
                    "description": "Works safely with digital tools.",
                },
            },
        }
        credential.update(changes)
        return credential

    def status_list(
        self, *, revoked: int | None = None, purpose: str = "revocation"
    ) -> dict[str, Any]:
        bits = bitstring.empty()
        if revoked is not None:
            bitstring.set_bit(bits, revoked, True)
        return self.sign(
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "id": LIST_URL,
                "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                "issuer": self.did,
                "validFrom": "2026-12-01T00:00:00Z",
                "credentialSubject": {
                    "id": f"{LIST_URL}#list",
                    "type": "BitstringStatusList",
                    "statusPurpose": purpose,
                    "encodedList": bitstring.encode(bits),
                },
            }
        )


def status_entry(index: int, purpose: str = "revocation") -> dict[str, Any]:
    return {
        "id": f"{LIST_URL}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": LIST_URL,
    }


@pytest.fixture
def issuer() -> Issuer:
    return Issuer()


@pytest.fixture
def lists() -> StatusLists:
    return StatusLists()


@pytest.fixture
def verifier(lists: StatusLists) -> Verifier:
    return Verifier(DidResolver(), lists, clock=lambda: NOW)


def outcomes(report: Any) -> dict[str, str]:
    return {check.name.value: check.outcome.value for check in report.checks}


@pytest.mark.parametrize("suite", list(Cryptosuite))
def test_a_sound_credential_is_verified_on_every_check(
    issuer: Issuer, verifier: Verifier, suite: Cryptosuite
) -> None:
    report = verifier.verify(issuer.sign(issuer.credential(), suite))

    assert report.verdict is Verdict.VERIFIED
    assert outcomes(report) == {
        "format": "passed",
        "context": "passed",
        "schema": "passed",
        "issuer": "passed",
        "proof": "passed",
        "validity": "passed",
        "status": "not_applicable",
    }
    assert report.as_json()["verified"] is True


def test_a_sound_jwt_credential_is_verified(issuer: Issuer, verifier: Verifier) -> None:
    token = jose.sign(issuer.credential(), issuer.key, issuer.method)

    assert verifier.verify(token).verdict is Verdict.VERIFIED


def tampered(issuer: Issuer) -> dict[str, Any]:
    signed = issuer.sign(issuer.credential())
    signed["credentialSubject"]["achievement"]["name"] = "Advanced cyber security"
    return signed


def forged(issuer: Issuer) -> dict[str, Any]:
    """Signed by a stranger's key, claiming Lakeshore as its issuer."""
    stranger = Issuer()
    credential = issuer.credential()
    return data_integrity.sign(
        credential, stranger.key, ProofOptions(stranger.method, "2026-12-01T00:00:00Z")
    )


def reissued(issuer: Issuer) -> dict[str, Any]:
    """A stranger's genuine credential with the issuer swapped for Lakeshore afterwards."""
    stranger = Issuer()
    signed = stranger.sign(stranger.credential())
    signed["issuer"] = {"id": issuer.did, "type": ["Profile"], "name": "Lakeshore College"}
    return signed


def garbled(issuer: Issuer) -> dict[str, Any]:
    signed = issuer.sign(issuer.credential())
    signed["proof"]["proofValue"] = "z" + "1" * 20
    return signed


def unsigned(issuer: Issuer) -> dict[str, Any]:
    return issuer.credential()


def expired(issuer: Issuer) -> dict[str, Any]:
    return issuer.sign(issuer.credential(validUntil="2026-12-03T00:00:00Z"))


def early(issuer: Issuer) -> dict[str, Any]:
    return issuer.sign(issuer.credential(validFrom="2027-01-01T00:00:00Z"))


def unknown_context(issuer: Issuer) -> dict[str, Any]:
    return issuer.credential(**{"@context": [*CONTEXTS, "https://attacker.example/v1"]})


def undefined_term(issuer: Issuer) -> dict[str, Any]:
    return issuer.sign(issuer.credential(favouriteColour="blue"), Cryptosuite.EDDSA_JCS_2022)


def no_issuer(issuer: Issuer) -> dict[str, Any]:
    credential = issuer.credential()
    del credential["issuer"]
    return credential


MATRIX = [
    (tampered, Problem.TAMPERED, "proof"),
    (forged, Problem.WRONG_SIGNER, "issuer"),
    (reissued, Problem.WRONG_SIGNER, "issuer"),
    (garbled, Problem.MALFORMED_PROOF, "proof"),
    (unsigned, Problem.UNSIGNED, "proof"),
    (expired, Problem.EXPIRED, "validity"),
    (early, Problem.NOT_YET_VALID, "validity"),
    (unknown_context, Problem.UNKNOWN_CONTEXT, "context"),
    (undefined_term, Problem.UNDEFINED_TERMS, "context"),
    (no_issuer, Problem.INVALID_SCHEMA, "schema"),
]


@pytest.mark.parametrize(("make", "problem", "check"), MATRIX, ids=[m[0].__name__ for m in MATRIX])
def test_each_kind_of_bad_credential_is_named_for_what_it_is(
    issuer: Issuer, verifier: Verifier, make: Any, problem: Problem, check: str
) -> None:
    report = verifier.verify(make(issuer))

    assert report.verdict is Verdict.FAILED
    assert report.problems == [problem]
    assert outcomes(report)[check] == "failed"


def test_a_tampered_jwt_is_reported_as_tampered(issuer: Issuer, verifier: Verifier) -> None:
    other = jose.sign(issuer.credential(name="Something else"), issuer.key, issuer.method)
    header, payload, _ = other.split(".")
    signature = jose.sign(issuer.credential(), issuer.key, issuer.method).split(".")[2]

    report = verifier.verify(f"{header}.{payload}.{signature}")

    assert report.problems == [Problem.TAMPERED]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"@context": [', "line 1, column 15"),
        ("[1, 2]", "JSON object"),
        ("eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "EdDSA"),
    ],
)
def test_malformed_input_is_reported_not_raised(
    verifier: Verifier, text: str, message: str
) -> None:
    report = verifier.verify(text)

    assert report.problems == [Problem.MALFORMED]
    assert message in str(report.checks[0].message)


@pytest.mark.parametrize(
    ("purpose", "problem"), [("revocation", Problem.REVOKED), ("suspension", Problem.SUSPENDED)]
)
def test_a_flagged_status_is_revoked_or_suspended(
    issuer: Issuer, verifier: Verifier, lists: StatusLists, purpose: str, problem: Problem
) -> None:
    lists.documents[LIST_URL] = issuer.status_list(revoked=4_242, purpose=purpose)
    flagged = issuer.sign(issuer.credential(credentialStatus=status_entry(4_242, purpose)))
    clear = issuer.sign(issuer.credential(credentialStatus=status_entry(17, purpose)))

    assert verifier.verify(flagged).problems == [problem]
    assert verifier.verify(clear).verdict is Verdict.VERIFIED


def test_an_unreachable_status_list_is_could_not_check_never_not_revoked(
    issuer: Issuer, verifier: Verifier
) -> None:
    report = verifier.verify(issuer.sign(issuer.credential(credentialStatus=status_entry(3))))

    assert report.verdict is Verdict.INCOMPLETE
    assert outcomes(report)["status"] == Outcome.COULD_NOT_CHECK
    assert "could not be fetched" in str(report.checks[-1].message)
    assert report.as_json()["verified"] is False


def test_a_status_list_signed_by_someone_else_is_not_trusted(
    issuer: Issuer, verifier: Verifier, lists: StatusLists
) -> None:
    lists.documents[LIST_URL] = Issuer().status_list()
    report = verifier.verify(issuer.sign(issuer.credential(credentialStatus=status_entry(3))))

    assert report.verdict is Verdict.INCOMPLETE
    assert "not trusted" in str(report.checks[-1].message)


def test_the_open_badges_test_vector_verifies_once_its_issuer_key_is_known() -> None:
    from tests.credentials.test_data_integrity import vector

    signed = copy.deepcopy(vector("signed-credential.json"))
    expected = vector("expected.json")

    class VectorKeys:
        def resolve(self, method: str) -> Any:
            from cairn.credentials.resolution import ResolvedKey

            assert method == expected["verificationMethod"]
            return ResolvedKey(bytes.fromhex(expected["publicKeyHex"]), method.split("#")[0])

    report = Verifier(VectorKeys(), None, clock=lambda: NOW).verify(signed)

    assert outcomes(report)["proof"] == "passed"
    assert report.verdict is Verdict.VERIFIED
