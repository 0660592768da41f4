"""A real HTTP server on 127.0.0.1 for the tests that fetch over the network: DID documents,
status lists and linked credentials come from it as they would from an issuer's site."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.conftest import free_port


@dataclass
class Route:
    body: bytes
    content_type: str = "application/json"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Site:
    """A real HTTP server on 127.0.0.1 serving ``routes`` and counting requests per path."""

    url: str
    routes: dict[str, Route] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)

    def serve(self, path: str, document: Any = None, **route: Any) -> str:
        body = route.pop("body", None)
        self.routes[path] = Route(
            body if body is not None else json.dumps(document).encode(), **route
        )
        return self.url + path


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.hits[self.path] = site.hits.get(self.path, 0) + 1
            route = site.routes.get(self.path, Route(b"{}", status=404))
            time.sleep(route.delay)
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read what was served from ``site.hits``."""

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that stopped waiting (the timeout test) is what the test wants."""


def serving() -> Iterator[Site]:
    """A site served on a free port until the generator is closed (the ``site`` fixture)."""
    port = free_port()
    state = Site(url=f"http://127.0.0.1:{port}")
    server = QuietServer(("127.0.0.1", port), _handler(state))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
