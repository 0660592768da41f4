"""A framework written out: Cairn's framework CSV (the format ``cairn taxonomy import csv``
reads, so an export can be edited and imported again) or JSON-LD in the style of 1EdTech
CASE 1.1 (a CFPackage), for systems that exchange competency frameworks.

Both are deterministic: the same framework gives the same bytes, concepts in the order of
the hierarchy and identifiers derived from URIs, so two exports diff cleanly. The whole
framework is read in a handful of queries, never one per skill: ESCO has 14,000."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from cairn.taxonomy import repository
from cairn.taxonomy.enums import SkillType
from cairn.taxonomy.importers.framework_csv import (
    COLUMNS,
    GROUP,
    MAX_CODE,
    SCALE_LEVEL,
    SEPARATOR,
    SKILL,
)
from cairn.taxonomy.models import Framework, ProficiencyLevel, Skill
from cairn.taxonomy.scales import GENERIC_5


class Format(StrEnum):
    CSV = "csv"
    JSONLD = "jsonld"


CASE_CONTEXT = "https://purl.imsglobal.org/spec/case/v1p1/context/imscasev1p1_context_v1p0.jsonld"
CASE_VERSION = "1.1"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:cairn:case")
"""For the identifiers of what has no URI of its own (document, associations, rubric)."""
ITEM_TYPES = {
    SkillType.SKILL: "Skill",
    SkillType.KNOWLEDGE: "Knowledge",
}
GROUP_ITEM_TYPE = "Competency Area"
DEFAULT_ITEM_TYPE = "Competency"
"""Attitudes and untyped skills: CASE's generic type."""


def export_framework(session: Session, framework: Framework, fmt: Format) -> str:
    snapshot = _Snapshot.load(session, framework)
    if fmt is Format.CSV:
        return _csv(snapshot)
    return _jsonld(snapshot)


# --- reading the framework once ---------------------------------------------------------


@dataclass(frozen=True)
class _Snapshot:
    """A framework as both formats need it: concepts in the order of the hierarchy (each
    group followed by what it holds, by code), their parents and children in that order,
    level descriptors, relations, and a unique code for each concept."""

    framework: Framework
    skills: list[Skill]
    parents: dict[uuid.UUID, list[uuid.UUID]]
    children: dict[uuid.UUID | None, list[uuid.UUID]]
    """Children of each concept; under None, the top of the hierarchy."""
    descriptors: dict[uuid.UUID, dict[int, str]]
    relations: list[tuple[uuid.UUID, uuid.UUID, str]]
    levels: list[ProficiencyLevel]
    codes: dict[uuid.UUID, str]

    @classmethod
    def load(cls, session: Session, framework: Framework) -> _Snapshot:
        skills = list(repository.framework_skills(session, framework.id))
        by_id = {skill.id: skill for skill in skills}
        broader = repository.broader_map(session, framework.id)
        ordered = sorted(skills, key=_sort_key)
        rank = {skill.id: position for position, skill in enumerate(ordered)}
        children: dict[uuid.UUID | None, list[uuid.UUID]] = {None: []}
        parents: dict[uuid.UUID, list[uuid.UUID]] = {}
        for skill in ordered:
            found = sorted(
                {p for p in broader.get(skill.id, []) if p in by_id and p != skill.id},
                key=rank.__getitem__,
            )
            parents[skill.id] = found
            under: list[uuid.UUID | None] = [*found] if found else [None]
            for parent in under:
                children.setdefault(parent, []).append(skill.id)
        order = _tree_order(children, [skill.id for skill in ordered])
        positions = {skill_id: index for index, skill_id in enumerate(order)}
        relations = sorted(
            (
                relation
                for relation in repository.relation_pairs(session, framework.id)
                if relation[0] in by_id and relation[1] in by_id
            ),
            key=lambda relation: (positions[relation[0]], positions[relation[1]]),
        )
        return cls(
            framework=framework,
            skills=[by_id[skill_id] for skill_id in order],
            parents={
                skill_id: sorted(found, key=positions.__getitem__)
                for skill_id, found in parents.items()
            },
            children=children,
            descriptors=repository.level_descriptor_map(session, framework.id),
            relations=relations,
            levels=list(framework.scale.levels) if framework.scale else [],
            codes=_unique_codes(skills),
        )

    @property
    def by_id(self) -> dict[uuid.UUID, Skill]:
        return {skill.id: skill for skill in self.skills}


