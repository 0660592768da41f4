"""Run the real ``cairn`` command in a subprocess, on a data directory of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from cairn.kit.db import make_engine


def cairn_env(data_dir: Path, lang: str = "en_US.UTF-8") -> dict[str, str]:
    """The environment of a fresh install: its own SQLite file and key, English messages
    unless another ``LANG`` is asked for."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CAIRN_") and key not in {"FORCE_COLOR", "COLUMNS", "LINES"}
    }
    env.update(
        CAIRN_DATA_DIR=str(data_dir),
        LANG=lang,
        PYTHONIOENCODING="utf-8",
        NO_COLOR="1",
    )
    return env


def run_cairn(
    data_dir: Path,
    *args: str,
    input: str | None = None,
    timeout: float = 120,
    lang: str = "en_US.UTF-8",
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cairn", *args],
        env=cairn_env(data_dir, lang),
        input=input,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


def database_path(data_dir: Path) -> Path:
    return data_dir / "cairn.db"


@contextmanager
def database(data_dir: Path) -> Iterator[Engine]:
    """An engine on the SQLite file the command used, disposed afterwards."""
    engine = make_engine(f"sqlite:///{database_path(data_dir)}")
    try:
        yield engine
    finally:
        engine.dispose()


def error_lines(stderr: str) -> list[str]:
    """The lines the command wrote as errors (Python's getpass may add its own warnings)."""
    return [line for line in stderr.splitlines() if line.startswith("error:")]
