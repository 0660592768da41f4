"""Importing the O*NET text database: counts, ratings, technology, tasks, idempotence,
all-or-nothing, and the command."""

from __future__ import annotations

import csv
import gzip
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from cairn.kit.db import make_session_factory, unit_of_work
from cairn.kit.errors import InvalidInput
from cairn.kit.progress import NoProgress
from cairn.taxonomy import repository
from cairn.taxonomy.enums import Relation, SkillType
from cairn.taxonomy.importers.onet import detect_version, import_onet
from cairn.taxonomy.importers.source import ImportFailed
from cairn.taxonomy.models import (
    Framework,
    Occupation,
    OccupationSkill,
    OccupationTask,
    Skill,
    SkillBroader,
)
from cairn.taxonomy.scales import ONET_IMPORTANCE_ESSENTIAL
from tests.cli import database, run_cairn
from tests.shared_data import shared_data

VERSION = "29.2"
PROGRAMMERS = "15-1251.00"
DEVELOPERS = "15-1252.00"


def onet_folder() -> Path:
    return shared_data("onet", VERSION)


def onet_table(name: str) -> list[dict[str, str]]:
    """A table of the shared copy, read independently of the importer."""
    with gzip.open(onet_folder() / f"{name}.txt.gz", "rt", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE))


def onet_header(name: str) -> list[str]:
    with gzip.open(onet_folder() / f"{name}.txt.gz", "rt", encoding="utf-8") as file:
        return file.readline().rstrip("\n").split("\t")


@pytest.fixture(scope="module")
def onet(engine: Engine) -> Iterator[Framework]:
    """O*NET 29.2 imported once for the module and committed (a full import takes seconds),
    then deleted with everything it holds so other modules see the database as it was."""
    folder = onet_folder()
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        existing = repository.find_framework(session, "onet", VERSION)
        if existing is None:
            import_onet(session, [folder], version=None, progress=NoProgress())
        framework = repository.find_framework(session, "onet", VERSION)
        assert framework is not None
    yield framework
    if existing is None:
        with unit_of_work(factory) as session:
            session.execute(delete(Framework).where(Framework.id == framework.id))


def _occupation(session: Session, framework: Framework, code: str) -> Occupation:
    found = repository.find_occupations_by_code(session, framework.id, [code])
    assert len(found) == 1
    return found[0]