def _sort_key(skill: Skill) -> tuple[Any, ...]:
    """By code as people read codes (1.2 before 1.10), then label, then URI."""
    return (_natural(skill.code or ""), skill.preferred_label, skill.uri)


def _natural(code: str) -> tuple[tuple[int, int, str], ...]:
    return tuple(
        (0, int(part), "") if part.isdecimal() else (1, 0, part.lower())
        for part in re.split(r"(\d+)", code)
        if part
    )


def _tree_order(
    children: dict[uuid.UUID | None, list[uuid.UUID]], everything: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Depth first from the top, each concept once (where it first appears); concepts only
    reachable through a circle of parents come last, in code order."""
    seen: set[uuid.UUID] = set()
    order: list[uuid.UUID] = []

    def walk(start: uuid.UUID | None) -> None:
        stack: list[Iterator[uuid.UUID]] = [iter(children.get(start, []))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
            elif nxt not in seen:
                seen.add(nxt)
                order.append(nxt)
                stack.append(iter(children.get(nxt, [])))

    walk(None)
    for skill_id in everything:
        if skill_id not in seen:
            seen.add(skill_id)
            order.append(skill_id)
            walk(skill_id)
    return order


def _unique_codes(skills: Sequence[Skill]) -> dict[uuid.UUID, str]:
    """Each concept's code where it has a usable, unique one; else the end of its URI (ESCO's
    skills have no code); else one derived from the URI. The CSV needs a code per row."""
    codes: dict[uuid.UUID, str] = {}
    used: set[str] = set()
    by_uri = sorted(skills, key=lambda skill: skill.uri)
    for skill in by_uri:
        if skill.code and _usable(skill.code) and skill.code not in used:
            codes[skill.id] = skill.code
            used.add(skill.code)
    for skill in by_uri:
        if skill.id in codes:
            continue
        tail = re.split(r"[/#:]", skill.uri.rstrip("/"))[-1]
        code = tail if _usable(tail) and tail not in used else _derived(skill.uri)
        codes[skill.id] = code
        used.add(code)
    return codes


def _usable(code: str) -> bool:
    return (
        bool(code)
        and code == code.strip()
        and len(code) <= MAX_CODE
        and (SEPARATOR not in code and "\n" not in code)
    )


def _derived(uri: str) -> str:
    return f"c-{uuid.uuid5(uuid.NAMESPACE_URL, uri).hex}"


# --- CSV --------------------------------------------------------------------------------


def _csv(snapshot: _Snapshot) -> str:
    """Scale levels first (unless the framework uses the generic scale, which an import
    without them falls back to), then groups and skills in the order of the hierarchy.
    Only groups can be parents in the CSV: a skill under another skill (ESCO has some) is
    written without that link."""
    framework = snapshot.framework
    ranks = sorted(
        {level.rank for level in snapshot.levels}
        | {rank for found in snapshot.descriptors.values() for rank in found}
    )
    level_ranks = ranks if snapshot.descriptors else []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*COLUMNS, *(f"level_{rank}" for rank in level_ranks)])
    blank_levels = [""] * len(level_ranks)
    if framework.scale is not None and framework.scale.slug != GENERIC_5.slug:
        for level in snapshot.levels:
            cells = [SCALE_LEVEL, str(level.rank), level.label, "", "", ""]
            writer.writerow([*cells, level.descriptor or "", "", *blank_levels])
    by_id = snapshot.by_id
    for skill in snapshot.skills:
        parent_codes = [
            snapshot.codes[parent]
            for parent in snapshot.parents[skill.id]
            if by_id[parent].is_group
        ]
        descriptors = snapshot.descriptors.get(skill.id, {})
        writer.writerow(
            [
                GROUP if skill.is_group else SKILL,
                snapshot.codes[skill.id],
                skill.preferred_label,
                SEPARATOR.join(parent_codes),
                skill.skill_type.value if skill.skill_type and not skill.is_group else "",
                SEPARATOR.join(skill.alt_label_list),
                skill.description or "",
                skill.uri,
                *(descriptors.get(rank, "") for rank in level_ranks),
            ]
        )
    return buffer.getvalue()


# --- CASE JSON-LD -----------------------------------------------------------------------


def document_identifier(framework: Framework) -> uuid.UUID:
    """The CFDocument's identifier: the same for every export of one framework version."""
    return uuid.uuid5(NAMESPACE, f"document:{framework.slug}@{framework.version}")


