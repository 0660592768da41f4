"""``cairn demand import`` and ``show`` run for real: a bad file refused with every bad
line listed and nothing imported, a good one imported and its skills shown as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import error_lines, run_cairn
from tests.factories.demand import postings_csv


def test_postings_are_imported_from_a_file_and_shown(tmp_path: Path) -> None:
    data_dir = tmp_path / "install"
    assert run_cairn(data_dir, "db", "upgrade").returncode == 0
    assert run_cairn(data_dir, "taxonomy", "import", "builtin").returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        postings_csv([("Clerk", "Troubleshooting.", "Sudbury", "01/02/2026"), ("", "x", "", "")])
    )
    good = tmp_path / "jobs.csv"
    good.write_bytes(
        postings_csv(
            [
                ("Clerk", "Troubleshooting and video calls.", "Sudbury", "2026-02-01"),
                ("Clerk", "Troubleshooting.", "Sudbury", "2026-05-01", "", "1.3"),
            ]
        )
    )
    digital = ("--framework", "cairn-digital")

    refused = run_cairn(data_dir, "demand", "import", str(bad), "--source", "Bad", *digital)
    assert refused.returncode == 1
    assert "bad.csv:2: date:" in refused.stderr
    assert "bad.csv:3: title:" in refused.stderr
    assert error_lines(refused.stderr) == [
        "error: 3 problems in the postings; nothing was imported."
    ]

    imported = run_cairn(data_dir, "demand", "import", str(good), "--source", "Jobs", *digital)
    assert imported.returncode == 0, imported.stderr
    assert "Postings" in imported.stdout

    shown = run_cairn(data_dir, "demand", "show", "--period", "year", "--json")
    assert shown.returncode == 0, shown.stderr
    figures = json.loads(shown.stdout)
    assert figures["postings_total"] == 2
    assert [(s["skill_label"], s["by_period"]) for s in figures["skills"]] == [
        ("fix technical problems", {"2026": 2}),
        ("communicate using digital tools", {"2026": 1}),
        ("organise, store and retrieve data and files", {"2026": 1}),
    ]
