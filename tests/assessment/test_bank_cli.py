"""``cairn assess export-bank`` and ``import-bank`` run for real: a bank written in each
format, read back under a new name, and a bad package refused with every problem listed."""

from __future__ import annotations

import zipfile
from importlib import resources
from pathlib import Path

import pytest

from tests.cli import error_lines, run_cairn


@pytest.fixture
def install(tmp_path: Path) -> Path:
    data_dir = tmp_path / "install"
    assert run_cairn(data_dir, "db", "upgrade").returncode == 0
    assert run_cairn(data_dir, "taxonomy", "import", "builtin").returncode == 0
    builtin = resources.files("cairn.assessment") / "banks" / "digital_skills_items.json"
    assert run_cairn(data_dir, "assess", "import-bank", str(builtin)).returncode == 0
    return data_dir


def test_each_format_exports_and_imports_back_under_a_new_slug(
    install: Path, tmp_path: Path
) -> None:
    for fmt, name in (("json", "bank.json"), ("qti", "bank.zip"), ("csv", "bank.csv")):
        output = tmp_path / name
        exported = run_cairn(
            install,
            "assess",
            "export-bank",
            "cairn-digital-items",
            "--format",
            fmt,
            "--output",
            str(output),
        )
        assert exported.returncode == 0, exported.stderr
        assert ("Left out" in exported.stderr) == (fmt == "csv")

        imported = run_cairn(
            install,
            "assess",
            "import-bank",
            str(output),
            "--slug",
            f"copy-{fmt}",
            "--version",
            "1.0",
            "--title",
            "Copy",
            "--framework",
            "cairn-digital",
        )

        assert imported.returncode == 0, imported.stderr
        assert "Copy 1.0" in imported.stdout
    with zipfile.ZipFile(tmp_path / "bank.zip") as archive:
        assert "imsmanifest.xml" in archive.namelist()


def test_a_qti_folder_with_an_unsupported_item_is_refused_item_by_item(
    install: Path, tmp_path: Path
) -> None:
    output = tmp_path / "bank.zip"
    run_cairn(
        install,
        "assess",
        "export-bank",
        "cairn-digital-items",
        "--format",
        "qti",
        "--output",
        str(output),
    )
    folder = tmp_path / "package"
    with zipfile.ZipFile(output) as archive:
        archive.extractall(folder)
    item = folder / "items" / "dig-1.1-001.xml"
    item.write_text(
        item.read_text(encoding="utf-8").replace(
            "qti-choice-interaction", "qti-hotspot-interaction"
        ),
        encoding="utf-8",
    )

    failed = run_cairn(install, "assess", "import-bank", str(folder), "--slug", "broken")

    assert failed.returncode == 1
    [problem] = [line for line in failed.stderr.splitlines() if line.startswith(f"{item}:")]
    assert problem.endswith(
        "qti-assessment-item: Interaction qti-hotspot-interaction is not supported."
    )
    assert error_lines(failed.stderr) == ["error: 1 problem in the input; nothing was imported."]


def test_an_unknown_bank_is_an_error(install: Path, tmp_path: Path) -> None:
    failed = run_cairn(
        install, "assess", "export-bank", "no-such-bank", "--output", str(tmp_path / "x.json")
    )

    assert failed.returncode == 1
    assert "No item bank called no-such-bank" in failed.stderr
    assert not (tmp_path / "x.json").exists()
