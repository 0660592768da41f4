"""QTI 3.0 packages: the shipped bank exported and imported back unchanged, standard QTI
written for other players, and items from other tools mapped or refused item by item."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.assessment import repository
from cairn.assessment.bank_document import ItemDefaults
from cairn.assessment.bank_export import Format, export_bank
from cairn.assessment.bank_import import import_bank, load_builtin_bank
from cairn.assessment.models import Item
from cairn.assessment.qti import CAIRN, MANIFEST, METADATA, QTI
from cairn.kit.actor import Actor, Scope
from cairn.kit.errors import InsufficientScope, InvalidInput
from cairn.kit.progress import NoProgress
from cairn.taxonomy.importers.builtin import load_digital_framework
from cairn.taxonomy.importers.source import ImportFailed

NS = {"qti": QTI, "cp": MANIFEST, "qmd": METADATA, "cairn": CAIRN}
SHIPPED = "cairn-digital-items"


@pytest.fixture(autouse=True)
def digital(session: Session) -> None:
    load_digital_framework(session, progress=NoProgress())
    load_builtin_bank(session, progress=NoProgress())


def export(session: Session, tmp_path: Path, fmt: Format = Format.QTI) -> Path:
    path = tmp_path / f"bank.{'zip' if fmt is Format.QTI else fmt.value}"
    path.write_bytes(export_bank(session, Actor.operator(), SHIPPED, None, fmt).data)
    return path


def described(session: Session, slug: str) -> dict[str, tuple[Any, ...]]:
    bank = repository.find_bank(session, slug, "1.0")
    assert bank is not None
    return {
        item.key: (
            item.version,
            item.skill_id,
            item.level,
            item.item_type,
            item.content,
            item.tags,
            item.difficulty,
            item.discrimination,
            item.guessing,
            item.thresholds,
            item.calibrated_at,
        )
        for item in repository.current_items(session, bank.id)
    }


def package(tmp_path: Path, items: dict[str, str], manifest: str | None = None) -> Path:
    """A folder package, as another tool might write it: no Cairn metadata."""
    folder = tmp_path / "package"
    folder.mkdir()
    resources = "".join(
        f'<resource identifier="{Path(name).stem}" type="imsqti_item_xmlv3p0" href="{name}">'
        f'<file href="{name}"/></resource>'
        for name in items
    )
    (folder / "imsmanifest.xml").write_text(
        manifest
        or f'<manifest xmlns="{MANIFEST}" identifier="m1"><resources>{resources}</resources>'
        "</manifest>",
        encoding="utf-8",
    )
    for name, xml in items.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(xml, encoding="utf-8")
    return folder


def qti_item(identifier: str, declaration: str, body: str, processing: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="{QTI}" identifier="{identifier}" title="{identifier}"
    adaptive="false" time-dependent="false">
  {declaration}
  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
  <qti-item-body>{body}</qti-item-body>
  {processing}
</qti-assessment-item>"""


CAPITAL = qti_item(
    "capital",
    """<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
         <qti-correct-response><qti-value>ChoiceB</qti-value></qti-correct-response>
       </qti-response-declaration>""",
    """<p>Which file format keeps a document's layout
         the same on every computer?</p>
       <qti-choice-interaction response-identifier="RESPONSE" max-choices="1">
         <qti-simple-choice identifier="ChoiceA">A plain text file</qti-simple-choice>
         <qti-simple-choice identifier="ChoiceB">A <strong>PDF</strong> file</qti-simple-choice>
         <qti-simple-choice identifier="ChoiceC">A spreadsheet</qti-simple-choice>
       </qti-choice-interaction>""",
    '<qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"/>',
)
HOTSPOT = qti_item(
    "map",
    '<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"/>',
    """<qti-hotspot-interaction response-identifier="RESPONSE" max-choices="1">
         <qti-hotspot-choice identifier="A" shape="circle" coords="10,10,5"/>
       </qti-hotspot-interaction>""",
)


