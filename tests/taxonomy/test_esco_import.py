"""Importing the official ESCO CSV download: counts, idempotence, all-or-nothing."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.kit.errors import InvalidInput
from cairn.kit.progress import NoProgress
from cairn.taxonomy import repository
from cairn.taxonomy.enums import Relation, ReuseLevel, SkillType
from cairn.taxonomy.importers.esco import import_esco
from cairn.taxonomy.importers.source import ImportFailed
from cairn.taxonomy.models import Framework, Occupation, Skill
from tests.cli import run_cairn
from tests.shared_data import esco_paths
from tests.taxonomy.esco_files import (
    OCCUPATION,
    SKILL,
    SKILLS,
    SKILLS_HEADER,
    small_esco,
    write_table,
)


def test_the_shared_esco_copy_imports_every_skill_and_occupation(
    session: Session, esco: Framework
) -> None:
    counts = repository.framework_counts(session, esco.id)

    assert counts["skills"] == 13_623
    assert counts["occupations"] == 3_039
    assert counts["skill_groups"] == 640
    assert counts["occupation_groups"] == 619
    assert counts["collections"] == 6
    python = next(
        s for s in repository.skills_by_uri(session, esco.id).values()
        if s.preferred_label == "Python (computer programming)"
    )  # fmt: skip
    assert python.skill_type is SkillType.KNOWLEDGE
    assert python.reuse_level is ReuseLevel.SECTOR_SPECIFIC
    assert "Python" in python.alt_label_list
    assert esco.version == "v1.2.0"
    assert esco.licence
    assert "CC BY 4.0" in esco.licence


def test_importing_the_same_download_again_changes_nothing(
    session: Session, esco: Framework
) -> None:
    before = repository.framework_counts(session, esco.id)

    summary = import_esco(session, esco_paths(), version=None, progress=NoProgress())

    assert repository.framework_counts(session, esco.id) == before
    assert all(t.created == t.updated == t.removed == 0 for t in summary.tallies.values())
    assert summary.tallies["skills"].unchanged == before["skills"] + before["skill_groups"]


def test_occupation_skill_relations_in_the_official_layout(
    session: Session, tmp_path: Path
) -> None:
    import_esco(session, [small_esco(tmp_path / "v9.9.9")], version=None, progress=NoProgress())

    framework = repository.find_framework(session, "esco", "v9.9.9")
    assert framework is not None
    nurse = repository.occupations_by_uri(session, framework.id)[f"{OCCUPATION}nurse"]
    needs = {
        skill.preferred_label: need.relation
        for skill, need in repository.occupation_skills(session, nurse.id)
    }
    assert needs == {
        "dress wounds": Relation.ESSENTIAL,
        "keep patient records": Relation.ESSENTIAL,
        "show empathy": Relation.OPTIONAL,
    }
    assert nurse.isco_code == "2221"
    assert nurse.alt_label_list == ["district nurse"]
    wound = repository.skills_by_uri(session, framework.id)[f"{SKILL}wound"]
    assert [b.preferred_label for b in repository.broader_of(session, wound.id)] == [
        "providing health care"
    ]
    assert wound.alt_label_list == ["apply wound dressings", "change dressings"]


def test_a_changed_label_is_updated_in_place(session: Session, tmp_path: Path) -> None:
    folder = small_esco(tmp_path / "v9.9.9")
    import_esco(session, [folder], version=None, progress=NoProgress())
    renamed = [row[:] for row in SKILLS]
    renamed[0][4] = "dress and care for wounds"
    write_table(folder, "skills_en", SKILLS_HEADER, renamed)

    summary = import_esco(session, [folder], version=None, progress=NoProgress())

    framework = repository.find_framework(session, "esco", "v9.9.9")
    assert framework is not None
    assert summary.tallies["skills"].updated == 1
    assert repository.skills_by_uri(session, framework.id)[f"{SKILL}wound"].preferred_label == (
        "dress and care for wounds"
    )
    assert _count(session, Skill, framework) == 4


def test_a_zip_of_gzipped_tables_reads_like_a_folder(session: Session, tmp_path: Path) -> None:
    folder = small_esco(tmp_path / "files")
    archive = tmp_path / "ESCO dataset - v9.8.7 - classification - en - csv.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for table in folder.iterdir():
            zipped.write(table, table.name)

    import_esco(session, [archive], version=None, progress=NoProgress())

    framework = repository.find_framework(session, "esco", "v9.8.7")
    assert framework is not None
    assert _count(session, Skill, framework) == 4


def test_bad_rows_are_reported_with_file_line_and_column_and_nothing_is_written(
    session: Session, tmp_path: Path
) -> None:
    folder = small_esco(tmp_path / "v9.9.9")
    broken = [row[:] for row in SKILLS]
    broken[1][2] = "superpower"  # skillType, on line 3 (line 2 holds two, the labels' newline)
    broken[2][1] = ""  # conceptUri, on line 5
    path = write_table(folder, "skills_en", SKILLS_HEADER, broken)
    frameworks_before = session.scalar(select(func.count()).select_from(Framework))

    with pytest.raises(ImportFailed) as failure:
        import_esco(session, [folder], version=None, progress=NoProgress())

    assert [str(p) for p in failure.value.problems] == [
        f"{path}:4: skillType: 'superpower' is not skill/competence or knowledge.",
        f"{path}:5: conceptUri: A concept URI (http…) is required.",
    ]
    assert session.scalar(select(func.count()).select_from(Framework)) == frameworks_before


def test_a_missing_column_is_a_problem_on_the_header_line(session: Session, tmp_path: Path) -> None:
    folder = small_esco(tmp_path / "v9.9.9")
    path = write_table(folder, "skills_en", ["conceptUri", "label"], [["http://x/1", "one"]])

    with pytest.raises(ImportFailed) as failure:
        import_esco(session, [folder], version=None, progress=NoProgress())

    assert [str(p) for p in failure.value.problems] == [
        f"{path}:1: preferredLabel: This column is missing from the header."
    ]


def test_the_version_must_be_known(session: Session, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as failure:
        import_esco(
            session, [small_esco(tmp_path / "download")], version=None, progress=NoProgress()
        )
    assert failure.value.field_errors[0].field == "version"


def test_the_command_reports_problems_one_per_line_and_a_dry_run_writes_nothing(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "install"
    assert run_cairn(data_dir, "db", "upgrade").returncode == 0
    good = small_esco(tmp_path / "v9.9.9")

    dry = run_cairn(data_dir, "taxonomy", "import", "esco", str(good), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Dry run: nothing was written." in dry.stdout
    listed = run_cairn(data_dir, "taxonomy", "frameworks")
    assert "esco" not in listed.stdout

    bad = tmp_path / "v9.9.8"
    shutil.copytree(good, bad)
    broken = [row[:] for row in SKILLS]
    broken[0][3] = "everywhere"
    path = write_table(bad, "skills_en", SKILLS_HEADER, broken)
    failed = run_cairn(data_dir, "taxonomy", "import", "esco", str(bad))
    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert lines[0].startswith(f"{path}:2: reuseLevel: 'everywhere' is not one of")
    assert lines[-1] == "error: 1 problem in the input; nothing was imported."

    done = run_cairn(data_dir, "taxonomy", "import", "esco", str(good))
    assert done.returncode == 0, done.stderr
    assert "esco" in run_cairn(data_dir, "taxonomy", "frameworks").stdout


def _count(session: Session, model: type[Skill] | type[Occupation], framework: Framework) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(model).where(model.framework_id == framework.id)
        )
        or 0
    )
