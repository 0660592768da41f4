"""Alembic migrations shipped inside the package, so an installed Cairn can upgrade itself."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import MetaData
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported inside the functions that use it: every ``cairn`` command loads this
# module, most never migrate, and importing Alembic doubles their start-up time.


def metadata() -> MetaData:
    """Every table Cairn owns; importing the model modules registers them on ``Base``."""
    import cairn.auth.models
    import cairn.kit.mail
    import cairn.orgs.models  # noqa: F401
    from cairn.kit.db import Base

    return Base.metadata


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("cairn").joinpath("migrations")))
    config.set_main_option(
        "file_template", "%%(year)d-%%(month).2d-%%(day).2d-%%(hour).2d%%(minute).2d_%%(slug)s"
    )
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def reset(engine: Engine) -> None:
    """Drop every Cairn table and the migration record: ``cairn demo --reset`` starts over."""
    from sqlalchemy import text

    from cairn.kit.db import connection_without_foreign_keys

    with connection_without_foreign_keys(engine) as connection:
        metadata().drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