def count_items(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Item)) or 0


def test_the_shipped_bank_survives_export_to_qti_and_import_under_a_new_slug(
    session: Session, tmp_path: Path
) -> None:
    bank = repository.find_bank(session, SHIPPED, "1.0")
    assert bank is not None
    calibrated = repository.current_items(session, bank.id)[0]
    calibrated.guessing, calibrated.thresholds = 0.18, [-0.4, 0.9]
    calibrated.calibrated_at = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    session.flush()
    path = export(session, tmp_path)

    summary = import_bank(
        session, path, owner_org_id=None, progress=NoProgress(), bank={"slug": "copy"}
    )

    original, copy = described(session, SHIPPED), described(session, "copy")
    assert summary.tallies["items"].created == len(original) >= 200
    assert copy == original


def test_the_package_is_standard_qti_with_cairns_metadata_in_the_manifest(
    session: Session, tmp_path: Path
) -> None:
    with zipfile.ZipFile(export(session, tmp_path)) as archive:
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
        resource = manifest.find("cp:resources/cp:resource[@identifier='dig-4.1-011']", NS)
        assert resource is not None
        assert resource.get("type") == "imsqti_item_xmlv3p0"
        interaction = resource.findtext("cp:metadata/qmd:qtiMetadata/qmd:interactionType", None, NS)
        assert interaction == "extendedTextInteraction"
        cairn = resource.find("cp:metadata/cairn:item", NS)
        assert cairn is not None
        assert (cairn.get("competence"), cairn.get("level")) == ("4.1", "6")
        assert cairn.get("skill", "").startswith("http")
        scenario = etree.fromstring(archive.read(resource.get("href", "")))
        rubric = scenario.find(".//qti:qti-rubric-block", NS)
        assert rubric is not None
        assert rubric.get("view") == "scorer"
        partial = next(
            name
            for name in archive.namelist()
            if b"qti-order-interaction" in archive.read(name) and b"kendall" in archive.read(name)
        )
        ordered = etree.fromstring(archive.read(partial))
        declaration = ordered.find("qti:qti-response-declaration", NS)
        assert declaration is not None
        assert declaration.get("cardinality") == "ordered"
        single = etree.fromstring(archive.read("items/dig-4.1-002.xml"))
        processing = single.find("qti:qti-response-processing", NS)
        assert processing is not None
        assert processing.get("template", "").endswith("/match_correct.xml")
        choice = single.find(".//qti:qti-choice-interaction", NS)
        assert choice is not None
        assert choice.get("max-choices") == "1"


def test_an_item_from_another_tool_takes_the_default_competence_and_level(
    session: Session, tmp_path: Path
) -> None:
    folder = package(tmp_path, {"items/capital.xml": CAPITAL})

    import_bank(
        session,
        folder,
        owner_org_id=None,
        progress=NoProgress(),
        bank={"slug": "other", "version": "1.0", "title": "Other", "framework": "cairn-digital"},
        defaults=ItemDefaults(competence="1.1", level=3),
    )

    bank = repository.find_bank(session, "other", "1.0")
    assert bank is not None
    [item] = repository.current_items(session, bank.id)
    assert item.key == "capital"
    assert item.content["stem"] == (
        "Which file format keeps a document's layout the same on every computer?"
    )
    assert item.content["options"][1] == {"id": "b", "text": "A PDF file"}
    assert item.content["correct"] == ["b"]
    assert (item.level, item.difficulty) == (3, -1.07)


def test_without_defaults_the_missing_competence_and_level_are_named(
    session: Session, tmp_path: Path
) -> None:
    folder = package(tmp_path, {"items/capital.xml": CAPITAL})
    bank = {"slug": "other", "version": "1.0", "title": "Other", "framework": "cairn-digital"}

    with pytest.raises(ImportFailed) as failure:
        import_bank(session, folder, owner_org_id=None, progress=NoProgress(), bank=bank)

    reasons = [p.reason for p in failure.value.problems]
    assert any("does not say its competence" in r and "--competence" in r for r in reasons)
    assert any("does not say its level" in r and "--level" in r for r in reasons)


