"""The public verification page in a real browser: a credential from another issuer is
pasted with the keyboard, its graded report is announced, and the page passes axe."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from playwright.sync_api import Page, expect

from cairn.credentials import data_integrity
from cairn.credentials.data_integrity import ProofOptions
from cairn.credentials.multikey import did_key, did_key_method
from tests.browser.conftest import Demo
from tests.browser.test_pages import serious_violations

pytestmark = pytest.mark.browser


def _signed_elsewhere() -> dict[str, object]:
    """An OB 3.0 credential from an issuer that is not on Cairn, identified by did:key."""
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes_raw()
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:4c1a8a0e-8f0e-4b51-9d4e-3b1f1f0b7d11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did_key(public), "type": ["Profile"], "name": "Harbour Training"},
        "validFrom": "2026-01-05T00:00:00Z",
        "name": "Forklift safety",
        "credentialSubject": {
            "id": "did:example:learner-42",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://harbour.example/achievements/forklift",
                "type": ["Achievement"],
                "name": "Forklift safety",
                "description": "Operates a counterbalance forklift safely.",
                "criteria": {"narrative": "A practical assessment on the yard."},
            },
        },
    }
    return data_integrity.sign(
        credential, key, ProofOptions(did_key_method(public), "2026-01-05T00:00:00Z")
    )


def _paste_and_verify(page: Page, demo: Demo, text: str) -> None:
    page.goto(f"{demo.url}/verify")
    field = page.get_by_label("Paste the credential")
    field.focus()
    page.keyboard.insert_text(text)
    page.get_by_role("button", name="Verify").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_credential_from_elsewhere_is_verified_check_by_check(page: Page, demo: Demo) -> None:
    _paste_and_verify(page, demo, json.dumps(_signed_elsewhere()))

    expect(page.get_by_role("status")).to_have_text("Verified: every check passed")
    expect(page.get_by_role("heading", name="Forklift safety")).to_be_visible()
    checks = page.get_by_role("table", name="Each check and what it found")
    expect(checks.get_by_role("row", name="Signature")).to_contain_text("Passed")
    expect(checks.get_by_role("row", name="Revocation and suspension")).to_contain_text(
        "Not applicable"
    )
    assert serious_violations(page) == []


def test_a_changed_credential_is_announced_as_not_verified(page: Page, demo: Demo) -> None:
    credential = _signed_elsewhere()
    credential["name"] = "Crane operation"
    _paste_and_verify(page, demo, json.dumps(credential))

    expect(page.get_by_role("status")).to_have_text("Not verified: a check failed")
    signature = page.get_by_role("row", name="Signature")
    expect(signature).to_contain_text("Failed")
    expect(signature).to_contain_text("changed after it was signed")
    assert serious_violations(page) == []


def test_an_empty_form_links_the_error_to_the_field(page: Page, demo: Demo) -> None:
    page.goto(f"{demo.url}/verify")
    page.get_by_role("button", name="Verify").click()

    alert = page.get_by_role("alert")
    expect(alert).to_be_focused()
    alert.get_by_role("link").click()
    expect(page.get_by_label("Paste the credential")).to_be_focused()
