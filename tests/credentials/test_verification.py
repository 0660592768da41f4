"""The verifier names exactly what is wrong with a credential — tampered, forged, expired,
not yet valid, revoked, suspended, malformed — and says "could not check" rather than
guessing when a status list cannot be fetched."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cairn.credentials import bitstring, data_integrity, jose, multikey
from cairn.credentials.data_integrity import Cryptosuite, ProofOptions
from cairn.credentials.resolution import CouldNotResolve, DidResolver
from cairn.credentials.status_service import ENTRY_TYPE
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


def v1_credential(issuer: Issuer, **changes: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": issuer.did,
        "issuanceDate": "2026-12-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }
    credential.update(changes)
    return credential


def without(credential: dict[str, Any], member: str) -> dict[str, Any]:
    del credential[member]
    return credential


def without_achievement(issuer: Issuer) -> dict[str, Any]:
    credential = issuer.credential()
    del credential["credentialSubject"]["achievement"]
    return credential


def presentation(issuer: Issuer) -> dict[str, Any]:
    """What a holder shows, pasted where a credential was expected."""
    return {"@context": [CONTEXTS[0]], "type": ["VerifiablePresentation"], "holder": issuer.did}


SCHEMA_GAPS = [
    (presentation, ["type VerifiableCredential", "issuer", "credentialSubject"]),
    (
        lambda i: without(i.credential(type=["VerifiableCredential"]), "credentialSubject"),
        ["credentialSubject"],
    ),
    (without_achievement, ["credentialSubject.achievement"]),
    (lambda i: i.credential(validFrom="next Tuesday"), ["validFrom as a date and time"]),
    (lambda i: i.credential(validUntil=20_271_201), ["validUntil as a date and time"]),
    (lambda i: without(v1_credential(i), "issuanceDate"), ["issuanceDate"]),
    (lambda i: v1_credential(i, expirationDate="soon"), ["expirationDate as a date and time"]),
]


@pytest.mark.parametrize(
    ("make", "members"),
    SCHEMA_GAPS,
    ids=[
        "a-presentation",
        "no-subject",
        "no-achievement",
        "from-not-a-date",
        "until-not-a-date",
        "v1-without-issuance",
        "v1-expiration-not-a-date",
    ],
)
def test_a_credential_missing_a_required_member_is_refused_naming_it(
    issuer: Issuer, verifier: Verifier, make: Any, members: list[str]
) -> None:
    report = verifier.verify(make(issuer))

    assert report.problems == [Problem.INVALID_SCHEMA]
    assert outcomes(report)["schema"] == "failed"
    assert str(report.checks[-1].message) == f"The credential lacks {', '.join(members)}."


def test_an_inline_first_context_is_refused_not_raised(issuer: Issuer, verifier: Verifier) -> None:
    report = verifier.verify(issuer.credential(**{"@context": [{"@vocab": "urn:x:"}, *CONTEXTS]}))

    assert report.problems == [Problem.INVALID_SCHEMA]
    assert "The first @context must be" in str(report.checks[-1].message)


def test_a_proof_made_for_authentication_does_not_vouch_for_a_credential(
    issuer: Issuer, verifier: Verifier
) -> None:
    signed = data_integrity.sign(
        issuer.credential(),
        issuer.key,
        ProofOptions(issuer.method, "2026-12-01T00:00:00Z", proof_purpose="authentication"),
    )

    report = verifier.verify(signed)

    assert report.problems == [Problem.MALFORMED_PROOF]
    assert "a credential's proof purpose is assertionMethod" in str(report.checks[4].message)


def test_an_issuer_key_that_cannot_be_found_leaves_the_proof_unchecked(
    issuer: Issuer, verifier: Verifier
) -> None:
    """No did:web resolution here: the issuer may be sound, so this is not a failure."""
    did = "did:web:lakeshore.example"
    signed = data_integrity.sign(
        issuer.credential(issuer=did),
        issuer.key,
        ProofOptions(f"{did}#{multikey.public_multikey(issuer.public)}", "2026-12-01T00:00:00Z"),
    )

    report = verifier.verify(signed)

    assert report.verdict is Verdict.INCOMPLETE
    assert outcomes(report)["issuer"] == outcomes(report)["proof"] == "could_not_check"
    assert "did:web resolution is not available here" in str(report.checks[3].message)


@pytest.mark.parametrize(
    ("did", "reason"),
    [
        ("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", "not an Ed25519 public"),
        ("did:key:z0OIl", "not base58btc"),
        ("did:example:lakeshore", "the DID method of 'did:example:lakeshore' is not supported"),
    ],
    ids=["secp256k1", "not-base58", "unknown-method"],
)
def test_an_issuer_key_of_an_unknown_type_is_not_taken_for_the_issuers(
    issuer: Issuer, verifier: Verifier, did: str, reason: str
) -> None:
    method = f"{did}#{did.split(':')[-1]}"
    signed = data_integrity.sign(
        issuer.credential(issuer=did), issuer.key, ProofOptions(method, "2026-12-01T00:00:00Z")
    )

    report = verifier.verify(signed)

    assert report.problems == [Problem.WRONG_SIGNER]
    assert outcomes(report)["issuer"] == "failed"
    assert reason in str(report.checks[3].message)
    assert "proof" not in outcomes(report)


def ob3_jwt(issuer: Issuer, **claims: Any) -> str:
    """The Open Badges 3.0 (VC 1.1) form: dates in ``nbf`` and ``exp`` beside ``vc``."""
    return pyjwt.encode(
        {"iss": issuer.did, "vc": issuer.credential(), **claims},
        issuer.key,
        algorithm="EdDSA",
        headers={"kid": issuer.method},
    )


def timestamp(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


@pytest.mark.parametrize(
    ("claims", "problem", "message"),
    [
        ({"exp": timestamp("2026-12-03T00:00:00+00:00")}, Problem.EXPIRED, "It expired on"),
        (
            {"nbf": timestamp("2027-01-01T00:00:00+00:00")},
            Problem.NOT_YET_VALID,
            "It is not valid yet: it becomes valid on 2027-01-01",
        ),
        ({"exp": 1e300}, Problem.MALFORMED, "nbf or exp claim is not a date and time"),
        ({"nbf": -1e300}, Problem.MALFORMED, "nbf or exp claim is not a date and time"),
    ],
    ids=["expired", "not-yet", "exp-beyond-any-calendar", "nbf-beyond-any-calendar"],
)
def test_a_jwts_own_dates_are_judged_with_the_credentials(
    issuer: Issuer, verifier: Verifier, claims: dict[str, Any], problem: Problem, message: str
) -> None:
    report = verifier.verify(ob3_jwt(issuer, **claims))

    assert outcomes(report)["proof"] == "passed"
    assert report.problems == [problem]
    assert message in str(report.checks[5].message)


def test_a_jwt_within_its_dates_is_verified(issuer: Issuer, verifier: Verifier) -> None:
    token = ob3_jwt(
        issuer,
        nbf=timestamp("2026-12-01T00:00:00+00:00"),
        exp=timestamp("2027-12-01T00:00:00+00:00"),
    )

    assert verifier.verify(token).verdict is Verdict.VERIFIED


def status_report(verifier: Verifier, issuer: Issuer, entry: dict[str, Any]) -> Any:
    return verifier.verify(issuer.sign(issuer.credential(credentialStatus=entry)))


def test_an_open_badges_revocation_list_is_a_status_cairn_cannot_check(
    issuer: Issuer, verifier: Verifier
) -> None:
    """1EdTech's own revocation list format, which Open Badges 3.0 also allows."""
    credential = issuer.credential(
        **{"@context": [*CONTEXTS, "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"]},
        credentialStatus={
            "id": "https://cairn.example/revocations/1",
            "type": "1EdTechRevocationList",
        },
    )

    report = verifier.verify(issuer.sign(credential))

    assert report.verdict is Verdict.INCOMPLETE
    assert outcomes(report)["status"] == "could_not_check"
    assert str(report.checks[-1].message) == (
        "The status entry of type 1EdTechRevocationList for ? is not one Cairn can check."
    )


