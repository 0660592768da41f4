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
    import cairn.accounts.ledger_models
    import cairn.accounts.models
    import cairn.assessment.models
    import cairn.auth.models
    import cairn.catalogue.codesign_models
    import cairn.catalogue.demand_models
    import cairn.catalogue.feedback_models
    import cairn.catalogue.models
    import cairn.catalogue.offering_models
    import cairn.catalogue.stacking_models
    import cairn.credentials.issued_models
    import cairn.credentials.key_models
    import cairn.credentials.models
    import cairn.credentials.wallet_models
    import cairn.kit.jobs_models
    import cairn.kit.mail
    import cairn.orgs.models
    import cairn.pathways.models
    import cairn.profiles.models
    import cairn.taxonomy.models  # noqa: F401
    from cairn.kit.db import Base

    return Base.metadata


SEARCH_TABLES = ("skills_fts", "specification_versions_fts")
"""SQLite's FTS5 index tables (and the shadow tables named after them)."""
SEARCH_INDEXES = frozenset({"ix_skills_search", "ix_specification_versions_search"})
"""PostgreSQL's full-text indexes, made by hand in the taxonomy and catalogue search
migrations."""
SEARCH_COLUMNS = frozenset({"search_vector"})
"""PostgreSQL's generated tsvector columns on ``skills`` and ``specification_versions``,
which the models do not map."""


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """What autogenerate compares: not the full-text index tables, column and index, which
    are dialect-specific and created by hand in the migrations."""
    if type_ == "table" and name is not None and name.startswith(SEARCH_TABLES):
        return False
    if type_ == "column" and name in SEARCH_COLUMNS:
        return False
    return not (type_ == "index" and name in SEARCH_INDEXES)


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
        if connection.dialect.name == "sqlite":  # an FTS5 index outlives its content table
            for name in SEARCH_TABLES:
                connection.execute(text(f"DROP TABLE IF EXISTS {name}"))
        metadata().drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
