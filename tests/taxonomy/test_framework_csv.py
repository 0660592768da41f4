"""Importing Cairn's framework CSV: what a hand-written file becomes, idempotence, every
problem reported with its file, line and column, and an organisation's own framework."""

from __future__ import annotations

import csv
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.kit.actor import Role
from cairn.kit.errors import InvalidInput, NotFound
from cairn.kit.progress import NoProgress
from cairn.taxonomy import repository, service
from cairn.taxonomy.enums import SkillType
from cairn.taxonomy.importers.framework_csv import import_framework_csv
from cairn.taxonomy.importers.source import ImportFailed
from cairn.taxonomy.importers.writer import ImportSummary
from cairn.taxonomy.models import (
    Framework,
    ProficiencyLevel,
    ProficiencyScale,
    Skill,
    SkillBroader,
    SkillLevelDescriptor,
)
from tests.cli import error_lines, run_cairn
from tests.factories.orgs import actor, make_member, make_org

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["kind", "code", "label", "parent", "type", "alt_labels", "description", "uri"]
LEVELS = ["level_1", "level_2", "level_3", "level_4"]


def care_rows() -> list[list[str]]:
    """A small care-sector framework: four levels, nested groups, a skill in two groups."""
    return [
        ["scale-level", "1", "Aware", "", "", "", "Knows when to ask for help.", "", "", "", "", ""],
        ["scale-level", "2", "Supported", "", "", "", "Works with a colleague checking.", "", "", "", "", ""],
        ["scale-level", "3", "Independent", "", "", "", "Works alone, safely.", "", "", "", "", ""],
        ["scale-level", "4", "Mentor", "", "", "", "Teaches others.", "", "", "", "", ""],
        ["group", "PC", "Personal care", "", "", "", "Daily living.", "", "", "", "", ""],
        ["group", "PC.HY", "Hygiene", "PC", "", "", "", "", "", "", "", ""],
        ["skill", "PC.HY.1", "Assist with bathing", "PC.HY", "skill", "bed bath|help with washing",
         "Helps a person wash.", "", "Knows the risks.", "With a colleague.", "Alone.", "Teaches it."],
        ["skill", "PC.2", "Support safe moving and handling", "PC", "skill", "manual handling",
         "", "", "", "", "Uses hoists alone.", ""],
        ["group", "CM", "Communication", "", "", "", "", "", "", "", "", ""],
        ["skill", "CM.1", "Communicate with people living with dementia", "CM|PC", "skill", "",
         "", "", "", "", "", ""],
        ["skill", "CM.2", "Respect dignity and choice", "CM", "attitude", "", "",
         "https://example.org/skills/dignity", "", "", "", ""],
        ["skill", "CL.1", "Infection prevention and control", "", "knowledge", "IPC", "", "",
         "", "", "", ""],
    ]  # fmt: skip


def write_csv(
    path: Path,
    rows: list[list[str]],
    header: list[str] | None = None,
    delimiter: str = ",",
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header if header is not None else [*HEADER, *LEVELS])
        writer.writerows(rows)
    return path


def import_csv(
    session: Session,
    file: Path,
    *,
    slug: str = "acme-care",
    owner_org_id: uuid.UUID | None = None,
) -> ImportSummary:
    return import_framework_csv(
        session,
        file,
        slug=slug,
        title="Acme care skills",
        version="2026.1",
        publisher="Acme Care Ltd",
        owner_org_id=owner_org_id,
        progress=NoProgress(),
    )


def framework(session: Session, slug: str = "acme-care") -> Framework:
    found = repository.find_framework(session, slug)
    assert found is not None
    return found


def by_code(session: Session, found: Framework) -> dict[str, Skill]:
    return {
        skill.code or "": skill for skill in repository.skills_by_uri(session, found.id).values()
    }


