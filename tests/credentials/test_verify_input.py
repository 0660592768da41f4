"""What someone hands the verifier -- pasted text, a file, a link -- becomes the
credential's text or is refused with a message pinned to the field they filled: nothing
blank, nothing oversized, nothing from a link that fails, redirects away from HTTPS, or
cannot be reached."""

from __future__ import annotations

import json

import pytest

from cairn.credentials import baking, verify_input
from cairn.kit.errors import InvalidInput
from tests.conftest import free_port
from tests.credentials.local_site import Site

CREDENTIAL = json.dumps(
    {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": "did:web:lakeshore.example",
        "credentialSubject": {"id": "did:example:learner"},
    }
)
OVER_ONE_MIB = "{" + " " * verify_input.MAX_BYTES + "}"
FOUR_MIB = verify_input.MAX_FILE_BYTES


def refusal(raised: pytest.ExceptionInfo[InvalidInput]) -> tuple[str, str]:
    """The one field the message is pinned to, and the message."""
    [error] = raised.value.field_errors
    return error.field, str(error.message)


def test_pasted_text_is_the_credential_without_its_surrounding_blanks() -> None:
    assert verify_input.from_text(f"\n  {CREDENTIAL}\n") == CREDENTIAL


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (" \n\t", "Paste a credential, choose a file or give a link."),
        (OVER_ONE_MIB, "A credential over 1 MiB is not accepted."),
    ],
    ids=["blank", "over-1-mib"],
)
def test_pasted_text_that_is_blank_or_too_long_is_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        verify_input.from_text(text)

    assert refusal(raised) == ("credential", message)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The chosen file is empty."),
        (b"{" + b" " * FOUR_MIB + b"}", "A file over 4 MiB is not accepted."),
        (b"\xef\xbb\xbf \r\n", "Paste a credential, choose a file or give a link."),
        (OVER_ONE_MIB.encode(), "A credential over 1 MiB is not accepted."),
    ],
    ids=["empty", "over-4-mib", "only-blanks", "text-over-1-mib"],
)
def test_a_file_that_holds_no_credential_is_refused_naming_the_file(
    data: bytes, message: str
) -> None:
    """Even when the file's text breaks a rule of pasted text, the file is what is named."""
    with pytest.raises(InvalidInput) as raised:
        verify_input.from_file(data, "credential.json")

    assert refusal(raised) == ("file", message)


def test_a_text_file_with_a_byte_order_mark_gives_the_credential() -> None:
    assert verify_input.from_file(b"\xef\xbb\xbf" + CREDENTIAL.encode(), "vc.json") == CREDENTIAL


def test_a_linked_credential_is_fetched(site: Site) -> None:
    url = site.serve("/badges/1", body=CREDENTIAL.encode(), content_type="application/vc")

    assert verify_input.from_url(url) == CREDENTIAL


def test_a_linked_badge_image_gives_the_credential_it_carries(site: Site) -> None:
    image = baking.bake_png(baking.badge_png("Wound care", "Lakeshore College"), CREDENTIAL)
    url = site.serve("/badges/1", body=image, content_type="image/png")

    assert verify_input.from_url(url) == CREDENTIAL


def test_a_link_that_answers_with_an_error_is_refused_with_its_status(site: Site) -> None:
    with pytest.raises(InvalidInput) as raised:
        verify_input.from_url(site.url + "/badges/missing")

    assert refusal(raised) == ("url", "The address answered 404, not a credential.")


def test_a_link_serving_more_than_four_mebibytes_is_refused(site: Site) -> None:
    url = site.serve("/badges/1", body=b" " * (FOUR_MIB + 1))

    with pytest.raises(InvalidInput) as raised:
        verify_input.from_url(url)

    assert refusal(raised) == ("url", "What the address serves is over 4 MiB.")


def test_a_link_redirecting_away_from_https_is_refused(site: Site) -> None:
    url = site.serve(
        "/badges/1", body=b"", status=302, headers={"Location": "http://cairn.example/badge"}
    )

    with pytest.raises(InvalidInput) as raised:
        verify_input.from_url(url)

    assert refusal(raised) == ("url", "The address redirected away from https://.")


def test_a_link_to_a_host_that_does_not_answer_is_refused_naming_why() -> None:
    with pytest.raises(InvalidInput) as raised:
        verify_input.from_url(f"http://127.0.0.1:{free_port()}/badges/1")

    assert refusal(raised) == ("url", "The address could not be reached: ConnectError")


@pytest.mark.parametrize(
    "url", ["http://cairn.example/badge.json", "ftp://cairn.example/badge.json", "https://"]
)
def test_a_link_that_is_not_https_is_refused_before_any_request(url: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        verify_input.from_url(url)

    assert refusal(raised) == ("url", "Give a web address starting with https://.")
