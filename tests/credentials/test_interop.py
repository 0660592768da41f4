"""Interoperability both ways with Digital Bazaar's JavaScript libraries
(``@digitalbazaar/vc`` with the eddsa-rdfc-2022 and eddsa-jcs-2022 cryptosuites), run on
Node from ``tests/interop`` (``npm ci --prefix tests/interop`` installs them)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cairn.credentials import data_integrity, multikey
from cairn.credentials.data_integrity import Cryptosuite, ProofOptions
from cairn.credentials.presentations import present
from cairn.credentials.resolution import DidResolver
from cairn.credentials.verification import Verdict, Verifier

INTEROP = Path(__file__).resolve().parents[1] / "interop"


@pytest.fixture(scope="module")
def node() -> str:
    executable = shutil.which("node")
    installed = (INTEROP / "node_modules" / "@digitalbazaar" / "vc").is_dir()
    if executable is None or not installed:
        reason = "needs Node.js and `npm ci --prefix tests/interop`"
        if os.environ.get("CAIRN_REQUIRE_INTEROP") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return executable


def digital_bazaar(node: str, request: dict[str, Any]) -> Any:
    contexts = resources.files("cairn.credentials").joinpath("contexts")
    result = subprocess.run(
        [node, str(INTEROP / "vc.mjs")],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "CAIRN_CONTEXTS": str(contexts)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def credential(issuer: str) -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:8c1f3b0e-2b7a-4f57-9a55-1d2a3c4b5e6f",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Lakeshore College"},
        "validFrom": "2026-12-01T00:00:00Z",
        "name": "Digital safety at work",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://cairn.example/achievements/digital-safety",
                "type": ["Achievement"],
                "name": "Digital safety at work",
                "description": "Works safely with digital tools.",
                "criteria": {"narrative": "Passes the practical assessment."},
            },
        },
    }


@pytest.mark.parametrize("suite", list(Cryptosuite))
def test_digital_bazaar_verifies_what_cairn_signs_and_not_a_changed_copy(
    node: str, suite: Cryptosuite
) -> None:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw()
    options = ProofOptions(multikey.did_key_method(public), "2026-12-01T00:00:00Z")
    signed = data_integrity.sign(credential(multikey.did_key(public)), key, options, suite)
    changed = {**signed, "name": "Advanced cyber security"}

    assert digital_bazaar(node, {"action": "verify", "credential": signed}) == {
        "verified": True,
        "error": None,
    }
    assert digital_bazaar(node, {"action": "verify", "credential": changed})["verified"] is False


@pytest.mark.parametrize("suite", list(Cryptosuite))
def test_cairn_verifies_what_digital_bazaar_signs(node: str, suite: Cryptosuite) -> None:
    seed = os.urandom(32)
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    request = {
        "action": "sign",
        "suite": suite.value,
        "seed": seed.hex(),
        "credential": credential(multikey.did_key(public)),
    }

    signed = digital_bazaar(node, request)
    report = Verifier(DidResolver(), None, clock=lambda: datetime(2026, 12, 4, tzinfo=UTC)).verify(
        signed
    )

    assert signed["proof"]["cryptosuite"] == suite.value
    assert report.verdict is Verdict.VERIFIED, report.as_json()


@pytest.mark.parametrize("suite", list(Cryptosuite))
def test_digital_bazaar_accepts_a_cairn_presentation_only_for_its_challenge(
    node: str, suite: Cryptosuite
) -> None:
    issuer, holder = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    issuer_public = issuer.public_key().public_bytes_raw()
    holder_did = multikey.did_key(holder.public_key().public_bytes_raw())
    options = ProofOptions(multikey.did_key_method(issuer_public), "2026-12-01T00:00:00Z")
    badge = data_integrity.sign(credential(multikey.did_key(issuer_public)), issuer, options)
    presentation = present([badge], holder, holder_did, "c-1", "https://employer.example", suite)
    request = {"action": "verify-presentation", "presentation": presentation}

    answer = digital_bazaar(
        node, {**request, "challenge": "c-1", "domain": "https://employer.example"}
    )
    replayed = digital_bazaar(
        node, {**request, "challenge": "c-2", "domain": "https://employer.example"}
    )

    assert answer == {"verified": True, "error": None}
    assert replayed["verified"] is False


@pytest.mark.parametrize("suite", list(Cryptosuite))
def test_cairn_verifies_a_presentation_digital_bazaar_signs(node: str, suite: Cryptosuite) -> None:
    issuer = Ed25519PrivateKey.generate()
    issuer_public = issuer.public_key().public_bytes_raw()
    options = ProofOptions(multikey.did_key_method(issuer_public), "2026-12-01T00:00:00Z")
    badge = data_integrity.sign(credential(multikey.did_key(issuer_public)), issuer, options)
    request = {
        "action": "sign-presentation",
        "suite": suite.value,
        "seed": os.urandom(32).hex(),
        "credentials": [badge],
        "challenge": "c-1",
        "domain": "https://employer.example",
    }

    presentation = digital_bazaar(node, request)
    report = Verifier(
        DidResolver(), None, clock=lambda: datetime(2026, 12, 4, tzinfo=UTC)
    ).verify_presentation(presentation, challenge="c-1", domain="https://employer.example")

    assert presentation["proof"]["cryptosuite"] == suite.value
    assert report.verdict is Verdict.VERIFIED, report.as_json()
