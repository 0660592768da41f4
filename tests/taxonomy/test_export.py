"""Exporting a framework: the CSV imports back into the same framework, the JSON-LD is a
well-formed CASE 1.1 package, both are deterministic, and ESCO exports in seconds."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cairn.kit.progress import NoProgress
from cairn.taxonomy import repository
from cairn.taxonomy.enums import Relation
from cairn.taxonomy.export import (
    CASE_CONTEXT,
    Format,
    document_identifier,
    export_framework,
    item_identifier,
)
from cairn.taxonomy.importers.builtin import load_digital_framework
from cairn.taxonomy.importers.framework_csv import import_framework_csv
from cairn.taxonomy.models import Framework, SkillRelation
from tests.cli import run_cairn
from tests.taxonomy.test_framework_csv import HEADER, care_rows, write_csv


def builtin(session: Session) -> Framework:
    load_digital_framework(session, progress=NoProgress())
    framework = repository.find_framework(session, "cairn-digital", "1.0")
    assert framework is not None
    return framework


def import_copy(session: Session, file: Path, slug: str) -> Framework:
    import_framework_csv(
        session,
        file,
        slug=slug,
        title="A copy",
        version="1",
        publisher=None,
        owner_org_id=None,
        progress=NoProgress(),
    )
    framework = repository.find_framework(session, slug, "1")
    assert framework is not None
    return framework


def content(session: Session, framework: Framework) -> dict[str, Any]:
    """What a framework says, by code: labels, types, descriptions, parents, descriptors,
    and its scale's levels."""
    skills = repository.skills_by_uri(session, framework.id)
    codes = {skill.id: skill.code for skill in skills.values()}
    broader = repository.broader_map(session, framework.id)
    descriptors = repository.level_descriptor_map(session, framework.id)
    assert framework.scale is not None
    return {
        "levels": [(lv.rank, lv.label, lv.descriptor) for lv in framework.scale.levels],
        "concepts": {
            skill.code: (
                skill.uri,
                skill.is_group,
                skill.preferred_label,
                skill.alt_label_list,
                skill.description,
                skill.skill_type,
                sorted(codes[parent] or "" for parent in broader.get(skill.id, [])),
                descriptors.get(skill.id, {}),
            )
            for skill in skills.values()
        },
    }


def test_the_builtin_framework_exported_as_csv_imports_back_the_same(
    session: Session, tmp_path: Path
) -> None:
    original = builtin(session)
    exported = export_framework(session, original, Format.CSV)
    file = tmp_path / "digital.csv"
    file.write_text(exported, encoding="utf-8")

    copy = import_copy(session, file, "digital-copy")

    assert content(session, copy) == content(session, original)
    assert len(content(session, copy)["concepts"]) == 26
    assert copy.scale is not None
    assert copy.scale.slug == "digital-copy-1-levels"
    assert export_framework(session, copy, Format.CSV) == exported


def test_a_hand_written_framework_round_trips_with_its_two_parent_skill(
    session: Session, tmp_path: Path
) -> None:
    original = import_copy(session, write_csv(tmp_path / "care.csv", care_rows()), "care")
    exported = export_framework(session, original, Format.CSV)
    file = tmp_path / "export.csv"
    file.write_text(exported, encoding="utf-8")

    copy = import_copy(session, file, "care-copy")

    assert content(session, copy) == content(session, original)
    lines = exported.splitlines()
    assert lines[0] == (
        "kind,code,label,parent,type,alt_labels,description,uri,level_1,level_2,level_3,level_4"
    )
    assert lines[1] == "scale-level,1,Aware,,,,Knows when to ask for help.,,,,,"
    assert "skill,CM.1,Communicate with people living with dementia,CM|PC,skill,,," in exported


