"""Fetch Credential Engine's CTDL JSON-LD context and schema for the CTDL export test.

The test suite never touches the network, so this runs beforehand (`.ci/run` does):
it downloads the ``ctdl-validate`` wheel from PyPI, which vendors both files unmodified,
without installing or importing it, and keeps only the two files, in ``tests/interop/ctdl``
(or ``CAIRN_CTDL_SCHEMA_DIR``). The test checks their pinned SHA-256 digests (decision 0030).

    python tests/interop/fetch_ctdl.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "ctdl-validate==0.2.1"
FILES = ("context.json", "schema.json")
DEFAULT = Path(__file__).resolve().parent / "ctdl"


def folder() -> Path:
    return Path(os.environ.get("CAIRN_CTDL_SCHEMA_DIR") or DEFAULT)


def fetch(destination: Path) -> None:
    destination.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--python-version",
                "3.12",
                "--dest",
                scratch,
                WHEEL,
            ],
            check=True,
            timeout=300,
        )
        (wheel,) = Path(scratch).glob("ctdl_validate-*.whl")
        with zipfile.ZipFile(wheel) as archive:
            for name in FILES:
                (destination / name).write_bytes(archive.read(f"ctdl_validate/vendor/ctdl/{name}"))


if __name__ == "__main__":
    fetch(folder())
    print(f"CTDL context and schema in {folder()}")
