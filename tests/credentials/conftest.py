"""Fixtures the credentials tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.credentials.local_site import Site, serving


@pytest.fixture
def site() -> Iterator[Site]:
    """A real HTTP server on this machine, where plain HTTP links are allowed."""
    yield from serving()
