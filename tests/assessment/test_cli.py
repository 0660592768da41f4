"""``cairn assess simulate`` run for real, as a script would read its JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from tests.cli import error_lines, run_cairn


def simulate(*options: str) -> Any:
    completed = subprocess.run(
        [sys.executable, "-m", "cairn", "assess", "simulate", *options, "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(completed.stdout)


def test_simulate_prints_length_rmse_bias_and_examinees() -> None:
    figures = simulate("--items", "120", "--examinees", "60", "--model", "2pl", "--seed", "3")

    assert set(figures) == {"mean_length", "rmse", "bias", "examinees"}
    assert figures["examinees"] == 60
    assert 5 <= figures["mean_length"] <= 30
    assert 0 < figures["rmse"] < 0.6
    assert abs(figures["bias"]) < 0.3


def test_the_same_seed_gives_the_same_study_and_a_fixed_form_its_length() -> None:
    options = ("--items", "80", "--examinees", "40", "--model", "grm", "--seed", "5")
    assert simulate(*options) == simulate(*options)
    fixed = simulate(*options, "--fixed-form", "--length", "12")
    assert fixed["mean_length"] == 12


def test_a_bad_model_is_a_usage_error() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "cairn", "assess", "simulate", "--model", "4pl"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2
    assert "4pl" in completed.stderr


def test_calibrate_without_enough_answers_says_how_many_more(tmp_path: Path) -> None:
    assert run_cairn(tmp_path, "db", "upgrade").returncode == 0
    assert run_cairn(tmp_path, "taxonomy", "import", "builtin").returncode == 0
    builtin = resources.files("cairn.assessment") / "banks" / "digital_skills_items.json"
    assert run_cairn(tmp_path, "assess", "import-bank", str(builtin)).returncode == 0

    completed = run_cairn(tmp_path, "assess", "calibrate", "cairn-digital-items", "--apply")

    assert completed.returncode == 1
    [line] = error_lines(completed.stderr)
    assert "Too little data to calibrate with the 2PL model" in line
    assert "200 more" in line
    unknown = run_cairn(tmp_path, "assess", "calibrate", "no-such-bank")
    assert unknown.returncode == 1
    assert "No item bank called no-such-bank" in unknown.stderr
