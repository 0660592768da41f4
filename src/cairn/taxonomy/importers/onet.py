"""The O*NET database in its tab-separated text form: ``db_29_2_text.zip`` or its folder,
each table as ``.txt`` or ``.txt.gz``.

O*NET rates every occupation on the same few dozen skills and knowledge areas, so those
become skills under the content model's groups (``2.A`` Basic Skills, ``2.C`` Knowledge…),
and each rating becomes an occupation's link with O*NET's importance (1-5) and level (0-7).
Technology skills become one skill per UNSPSC commodity, the products O*NET names under it
as its alternative labels. Tables that are absent are skipped, like ESCO's."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.kit.progress import Progress
from cairn.taxonomy import repository
from cairn.taxonomy.enums import Relation, SkillType
from cairn.taxonomy.importers.source import Problems, Row, Source, read_table, split_labels
from cairn.taxonomy.importers.writer import (
    BATCH,
    FrameworkInfo,
    ImportSummary,
    Tally,
    resolve,
    sync_links,
    upsert_concepts,
    upsert_framework,
)
from cairn.taxonomy.models import Occupation, OccupationSkill, OccupationTask, Skill, SkillBroader
from cairn.taxonomy.scales import ONET_IMPORTANCE_ESSENTIAL, ONET_LEVEL, ensure_scale

SLUG = "onet"
TITLE = "O*NET"
PUBLISHER = "U.S. Department of Labor, Employment and Training Administration"
DESCRIPTION = (
    "The Occupational Information Network: U.S. occupations with the skills, knowledge, "
    "technology and tasks they involve."
)
LICENCE = "CC BY 4.0 (USDOL/ETA)"
SOURCE_URL = "https://www.onetcenter.org/database.html"
CODE_SYSTEM = "O*NET-SOC"

OCCUPATION_URI = "https://www.onetonline.org/link/summary/"
ELEMENT_URI = "urn:onet:element:"
COMMODITY_URI = "urn:onet:commodity:"
TECHNOLOGY_ELEMENT = "5.F.1"
TECHNOLOGY_LABEL = "Technology Skills"
TECHNOLOGY_DESCRIPTION = (
    "Information technology and software skills essential to the functions of an occupational role."
)
GROUP_ROOTS = ("2.A", "2.B", "2.C")
"""Content-model branches whose elements O*NET rates in Skills (2.A, 2.B) and Knowledge (2.C)."""
RATING_TABLES = {"skills": SkillType.SKILL, "knowledge": SkillType.KNOWLEDGE}
IMPORTANCE, LEVEL = "IM", "LV"
"""O*NET's scales in Skills and Knowledge: importance (1-5) and level (0-7)."""
ZONES = ("1", "2", "3", "4", "5")
"""O*NET's job zones, from little preparation needed to extensive."""
YES = "Y"

SOC_CODE = re.compile(r"\d{2}-\d{4}\.\d{2}")
COMMODITY_CODE = re.compile(r"\d{8}")
VERSION_IN_PATH = re.compile(r"(?:db_)?(\d{1,2})[._](\d{1,2})(?:_text)?(?:\.zip)?", re.IGNORECASE)

CODE = "O*NET-SOC Code"
RATING_COLUMNS = (CODE, "Element ID", "Element Name", "Scale ID", "Data Value")
REQUIRED = {
    "occupation data": (CODE, "Title", "Description"),
    "alternate titles": (CODE, "Alternate Title"),
    "job zones": (CODE, "Job Zone"),
    "content model reference": ("Element ID", "Element Name", "Description"),
    "skills": RATING_COLUMNS,
    "knowledge": RATING_COLUMNS,
    "technology skills": (CODE, "Example", "Commodity Code", "Commodity Title", "Hot Technology"),
    "task statements": (CODE, "Task ID", "Task"),
}
"""Columns each table needs; the optional ones ("Short Title", "Not Relevant", "In Demand",
"Task Type") are read when present, since older releases lack some of them."""


def detect_version(paths: Sequence[Path]) -> str | None:
    """O*NET names its downloads ``db_29_2_text.zip``; unpacked copies often sit in ``29.2``.
    The folder nearest the files wins."""
    for path in paths:
        for part in reversed(path.parts):
            match = VERSION_IN_PATH.fullmatch(part)
            if match:
                return f"{int(match.group(1))}.{int(match.group(2))}"
    return None


