"""A learner presents credentials to a verifier, signing over its challenge and domain; the
verifier learns whether the presentation is fresh, meant for it and made by the learner,
and gets each credential's own graded report, with whether it is about the presenter."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cairn.credentials import data_integrity, jose, multikey
from cairn.credentials.data_integrity import Cryptosuite, ProofOptions
from cairn.credentials.multikey import InvalidKey
from cairn.credentials.presentations import present
from cairn.credentials.resolution import DidResolver
from cairn.credentials.verification import (
    JWT_DATA_URL,
    PresentationReport,
    Problem,
    Report,
    Verdict,
    Verifier,
)

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
CHALLENGE = "3f1c9a57-e0d4-4c3b-a4c7-5a0c2e9b11d2"
DOMAIN = "https://employer.example"
CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


class Party:
    """An issuer or a holder: an Ed25519 key and its did:key."""

    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.public = self.key.public_key().public_bytes_raw()
        self.did = multikey.did_key(self.public)
        self.method = multikey.did_key_method(self.public)

    def credential(self, subject: str | None) -> dict[str, Any]:
        """An Open Badge this party issues to ``subject`` (None: no subject identifier)."""
        return {
            "@context": CONTEXTS,
            "id": "urn:uuid:0b5c1a2e-6f0e-4a53-9a39-2f0f7f1f6a10",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": self.did, "type": ["Profile"], "name": "Lakeshore College"},
            "validFrom": "2026-12-01T00:00:00Z",
            "name": "Digital safety at work",
            "credentialSubject": {
                **({"id": subject} if subject else {}),
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

    def signed_credential(self, subject: str | None) -> dict[str, Any]:
        options = ProofOptions(self.method, "2026-12-01T00:00:00Z")
        return data_integrity.sign(self.credential(subject), self.key, options)

    def jwt_credential(self, subject: str | None) -> str:
        return jose.sign(self.credential(subject), self.key, self.method)

    def sign_presentation(self, presentation: Mapping[str, Any], **options: Any) -> dict[str, Any]:
        """Sign any presentation, even one naming another holder, as a forger would."""
        proof = ProofOptions(self.method, "2026-12-04T11:59:00Z", **options)
        return data_integrity.sign(presentation, self.key, proof)


@pytest.fixture
def college() -> Party:
    return Party()


@pytest.fixture
def learner() -> Party:
    return Party()


@pytest.fixture
def verifier() -> Verifier:
    return Verifier(DidResolver(), None, clock=lambda: NOW)


def presentation_of(holder: str | None, *credentials: Any) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        **({"holder": holder} if holder else {}),
        "verifiableCredential": list(credentials),
    }


def outcome(report: Report, check: str) -> str:
    found = [c.outcome.value for c in report.checks if c.name.value == check]
    assert len(found) == 1, report.as_json()
    return found[0]


def check_json(report: PresentationReport, check: str) -> dict[str, Any]:
    checks: list[dict[str, Any]] = report.as_json()["checks"]
    return next(c for c in checks if c["check"] == check)


@pytest.mark.parametrize("suite", list(Cryptosuite))
def test_a_learner_presents_badges_in_both_forms_and_the_verifier_accepts_them(
    college: Party, learner: Party, verifier: Verifier, suite: Cryptosuite
) -> None:
    badge = college.signed_credential(learner.did)
    token = college.jwt_credential(learner.did)

    presentation = present([badge, token], learner.key, learner.did, CHALLENGE, DOMAIN, suite)
    report = verifier.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)

    assert presentation["holder"] == learner.did
    assert presentation["verifiableCredential"][1] == {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "id": JWT_DATA_URL + token,
        "type": "EnvelopedVerifiableCredential",
    }
    assert presentation["proof"]["proofPurpose"] == "authentication"
    assert report.verdict is Verdict.VERIFIED, report.as_json()
    assert [outcome(report, name) for name in ("holder", "proof", "challenge", "domain")] == [
        "passed"
    ] * 4
    assert [credential.verdict for credential in report.credentials] == [Verdict.VERIFIED] * 2
    assert [outcome(c, "holder_binding") for c in report.credentials] == ["passed", "passed"]
    assert report.as_json()["credentials"][1]["checks"][0]["message"] == (
        "A JWT-secured credential."
    )


def test_a_credential_given_as_json_text_is_presented_as_the_object_it_is(
    college: Party, learner: Party, verifier: Verifier
) -> None:
    badge = college.signed_credential(learner.did)

    presentation = present([json.dumps(badge)], learner.key, learner.did, CHALLENGE, DOMAIN)

    assert presentation["verifiableCredential"] == [badge]
    assert (
        verifier.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN).verdict
        is Verdict.VERIFIED
    )


def test_a_presentation_replayed_with_another_challenge_is_named_a_replay(
    college: Party, learner: Party, verifier: Verifier
) -> None:
    earlier = present(
        [college.signed_credential(learner.did)], learner.key, learner.did, "old", DOMAIN
    )

    report = verifier.verify_presentation(earlier, challenge=CHALLENGE, domain=DOMAIN)

    assert report.verdict is Verdict.FAILED
    assert report.problems == [Problem.WRONG_CHALLENGE]
    assert "replay" in check_json(report, "challenge")["message"]
    assert outcome(report, "proof") == "passed"


def test_a_presentation_without_a_challenge_fails_where_one_was_asked(
    college: Party, learner: Party, verifier: Verifier
) -> None:
    presentation = learner.sign_presentation(
        presentation_of(learner.did, college.signed_credential(learner.did)),
        proof_purpose="authentication",
        domain=DOMAIN,
    )

    report = verifier.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)

    assert report.problems == [Problem.WRONG_CHALLENGE]
    assert "replay" in check_json(report, "challenge")["message"]


def test_a_presentation_made_for_another_verifier_fails_on_the_domain(
    college: Party, learner: Party, verifier: Verifier
) -> None:
    elsewhere = present(
        [college.signed_credential(learner.did)],
        learner.key,
        learner.did,
        CHALLENGE,
        "https://other.example",
    )
    undirected = learner.sign_presentation(
        presentation_of(learner.did), proof_purpose="authentication", challenge=CHALLENGE
    )

    for presentation in (elsewhere, undirected):
        report = verifier.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)
        assert report.problems == [Problem.WRONG_DOMAIN]
        assert outcome(report, "domain") == "failed"


def test_a_domain_among_several_is_enough(learner: Party, verifier: Verifier) -> None:
    suite = Cryptosuite.EDDSA_RDFC_2022
    document = presentation_of(learner.did)
    options = ProofOptions(learner.method, "2026-12-04T11:59:00Z", "authentication", CHALLENGE)
    proof = {**options.as_json(suite), "domain": ["https://other.example", DOMAIN]}
    signature = learner.key.sign(data_integrity.hash_data(document, proof, suite))
    signed = {**document, "proof": {**proof, "proofValue": multikey.encode_multibase(signature)}}

    report = verifier.verify_presentation(signed, challenge=CHALLENGE, domain=DOMAIN)

    assert report.verdict is Verdict.VERIFIED, report.as_json()


def test_without_an_expected_challenge_or_domain_those_checks_do_not_apply(
    college: Party, learner: Party, verifier: Verifier
) -> None:
    presentation = present(
        [college.signed_credential(learner.did)], learner.key, learner.did, CHALLENGE, DOMAIN
    )

    report = verifier.verify_presentation(presentation, challenge=None, domain=None)

    assert report.verdict is Verdict.VERIFIED
    assert outcome(report, "challenge") == outcome(report, "domain") == "not_applicable"


def test_a_presentation_changed_after_signing_is_tampered_while_its_badges_stay_sound(
    college: Party, learner: Party, verifier: Verifier
) -> None:
    presentation = present(
        [college.signed_credential(learner.did)], learner.key, learner.did, CHALLENGE, DOMAIN
    )
    presentation["verifiableCredential"].append(college.signed_credential(learner.did))

    report = verifier.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)

    assert report.problems == [Problem.TAMPERED]
    assert [credential.verdict for credential in report.credentials] == [Verdict.VERIFIED] * 2


def test_someone_presenting_a_learners_badges_as_theirs_is_caught(
    college: Party, learner: Party, verifier: Verifier
) -> None:
    thief = Party()
    stolen = thief.sign_presentation(
        presentation_of(learner.did, college.signed_credential(learner.did)),
        proof_purpose="authentication",
        challenge=CHALLENGE,
        domain=DOMAIN,
    )

    report = verifier.verify_presentation(stolen, challenge=CHALLENGE, domain=DOMAIN)

    assert report.verdict is Verdict.FAILED
    assert report.problems == [Problem.WRONG_SIGNER]
    assert outcome(report, "holder") == "failed"


def test_a_badge_about_someone_else_fails_its_holder_binding(
    college: Party, learner: Party, verifier: Verifier
) -> None:
    other = Party()
    presentation = present(
        [college.signed_credential(other.did)], learner.key, learner.did, CHALLENGE, DOMAIN
    )

    report = verifier.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)

    assert report.verdict is Verdict.FAILED
    assert report.problems == [Problem.NOT_THE_HOLDER]
    assert outcome(report, "proof") == "passed"
    assert other.did in report.as_json()["credentials"][0]["checks"][-1]["message"]


def test_a_badge_naming_no_subject_cannot_be_bound_to_its_presenter(
    college: Party, learner: Party, verifier: Verifier
) -> None:
    presentation = present(
        [college.signed_credential(None)], learner.key, learner.did, CHALLENGE, DOMAIN
    )

    report = verifier.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)

    assert report.verdict is Verdict.VERIFIED
    assert outcome(report.credentials[0], "holder_binding") == "not_applicable"


def test_a_proof_made_for_assertion_is_not_a_holders_authentication(
    learner: Party, verifier: Verifier
) -> None:
    presentation = learner.sign_presentation(
        presentation_of(learner.did), challenge=CHALLENGE, domain=DOMAIN
    )

    report = verifier.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)

    assert report.problems == [Problem.MALFORMED_PROOF]
    assert "authentication" in check_json(report, "proof")["message"]


def test_an_unsigned_presentation_fails_but_its_badges_are_still_reported(
    college: Party, learner: Party, verifier: Verifier
) -> None:
    named = presentation_of(learner.did, college.signed_credential(learner.did))
    anonymous = presentation_of(None, college.signed_credential(learner.did))

    named_report = verifier.verify_presentation(named, challenge=CHALLENGE, domain=DOMAIN)
    anonymous_report = verifier.verify_presentation(anonymous, challenge=None, domain=None)

    assert named_report.problems == anonymous_report.problems == [Problem.UNSIGNED]
    assert outcome(named_report.credentials[0], "holder_binding") == "passed"
    assert outcome(anonymous_report.credentials[0], "holder_binding") == "not_applicable"
    assert named_report.credentials[0].verdict is Verdict.VERIFIED


def test_a_holder_whose_key_cannot_be_found_leaves_the_presentation_incomplete(
    verifier: Verifier,
) -> None:
    holder = Party()
    did = "did:web:wallet.example:people:ada"
    holder.did, holder.method = did, f"{did}#key-1"
    presentation = holder.sign_presentation(
        presentation_of(did), proof_purpose="authentication", challenge=CHALLENGE, domain=DOMAIN
    )

    report = verifier.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)

    assert report.verdict is Verdict.INCOMPLETE
    assert outcome(report, "holder") == outcome(report, "proof") == "could_not_check"


def test_a_holder_whose_did_method_is_unknown_is_not_trusted(verifier: Verifier) -> None:
    holder = Party()
    holder.did, holder.method = "did:example:ada", "did:example:ada#key-1"
    presentation = holder.sign_presentation(
        presentation_of(holder.did),
        proof_purpose="authentication",
        challenge=CHALLENGE,
        domain=DOMAIN,
    )

    report = verifier.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)

    assert report.problems == [Problem.WRONG_SIGNER]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("{not json", Problem.MALFORMED),
        ("[1, 2]", Problem.MALFORMED),
        ("eyJhbGciOiJFZERTQSJ9.eyJ2cCI6e319.c2ln", Problem.MALFORMED),
        (
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"],
            },
            Problem.INVALID_SCHEMA,
        ),
        (
            {
                "@context": ["https://www.w3.org/ns/credentials/v2", "https://evil.example/ctx"],
                "type": ["VerifiablePresentation"],
            },
            Problem.UNKNOWN_CONTEXT,
        ),
    ],
)
def test_what_is_not_a_readable_presentation_is_reported_as_such(
    verifier: Verifier, data: Any, problem: Problem
) -> None:
    report = verifier.verify_presentation(data, challenge=CHALLENGE, domain=DOMAIN)

    assert report.verdict is Verdict.FAILED
    assert report.problems == [problem]
    assert report.credentials == []


def test_badges_are_checked_even_in_a_presentation_of_the_wrong_version(
    college: Party, learner: Party, verifier: Verifier
) -> None:
    presentation = presentation_of(learner.did, college.signed_credential(learner.did))
    presentation["@context"] = ["https://www.w3.org/2018/credentials/v2-draft"]

    report = verifier.verify_presentation(presentation, challenge=None, domain=None)

    assert report.problems == [Problem.INVALID_SCHEMA]
    assert outcome(report.credentials[0], "holder_binding") == "passed"


def test_an_envelope_of_another_media_type_is_reported_not_guessed(
    learner: Party, verifier: Verifier
) -> None:
    envelope = {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "id": "data:application/vc+cose;base64,0oRYJ6MBJgRYH2RpZ",
        "type": "EnvelopedVerifiableCredential",
    }
    presentation = present([envelope], learner.key, learner.did, CHALLENGE, DOMAIN)

    report = verifier.verify_presentation(presentation, challenge=CHALLENGE, domain=DOMAIN)

    assert report.problems == [Problem.MALFORMED]
    assert outcome(report, "proof") == "passed"
    assert "vc+jwt" in report.as_json()["credentials"][0]["checks"][0]["message"]


def test_the_json_answer_carries_every_credentials_report_and_all_problems(
    college: Party, learner: Party, verifier: Verifier
) -> None:
    changed = {**college.signed_credential(learner.did), "name": "Advanced cyber security"}
    presentation = present([changed], learner.key, learner.did, "old", DOMAIN)

    answer = verifier.verify_presentation(
        json.dumps(presentation), challenge=CHALLENGE, domain=DOMAIN
    ).as_json()

    assert answer["verified"] is False
    assert answer["problems"] == ["wrong_challenge", "tampered"]
    assert answer["credentials"][0]["problems"] == ["tampered"]


def test_a_holder_cannot_sign_as_another_did_key(college: Party, learner: Party) -> None:
    with pytest.raises(InvalidKey):
        present([], learner.key, college.did, CHALLENGE, DOMAIN)


def test_only_credential_objects_and_jwts_can_be_presented(learner: Party) -> None:
    with pytest.raises(ValueError, match="JSON object or a compact JWT"):
        present(["[1, 2]"], learner.key, learner.did, CHALLENGE, DOMAIN)