def test_a_status_entry_for_another_purpose_is_not_taken_for_revocation(
    issuer: Issuer, verifier: Verifier, lists: StatusLists
) -> None:
    lists.documents[LIST_URL] = issuer.status_list(revoked=3, purpose="message")

    report = status_report(verifier, issuer, status_entry(3, purpose="message"))

    assert report.verdict is Verdict.INCOMPLETE
    assert str(report.checks[-1].message) == (
        "The status entry of type BitstringStatusListEntry for message is not one Cairn can check."
    )


def test_a_status_entry_typed_as_a_list_is_checked_like_one_typed_by_name(
    issuer: Issuer, verifier: Verifier, lists: StatusLists
) -> None:
    lists.documents[LIST_URL] = issuer.status_list(revoked=3)

    report = status_report(verifier, issuer, {**status_entry(3), "type": [ENTRY_TYPE]})

    assert report.problems == [Problem.REVOKED]


def test_without_a_way_to_fetch_status_lists_revocation_is_unknown(issuer: Issuer) -> None:
    report = Verifier(DidResolver(), clock=lambda: NOW).verify(
        issuer.sign(issuer.credential(credentialStatus=status_entry(3)))
    )

    assert report.verdict is Verdict.INCOMPLETE
    assert str(report.checks[-1].message) == (
        "Status lists cannot be fetched here, so revocation was not checked."
    )


