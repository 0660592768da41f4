"""``cairn serve``: upgrade the database, then serve the API and pages."""

from __future__ import annotations

from typing import Annotated

import typer

from cairn.cli.common import console
from cairn.config import get_settings
from cairn.kit.db import make_engine, make_session_factory
from cairn.kit.i18n import gettext


def run_server(host: str, port: int) -> None:
    # Imported here so that the other commands start without the web stack.
    import uvicorn

    from cairn import migrations
    from cairn.app import create_app

    settings = get_settings()
    engine = make_engine(settings.database_url)
    migrations.upgrade(engine)
    app = create_app(settings, make_session_factory(engine))
    console.print(
        gettext("Cairn is served at %(url)s (Ctrl+C stops it)", url=f"http://{host}:{port}")
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Serve Cairn on CAIRN_DATABASE_URL, upgrading its schema first."""
    run_server(host, port)