def occupation_uri(code: str) -> str:
    """O*NET OnLine's page of the occupation: stable, and useful to follow."""
    return f"{OCCUPATION_URI}{code}"


def element_uri(element_id: str) -> str:
    return f"{ELEMENT_URI}{element_id}"


def commodity_uri(code: str) -> str:
    return f"{COMMODITY_URI}{code}"


def import_onet(
    session: Session, paths: Sequence[Path], *, version: str | None, progress: Progress
) -> ImportSummary:
    """Check every table first (all problems reported, nothing written), then upsert the
    release as framework ``onet`` at ``version`` so a re-import changes only what changed."""
    version = version or detect_version(paths)
    if not version:
        message = lazy_gettext("Name the O*NET version (e.g. 29.2): it is not in the path.")
        raise InvalidInput(message, [FieldError("version", message)])
    summary = ImportSummary(framework=f"O*NET {version}")
    problems = Problems()
    tables = _read(Source(paths), problems)
    if not tables["occupation data"] and not problems.found:
        problems.add(
            ", ".join(str(path) for path in paths),
            0,
            "-",
            lazy_gettext("No Occupation Data.txt here: is this the O*NET text database?"),
        )
    download = _Download()
    _occupations(tables, download, problems, summary)
    _ratings(tables, download, problems, summary)
    _technology(tables, download, problems)
    _tasks(tables, download, problems)
    skills, hierarchy = _skill_records(tables["content model reference"], download, problems)
    problems.raise_if_any()

    scale = ensure_scale(session, ONET_LEVEL)
    framework, summary.tallies["framework"] = upsert_framework(
        session,
        FrameworkInfo(
            slug=SLUG,
            version=version,
            title=TITLE,
            publisher=PUBLISHER,
            description=DESCRIPTION,
            licence=LICENCE,
            source=SOURCE_URL,
            code_system=CODE_SYSTEM,
            scale_id=scale.id,
        ),
    )
    skill_ids: dict[str, Any] = repository.skills_by_uri(session, framework.id)
    summary.tallies["skills"] = upsert_concepts(
        session, Skill, framework.id, skills, skill_ids, progress, "Skills and groups"
    )
    occupation_ids: dict[str, Any] = repository.occupations_by_uri(session, framework.id)
    summary.tallies["occupations"] = upsert_concepts(
        session,
        Occupation,
        framework.id,
        list(download.occupations.values()),
        occupation_ids,
        progress,
        "Occupations",
    )

    desired: dict[tuple[Any, Any], dict[str, Any]] = {}
    for narrower_uri, broader_uri in hierarchy:
        narrower = resolve(skill_ids, narrower_uri, summary, "skill hierarchy: unknown concept")
        broader = resolve(skill_ids, broader_uri, summary, "skill hierarchy: unknown concept")
        if narrower and broader:
            desired[(narrower, broader)] = {"skill_id": narrower, "broader_id": broader}
    summary.tallies["skill hierarchy"] = sync_links(
        session,
        SkillBroader,
        "skill_id",
        [_id(value) for value in skill_ids.values()],
        desired,
        progress,
        "Skill hierarchy",
    )

    if any(tables[name] for name in (*RATING_TABLES, "technology skills")):
        summary.tallies["occupation skills"] = sync_links(
            session,
            OccupationSkill,
            "occupation_id",
            [_id(value) for value in occupation_ids.values()],
            _occupation_skills(download, occupation_ids, skill_ids, summary),
            progress,
            "Occupation skills",
        )
    if tables["task statements"]:
        summary.tallies["tasks"] = _sync_tasks(
            session, framework.id, download.tasks, occupation_ids, summary, progress
        )
    return summary


def _id(value: Any) -> uuid.UUID:
    identifier: uuid.UUID = value.id
    return identifier


# --- reading ------------------------------------------------------------------------------


@dataclass
class _Rating:
    """An occupation's IM and LV rows for one element, merged into one link."""

    importance: float | None = None
    level: float | None = None


@dataclass
class _TechnologyUse:
    """An occupation's products under one commodity: hot or in demand if any of them is."""

    hot_technology: bool = False
    in_demand: bool = False
    examples: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Task:
    occupation: str
    code: str
    text: str
    core: bool | None