def test_an_unsupported_or_malformed_item_is_reported_by_file_and_nothing_is_imported(
    session: Session, tmp_path: Path
) -> None:
    before = count_items(session)
    folder = package(
        tmp_path,
        {
            "items/capital.xml": CAPITAL,
            "items/map.xml": HOTSPOT,
            "items/broken.xml": "<qti-assessment-item><oops></qti-assessment-item>",
            "items/q2.xml": qti_item(
                "q2",
                '<qti-response-declaration identifier="RESPONSE" cardinality="single" '
                'base-type="string"/>',
                '<p>Name it: <qti-text-entry-interaction response-identifier="RESPONSE"/></p>',
            ),
        },
    )

    with pytest.raises(ImportFailed) as failure:
        import_bank(
            session,
            folder,
            owner_org_id=None,
            progress=NoProgress(),
            bank={"slug": "x", "version": "1", "title": "X", "framework": "cairn-digital"},
            defaults=ItemDefaults(competence="1.1", level=3),
        )

    found = {(Path(p.file).name, p.column): p.reason for p in failure.value.problems}
    assert found[("map.xml", "qti-assessment-item")] == (
        "Interaction qti-hotspot-interaction is not supported."
    )
    assert found[("broken.xml", "-")].startswith("Not well-formed XML")
    assert "Cairn's short answers are numbers" in found[("q2.xml", "qti-text-entry-interaction")]
    assert not any(name == "capital.xml" for name, _ in found)
    assert count_items(session) == before


def test_a_wrong_key_is_reported_in_the_words_of_the_item(session: Session, tmp_path: Path) -> None:
    wrong = CAPITAL.replace("<qti-value>ChoiceB</qti-value>", "<qti-value>ChoiceZ</qti-value>")
    folder = package(tmp_path, {"items/capital.xml": wrong})

    with pytest.raises(ImportFailed) as failure:
        import_bank(
            session,
            folder,
            owner_org_id=None,
            progress=NoProgress(),
            bank={"slug": "x", "version": "1", "title": "X", "framework": "cairn-digital"},
            defaults=ItemDefaults(competence="1.1", level=3),
        )

    [problem] = failure.value.problems
    assert (problem.column, problem.reason) == (
        "qti-assessment-item",
        "Exactly one of the options must be the right answer.",
    )
    assert problem.file.endswith("capital.xml")


def test_a_package_without_a_manifest_or_of_another_qti_version_is_refused(
    session: Session, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("items/a.xml", CAPITAL)
    older = package(
        tmp_path, {}, manifest='<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"/>'
    )

    for path, reason in ((empty, "There is no imsmanifest.xml"), (older, "Not a QTI 3.0 manifest")):
        with pytest.raises(ImportFailed) as failure:
            import_bank(session, path, owner_org_id=None, progress=NoProgress())
        assert failure.value.problems[0].reason.startswith(reason)


def test_a_bank_is_exported_only_to_those_who_may_use_it(session: Session) -> None:
    reader = Actor.operator()
    token = Actor(person_id=reader.person_id, email="t@example.org", scopes=frozenset())

    with pytest.raises(InsufficientScope):
        export_bank(session, token, SHIPPED, None, Format.JSON)
    with pytest.raises(InvalidInput):
        export_bank(session, reader, "no-such-bank", None, Format.JSON)
    allowed = Actor(
        person_id=reader.person_id, email="t@example.org", scopes=frozenset({Scope.ASSESSMENT_READ})
    )
    assert export_bank(session, allowed, SHIPPED, "1.0", Format.JSON).data.startswith(b"{")
