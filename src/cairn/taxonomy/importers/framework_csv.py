"""Cairn's framework CSV: an organisation's or a sector's own framework, written by hand in
a spreadsheet (``docs/taxonomy-csv.md``), one row per concept. The same format is what
``cairn taxonomy export --format csv`` writes, so any framework can be exported, edited and
imported again.

Every row is checked before anything is written, and every problem is reported as
``file:line: column: reason``: a person fixing a spreadsheet wants the whole list at once,
not one error per attempt."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.kit.progress import Progress
from cairn.taxonomy import repository
from cairn.taxonomy.enums import SkillType
from cairn.taxonomy.importers.source import Problems, Row, SourceFile, read_table, split_labels
from cairn.taxonomy.importers.writer import (
    FrameworkInfo,
    ImportSummary,
    sync_links,
    upsert_concepts,
    upsert_framework,
)
from cairn.taxonomy.models import Skill, SkillBroader, SkillLevelDescriptor
from cairn.taxonomy.scales import GENERIC_5, LevelDefinition, ScaleDefinition, ensure_scale

SCALE_LEVEL = "scale-level"
GROUP = "group"
SKILL = "skill"
KINDS = (SCALE_LEVEL, GROUP, SKILL)
COLUMNS = ("kind", "code", "label", "parent", "type", "alt_labels", "description", "uri")
"""The columns in the order an export writes them; ``level_1`` … ``level_N`` follow."""
REQUIRED = ("kind", "code", "label")
LEVEL_COLUMN = re.compile(r"level_(\d+)")
SEPARATOR = "|"
"""Between several alternative labels or several parents in one cell."""
SKILL_TYPES = {skill_type.value: skill_type for skill_type in SkillType}
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")

# Column sizes of the tables the rows land in: checked here so that a long cell is a
# problem on its line, not a database error (PostgreSQL enforces them, SQLite does not).
MAX_SLUG, MAX_VERSION, MAX_TITLE = 80, 40, 200
MAX_CODE, MAX_LABEL, MAX_URI, MAX_LEVEL_LABEL = 64, 500, 500, 120


def default_uri(slug: str, code: str) -> str:
    """A concept's URI when the file gives none: stable as long as its code is."""
    return f"urn:cairn:framework:{slug}:{code}"


def scale_slug(slug: str, version: str) -> str:
    """The slug of the proficiency scale a framework file defines with scale-level rows:
    one per version, so a new version's levels never rewrite an older version's."""
    return f"{slug}-{version}-levels"


@dataclass(frozen=True)
class Concept:
    """A group or a skill as a framework file states it, before it has a database id; the
    built-in framework is written through the same path."""

    uri: str
    code: str
    label: str
    is_group: bool
    skill_type: SkillType | None = None
    alt_labels: str = ""
    """One label per line, as ``Skill.alt_labels`` stores them."""
    description: str | None = None
    parents: tuple[str, ...] = ()
    """URIs of the groups it sits under."""
    levels: Mapping[int, str] = field(default_factory=dict)
    """What each level (by rank) of the framework's scale looks like for this concept."""

    def record(self) -> dict[str, Any]:
        return {
            "uri": self.uri,
            "code": self.code,
            "preferred_label": self.label,
            "alt_labels": self.alt_labels,
            "description": self.description,
            "skill_type": self.skill_type,
            "reuse_level": None,
            "is_group": self.is_group,
        }


def write_concepts(
    session: Session,
    framework_id: uuid.UUID,
    concepts: Sequence[Concept],
    summary: ImportSummary,
    progress: Progress,
) -> dict[str, Any]:
    """Upsert ``concepts`` by URI and bring the hierarchy and the level descriptors of the
    framework to exactly what they say; returns the framework's concepts by URI."""
    skill_ids: dict[str, Any] = repository.skills_by_uri(session, framework_id)
    summary.tallies["skills"] = upsert_concepts(
        session,
        Skill,
        framework_id,
        [concept.record() for concept in concepts],
        skill_ids,
        progress,
        "Skills and groups",
    )
    owners = [_id(value) for value in skill_ids.values()]
    hierarchy: dict[tuple[Any, Any], dict[str, Any]] = {}
    descriptors: dict[tuple[Any, Any], dict[str, Any]] = {}
    for concept in concepts:
        skill_id = _id(skill_ids[concept.uri])
        for parent in concept.parents:
            broader_id = _id(skill_ids[parent])
            hierarchy[(skill_id, broader_id)] = {"skill_id": skill_id, "broader_id": broader_id}
        for rank, text in concept.levels.items():
            descriptors[(skill_id, rank)] = {"skill_id": skill_id, "rank": rank, "descriptor": text}
    summary.tallies["skill hierarchy"] = sync_links(
        session, SkillBroader, "skill_id", owners, hierarchy, progress, "Skill hierarchy"
    )
    summary.tallies["level descriptors"] = sync_links(
        session,
        SkillLevelDescriptor,
        "skill_id",
        owners,
        descriptors,
        progress,
        "Level descriptors",
    )
    return skill_ids