@dataclass
class _Download:
    """What the files say, checked and keyed by O*NET's own codes, before anything is written."""

    occupations: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Occupation records by O*NET-SOC code, in file order."""
    elements: dict[str, tuple[str, SkillType]] = field(default_factory=dict)
    """Rated elements: their name in the rating file and whether skill or knowledge."""
    ratings: dict[tuple[str, str], _Rating] = field(default_factory=dict)
    """By (O*NET-SOC code, element id)."""
    commodities: dict[str, tuple[str, set[str]]] = field(default_factory=dict)
    """UNSPSC commodity code → its title and every product named under it."""
    technology: dict[tuple[str, str], _TechnologyUse] = field(default_factory=dict)
    """By (O*NET-SOC code, commodity code)."""
    tasks: list[_Task] = field(default_factory=list)


def _read(source: Source, problems: Problems) -> dict[str, list[Row]]:
    tables: dict[str, list[Row]] = {}
    for table, required in REQUIRED.items():
        file = source.find(table)
        tables[table] = (
            read_table(file, problems, required=required, delimiter="\t") if file else []
        )
    return tables


def _text(value: str) -> str:
    """Free text as O*NET wrote it. Copies converted from O*NET's Excel files by CSV tools
    quote a value holding a quote mark (``"Conduct ""head counts"" to…"``), which the
    unquoted text format keeps as characters; such a value is unquoted here."""
    inner = value[1:-1]
    if (
        len(value) >= 2
        and value[0] == value[-1] == '"'
        and '""' in inner
        and '"' not in inner.replace('""', "")
    ):
        return inner.replace('""', '"')
    return value


def _soc_code(row: Row, problems: Problems) -> str | None:
    code = row.get(CODE)
    if SOC_CODE.fullmatch(code):
        return code
    problems.add(
        row.file,
        row.line,
        CODE,
        lazy_gettext("'%(value)s' is not an O*NET-SOC code such as 15-1252.00.", value=code),
    )
    return None


def _required(row: Row, column: str, problems: Problems) -> str:
    """The value, or "" after reporting that it is missing."""
    value = row.get(column)
    if not value:
        problems.add(row.file, row.line, column, lazy_gettext("This field is required."))
    return value


def _occupations(
    tables: dict[str, list[Row]], download: _Download, problems: Problems, summary: ImportSummary
) -> None:
    records = download.occupations
    for row in tables["occupation data"]:
        code = _soc_code(row, problems)
        title = _required(row, "Title", problems)
        if code in records:
            problems.add(row.file, row.line, CODE, lazy_gettext("This code appears twice."))
        elif code and title:
            records[code] = {
                "uri": occupation_uri(code),
                "code": code,
                "isco_code": None,
                "preferred_label": title,
                "alt_labels": "",
                "description": _text(row.get("Description")) or None,
                "is_group": False,
                "job_zone": None,
            }

    alternates: dict[str, list[str]] = {}
    for row in tables["alternate titles"]:
        code = _soc_code(row, problems)
        if code is None:
            continue
        if code not in records:
            summary.skip("alternate titles: unknown occupation")
            continue
        # The short form ("CEO") is what people type, so it is a label too.
        alternates.setdefault(code, []).extend((row.get("Alternate Title"), row.get("Short Title")))
    for code, labels in alternates.items():
        title = records[code]["preferred_label"]
        records[code]["alt_labels"] = split_labels("\n".join(x for x in labels if x != title))

    for row in tables["job zones"]:
        code = _soc_code(row, problems)
        zone = row.get("Job Zone")
        if zone not in ZONES:
            problems.add(
                row.file,
                row.line,
                "Job Zone",
                lazy_gettext(
                    "'%(value)s' is not one of %(allowed)s.", value=zone, allowed=", ".join(ZONES)
                ),
            )
        elif code is None:
            continue
        elif code not in records:
            summary.skip("job zones: unknown occupation")
        else:
            records[code]["job_zone"] = int(zone)


def _number(row: Row, problems: Problems) -> float | None:
    value = row.get("Data Value")
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if math.isfinite(number):
        return number
    problems.add(
        row.file, row.line, "Data Value", lazy_gettext("'%(value)s' is not a number.", value=value)
    )
    return None


def _ratings(
    tables: dict[str, list[Row]], download: _Download, problems: Problems, summary: ImportSummary
) -> None:
    seen: set[tuple[str, str, str]] = set()
    for table, skill_type in RATING_TABLES.items():
        for row in tables[table]:
            code = _soc_code(row, problems)
            element = _required(row, "Element ID", problems)
            name = _required(row, "Element Name", problems)
            scale = row.get("Scale ID")
            if scale not in (IMPORTANCE, LEVEL):
                problems.add(
                    row.file,
                    row.line,
                    "Scale ID",
                    lazy_gettext(
                        "'%(value)s' is not one of %(allowed)s.",
                        value=scale,
                        allowed=f"{IMPORTANCE}, {LEVEL}",
                    ),
                )
            value = _number(row, problems)
            if not (code and element and name and scale in (IMPORTANCE, LEVEL)) or value is None:
                continue
            if (code, element, scale) in seen:
                problems.add(
                    row.file,
                    row.line,
                    "Scale ID",
                    lazy_gettext("This occupation's rating on this scale appears twice."),
                )
                continue
            seen.add((code, element, scale))
            download.elements.setdefault(element, (name, skill_type))
            rating = download.ratings.setdefault((code, element), _Rating())
            if scale == IMPORTANCE:
                rating.importance = value
            elif row.get("Not Relevant") == YES:
                # O*NET's analysts judged the level meaningless where the skill hardly matters.
                summary.skip("occupation skills: level marked not relevant")
            else:
                rating.level = value


def _technology(tables: dict[str, list[Row]], download: _Download, problems: Problems) -> None:
    for row in tables["technology skills"]:
        code = _soc_code(row, problems)
        commodity = row.get("Commodity Code")
        if not COMMODITY_CODE.fullmatch(commodity):
            problems.add(
                row.file,
                row.line,
                "Commodity Code",
                lazy_gettext(
                    "'%(value)s' is not a UNSPSC commodity code (8 digits).", value=commodity
                ),
            )
        title = _required(row, "Commodity Title", problems)
        if not (code and title and COMMODITY_CODE.fullmatch(commodity)):
            continue
        example = row.get("Example")
        _, examples = download.commodities.setdefault(commodity, (title, set()))
        use = download.technology.setdefault((code, commodity), _TechnologyUse())
        use.hot_technology |= row.get("Hot Technology") == YES
        use.in_demand |= row.get("In Demand") == YES
        if example:
            examples.add(example)
            use.examples.add(example)


def _tasks(tables: dict[str, list[Row]], download: _Download, problems: Problems) -> None:
    seen: set[tuple[str, str]] = set()
    for row in tables["task statements"]:
        code = _soc_code(row, problems)
        task_id = _required(row, "Task ID", problems)
        text = _text(_required(row, "Task", problems))
        if not (code and task_id and text):
            continue
        if (code, task_id) in seen:
            problems.add(row.file, row.line, "Task ID", lazy_gettext("This task appears twice."))
            continue
        seen.add((code, task_id))
        kind = row.get("Task Type")
        download.tasks.append(_Task(code, task_id, text, kind == "Core" if kind else None))


def _under_roots(element_id: str) -> bool:
    return any(element_id == root or element_id.startswith(f"{root}.") for root in GROUP_ROOTS)


def _parent(element_id: str) -> str | None:
    return element_id.rsplit(".", 1)[0] if "." in element_id else None


def _skill_records(
    reference: list[Row], download: _Download, problems: Problems
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Groups, rated elements and technology commodities, and the (narrower, broader) URI
    pairs of their hierarchy. A group is imported only when a rated element lies under it,
    so a download without Knowledge.txt brings no empty Knowledge groups."""
    described = {row.get("Element ID"): row for row in reference}
    ancestors: set[str] = set()
    for element in download.elements:
        parent = _parent(element)
        while parent is not None:
            ancestors.add(parent)
            parent = _parent(parent)

    records: list[dict[str, Any]] = []
    imported: set[str] = set()
    for element_id, row in described.items():
        if element_id in ancestors and element_id not in download.elements:
            if not _under_roots(element_id):
                continue
            name = _required(row, "Element Name", problems)
            records.append(
                _element(element_id, name, _text(row.get("Description")), None, is_group=True)
            )
            imported.add(element_id)
    for element_id, (name, skill_type) in download.elements.items():
        row_found = described.get(element_id)
        records.append(
            _element(
                element_id,
                (row_found.get("Element Name") or name) if row_found else name,
                _text(row_found.get("Description")) if row_found else "",
                skill_type,
                is_group=False,
            )
        )
        imported.add(element_id)
    hierarchy = [
        (element_uri(element_id), element_uri(parent))
        for element_id in imported
        if (parent := _parent(element_id)) in imported
    ]

    if download.commodities:
        technology = described.get(TECHNOLOGY_ELEMENT.rsplit(".", 1)[0])
        records.append(
            _element(
                TECHNOLOGY_ELEMENT,
                TECHNOLOGY_LABEL,
                _text(technology.get("Description")) if technology else TECHNOLOGY_DESCRIPTION,
                None,
                is_group=True,
            )
        )
    for commodity, (title, examples) in download.commodities.items():
        records.append(
            {
                "uri": commodity_uri(commodity),
                "code": commodity,
                "preferred_label": title,
                "alt_labels": split_labels("\n".join(sorted(examples))),
                "description": None,
                "skill_type": SkillType.KNOWLEDGE,
                "reuse_level": None,
                "is_group": False,
            }
        )
        hierarchy.append((commodity_uri(commodity), element_uri(TECHNOLOGY_ELEMENT)))
    return records, sorted(hierarchy)


