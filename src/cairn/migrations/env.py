"""Alembic environment: runs on the engine the caller passes (CLI, tests, ``cairn serve``)."""

from alembic import context
from sqlalchemy.engine import Engine

from cairn.config import get_settings
from cairn.kit.db import make_engine
from cairn.migrations import metadata

config = context.config
engine: Engine = config.attributes.get("engine") or make_engine(get_settings().database_url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
