"""Importing crosswalks: the known NOC layouts, Cairn's generic layout, exact re-imports,
problems reported by line, and the command."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.kit.errors import InvalidInput
from cairn.kit.progress import NoProgress
from cairn.taxonomy import repository
from cairn.taxonomy.importers.crosswalk import import_crosswalk
from cairn.taxonomy.importers.source import ImportFailed
from cairn.taxonomy.importers.writer import ImportSummary
from cairn.taxonomy.models import Crosswalk, CrosswalkEntry
from tests.cli import error_lines, run_cairn
from tests.shared_data import shared_data

GENERIC_HEADER = ["source_code", "source_label", "target_code", "target_label", "note"]
GENERIC_ROWS = [
    ["2221", "Nursing professionals", "29-1141.00", "Registered Nurses", ""],
    ["2221", "Nursing professionals", "29-1171.00", "Nurse Practitioners", "partial"],
    ["2512", "Software developers", "15-1252.00", "Software Developers", ""],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _import(session: Session, file: Path, **options: str) -> ImportSummary:
    return import_crosswalk(
        session,
        file,
        slug=options.get("slug"),
        source_system=options.get("source_system"),
        target_system=options.get("target_system"),
        progress=NoProgress(),
    )


def _pairs(session: Session, crosswalk: Crosswalk) -> dict[tuple[str, str], CrosswalkEntry]:
    return repository.crosswalk_entry_keys(session, crosswalk.id)


def test_the_noc_to_onet_table_pads_noc_codes_and_is_found_from_either_side(
    session: Session,
) -> None:
    path = shared_data("noc", "noc2021_onet26.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        pairs = {(row["noc"].zfill(5), row["onet"]) for row in csv.DictReader(handle)}

    summary = _import(session, path)

    crosswalk = repository.get_crosswalk(session, "noc2021-onet")
    assert crosswalk is not None
    assert (crosswalk.source_system, crosswalk.target_system) == ("NOC 2021", "O*NET-SOC")
    assert crosswalk.title == summary.framework == "NOC 2021 → O*NET-SOC"
    assert set(_pairs(session, crosswalk)) == pairs
    assert summary.tallies["entries"].created == len(pairs)
    # The table repeats a pair once per former O*NET title: one entry keeps them all.
    assert summary.skipped == {"repeated pairs merged into the first": 78}
    legislators = repository.crosswalk_entries_for(session, "NOC 2021", ["00010"])
    assert [(e.source_code, e.target_code, e.target_label) for _, e in legislators] == [
        ("00010", "11-1031.00", "Legislators")
    ]
    assert repository.crosswalk_entries_for(session, "NOC 2021", ["10"]) == []
    chief_executives = repository.crosswalk_entries_for(session, "O*NET-SOC", ["11-1011.00"])
    assert {entry.source_code for _, entry in chief_executives} == {"00011", "00012", "00013", "00014", "00015"}  # fmt: skip
    drafters = _pairs(session, crosswalk)[("22210", "17-3011.00")]
    assert drafters.target_label == "Architectural and Civil Drafters"
    assert drafters.note == "Also titled: Architectural Drafters; Civil Drafters"


def test_the_noc_2016_to_2021_concordance_pads_both_sides_and_keeps_the_change(
    session: Session,
) -> None:
    summary = _import(session, shared_data("noc", "noc_2021_2016.csv"))

    crosswalk = repository.get_crosswalk(session, "noc2016-noc2021")
    assert crosswalk is not None
    assert crosswalk.title == "NOC 2016 → NOC 2021"
    assert summary.tallies["entries"].created == 584
    entry = _pairs(session, crosswalk)[("0111", "10010")]
    assert (entry.source_label, entry.target_label) == ("Financial managers", "Financial managers")
    assert entry.note == "VC1 - Code Change, VC2 - Name Change"
    assert ("0011", "00010") in _pairs(session, crosswalk)


def test_the_generic_layout_needs_the_systems_named(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "isco-onet.csv", GENERIC_HEADER, GENERIC_ROWS)

    with pytest.raises(InvalidInput) as failure:
        _import(session, path, target_system="O*NET-SOC")

    assert [error.field for error in failure.value.field_errors] == ["source_system"]
    assert session.scalar(select(func.count()).select_from(Crosswalk)) == 0


def test_a_reimport_makes_the_entries_exactly_the_files(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ISCO-ONET.csv", GENERIC_HEADER, GENERIC_ROWS)
    systems = {"source_system": "ISCO-08", "target_system": "O*NET-SOC"}
    first = _import(session, path, **systems)
    crosswalk = repository.get_crosswalk(session, "isco-onet")  # from the file's name
    assert crosswalk is not None
    assert first.tallies["entries"].created == 3
    assert _pairs(session, crosswalk)[("2221", "29-1171.00")].note == "partial"

    again = _import(session, path, **systems)
    assert all(t.created == t.updated == t.removed == 0 for t in again.tallies.values())
    assert again.tallies["entries"].unchanged == 3

    rows = [row[:] for row in GENERIC_ROWS[:2]]
    rows[1][4] = ""  # the note goes
    rows.append(["2512", "Software developers", "15-1253.00", "Software QA Analysts", ""])
    write_csv(path, GENERIC_HEADER, rows)
    changed = _import(session, path, **systems)

    tally = changed.tallies["entries"]
    assert (tally.created, tally.updated, tally.unchanged, tally.removed) == (1, 1, 1, 1)
    pairs = _pairs(session, crosswalk)
    assert set(pairs) == {
        ("2221", "29-1141.00"),
        ("2221", "29-1171.00"),
        ("2512", "15-1253.00"),
    }
    assert pairs[("2221", "29-1171.00")].note is None


def test_empty_codes_and_repeated_pairs_are_reported_and_nothing_is_written(
    session: Session, tmp_path: Path
) -> None:
    rows = [
        *GENERIC_ROWS,
        ["", "Nobody", "11-1011.00", "Chief Executives", ""],
        ["2221", "Nursing professionals", "29-1141.00", "Registered Nurses", "again"],
        ["3221", "Nursing associates", "", "", ""],
    ]
    path = write_csv(tmp_path / "broken.csv", GENERIC_HEADER, rows)
    entries_before = session.scalar(select(func.count()).select_from(CrosswalkEntry))

    with pytest.raises(ImportFailed) as failure:
        _import(session, path, source_system="ISCO-08", target_system="O*NET-SOC")

    assert [str(problem) for problem in failure.value.problems] == [
        f"{path}:5: source_code: A code is required.",
        f"{path}:6: target_code: 2221 → 29-1141.00 is already on line 2.",
        f"{path}:7: target_code: A code is required.",
    ]
    assert repository.get_crosswalk(session, "broken") is None
    assert session.scalar(select(func.count()).select_from(CrosswalkEntry)) == entries_before


def test_a_noc_code_that_is_not_a_number_is_a_problem(session: Session, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "noc.csv",
        ["noc", "noc_title", "onet", "onet_title"],
        [["10", "Legislators", "11-1031.00", "Legislators"], ["1O", "Typo", "11-1011.00", "CEO"]],
    )

    with pytest.raises(ImportFailed) as failure:
        _import(session, path)

    assert [str(problem) for problem in failure.value.problems] == [
        f"{path}:3: noc: '1O' is not a code of at most 5 digits."
    ]


def test_the_command_prints_each_problem_and_exits_1(tmp_path: Path) -> None:
    data_dir = tmp_path / "install"
    assert run_cairn(data_dir, "db", "upgrade").returncode == 0
    bad = write_csv(
        tmp_path / "bad.csv", GENERIC_HEADER, [*GENERIC_ROWS, ["", "", "11-1011.00", "", ""]]
    )

    failed = run_cairn(
        data_dir,
        "taxonomy", "import", "crosswalk", str(bad),
        "--source-system", "ISCO-08", "--target-system", "O*NET-SOC",
    )  # fmt: skip

    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert lines[0] == f"{bad}:5: source_code: A code is required."
    assert error_lines(failed.stderr) == ["error: 1 problem in the input; nothing was imported."]

    missing = run_cairn(data_dir, "taxonomy", "import", "crosswalk", str(bad))
    assert missing.returncode == 1
    assert error_lines(missing.stderr)[0].startswith("error: Some options are missing")
    assert "--source-system" in missing.stderr
    assert "--target-system" in missing.stderr

    good = run_cairn(
        data_dir,
        "taxonomy", "import", "crosswalk", str(shared_data("noc", "noc2021_onet26.csv")),
    )  # fmt: skip
    assert good.returncode == 0, good.stderr
    assert "NOC 2021 → O*NET-SOC" in good.stdout
    assert "1389" in good.stdout