def _element(
    element_id: str,
    name: str,
    description: str,
    skill_type: SkillType | None,
    *,
    is_group: bool,
) -> dict[str, Any]:
    return {
        "uri": element_uri(element_id),
        "code": element_id,
        "preferred_label": name,
        "alt_labels": "",
        "description": description or None,
        "skill_type": skill_type,
        "reuse_level": None,
        "is_group": is_group,
    }


# --- writing ------------------------------------------------------------------------------


def _occupation_skills(
    download: _Download,
    occupation_ids: dict[str, Any],
    skill_ids: dict[str, Any],
    summary: ImportSummary,
) -> dict[tuple[Any, Any], dict[str, Any]]:
    desired: dict[tuple[Any, Any], dict[str, Any]] = {}
    for (code, element), rating in download.ratings.items():
        occupation = resolve(
            occupation_ids, occupation_uri(code), summary, "occupation skills: unknown occupation"
        )
        skill = resolve(
            skill_ids, element_uri(element), summary, "occupation skills: unknown element"
        )
        if occupation and skill:
            essential = (
                rating.importance is not None and rating.importance >= ONET_IMPORTANCE_ESSENTIAL
            )
            desired[(occupation, skill)] = {
                "occupation_id": occupation,
                "skill_id": skill,
                "relation": Relation.ESSENTIAL if essential else Relation.OPTIONAL,
                "importance": rating.importance,
                "level": rating.level,
                "details": None,
            }
    for (code, commodity), use in download.technology.items():
        occupation = resolve(
            occupation_ids, occupation_uri(code), summary, "technology skills: unknown occupation"
        )
        skill = resolve(
            skill_ids, commodity_uri(commodity), summary, "technology skills: unknown commodity"
        )
        if occupation and skill:
            desired[(occupation, skill)] = {
                "occupation_id": occupation,
                "skill_id": skill,
                "relation": Relation.OPTIONAL,
                "importance": None,
                "level": None,
                "details": {
                    "hot_technology": use.hot_technology,
                    "in_demand": use.in_demand,
                    "examples": sorted(use.examples),
                },
            }
    return desired