def row_counts(session: Session) -> dict[str, int]:
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (
            Framework,
            Skill,
            SkillBroader,
            SkillLevelDescriptor,
            ProficiencyScale,
            ProficiencyLevel,
        )
    }


def test_a_care_framework_becomes_groups_skills_a_scale_and_descriptors(
    session: Session, tmp_path: Path
) -> None:
    summary = import_csv(session, write_csv(tmp_path / "care.csv", care_rows()))

    care = framework(session)
    counts = repository.framework_counts(session, care.id)
    assert (counts["skill_groups"], counts["skills"], counts["hierarchy_links"]) == (3, 5, 6)
    assert summary.tallies["level descriptors"].created == 5
    assert (care.title, care.version, care.publisher) == (
        "Acme care skills",
        "2026.1",
        "Acme Care Ltd",
    )
    assert care.code_system is None
    assert care.owner_org_id is None
    assert care.scale is not None
    assert care.scale.slug == "acme-care-2026.1-levels"
    assert [(level.rank, level.label) for level in care.scale.levels] == [
        (1, "Aware"), (2, "Supported"), (3, "Independent"), (4, "Mentor"),
    ]  # fmt: skip
    assert care.scale.levels[0].descriptor == "Knows when to ask for help."

    skills = by_code(session, care)
    bathing = skills["PC.HY.1"]
    assert bathing.uri == "urn:cairn:framework:acme-care:PC.HY.1"
    assert bathing.skill_type is SkillType.SKILL
    assert bathing.alt_label_list == ["bed bath", "help with washing"]
    assert bathing.description == "Helps a person wash."
    assert not bathing.is_group
    assert skills["PC.HY"].is_group
    assert [b.code for b in repository.broader_of(session, bathing.id)] == ["PC.HY"]
    assert [b.code for b in repository.broader_of(session, skills["PC.HY"].id)] == ["PC"]
    assert sorted(b.code or "" for b in repository.broader_of(session, skills["CM.1"].id)) == [
        "CM",
        "PC",
    ]
    assert [(d.rank, d.descriptor) for d in repository.level_descriptors(session, bathing.id)] == [
        (1, "Knows the risks."),
        (2, "With a colleague."),
        (3, "Alone."),
        (4, "Teaches it."),
    ]
    assert [
        (d.rank, d.descriptor) for d in repository.level_descriptors(session, skills["PC.2"].id)
    ] == [(3, "Uses hoists alone.")]
    assert skills["CM.2"].uri == "https://example.org/skills/dignity"
    assert skills["CM.2"].skill_type is SkillType.ATTITUDE
    assert skills["CL.1"].skill_type is SkillType.KNOWLEDGE
    assert repository.broader_of(session, skills["CL.1"].id) == []


def test_importing_the_same_file_again_changes_nothing(session: Session, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "care.csv", care_rows())
    import_csv(session, file)
    before = row_counts(session)

    summary = import_csv(session, file)

    assert row_counts(session) == before
    assert all(t.created == t.updated == t.removed == 0 for t in summary.tallies.values())
    assert summary.tallies["skills"].unchanged == 8
    assert summary.tallies["skill hierarchy"].unchanged == 6
    assert summary.tallies["level descriptors"].unchanged == 5


def test_an_edited_file_updates_labels_parents_and_descriptors_in_place(
    session: Session, tmp_path: Path
) -> None:
    file = write_csv(tmp_path / "care.csv", care_rows())
    import_csv(session, file)
    care = framework(session)
    bathing_id = by_code(session, care)["PC.HY.1"].id
    edited = care_rows()
    edited[6][2] = "Assist with bathing and showering"
    edited[6][11] = ""  # level 4 no longer described
    edited[6][9] = "With a colleague nearby."
    edited[9][3] = "CM"  # CM.1 only under Communication now
    write_csv(file, edited)

    summary = import_csv(session, file)

    skills = by_code(session, care)
    assert skills["PC.HY.1"].id == bathing_id
    assert skills["PC.HY.1"].preferred_label == "Assist with bathing and showering"
    assert summary.tallies["skills"].updated == 1
    assert summary.tallies["skill hierarchy"].removed == 1
    assert (
        summary.tallies["level descriptors"].updated,
        summary.tallies["level descriptors"].removed,
    ) == (1, 1)
    assert [(d.rank, d.descriptor) for d in repository.level_descriptors(session, bathing_id)] == [
        (1, "Knows the risks."), (2, "With a colleague nearby."), (3, "Alone."),
    ]  # fmt: skip
    assert [b.code for b in repository.broader_of(session, skills["CM.1"].id)] == ["CM"]


