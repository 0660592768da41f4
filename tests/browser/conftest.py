"""A real Cairn for the browser: ``cairn demo --seed-only`` then ``cairn serve`` in
subprocesses, on their own database (a SQLite file, or a fresh PostgreSQL database when the
suite runs on PostgreSQL), driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.conftest import free_port
from tests.databases import fresh_postgres_database


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under xdist (``-n``, ``--dist loadgroup``) every browser test runs on one worker, so
    the demo they share is built once, not once per worker."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    path = (
        os.environ.get("CAIRN_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if path:
        return path
    reason = "Debian's chromium is not installed (apt-get install chromium)"
    if os.environ.get("CAIRN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and CAIRN_REQUIRE_BROWSER=1 requires the browser tests")
    pytest.skip(reason)


@dataclass(frozen=True)
class Demo:
    url: str
    password: str


@pytest.fixture(scope="session")
def demo() -> Iterator[Demo]:
    server_url = os.environ.get("CAIRN_TEST_DATABASE_URL")
    if not server_url:
        yield from _served_demo(None)
        return
    with fresh_postgres_database(server_url, "cairn_browser") as database_url:
        yield from _served_demo(database_url)


def _served_demo(database_url: str | None) -> Iterator[Demo]:
    data_dir = Path(tempfile.mkdtemp(prefix="cairn-browser-"))
    env = {
        **os.environ,
        "CAIRN_DATA_DIR": str(data_dir),
        "CAIRN_BASE_URL": "http://127.0.0.1",
    }
    env.pop("CAIRN_DATABASE_URL", None)
    if database_url is not None:
        env["CAIRN_DATABASE_URL"] = database_url
    subprocess.run(
        [sys.executable, "-m", "cairn", "demo", "--seed-only"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "cairn", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/sign-in", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("cairn serve did not start for the browser tests")
            time.sleep(0.2)
        yield Demo(
            url=url, password=(data_dir / "demo-password").read_text(encoding="utf-8").strip()
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        if server.stderr is not None:
            server.stderr.close()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-CA")
    page = context.new_page()
    yield page
    context.close()