def _count(session: Session, model: type[object]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_shared_copy_imports_every_occupation_element_and_commodity(
    session: Session, onet: Framework
) -> None:
    counts = repository.framework_counts(session, onet.id)

    elements = {row["Element ID"] for row in onet_table("Skills") + onet_table("Knowledge")}
    commodities = {row["Commodity Code"] for row in onet_table("Technology Skills")}
    assert counts["occupations"] == len(onet_table("Occupation Data")) == 1016
    assert counts["occupation_groups"] == 0
    assert counts["skills"] == len(elements) + len(commodities)
    assert counts["tasks"] == len(onet_table("Task Statements"))
    groups = {
        skill.code: skill.preferred_label for skill in repository.top_groups(session, onet.id)
    }
    assert groups == {
        "2.A": "Basic Skills",
        "2.B": "Cross-Functional Skills",
        "2.C": "Knowledge",
        "5.F.1": "Technology Skills",
    }
    framework = repository.get_framework(session, onet.id)
    assert framework is not None
    assert framework.title == "O*NET"
    assert framework.version == VERSION
    assert framework.code_system == "O*NET-SOC"
    assert framework.licence == "CC BY 4.0 (USDOL/ETA)"
    assert framework.publisher == (
        "U.S. Department of Labor, Employment and Training Administration"
    )
    assert framework.scale is not None
    assert framework.scale.slug == "onet-level"
    assert [level.rank for level in framework.scale.levels] == list(range(8))


def test_an_occupation_has_rated_skills_technology_and_tasks(
    session: Session, onet: Framework
) -> None:
    programmers = _occupation(session, onet, PROGRAMMERS)
    needs = {
        skill.code: (skill, need)
        for skill, need in repository.occupation_skills(session, programmers.id)
    }

    assert programmers.preferred_label == "Computer Programmers"
    assert programmers.uri == f"https://www.onetonline.org/link/summary/{PROGRAMMERS}"
    assert programmers.job_zone == 4
    assert programmers.isco_code is None
    programming, need = needs["2.B.3.e"]
    assert programming.preferred_label == "Programming"
    assert programming.uri == "urn:onet:element:2.B.3.e"
    assert programming.skill_type is SkillType.SKILL
    assert programming.description == "Writing computer programs for various purposes."
    assert (need.importance, need.level, need.relation) == (4.75, 4.88, Relation.ESSENTIAL)
    assert [b.preferred_label for b in repository.broader_of(session, programming.id)] == [
        "Technical Skills"
    ]
    # Every IM/LV pair became one link, essential from the documented threshold.
    rated = {row["Element ID"]: row for row in onet_table("Skills") if row["O*NET-SOC Code"] == PROGRAMMERS and row["Scale ID"] == "IM"}  # fmt: skip
    for element, row in rated.items():
        assert needs[element][1].importance == float(row["Data Value"])
        expected = float(row["Data Value"]) >= ONET_IMPORTANCE_ESSENTIAL
        assert (needs[element][1].relation is Relation.ESSENTIAL) is expected
    # A level O*NET marks "not relevant" is left out; the importance stays.
    equipment = needs["2.B.3.c"][1]
    assert equipment.importance is not None
    assert equipment.level is None
    knowledge, computers = needs["2.C.3.a"]
    assert knowledge.skill_type is SkillType.KNOWLEDGE
    assert computers.importance is not None
    assert computers.level is not None

    documents, use = needs["43232202"]
    assert documents.preferred_label == "Document management software"
    assert documents.uri == "urn:onet:commodity:43232202"
    assert "Adobe Acrobat" in documents.alt_label_list
    assert use.relation is Relation.OPTIONAL
    assert (use.importance, use.level) == (None, None)
    assert use.details is not None
    assert use.details["hot_technology"] is True
    examples = use.details["examples"]
    assert isinstance(examples, list)
    assert "Adobe Acrobat" in examples

    tasks = repository.occupation_tasks(session, programmers.id)
    assert len(tasks) == 17
    assert sum(1 for task in tasks if task.core) == 13


def test_software_developers_have_technology_alternate_titles_and_tasks(
    session: Session, onet: Framework
) -> None:
    """O*NET 29.2 has no skill ratings for 15-1252.00 yet: only what it does publish."""
    developers = _occupation(session, onet, DEVELOPERS)
    needs = {
        skill.code: need for skill, need in repository.occupation_skills(session, developers.id)
    }

    assert developers.preferred_label == "Software Developers"
    assert developers.job_zone == 4
    assert "Android Developer" in developers.alt_label_list
    assert "AI Specialist" in developers.alt_label_list  # the short title too
    assert all(need.importance is None for need in needs.values())
    development = needs["43232402"].details
    assert development is not None
    assert development["hot_technology"] is True
    assert development["in_demand"] is True
    examples = development["examples"]
    assert isinstance(examples, list)
    assert examples == sorted(examples)
    assert {"C", "Go", "Microsoft Visual Studio"} <= set(examples)
    tasks = repository.occupation_tasks(session, developers.id)
    assert tasks
    assert all(task.core is None for task in tasks)  # "Task Type" is blank for this one


def test_a_quoted_task_reads_as_o_net_wrote_it(session: Session, onet: Framework) -> None:
    legislators = _occupation(session, onet, "11-1031.00")

    texts = [task.text for task in repository.occupation_tasks(session, legislators.id)]

    assert 'Conduct "head counts" to help predict the outcome of upcoming votes.' in texts


def test_importing_the_same_release_again_changes_nothing(
    session: Session, onet: Framework
) -> None:
    before = repository.framework_counts(session, onet.id)

    summary = import_onet(session, [onet_folder()], version=None, progress=NoProgress())

    assert repository.framework_counts(session, onet.id) == before
    assert set(summary.tallies) == {
        "framework",
        "skills",
        "occupations",
        "skill hierarchy",
        "occupation skills",
        "tasks",
    }
    assert all(t.created == t.updated == t.removed == 0 for t in summary.tallies.values())
    assert summary.tallies["occupations"].unchanged == before["occupations"]
    assert summary.tallies["skills"].unchanged == before["skills"] + before["skill_groups"]
    assert summary.tallies["occupation skills"].unchanged == before["occupation_skills"]
    assert summary.tallies["tasks"].unchanged == before["tasks"]


# --- a small download, to change and to break ----------------------------------------------

OCCUPATION_HEADER = ["O*NET-SOC Code", "Title", "Description"]
RATING_HEADER = [
    "O*NET-SOC Code", "Title", "Element ID", "Element Name", "Scale ID", "Scale Name",
    "Data Value", "N", "Standard Error", "Lower CI Bound", "Upper CI Bound",
    "Recommend Suppress", "Not Relevant", "Date", "Domain Source",
]  # fmt: skip
REFERENCE_HEADER = ["Element ID", "Element Name", "Description"]
TASK_HEADER = [
    "O*NET-SOC Code", "Title", "Task ID", "Task", "Task Type", "Incumbents Responding",
    "Date", "Domain Source",
]  # fmt: skip
TECHNOLOGY_HEADER = [
    "O*NET-SOC Code", "Title", "Example", "Commodity Code", "Commodity Title",
    "Hot Technology", "In Demand",
]  # fmt: skip
NURSE = ["29-1141.00", "Registered Nurses", "Assess patient health problems and needs."]
REFERENCE = [
    ["2.A", "Basic Skills", "Developed capacities that facilitate learning."],
    ["2.A.1", "Content", "Background structures."],
    ["2.A.1.a", "Reading Comprehension", "Understanding written sentences."],
    ["2.A.1.b", "Active Listening", "Giving full attention."],
]


def _rating(element: str, name: str, scale: str, value: str, not_relevant: str = "") -> list[str]:
    return [
        "29-1141.00", "Registered Nurses", element, name, scale, "", value, "8", "0.1", "", "",
        "N", not_relevant, "08/2023", "Analyst",
    ]  # fmt: skip


SKILLS = [
    _rating("2.A.1.a", "Reading Comprehension", "IM", "4.0"),
    _rating("2.A.1.a", "Reading Comprehension", "LV", "4.25", "N"),
    _rating("2.A.1.b", "Active Listening", "IM", "3.0"),
    _rating("2.A.1.b", "Active Listening", "LV", "0.5", "Y"),
]
TASKS = [
    ["29-1141.00", "Registered Nurses", "101", "Record patients' medical information.", "Core", "", "", ""],
    ["29-1141.00", "Registered Nurses", "102", "Monitor patients' condition.", "Supplemental", "", "", ""],
]  # fmt: skip
TECHNOLOGY = [
    ["29-1141.00", "Registered Nurses", "Epic Systems", "43231507", "Medical software", "Y", "N"],
    ["29-1141.00", "Registered Nurses", "MEDITECH", "43231507", "Medical software", "N", "Y"],
]


def write_table(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> Path:
    """A table as O*NET publishes it: tab-separated, unquoted."""
    path = folder / f"{name}.txt"
    lines = ["\t".join(header), *("\t".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def small_onet(folder: Path) -> Path:
    """One nurse rated on two skills, with two tasks and two products of one commodity."""
    folder.mkdir(parents=True, exist_ok=True)
    write_table(folder, "Occupation Data", OCCUPATION_HEADER, [NURSE])
    write_table(folder, "Content Model Reference", REFERENCE_HEADER, REFERENCE)
    write_table(folder, "Skills", RATING_HEADER, SKILLS)
    write_table(folder, "Task Statements", TASK_HEADER, TASKS)
    write_table(folder, "Technology Skills", TECHNOLOGY_HEADER, TECHNOLOGY)
    return folder


def test_the_version_is_read_from_the_download_name() -> None:
    assert detect_version([Path("/data/onet/29.2")]) == "29.2"
    assert detect_version([Path("downloads/db_29_2_text.zip")]) == "29.2"
    assert detect_version([Path("downloads/db_30_0_text/")]) == "30.0"
    assert detect_version([Path("downloads/onet")]) is None


def test_the_version_must_be_known(session: Session, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as failure:
        import_onet(
            session, [small_onet(tmp_path / "download")], version=None, progress=NoProgress()
        )
    assert failure.value.field_errors[0].field == "version"


def test_a_small_download_merges_ratings_and_reimports_changes_in_place(
    session: Session, tmp_path: Path
) -> None:
    folder = small_onet(tmp_path / "db_99_1_text")
    import_onet(session, [folder], version=None, progress=NoProgress())
    framework = repository.find_framework(session, "onet", "99.1")
    assert framework is not None
    nurse = _occupation(session, framework, "29-1141.00")
    needs = {skill.code: need for skill, need in repository.occupation_skills(session, nurse.id)}
    assert (needs["2.A.1.a"].importance, needs["2.A.1.a"].level) == (4.0, 4.25)
    assert needs["2.A.1.a"].relation is Relation.ESSENTIAL
    assert (needs["2.A.1.b"].importance, needs["2.A.1.b"].level) == (3.0, None)
    assert needs["2.A.1.b"].relation is Relation.OPTIONAL
    assert needs["43231507"].details == {
        "hot_technology": True,
        "in_demand": True,
        "examples": ["Epic Systems", "MEDITECH"],
    }
    assert [(t.code, t.core) for t in repository.occupation_tasks(session, nurse.id)] == [
        ("101", True),
        ("102", False),
    ]

    changed = [row[:] for row in SKILLS]
    changed[2][6] = "3.5"  # Active Listening's importance reaches the essential threshold
    write_table(folder, "Skills", RATING_HEADER, changed)
    tasks = [TASKS[0][:], ["29-1141.00", "Registered Nurses", "103", "Educate patients.", "", "", "", ""]]  # fmt: skip
    tasks[0][3] = "Record patients' medical information and vital signs."
    write_table(folder, "Task Statements", TASK_HEADER, tasks)
    summary = import_onet(session, [folder], version=None, progress=NoProgress())

    assert summary.tallies["occupation skills"].updated == 1
    assert summary.tallies["occupation skills"].unchanged == 2
    tally = summary.tallies["tasks"]
    assert (tally.created, tally.updated, tally.unchanged, tally.removed) == (1, 1, 0, 1)
    session.expire_all()  # links are rewritten in bulk, behind the loaded objects' backs
    needs = {skill.code: need for skill, need in repository.occupation_skills(session, nurse.id)}
    assert needs["2.A.1.b"].relation is Relation.ESSENTIAL
    assert [(t.code, t.text, t.core) for t in repository.occupation_tasks(session, nurse.id)] == [
        ("101", "Record patients' medical information and vital signs.", True),
        ("103", "Educate patients.", None),
    ]


def test_a_zip_of_the_text_files_reads_like_a_folder(session: Session, tmp_path: Path) -> None:
    folder = small_onet(tmp_path / "files")
    archive = tmp_path / "db_98_1_text.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for table in folder.iterdir():
            zipped.write(table, f"db_98_1_text/{table.name}")

    import_onet(session, [archive], version=None, progress=NoProgress())

    framework = repository.find_framework(session, "onet", "98.1")
    assert framework is not None
    counts = repository.framework_counts(session, framework.id)
    assert (counts["skills"], counts["skill_groups"], counts["occupations"]) == (3, 3, 1)
    assert counts["hierarchy_links"] == 4  # 2.A.1 under 2.A, two skills under 2.A.1, one commodity


def test_bad_rows_are_reported_with_file_line_and_column_and_nothing_is_written(
    session: Session, tmp_path: Path
) -> None:
    folder = small_onet(tmp_path / "29.9")
    occupations = write_table(
        folder,
        "Occupation Data",
        onet_header("Occupation Data"),
        [NURSE, ["29-1141.01", "", "No title."], ["2911-41.00", "Nurse Practitioners", ""]],
    )
    bad = _rating("2.A.1.a", "Reading Comprehension", "XX", "high")
    skills = write_table(folder, "Skills", onet_header("Skills"), [*SKILLS, bad])
    tables = (Framework, Skill, SkillBroader, Occupation, OccupationSkill, OccupationTask)
    before = {model.__name__: _count(session, model) for model in tables}

    with pytest.raises(ImportFailed) as failure:
        import_onet(session, [folder], version=None, progress=NoProgress())

    assert [str(problem) for problem in failure.value.problems] == [
        f"{occupations}:3: Title: This field is required.",
        f"{occupations}:4: O*NET-SOC Code: '2911-41.00' is not an O*NET-SOC code such as 15-1252.00.",
        f"{skills}:6: Scale ID: 'XX' is not one of IM, LV.",
        f"{skills}:6: Data Value: 'high' is not a number.",
    ]
    assert {model.__name__: _count(session, model) for model in tables} == before


def test_a_missing_column_is_a_problem_on_the_header_line(session: Session, tmp_path: Path) -> None:
    folder = small_onet(tmp_path / "29.9")
    header = [name for name in onet_header("Task Statements") if name != "Task ID"]
    path = write_table(folder, "Task Statements", header, [])

    with pytest.raises(ImportFailed) as failure:
        import_onet(session, [folder], version=None, progress=NoProgress())

    assert [str(p) for p in failure.value.problems] == [
        f"{path}:1: Task ID: This column is missing from the header."
    ]


def test_the_command_counts_the_whole_release_in_a_dry_run_and_writes_nothing(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "install"
    assert run_cairn(data_dir, "db", "upgrade").returncode == 0

    dry = run_cairn(data_dir, "taxonomy", "import", "onet", str(onet_folder()), "--dry-run")

    assert dry.returncode == 0, dry.stderr
    assert "O*NET 29.2" in dry.stdout
    occupations = next(line for line in dry.stdout.splitlines() if "occupations" in line)
    assert "1016" in occupations
    assert "Dry run: nothing was written." in dry.stdout
    with database(data_dir) as engine, engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Framework)) == 0
        assert connection.scalar(select(func.count()).select_from(Occupation)) == 0