def test_a_framework_on_the_generic_scale_exports_no_scale_levels(
    session: Session, tmp_path: Path
) -> None:
    rows = [
        ["group", "G", "Group", "", "", "", "", ""],
        ["skill", "S", "Skill", "G", "", "", "", ""],
    ]
    framework = import_copy(session, write_csv(tmp_path / "plain.csv", rows, HEADER), "plain")

    exported = export_framework(session, framework, Format.CSV)

    assert exported.splitlines() == [
        "kind,code,label,parent,type,alt_labels,description,uri",
        "group,G,Group,,,,,urn:cairn:framework:plain:G",
        "skill,S,Skill,G,,,,urn:cairn:framework:plain:S",
    ]


def test_the_jsonld_is_a_case_package_of_every_concept(session: Session) -> None:
    framework = builtin(session)

    package = json.loads(export_framework(session, framework, Format.JSONLD))

    assert package["@context"] == CASE_CONTEXT
    document = package["CFDocument"]
    assert document["identifier"] == str(document_identifier(framework))
    assert document["identifier"] == str(
        uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, "urn:cairn:case"), "document:cairn-digital@1.0")
    )
    assert (document["title"], document["creator"], document["version"]) == (
        "Cairn Digital Competence Framework",
        "Cairn",
        "1.0",
    )
    assert document["caseVersion"] == "1.1"
    assert document["lastChangeDateTime"].endswith("+00:00")
    (licence,) = package["CFDefinitions"]["CFLicenses"]
    assert document["licenseURI"]["identifier"] == licence["identifier"]
    assert licence["licenseText"] == framework.licence

    items = package["CFItems"]
    assert len(items) == 26
    skills = repository.skills_by_uri(session, framework.id)
    for item in items:
        skill = skills[item["uri"]]
        assert item["identifier"] == str(item_identifier(skill.uri))
        assert item["fullStatement"] == skill.preferred_label
        assert item["humanCodingScheme"] == skill.code
        assert item["notes"] == skill.description
        assert item["CFItemType"] in {"Competency Area", "Skill", "Knowledge"}
        assert (item["CFItemType"] == "Competency Area") == skill.is_group
        assert item.get("conceptKeywords", []) == skill.alt_label_list
        assert item.get("alternativeLabel") == next(iter(skill.alt_label_list), None)
    assert [item["humanCodingScheme"] for item in items[:5]] == ["1", "1.1", "1.2", "1.3", "2"]

    item_ids = {item["identifier"] for item in items}
    children = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
    assert len(children) == 26  # 21 competences under areas, 5 areas under the document
    for association in children:
        assert association["originNodeURI"]["identifier"] in item_ids
        assert association["destinationNodeURI"]["identifier"] in item_ids | {
            document["identifier"]
        }
        assert set(association["originNodeURI"]) == {"title", "identifier", "uri"}
    top = [a for a in children if a["destinationNodeURI"]["identifier"] == document["identifier"]]
    assert [a["originNodeURI"]["title"] for a in top] == [
        item["fullStatement"] for item in items if item["CFItemType"] == "Competency Area"
    ]
    assert [a["sequenceNumber"] for a in top] == [1, 2, 3, 4, 5]

    assert framework.scale is not None
    (rubric,) = package["CFRubrics"]
    criteria = rubric["CFRubricCriteria"]
    assert len(criteria) == 1 + 21  # the scale, then each competence's own descriptors
    assert "CFItemURI" not in criteria[0]
    assert [level["quality"] for level in criteria[0]["CFRubricCriterionLevels"]] == [
        level.label for level in framework.scale.levels
    ]
    for criterion in criteria[1:]:
        assert criterion["CFItemURI"]["identifier"] in item_ids
        assert criterion["rubricId"] == rubric["identifier"]
        levels = criterion["CFRubricCriterionLevels"]
        assert [level["score"] for level in levels] == list(range(1, 9))
        assert all(level["description"] and level["quality"] for level in levels)


def test_two_exports_are_identical(session: Session) -> None:
    framework = builtin(session)

    for fmt in Format:
        assert export_framework(session, framework, fmt) == export_framework(
            session, framework, fmt
        )
    first = json.loads(export_framework(session, framework, Format.JSONLD))
    load_digital_framework(session, progress=NoProgress())  # a re-import keeps identifiers
    again = json.loads(export_framework(session, framework, Format.JSONLD))

    def identifiers(package: dict[str, Any]) -> list[str]:
        return [package["CFDocument"]["identifier"]] + [
            entry["identifier"]
            for key in ("CFItems", "CFAssociations", "CFRubrics")
            for entry in package[key]
        ]

    assert identifiers(again) == identifiers(first)