def test_without_scale_levels_the_generic_five_levels_apply(
    session: Session, tmp_path: Path
) -> None:
    rows = [
        ["group", "G", "Group", "", "", "", "", "", ""],
        ["skill", "S", "Skill", "G", "", "", "", "", "Level five, described."],
    ]
    header = [*HEADER, "level_5"]

    import_csv(session, write_csv(tmp_path / "plain.csv", rows, header), slug="plain")

    plain = framework(session, "plain")
    assert plain.scale is not None
    assert plain.scale.slug == "generic-5"
    skill = by_code(session, plain)["S"]
    assert skill.skill_type is None
    assert [(d.rank, d.descriptor) for d in repository.level_descriptors(session, skill.id)] == [
        (5, "Level five, described.")
    ]


def test_a_semicolon_separated_spreadsheet_export_reads_the_same(
    session: Session, tmp_path: Path
) -> None:
    file = write_csv(tmp_path / "care.csv", care_rows(), delimiter=";")
    file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes())  # as spreadsheets save "CSV UTF-8"

    import_csv(session, file)

    counts = repository.framework_counts(session, framework(session).id)
    assert (counts["skill_groups"], counts["skills"]) == (3, 5)


def test_every_problem_is_reported_with_file_line_and_column_and_nothing_is_written(
    session: Session, tmp_path: Path
) -> None:
    rows = [
        ["scale-level", "1", "Low", "", "", "", "", "", "", ""],
        ["scale-level", "2", "High", "", "", "", "", "", "", ""],
        ["scale-level", "two", "Higher", "", "", "", "", "", "", ""],  # line 4
        ["scale-level", "2", "Again", "", "", "", "", "", "", ""],  # line 5
        ["group", "A", "Group A", "B", "", "", "", "", "", ""],  # 6: A → B → C → A
        ["group", "B", "Group B", "C", "", "", "", "", "", ""],
        ["group", "C", "Group C", "A", "skill", "", "", "", "", ""],  # 8: type on a group
        ["skill", "S1", "", "A", "superpower", "", "", "", "", ""],  # 9
        ["skill", "S1", "Twice", "A", "", "", "", "", "", ""],  # 10
        ["skill", "S2", "Under a skill", "S1", "", "", "", "", "", ""],  # 11
        ["skill", "S3", "Under nothing", "NOPE", "", "", "", "", "", ""],  # 12
        ["competence", "S4", "Unknown kind", "", "", "", "", "", "", ""],  # 13
        ["skill", "", "No code", "", "", "", "", "", "", ""],  # 14
        ["skill", "S5", "Too high", "", "", "", "", "", "", "Level three."],  # 15
        ["skill", "S6", "Same URI", "", "", "", "", "urn:x:1", "", ""],  # 16
        ["skill", "S7", "Same URI again", "", "", "", "", "urn:x:1", "", ""],  # 17
    ]
    header = [*HEADER, "level_1", "level_3"]
    file = write_csv(tmp_path / "bad.csv", rows, header)
    before = row_counts(session)

    with pytest.raises(ImportFailed) as failure:
        import_csv(session, file)

    assert [str(problem) for problem in failure.value.problems] == [
        f"{file}:4: code: 'two' is not a whole number: a scale level's code is its rank (1, 2, …).",
        f"{file}:5: code: Scale level 2 appears twice (first on line 3).",
        f"{file}:6: parent: The groups' parents go round in a circle: A → B → C → A.",
        f"{file}:8: type: Only skills have a type; leave it empty for a group.",
        f"{file}:9: label: A label is required.",
        f"{file}:9: type: 'superpower' is not knowledge, skill or attitude.",
        f"{file}:10: code: The code 'S1' appears twice (first on line 9).",
        f"{file}:11: parent: 'S1' is a skill; only a group can be a parent.",
        f"{file}:12: parent: No group has the code 'NOPE' in this file.",
        f"{file}:13: kind: 'competence' is not scale-level, group or skill.",
        f"{file}:14: code: A code is required.",
        f"{file}:17: uri: This URI appears twice (first on line 16).",
    ]
    assert str(failure.value.message) == "12 problems in the input; nothing was imported."
    assert row_counts(session) == before