def _id(value: Any) -> uuid.UUID:
    identifier: uuid.UUID = value.id
    return identifier


def import_framework_csv(
    session: Session,
    file: Path,
    *,
    slug: str,
    title: str,
    version: str,
    publisher: str | None,
    owner_org_id: uuid.UUID | None,
    progress: Progress,
) -> ImportSummary:
    """Check the whole file, then write the framework (``owner_org_id``: only that
    organisation's members see it; None: public). Re-importing the same file changes
    nothing; concepts are matched by URI, so a changed label is updated in place."""
    slug, title, version = slug.strip(), title.strip(), version.strip()
    _check_names(slug, title, version)
    _check_owner(session, slug, version, owner_org_id)
    problems = Problems()
    source = SourceFile(str(file), file)
    rows = read_table(source, problems, required=REQUIRED, delimiter=_delimiter(source))
    parsed = _Parsed.read(rows, slug, problems)
    if not parsed.concepts and not problems.found:
        problems.add(source.display, 1, "-", lazy_gettext("The file holds no groups or skills."))
    problems.found.sort(key=lambda problem: problem.line)  # file order; stable within a line
    problems.raise_if_any()

    summary = ImportSummary(framework=f"{title} {version}")
    scale = ensure_scale(session, parsed.scale(slug, version, title))
    framework, summary.tallies["framework"] = upsert_framework(
        session,
        FrameworkInfo(
            slug=slug,
            version=version,
            title=title,
            publisher=(publisher or "").strip() or None,
            source=file.name,
            code_system=None,
            scale_id=scale.id,
            owner_org_id=owner_org_id,
        ),
    )
    write_concepts(session, framework.id, parsed.concepts, summary, progress)
    return summary


def _check_names(slug: str, title: str, version: str) -> None:
    """The options of the command, checked before the file: they name the framework."""
    errors: list[FieldError] = []
    if not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG:
        errors.append(
            FieldError(
                "slug",
                lazy_gettext(
                    "Use lowercase letters, digits and hyphens (at most %(max)s), e.g. acme-care.",
                    max=MAX_SLUG,
                ),
            )
        )
    if not title or len(title) > MAX_TITLE:
        errors.append(
            FieldError(
                "title", lazy_gettext("Give a title of 1 to %(max)s characters.", max=MAX_TITLE)
            )
        )
    if not version or len(version) > MAX_VERSION:
        errors.append(
            FieldError(
                "version",
                lazy_gettext("Give a version of 1 to %(max)s characters.", max=MAX_VERSION),
            )
        )
    if errors:
        raise InvalidInput(errors[0].message, errors)


def _check_owner(session: Session, slug: str, version: str, owner_org_id: uuid.UUID | None) -> None:
    """A framework version is one row for everyone: an import for one organisation must not
    rewrite (and hide) a public framework or another organisation's."""
    existing = repository.find_framework(session, slug, version)
    if existing is not None and existing.owner_org_id != owner_org_id:
        message = lazy_gettext(
            "Version %(version)s of %(name)s belongs to someone else; choose another short name.",
            version=version,
            name=slug,
        )
        raise InvalidInput(message, [FieldError("slug", message)])


def _delimiter(source: SourceFile) -> str:
    """Commas, or semicolons as spreadsheet programs write CSV where the comma is the
    decimal mark (French, German): told apart by the header line."""
    try:
        with source.open() as handle:
            header = handle.readline()
    except (OSError, UnicodeDecodeError, EOFError):
        return ","  # read_table reports the file as unreadable
    return ";" if header.count(";") > header.count(",") else ","


