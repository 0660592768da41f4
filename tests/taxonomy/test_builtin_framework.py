"""Cairn's built-in digital-competence framework: what loading it creates, and that loading
it again changes nothing."""

from __future__ import annotations

from importlib import resources

from sqlalchemy.orm import Session

from cairn.kit.progress import NoProgress
from cairn.taxonomy import repository
from cairn.taxonomy.enums import SkillType
from cairn.taxonomy.importers.builtin import (
    COLLECTION_SLUG,
    load_digital_framework,
    read_digital_framework,
)
from cairn.taxonomy.models import Framework


def load(session: Session) -> Framework:
    load_digital_framework(session, progress=NoProgress())
    framework = repository.find_framework(session, "cairn-digital", "1.0")
    assert framework is not None
    return framework


def test_the_json_file_is_package_data() -> None:
    shipped = resources.files("cairn.taxonomy") / "builtin" / "digital_competence.json"

    assert shipped.is_file()
    data = read_digital_framework()
    assert (data["slug"], len(data["areas"])) == ("cairn-digital", 5)


def test_five_areas_hold_twenty_one_competences_with_eight_described_levels(
    session: Session,
) -> None:
    framework = load(session)

    counts = repository.framework_counts(session, framework.id)
    assert (counts["skill_groups"], counts["skills"], counts["hierarchy_links"]) == (5, 21, 21)
    assert (framework.publisher, framework.owner_org_id, framework.code_system) == (
        "Cairn",
        None,
        None,
    )
    assert framework.licence == read_digital_framework()["licence"]
    assert framework.scale is not None
    assert framework.scale.slug == "digital-8"
    assert [level.rank for level in framework.scale.levels] == list(range(1, 9))
    assert all(level.label and level.descriptor for level in framework.scale.levels)

    skills = list(repository.skills_by_uri(session, framework.id).values())
    areas = sorted((s for s in skills if s.is_group), key=lambda s: s.code or "")
    assert [area.code for area in areas] == ["1", "2", "3", "4", "5"]
    assert all(area.uri.endswith(f"/area/{area.code}") for area in areas)
    competences = [s for s in skills if not s.is_group]
    descriptors = repository.level_descriptor_map(session, framework.id)
    for competence in competences:
        assert competence.uri.endswith(f"/competence/{competence.code}")
        assert competence.skill_type in {SkillType.SKILL, SkillType.KNOWLEDGE}
        assert competence.alt_label_list
        assert sorted(descriptors[competence.id]) == list(range(1, 9))
        assert all(descriptors[competence.id].values())
        broader = repository.broader_of(session, competence.id)
        assert [area.code for area in broader] == [(competence.code or "").split(".")[0]]


def test_every_competence_is_in_the_digital_collection(session: Session) -> None:
    framework = load(session)

    (collection,) = repository.list_collections(session, framework.id)
    assert (collection.slug, collection.title) == (COLLECTION_SLUG, "Digital competences")
    competences = [
        s for s in repository.skills_by_uri(session, framework.id).values() if not s.is_group
    ]
    for competence in competences:
        assert [c.slug for c in repository.collections_of(session, competence.id)] == ["digital"]


def test_loading_it_again_changes_nothing(session: Session) -> None:
    framework = load(session)
    before = repository.framework_counts(session, framework.id)

    summary = load_digital_framework(session, progress=NoProgress())

    assert repository.framework_counts(session, framework.id) == before
    assert set(summary.tallies) == {
        "framework",
        "skills",
        "skill hierarchy",
        "level descriptors",
        "collection members",
    }
    assert all(t.created == t.updated == t.removed == 0 for t in summary.tallies.values())
    assert summary.tallies["skills"].unchanged == 26
    assert summary.tallies["level descriptors"].unchanged == 21 * 8
    assert summary.tallies["collection members"].unchanged == 21