def test_level_columns_must_be_levels_of_the_scale(session: Session, tmp_path: Path) -> None:
    rows = [
        ["scale-level", "1", "Low", "", "", "", "", "", "", "", ""],
        ["scale-level", "2", "High", "", "", "", "", "", "", "", ""],
        ["skill", "S", "Skill", "", "", "", "", "", "Fine.", "Fine.", "Too high."],
    ]
    file = write_csv(tmp_path / "levels.csv", rows, [*HEADER, "level_1", "level_2", "level_3"])
    before = row_counts(session)

    with pytest.raises(ImportFailed) as failure:
        import_csv(session, file)

    assert [str(problem) for problem in failure.value.problems] == [
        f"{file}:4: level_3: The scale has no level 3; its levels are 1, 2."
    ]
    assert row_counts(session) == before


def test_header_problems_are_reported_on_line_one(session: Session, tmp_path: Path) -> None:
    missing = write_csv(tmp_path / "missing.csv", [["skill", "S"]], ["kind", "code"])
    misspelt = write_csv(
        tmp_path / "misspelt.csv", [["skill", "S", "Skill", "x"]], ["kind", "code", "label", "desc"]
    )
    empty = write_csv(tmp_path / "empty.csv", [], HEADER)

    for file, expected in (
        (missing, "label: This column is missing from the header."),
        (misspelt, "desc: Unknown column; the columns are kind, code, label, parent, type, "
                   "alt_labels, description, uri and level_1, level_2, …"),
        (empty, "-: The file holds no groups or skills."),
    ):  # fmt: skip
        with pytest.raises(ImportFailed) as failure:
            import_csv(session, file)
        assert [str(problem) for problem in failure.value.problems] == [f"{file}:1: {expected}"]


