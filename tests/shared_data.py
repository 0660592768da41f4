"""The public datasets beside the checkout (``../shared/data``, or ``CAIRN_SHARED_DATA``).

A test that needs them is skipped with the reason when they are absent, except in CI,
which sets ``CAIRN_REQUIRE_SHARED_DATA=1`` and so fails instead of skipping."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_data(*parts: str) -> Path:
    base = Path(os.environ.get("CAIRN_SHARED_DATA", ROOT.parent / "shared" / "data"))
    path = base.joinpath(*parts)
    if not path.exists():
        reason = f"shared data not found: {path} (set CAIRN_SHARED_DATA)"
        if os.environ.get("CAIRN_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def esco_paths() -> list[Path]:
    """ESCO v1.2.0 as shared: the official tables plus the rebuilt ``skills_en.csv.gz``."""
    return [
        shared_data("esco", "v1.2.0"),
        shared_data("esco", "v1.2.0-rebuilt", "skills_en.csv.gz"),
    ]
