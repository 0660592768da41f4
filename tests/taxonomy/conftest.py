"""Reference frameworks imported once per test run into the test database and committed,
as an installation would hold them; tests still roll back whatever they change."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from cairn.kit.db import make_session_factory, unit_of_work
from cairn.kit.progress import NoProgress
from cairn.taxonomy import repository
from cairn.taxonomy.importers.esco import import_esco
from cairn.taxonomy.models import Framework
from tests.shared_data import esco_paths


@pytest.fixture(scope="session")
def esco(engine: Engine) -> Framework:
    """ESCO v1.2.0 from ../shared/data, imported (or found) in the run's database."""
    paths = esco_paths()
    with unit_of_work(make_session_factory(engine)) as session:
        framework = repository.find_framework(session, "esco", "v1.2.0")
        if framework is None:
            import_esco(session, paths, version=None, progress=NoProgress())
            framework = repository.find_framework(session, "esco", "v1.2.0")
        assert framework is not None
        return framework
