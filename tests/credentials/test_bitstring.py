"""Bitstring status lists: bit order, the published encoding, and random allocation."""

from __future__ import annotations

import base64
import gzip

import pytest

from cairn.credentials import bitstring
from cairn.credentials.bitstring import BitstringError


def test_index_zero_is_the_most_significant_bit_of_the_first_byte() -> None:
    bits = bitstring.empty()

    bitstring.set_bit(bits, 0, True)
    bitstring.set_bit(bits, 9, True)

    assert bits[0] == 0b1000_0000
    assert bits[1] == 0b0100_0000
    assert bitstring.get(bits, 9)
    bitstring.set_bit(bits, 9, False)
    assert not bitstring.get(bits, 9)


def test_a_list_round_trips_through_its_published_encoding() -> None:
    bits = bitstring.empty()
    for index in (0, 7, 4_242, bitstring.MINIMUM_ENTRIES - 1):
        bitstring.set_bit(bits, index, True)

    encoded = bitstring.encode(bits)

    assert encoded.startswith("u")
    assert "=" not in encoded
    body = encoded[1:]
    assert gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))) == bits
    assert bitstring.decode(encoded) == bits
    assert bitstring.encode(bits) == encoded  # the same bits always publish the same text


def test_a_list_smaller_than_the_privacy_minimum_is_refused() -> None:
    with pytest.raises(BitstringError, match="131072"):
        bitstring.empty(1_024)


@pytest.mark.parametrize("encoded", ["H4sIAAAA", "unot-gzip", "u!!!"])
def test_an_encoded_list_that_does_not_decode_is_reported(encoded: str) -> None:
    with pytest.raises(BitstringError):
        bitstring.decode(encoded)


def test_an_encoded_list_of_no_bits_is_reported_as_empty() -> None:
    """Well-formed GZIP of nothing: no index could be looked up in it."""
    with pytest.raises(BitstringError, match="empty"):
        bitstring.decode(bitstring.encode(b""))


def test_indexes_outside_the_list_are_refused() -> None:
    bits = bitstring.empty()

    with pytest.raises(BitstringError, match="outside"):
        bitstring.get(bits, bitstring.MINIMUM_ENTRIES)
    with pytest.raises(BitstringError, match="outside"):
        bitstring.set_bit(bits, -1, True)


def test_allocation_is_random_and_never_reuses_an_index() -> None:
    taken: set[int] = set()
    for _ in range(200):
        taken.add(bitstring.random_free_index(bitstring.MINIMUM_ENTRIES, taken))

    assert len(taken) == 200
    assert max(taken) > bitstring.MINIMUM_ENTRIES // 2  # not handed out in order
    # The one free place is found however often the draw lands on a taken one (seven times
    # in eight each draw; forty tries make the redraw all but certain to be exercised).
    assert {bitstring.random_free_index(8, set(range(7))) for _ in range(40)} == {7}
    with pytest.raises(BitstringError, match="full"):
        bitstring.random_free_index(8, set(range(8)))
