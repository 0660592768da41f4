"""Test harness: a real database (SQLite, or PostgreSQL from ``CAIRN_TEST_DATABASE_URL``)
migrated once per run, each test inside a transaction rolled back afterwards, and a real
uvicorn server on localhost whose requests join that same transaction.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import Receive, Scope, Send

from cairn import migrations
from cairn.app import create_app
from cairn.config import Settings, get_settings
from cairn.intelligence import service as intelligence_service
from cairn.kit.db import make_engine, make_session_factory, unit_of_work
from cairn.kit.progress import NoProgress
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.importers.esco import import_esco
from cairn.taxonomy.models import Framework
from tests.databases import fresh_postgres_database
from tests.shared_data import esco_paths

_DATA_DIR = Path(tempfile.mkdtemp(prefix="cairn-tests-"))
atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)
os.environ["CAIRN_DATA_DIR"] = str(_DATA_DIR)
os.environ.pop("CAIRN_DATABASE_URL", None)
os.environ.pop("CAIRN_SECRET_KEY", None)
os.environ["CAIRN_MAIL_BACKEND"] = "outbox"
os.environ["CAIRN_BASE_URL"] = "http://testserver.example"
get_settings.cache_clear()


def _worker_suffix(config: pytest.Config) -> str:
    workerinput = getattr(config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "main"


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database for this run (and this xdist worker)."""
    server_url = os.environ.get("CAIRN_TEST_DATABASE_URL")
    if not server_url:
        path = _DATA_DIR / f"test-{_worker_suffix(request.config)}.db"
        yield f"sqlite:///{path}"
        return
    with fresh_postgres_database(server_url, f"cairn_test_{_worker_suffix(request.config)}") as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """Built by the migrations, not ``create_all``: the tests run on the schema users get."""
    engine = make_engine(database_url)
    migrations.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions whose commits only release a savepoint inside the test's transaction."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    session = session_factory()
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def settings() -> Settings:
    return get_settings()


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session]) -> FastAPI:
    return create_app(settings, session_factory)


@dataclass
class _Dispatcher:
    """The one ASGI app the live server runs; each test points it at its own app."""

    app: FastAPI | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "no test app is being served"
        await self.app(scope, receive, send)


@dataclass
class LiveServer:
    url: str
    dispatcher: _Dispatcher = field(default_factory=_Dispatcher)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    port = free_port()
    server_state = LiveServer(url=f"http://127.0.0.1:{port}")
    config = uvicorn.Config(
        server_state.dispatcher,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        ws="none",
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="cairn-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.02)
    yield server_state
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def http(live_server: LiveServer, app: FastAPI) -> Iterator[httpx.Client]:
    """A client talking HTTP to this test's app on the live server."""
    live_server.dispatcher.app = app
    with httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=30) as client:
        yield client
    live_server.dispatcher.app = None


@pytest.fixture(scope="session")
def esco(engine: Engine) -> Framework:
    """ESCO v1.2.0 from ../shared/data, imported (or found) in the run's database, with
    its embeddings built."""
    paths = esco_paths()
    with unit_of_work(make_session_factory(engine)) as session:
        framework = taxonomy_repository.find_framework(session, "esco", "v1.2.0")
        if framework is None:
            import_esco(session, paths, version=None, progress=NoProgress())
            framework = taxonomy_repository.find_framework(session, "esco", "v1.2.0")
        assert framework is not None
        # As an import leaves it: linkable at once (stored once per worker's data dir).
        intelligence_service.refresh_embeddings(session)
        return framework
