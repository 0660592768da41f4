"""The migrations build exactly the tables the models describe."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from cairn import migrations
from cairn.kit.db import make_engine
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Department, Organisation
from tests.cli import database, run_cairn
from tests.databases import fresh_postgres_database


def differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": migrations.include_object},
        )
        return list(compare_metadata(context, migrations.metadata()))


def managed(tables: set[str]) -> set[str]:
    """Tables the models describe, leaving out the hand-made full-text index tables."""
    return {name for name in tables if migrations.include_object(None, name, "table", True, None)}


def test_the_models_match_the_migrations(engine: Engine) -> None:
    """On the test database: SQLite, or PostgreSQL from CAIRN_TEST_DATABASE_URL."""
    assert migrations.current_revision(engine) == migrations.head_revision(engine)
    assert differences(engine) == []


def test_cairn_db_upgrade_creates_every_table_in_an_empty_sqlite_file(tmp_path: Path) -> None:
    result = run_cairn(tmp_path, "db", "upgrade")

    assert result.returncode == 0, result.stderr
    with database(tmp_path) as engine:
        head = migrations.head_revision(engine)
        assert f"Database at revision {head}." in result.stdout
        tables = set(inspect(engine).get_table_names())
        assert managed(tables) == {*migrations.metadata().tables, "alembic_version"}
        assert "skills_fts" in tables  # SQLite's full-text index for skill search
        assert migrations.current_revision(engine) == head
        assert differences(engine) == []


def test_the_migrations_go_down_to_nothing_and_up_again(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'roundtrip.db'}")
    try:
        migrations.upgrade(engine)
        command.downgrade(migrations.alembic_config(engine), "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}  # FTS too
        assert migrations.current_revision(engine) is None

        migrations.upgrade(engine)
        assert differences(engine) == []
    finally:
        engine.dispose()


@pytest.fixture
def scratch_engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the kind under test, to be dropped and rebuilt at will."""
    server_url = os.environ.get("CAIRN_TEST_DATABASE_URL")
    if not server_url:
        engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
        yield engine
        engine.dispose()
        return
    with fresh_postgres_database(server_url, "cairn_scratch") as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def test_reset_drops_every_table_whatever_they_hold(scratch_engine: Engine) -> None:
    """What ``cairn demo --reset`` relies on, with departments nested inside each other."""
    migrations.upgrade(scratch_engine)
    with Session(scratch_engine) as session:
        org = Organisation(name="Org", slug="org", kind=OrgKind.COMMUNITY)
        session.add(org)
        session.flush()
        parent = Department(org_id=org.id, name="Parent")
        session.add(parent)
        session.flush()
        session.add(Department(org_id=org.id, parent_id=parent.id, name="Child"))
        session.commit()

    migrations.reset(scratch_engine)

    assert inspect(scratch_engine).get_table_names() == []
    migrations.upgrade(scratch_engine)
    assert differences(scratch_engine) == []