@dataclass
class _Parsed:
    """The file's rows, checked: scale levels by rank and concepts in file order."""

    levels: dict[int, LevelDefinition] = field(default_factory=dict)
    concepts: list[Concept] = field(default_factory=list)

    @classmethod
    def read(cls, rows: list[Row], slug: str, problems: Problems) -> _Parsed:
        parsed = cls()
        if rows:
            _check_header(rows[0], problems)
        level_lines: dict[int, int] = {}
        scale_broken = False
        codes: dict[str, Row] = {}
        uris: dict[str, int] = {}
        # Rows whose own cells are wrong are kept too: their parents and levels are checked
        # once every code is known, so that one run reports all of a row's problems.
        pending: list[tuple[Row, dict[str, Any] | None, list[str], dict[int, str]]] = []
        for row in rows:
            kind = row.get("kind").lower()
            if kind not in KINDS:
                problems.add(
                    row.file,
                    row.line,
                    "kind",
                    lazy_gettext(
                        "'%(value)s' is not scale-level, group or skill.", value=row.get("kind")
                    ),
                )
                continue
            if kind == SCALE_LEVEL:
                level = _scale_level(row, problems, level_lines)
                if level is None:
                    scale_broken = True
                else:
                    parsed.levels[level.rank] = level
                continue
            concept = _concept_fields(row, kind, slug, problems, codes, uris)
            pending.append((row, concept, _split(row.get("parent")), _levels(row)))
        ranks = sorted(parsed.levels) if parsed.levels else [lv.rank for lv in GENERIC_5.levels]
        groups = {code for code, row in codes.items() if row.get("kind").lower() == GROUP}
        for row, concept, parents, levels in pending:
            ok = _check_parents(row, parents, codes, groups, problems)
            # Against a scale with a broken row, every level_k cell could be wrong: the
            # scale's own problems are the ones to fix first.
            if not scale_broken:
                ok = _check_levels(row, levels, ranks, problems) and ok
            if ok and concept is not None:
                parsed.concepts.append(
                    Concept(
                        parents=tuple(
                            _concept_uri(codes[parent], slug) for parent in dict.fromkeys(parents)
                        ),
                        levels=levels,
                        **concept,
                    )
                )
        # Every group with a code takes part, even one with other problems: a circle is
        # worth reporting along with them.
        group_parents = {
            code: [parent for parent in _split(codes[code].get("parent")) if parent in groups]
            for code in codes
            if code in groups
        }
        _check_cycles(group_parents, codes, problems)
        return parsed

    def scale(self, slug: str, version: str, title: str) -> ScaleDefinition:
        """The file's own scale, or the generic one when it defines none."""
        if not self.levels:
            return GENERIC_5
        return ScaleDefinition(
            slug=scale_slug(slug, version),
            name=f"{title} levels"[:MAX_TITLE],
            description=f"The proficiency levels of {title}.",
            levels=tuple(self.levels[rank] for rank in sorted(self.levels)),
        )


def _check_header(first: Row, problems: Problems) -> None:
    """A misspelt column would otherwise be ignored silently, and its data lost."""
    for name in first.values:
        if name and name not in COLUMNS and not LEVEL_COLUMN.fullmatch(name):
            problems.add(
                first.file,
                1,
                name,
                lazy_gettext(
                    "Unknown column; the columns are %(columns)s and level_1, level_2, …",
                    columns=", ".join(COLUMNS),
                ),
            )


def _scale_level(
    row: Row, problems: Problems, level_lines: dict[int, int]
) -> LevelDefinition | None:
    ok = True
    code, label = row.get("code"), row.get("label")
    rank: int | None = None
    if not code:
        problems.add(row.file, row.line, "code", lazy_gettext("A code is required."))
        ok = False
    elif not re.fullmatch(r"\d+", code):
        problems.add(
            row.file,
            row.line,
            "code",
            lazy_gettext(
                "'%(value)s' is not a whole number: a scale level's code is its rank (1, 2, …).",
                value=code,
            ),
        )
        ok = False
    else:
        rank = int(code)
        if rank in level_lines:
            problems.add(
                row.file,
                row.line,
                "code",
                lazy_gettext(
                    "Scale level %(rank)s appears twice (first on line %(line)s).",
                    rank=rank,
                    line=level_lines[rank],
                ),
            )
            ok = False
        else:
            level_lines[rank] = row.line
    ok = _check_label(row, label, MAX_LEVEL_LABEL, problems) and ok
    for column in ("parent", "type", "alt_labels", "uri", *_level_columns(row)):
        if row.get(column):
            problems.add(
                row.file,
                row.line,
                column,
                lazy_gettext(
                    "A scale level has only a code (its rank), a label and a description."
                ),
            )
            ok = False
    if not ok or rank is None:
        return None
    return LevelDefinition(rank, label, row.get("description") or None)


