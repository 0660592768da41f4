"""``cairn db``: migrations of the configured database."""

from __future__ import annotations

from typing import Annotated

import typer

from cairn import migrations
from cairn.cli.common import console
from cairn.config import get_settings
from cairn.kit.db import make_engine
from cairn.kit.i18n import gettext

app = typer.Typer(help="Create and upgrade the database schema.", no_args_is_help=True)


@app.command()
def upgrade() -> None:
    """Apply every pending migration to CAIRN_DATABASE_URL."""
    engine = make_engine(get_settings().database_url)
    try:
        migrations.upgrade(engine)
        console.print(
            gettext(
                "Database at revision %(revision)s.", revision=migrations.current_revision(engine)
            )
        )
    finally:
        engine.dispose()


@app.command()
def current() -> None:
    """Show the database's revision and the newest one this Cairn knows."""
    engine = make_engine(get_settings().database_url)
    try:
        console.print(f"current: {migrations.current_revision(engine) or 'empty'}")
        console.print(f"head:    {migrations.head_revision(engine)}")
    finally:
        engine.dispose()


@app.command()
def revision(
    message: Annotated[str, typer.Option("--message", "-m", help="What the migration does.")],
) -> None:
    """For developers: write a new migration from the difference between the models and the
    database (upgrade it first), into the package's migrations folder."""
    from alembic import command  # only developers pay for importing it

    engine = make_engine(get_settings().database_url)
    try:
        command.revision(migrations.alembic_config(engine), message=message, autogenerate=True)
    finally:
        engine.dispose()