def test_related_skills_become_is_related_to_associations(session: Session, tmp_path: Path) -> None:
    framework = import_copy(session, write_csv(tmp_path / "care.csv", care_rows()), "care")
    skills = {s.code: s for s in repository.skills_by_uri(session, framework.id).values()}
    session.add(
        SkillRelation(
            skill_id=skills["PC.2"].id,
            related_id=skills["PC.HY.1"].id,
            relation=Relation.ESSENTIAL,
        )
    )
    session.flush()

    package = json.loads(export_framework(session, framework, Format.JSONLD))

    (related,) = [a for a in package["CFAssociations"] if a["associationType"] == "isRelatedTo"]
    assert related["originNodeURI"]["uri"] == skills["PC.2"].uri
    assert related["destinationNodeURI"]["uri"] == skills["PC.HY.1"].uri
    assert related["notes"] == "essential"
    two_parents = [
        a["destinationNodeURI"]["title"]
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf" and a["originNodeURI"]["uri"] == skills["CM.1"].uri
    ]
    assert two_parents == ["Communication", "Personal care"]


def test_esco_exports_in_a_few_seconds_and_its_csv_imports_back(
    session: Session, esco: Framework, tmp_path: Path
) -> None:
    counts = repository.framework_counts(session, esco.id)

    started = time.perf_counter()
    package = json.loads(export_framework(session, esco, Format.JSONLD))
    jsonld_seconds = time.perf_counter() - started
    started = time.perf_counter()
    exported = export_framework(session, esco, Format.CSV)
    csv_seconds = time.perf_counter() - started

    # Bounds with room for a slow CI machine; on a laptop each takes a few seconds.
    assert jsonld_seconds < 15, f"ESCO as JSON-LD took {jsonld_seconds:.1f} s"
    assert csv_seconds < 15, f"ESCO as CSV took {csv_seconds:.1f} s"
    assert len(package["CFItems"]) == counts["skills"] + counts["skill_groups"]
    item_ids = {item["identifier"] for item in package["CFItems"]}
    document = package["CFDocument"]["identifier"]
    for association in package["CFAssociations"]:
        assert association["originNodeURI"]["identifier"] in item_ids
        assert association["destinationNodeURI"]["identifier"] in item_ids | {document}
    file = tmp_path / "esco.csv"
    file.write_text(exported, encoding="utf-8")
    copy = import_copy(session, file, "esco-copy")
    copied = repository.framework_counts(session, copy.id)
    assert (copied["skills"], copied["skill_groups"]) == (counts["skills"], counts["skill_groups"])


def test_the_commands_import_the_builtin_framework_and_export_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "install"
    assert run_cairn(data_dir, "db", "upgrade").returncode == 0
    loaded = run_cairn(data_dir, "taxonomy", "import", "builtin")
    assert loaded.returncode == 0, loaded.stderr

    jsonld = run_cairn(data_dir, "taxonomy", "export", "cairn-digital", "--format", "jsonld")
    assert jsonld.returncode == 0, jsonld.stderr
    package = json.loads(jsonld.stdout)
    assert len(package["CFItems"]) == 26

    output = tmp_path / "digital.csv"
    written = run_cairn(
        data_dir,
        "taxonomy",
        "export",
        "cairn-digital@1.0",
        "--format",
        "csv",
        "--output",
        str(output),
    )
    assert written.returncode == 0, written.stderr
    imported = run_cairn(
        data_dir,
        "taxonomy",
        "import",
        "csv",
        str(output),
        "--slug",
        "my-digital",
        "--title",
        "Mine",
    )
    assert imported.returncode == 0, imported.stderr
    again = run_cairn(data_dir, "taxonomy", "export", "my-digital", "--format", "csv")
    assert again.stdout == output.read_text(encoding="utf-8")