@pytest.mark.parametrize("index", ["four", "", "3.5", None, ["3"]])
def test_a_status_index_that_is_not_a_number_is_refused_not_raised(
    issuer: Issuer, verifier: Verifier, lists: StatusLists, index: Any
) -> None:
    lists.documents[LIST_URL] = issuer.status_list()

    report = status_report(verifier, issuer, {**status_entry(3), "statusListIndex": index})

    assert report.problems == [Problem.INVALID_SCHEMA]
    assert outcomes(report)["status"] == "failed"
    assert "statusListIndex is not a number" in str(report.checks[-1].message)


def test_a_status_index_outside_the_list_cannot_be_read(
    issuer: Issuer, verifier: Verifier, lists: StatusLists
) -> None:
    lists.documents[LIST_URL] = issuer.status_list()
    size = len(bitstring.empty()) * 8

    report = status_report(verifier, issuer, status_entry(size))

    assert report.verdict is Verdict.INCOMPLETE
    assert str(report.checks[-1].message) == (
        f"The status list {LIST_URL} cannot be read: "
        f"index {size} is outside a list of {size} entries"
    )


@pytest.mark.parametrize(
    "subject",
    [
        {"id": f"{LIST_URL}#list", "type": "BitstringStatusList", "encodedList": "not-encoded"},
        [{"id": f"{LIST_URL}#list", "type": "BitstringStatusList"}],
    ],
    ids=["garbled-bits", "subject-as-list"],
)
def test_a_signed_status_list_without_readable_bits_leaves_status_unknown(
    issuer: Issuer, verifier: Verifier, lists: StatusLists, subject: Any
) -> None:
    listing = issuer.status_list()
    del listing["proof"]
    lists.documents[LIST_URL] = issuer.sign({**listing, "credentialSubject": subject})

    report = status_report(verifier, issuer, status_entry(3))

    assert report.verdict is Verdict.INCOMPLETE
    assert str(report.checks[-1].message) == (
        f"The status list {LIST_URL} cannot be read: "
        "the encodedList is not multibase base64url (prefix 'u')"
    )