def _sync_tasks(
    session: Session,
    framework_id: uuid.UUID,
    tasks: list[_Task],
    occupation_ids: dict[str, Any],
    summary: ImportSummary,
    progress: Progress,
) -> Tally:
    """Make the framework's tasks exactly the file's, keyed by occupation and Task ID."""
    existing = repository.tasks_by_key(session, framework_id)
    tally = Tally()
    progress.start("Tasks", len(tasks))
    new_rows: list[dict[str, Any]] = []
    wanted: set[tuple[uuid.UUID, str]] = set()
    for task in tasks:
        occupation = resolve(
            occupation_ids, occupation_uri(task.occupation), summary, "tasks: unknown occupation"
        )
        if occupation is None:
            continue
        wanted.add((occupation, task.code))
        current = existing.get((occupation, task.code))
        if current is None:
            new_rows.append(
                {
                    "id": uuid.uuid4(),
                    "occupation_id": occupation,
                    "code": task.code,
                    "text": task.text,
                    "core": task.core,
                }
            )
            tally.created += 1
        elif current.text != task.text or current.core != task.core:
            current.text, current.core = task.text, task.core
            tally.updated += 1
        else:
            tally.unchanged += 1
    for start in range(0, len(new_rows), BATCH):
        repository.insert_rows(session, OccupationTask, new_rows[start : start + BATCH])
    stale = [task.id for key, task in existing.items() if key not in wanted]
    repository.delete_tasks(session, stale)
    tally.removed = len(stale)
    progress.advance(len(tasks))
    session.flush()
    return tally