def item_identifier(uri: str) -> uuid.UUID:
    """A CFItem's identifier, from the concept's URI: stable across exports and versions."""
    return uuid.uuid5(uuid.NAMESPACE_URL, uri)


def _jsonld(snapshot: _Snapshot) -> str:
    framework = snapshot.framework
    changed = _timestamp(framework.imported_at or framework.updated_at)
    document_id = document_identifier(framework)
    document_link = _link(framework.title, document_id, _urn(document_id))
    package: dict[str, Any] = {"@context": CASE_CONTEXT}
    license_link, definitions = _licence(framework, changed)
    package["CFDocument"] = _compact(
        {
            "identifier": str(document_id),
            "uri": document_link["uri"],
            "creator": framework.publisher or framework.title,
            "title": framework.title,
            "lastChangeDateTime": changed,
            "officialSourceURL": framework.source
            if framework.source and framework.source.startswith(("http://", "https://"))
            else None,
            "publisher": framework.publisher,
            "description": framework.description,
            "version": framework.version,
            "caseVersion": CASE_VERSION,
            "licenseURI": license_link,
        }
    )
    links = {
        skill.id: _link(skill.preferred_label, item_identifier(skill.uri), skill.uri)
        for skill in snapshot.skills
    }
    package["CFItems"] = [_item(skill, links[skill.id], changed) for skill in snapshot.skills]
    package["CFAssociations"] = _associations(snapshot, links, document_link, changed)
    if definitions:
        package["CFDefinitions"] = definitions
    rubric = _rubric(snapshot, links, document_id, changed)
    if rubric:
        package["CFRubrics"] = [rubric]
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def _item(skill: Skill, link: dict[str, str], changed: str) -> dict[str, Any]:
    """CASE has one ``alternativeLabel``; the full list goes in ``conceptKeywords``."""
    alt_labels = skill.alt_label_list
    return _compact(
        {
            "identifier": link["identifier"],
            "uri": skill.uri,
            "fullStatement": skill.preferred_label,
            "alternativeLabel": alt_labels[0] if alt_labels else None,
            "CFItemType": _item_type(skill),
            "humanCodingScheme": skill.code,
            "conceptKeywords": alt_labels,
            "notes": skill.description,
            "lastChangeDateTime": changed,
        }
    )


def _item_type(skill: Skill) -> str:
    if skill.is_group:
        return GROUP_ITEM_TYPE
    if skill.skill_type is None:
        return DEFAULT_ITEM_TYPE
    return ITEM_TYPES.get(skill.skill_type, DEFAULT_ITEM_TYPE)


def _associations(
    snapshot: _Snapshot,
    links: dict[uuid.UUID, dict[str, str]],
    document_link: dict[str, str],
    changed: str,
) -> list[dict[str, Any]]:
    """``isChildOf`` for the hierarchy (the top concepts are children of the document, as
    CASE tools expect to build the tree) and ``isRelatedTo`` for related skills."""
    found: list[dict[str, Any]] = []
    document = document_link["identifier"]

    def association(
        kind: str,
        origin: dict[str, str],
        destination: dict[str, str],
        sequence: int | None = None,
        notes: str | None = None,
    ) -> dict[str, Any]:
        identifier = uuid.uuid5(
            NAMESPACE, f"association:{document}:{kind}:{origin['uri']}:{destination['uri']}"
        )
        return _compact(
            {
                "identifier": str(identifier),
                "associationType": kind,
                "sequenceNumber": sequence,
                "uri": _urn(identifier),
                "originNodeURI": origin,
                "destinationNodeURI": destination,
                "lastChangeDateTime": changed,
                "notes": notes,
            }
        )

    sequences = {
        (parent, child): position
        for parent, kids in snapshot.children.items()
        for position, child in enumerate(kids, start=1)
    }
    for skill in snapshot.skills:
        under: list[uuid.UUID | None] = [*snapshot.parents[skill.id]] or [None]
        for parent in under:
            destination = document_link if parent is None else links[parent]
            found.append(
                association(
                    "isChildOf", links[skill.id], destination, sequences[(parent, skill.id)]
                )
            )
    for skill_id, related_id, relation in snapshot.relations:
        found.append(association("isRelatedTo", links[skill_id], links[related_id], notes=relation))
    return found