def _concept_fields(
    row: Row,
    kind: str,
    slug: str,
    problems: Problems,
    codes: dict[str, Row],
    uris: dict[str, int],
) -> dict[str, Any] | None:
    """A group's or a skill's own cells, checked; its parents and levels come later, once
    every code of the file is known."""
    code_ok = False
    code, label = row.get("code"), row.get("label")
    if not code:
        problems.add(row.file, row.line, "code", lazy_gettext("A code is required."))
    elif len(code) > MAX_CODE or SEPARATOR in code:
        problems.add(
            row.file,
            row.line,
            "code",
            lazy_gettext("Use at most %(max)s characters, and no |.", max=MAX_CODE),
        )
    elif code in codes:
        problems.add(
            row.file,
            row.line,
            "code",
            lazy_gettext(
                "The code '%(code)s' appears twice (first on line %(line)s).",
                code=code,
                line=codes[code].line,
            ),
        )
    else:
        codes[code] = row
        code_ok = True
    ok = _check_label(row, label, MAX_LABEL, problems) and code_ok
    skill_type = row.get("type").lower()
    if skill_type and kind == GROUP:
        problems.add(
            row.file,
            row.line,
            "type",
            lazy_gettext("Only skills have a type; leave it empty for a group."),
        )
        ok = False
    elif skill_type and skill_type not in SKILL_TYPES:
        problems.add(
            row.file,
            row.line,
            "type",
            lazy_gettext("'%(value)s' is not knowledge, skill or attitude.", value=row.get("type")),
        )
        ok = False
    uri = row.get("uri") or (default_uri(slug, code) if code else "")
    if len(uri) > MAX_URI:
        problems.add(
            row.file,
            row.line,
            "uri",
            lazy_gettext("Use at most %(max)s characters.", max=MAX_URI),
        )
        ok = False
    elif code_ok and uri in uris:
        problems.add(
            row.file,
            row.line,
            "uri",
            lazy_gettext("This URI appears twice (first on line %(line)s).", line=uris[uri]),
        )
        ok = False
    elif code_ok:
        uris[uri] = row.line
    if not ok:
        return None
    return {
        "uri": uri,
        "code": code,
        "label": label,
        "is_group": kind == GROUP,
        "skill_type": SKILL_TYPES.get(skill_type),
        "alt_labels": split_labels(row.get("alt_labels"), SEPARATOR),
        "description": row.get("description") or None,
    }


def _check_label(row: Row, label: str, limit: int, problems: Problems) -> bool:
    if not label:
        problems.add(row.file, row.line, "label", lazy_gettext("A label is required."))
        return False
    if len(label) > limit:
        problems.add(
            row.file,
            row.line,
            "label",
            lazy_gettext("Use at most %(max)s characters.", max=limit),
        )
        return False
    return True


def _concept_uri(row: Row, slug: str) -> str:
    return row.get("uri") or default_uri(slug, row.get("code"))


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(SEPARATOR) if part.strip()]


def _level_columns(row: Row) -> list[str]:
    return [name for name in row.values if LEVEL_COLUMN.fullmatch(name)]


def _levels(row: Row) -> dict[int, str]:
    """The non-empty ``level_k`` cells by rank ``k``."""
    found: dict[int, str] = {}
    for name in _level_columns(row):
        match = LEVEL_COLUMN.fullmatch(name)
        if match and row.get(name):
            found[int(match.group(1))] = row.get(name)
    return found


def _check_parents(
    row: Row, parents: list[str], codes: dict[str, Row], groups: set[str], problems: Problems
) -> bool:
    ok = True
    for parent in parents:
        if parent in groups:
            continue
        if parent in codes:
            reason = lazy_gettext(
                "'%(code)s' is a skill; only a group can be a parent.", code=parent
            )
        else:
            reason = lazy_gettext("No group has the code '%(code)s' in this file.", code=parent)
        problems.add(row.file, row.line, "parent", reason)
        ok = False
    return ok


def _check_levels(row: Row, levels: dict[int, str], ranks: list[int], problems: Problems) -> bool:
    ok = True
    for rank in sorted(levels):
        if rank not in ranks:
            problems.add(
                row.file,
                row.line,
                f"level_{rank}",
                lazy_gettext(
                    "The scale has no level %(rank)s; its levels are %(ranks)s.",
                    rank=rank,
                    ranks=", ".join(str(known) for known in ranks),
                ),
            )
            ok = False
    return ok


def _check_cycles(parents: dict[str, list[str]], codes: dict[str, Row], problems: Problems) -> None:
    """Groups inside one another in a circle have no top: each circle is reported once, on
    the line of its group that comes first in the file."""
    state: dict[str, bool] = {}  # False: being explored, True: done
    for start in parents:
        if start in state:
            continue
        state[start] = False
        path = [start]
        stack = [iter(parents[start])]
        while stack:
            parent = next(stack[-1], None)
            if parent is None:
                state[path.pop()] = True
                stack.pop()
            elif parent not in state:
                state[parent] = False
                path.append(parent)
                stack.append(iter(parents.get(parent, [])))
            elif state[parent] is False:
                circle = path[path.index(parent) :]
                first = min(circle, key=lambda code: codes[code].line)
                turn = circle.index(first)
                circle = circle[turn:] + circle[:turn]
                row = codes[first]
                problems.add(
                    row.file,
                    row.line,
                    "parent",
                    lazy_gettext(
                        "The groups' parents go round in a circle: %(path)s.",
                        path=" → ".join([*circle, first]),
                    ),
                )