@pytest.mark.parametrize(
    ("slug", "title", "version", "field"),
    [
        ("Acme Care", "Acme", "1", "slug"),
        ("acme:care", "Acme", "1", "slug"),
        ("acme-care", " ", "1", "title"),
        ("acme-care", "Acme", "", "version"),
    ],
)
def test_the_framework_names_are_checked_before_the_file(
    session: Session, tmp_path: Path, slug: str, title: str, version: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as failure:
        import_framework_csv(
            session,
            write_csv(tmp_path / "care.csv", care_rows()),
            slug=slug,
            title=title,
            version=version,
            publisher=None,
            owner_org_id=None,
            progress=NoProgress(),
        )
    assert [error.field for error in failure.value.field_errors] == [field]


def test_an_organisations_framework_is_seen_only_by_its_members(
    session: Session, tmp_path: Path
) -> None:
    owner, other = make_org(session), make_org(session)
    member = actor(session, make_member(session, owner, Role.LEARNER))
    outsider = actor(session, make_member(session, other, Role.HR_ADMIN))

    import_csv(session, write_csv(tmp_path / "care.csv", care_rows()), owner_org_id=owner.id)

    care = framework(session)
    assert care.owner_org_id == owner.id
    assert care.id in {f.id for f in service.list_frameworks(session, member)}
    assert service.framework_by_slug(session, member, "acme-care").id == care.id
    assert service.search_skills(
        session, member, service.SkillQuery(text="bathing", framework="acme-care")
    )
    assert care.id not in {f.id for f in service.list_frameworks(session, outsider)}
    with pytest.raises(NotFound):
        service.get_framework(session, outsider, care.id)
    with pytest.raises(InvalidInput):
        service.framework_by_slug(session, outsider, "acme-care")
    bathing = by_code(session, care)["PC.HY.1"]
    with pytest.raises(NotFound):
        service.skill_view(session, outsider, bathing.id)
    found = service.search_skills(session, outsider, service.SkillQuery(text="bathing"))
    assert all(skill.framework_id != care.id for skill in found)


def test_an_import_cannot_take_over_a_framework_of_someone_else(
    session: Session, tmp_path: Path
) -> None:
    owner, other = make_org(session), make_org(session)
    file = write_csv(tmp_path / "care.csv", care_rows())
    import_csv(session, file, owner_org_id=owner.id)
    before = row_counts(session)

    for intruder in (other.id, None):
        with pytest.raises(InvalidInput) as failure:
            import_csv(session, file, owner_org_id=intruder)
        assert [error.field for error in failure.value.field_errors] == ["slug"]

    assert row_counts(session) == before
    assert framework(session).owner_org_id == owner.id


def test_the_worked_example_of_the_documentation_imports(session: Session, tmp_path: Path) -> None:
    page = (ROOT / "docs" / "taxonomy-csv.md").read_text(encoding="utf-8")
    example = re.search(r"```csv\n(.*?)```", page, re.DOTALL)
    assert example is not None
    file = tmp_path / "care.csv"
    file.write_text(example.group(1), encoding="utf-8")

    import_csv(session, file)

    care = framework(session)
    counts = repository.framework_counts(session, care.id)
    assert (counts["skill_groups"], counts["skills"]) == (4, 7)  # as the page says
    assert care.scale is not None
    assert len(care.scale.levels) == 4
    dementia = by_code(session, care)["CM.1"]
    assert sorted(b.code or "" for b in repository.broader_of(session, dementia.id)) == [
        "CM",
        "PC",
    ]


def test_the_command_prints_one_line_per_problem_and_exits_1(tmp_path: Path) -> None:
    data_dir = tmp_path / "install"
    assert run_cairn(data_dir, "db", "upgrade").returncode == 0
    bad = write_csv(
        tmp_path / "BAD.csv",
        [
            ["group", "G", "Group", "", "", "", "", "", "", "", "", ""],
            ["skill", "S", "", "G", "", "", "", "", "", "", "", ""],
            ["skill", "T", "Skill", "H", "skills", "", "", "", "", "", "", ""],
        ],
    )

    failed = run_cairn(
        data_dir, "taxonomy", "import", "csv", str(bad), "--slug", "x", "--title", "X"
    )

    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert lines == [
        f"{bad}:3: label: A label is required.",
        f"{bad}:4: type: 'skills' is not knowledge, skill or attitude.",
        f"{bad}:4: parent: No group has the code 'H' in this file.",
        "error: 3 problems in the input; nothing was imported.",
    ]
    assert error_lines(failed.stderr) == [lines[-1]]
    listed = run_cairn(data_dir, "taxonomy", "frameworks")
    assert " x " not in listed.stdout

    good = write_csv(tmp_path / "care.csv", care_rows())
    done = run_cairn(
        data_dir, "taxonomy", "import", "csv", str(good), "--slug", "acme-care", "--title", "Acme"
    )
    assert done.returncode == 0, done.stderr
    assert "acme-care" in run_cairn(data_dir, "taxonomy", "frameworks").stdout