def _licence(framework: Framework, changed: str) -> tuple[dict[str, str] | None, dict[str, Any]]:
    """CASE points at a licence through a CFLicense in the package's definitions."""
    if not framework.licence:
        return None, {}
    identifier = uuid.uuid5(NAMESPACE, f"license:{framework.licence}")
    is_url = framework.licence.startswith(("http://", "https://"))
    uri = framework.licence if is_url else _urn(identifier)
    licence = _compact(
        {
            "identifier": str(identifier),
            "uri": uri,
            "title": framework.licence,
            "licenseText": None if is_url else framework.licence,
            "lastChangeDateTime": changed,
        }
    )
    return _link(framework.licence, identifier, uri), {"CFLicenses": [licence]}


def _rubric(
    snapshot: _Snapshot,
    links: dict[uuid.UUID, dict[str, str]],
    document_id: uuid.UUID,
    changed: str,
) -> dict[str, Any] | None:
    """The proficiency scale as a rubric: one criterion with the scale's own levels, then one
    per skill that describes its levels, pointing at the skill's item."""
    if not snapshot.levels and not snapshot.descriptors:
        return None
    framework = snapshot.framework
    scale = framework.scale
    rubric_id = uuid.uuid5(NAMESPACE, f"rubric:{document_id}")
    labels = {level.rank: level.label for level in snapshot.levels}
    criteria: list[dict[str, Any]] = []

    def criterion(
        key: str,
        category: str,
        description: str | None,
        item: dict[str, str] | None,
        levels: list[tuple[int, str | None]],
    ) -> dict[str, Any]:
        identifier = uuid.uuid5(NAMESPACE, f"criterion:{rubric_id}:{key}")
        return _compact(
            {
                "identifier": str(identifier),
                "uri": _urn(identifier),
                "category": category,
                "description": description,
                "CFItemURI": item,
                "position": len(criteria) + 1,
                "rubricId": str(rubric_id),
                "lastChangeDateTime": changed,
                "CFRubricCriterionLevels": [
                    _compact(
                        {
                            "identifier": str(level_id := _level_id(identifier, rank)),
                            "uri": _urn(level_id),
                            "description": text,
                            "quality": labels.get(rank),
                            "score": rank,
                            "position": position,
                            "rubricCriterionId": str(identifier),
                            "lastChangeDateTime": changed,
                        }
                    )
                    for position, (rank, text) in enumerate(levels, start=1)
                ],
            }
        )

    scale_name = scale.name if scale else f"{framework.title} levels"
    if snapshot.levels:
        criteria.append(
            criterion(
                "scale",
                scale_name,
                scale.description if scale else None,
                None,
                [(level.rank, level.descriptor) for level in snapshot.levels],
            )
        )
    for skill in snapshot.skills:
        descriptors = snapshot.descriptors.get(skill.id)
        if descriptors:
            criteria.append(
                criterion(
                    skill.uri,
                    skill.preferred_label,
                    None,
                    links[skill.id],
                    sorted(descriptors.items()),
                )
            )
    return _compact(
        {
            "identifier": str(rubric_id),
            "uri": _urn(rubric_id),
            "title": scale_name,
            "description": scale.description if scale else None,
            "lastChangeDateTime": changed,
            "CFRubricCriteria": criteria,
        }
    )


def _level_id(criterion_id: uuid.UUID, rank: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"level:{criterion_id}:{rank}")


def _link(title: str, identifier: uuid.UUID, uri: str) -> dict[str, str]:
    """CASE's LinkURI: how one object points at another."""
    return {"title": title, "identifier": str(identifier), "uri": uri}


def _urn(identifier: uuid.UUID) -> str:
    return f"urn:uuid:{identifier}"


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    """CASE leaves optional attributes out rather than null or empty."""
    return {key: value for key, value in values.items() if value is not None and value != []}
