"""Reading a QTI 3.0 content package (a zip or a folder) into an item bank: each item's
interaction mapped back to a Cairn item type (the mapping of ``qti`` and decision 0022),
its skill, level and parameters from Cairn's metadata in the manifest, or from defaults for
items written by other tools. An interaction Cairn cannot score, or an item that does not
say what it measures, is a problem of that item; nothing is imported while any remains."""

from __future__ import annotations

import string
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from cairn.assessment.bank_document import (
    BankDocument,
    ItemDefaults,
    Location,
    RawItem,
    option_bank_column,
)
from cairn.assessment.qti import (
    CAIRN,
    ITEM_RESOURCE,
    KENDALL,
    MANIFEST,
    MANIFEST_NAME,
    QTI,
    TRUE,
    q,
)
from cairn.kit.i18n import lazy_gettext
from cairn.kit.progress import Progress
from cairn.taxonomy.importers.source import Problems

MAX_FILE = 5 * 1024 * 1024
"""No item or manifest is anywhere near this; a bigger member is refused unread."""
PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True, remove_pis=True
)
"""Entities are never expanded nor fetched: a package is untrusted input."""
IGNORED_INTERACTIONS = {"qti-end-attempt-interaction"}
"""A button that ends the attempt: it asks nothing, so it does not count as the item's."""
NOT_STEM = {"qti-rubric-block", "qti-feedback-block", "qti-modal-feedback"}
COLUMNS = {
    "id": "identifier",
    "stem": "qti-prompt",
    "statement": "qti-prompt",
    "task": "qti-prompt",
    "options": "qti-simple-choice",
    "scale": "qti-simple-choice",
    "correct": "qti-correct-response",
    "correct_order": "qti-correct-response",
    "answer": "qti-correct-response",
    "tolerance": "qti-equal",
    "unit": "qti-text-entry-interaction",
    "scoring": "qti-response-processing",
    "rubric": "qti-rubric-block",
    "max_points": "MAXSCORE",
    "feedback": "qti-modal-feedback",
    "type": "qti-item-body",
}
"""Where in an item each field of the JSON format comes from, to report problems there;
the rest comes from Cairn's metadata in the manifest."""


def read_package(
    path: Path,
    problems: Problems,
    *,
    bank: Mapping[str, Any],
    defaults: ItemDefaults,
    progress: Progress,
) -> BankDocument:
    package = _Package(path)
    manifest = package.parse(MANIFEST_NAME, problems)
    if manifest is None:
        problems.raise_if_any()
        problems.add(
            str(path),
            1,
            MANIFEST_NAME,
            lazy_gettext("There is no imsmanifest.xml: a QTI package has one at its top."),
        )
        problems.raise_if_any()
    assert manifest is not None  # noqa: S101 - raise_if_any raised otherwise
    if manifest.tag != f"{{{MANIFEST}}}manifest":
        problems.add(
            package.display(MANIFEST_NAME),
            manifest.sourceline or 1,
            etree.QName(manifest).localname,
            lazy_gettext(
                "Not a QTI 3.0 manifest (namespace %(namespace)s); Cairn reads QTI 3.0 packages.",
                namespace=etree.QName(manifest).namespace or "-",
            ),
        )
        problems.raise_if_any()
    document = BankDocument(
        file=package.display(MANIFEST_NAME),
        bank={**_bank(manifest), **bank},
        bank_column=option_bank_column,
        seed_from_level=True,
    )
    resources = [
        resource
        for resource in manifest.iterfind(f"{{{MANIFEST}}}resources/{{{MANIFEST}}}resource")
        if resource.get("type", "").startswith(ITEM_RESOURCE)
    ]
    if not resources:
        problems.add(
            document.file, 1, "resources", lazy_gettext("The manifest lists no QTI 3.0 items.")
        )
    progress.start("Reading items", len(resources))
    for resource in resources:
        found = _read_item(package, resource, defaults, problems)
        if found is not None:
            document.items.append(found)
        progress.advance()
    return document


class _Package:
    """A folder or a zip, read member by member; a zip may hold the package in a folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = PurePosixPath()
        self.members: dict[str, zipfile.ZipInfo] = {}
        if not path.is_dir():
            with zipfile.ZipFile(path) as archive:
                self.members = {info.filename: info for info in archive.infolist()}
            manifests = sorted(
                (name for name in self.members if PurePosixPath(name).name == MANIFEST_NAME),
                key=len,
            )
            if manifests:
                self.base = PurePosixPath(manifests[0]).parent

    def display(self, name: str) -> str:
        if self.path.is_dir():
            return str(self.path / name)
        return f"{self.path}!{self.base / name}"

    def parse(self, name: str, problems: Problems) -> etree._Element | None:
        data = self._read(name, problems)
        if data is None:
            return None
        try:
            return etree.fromstring(data, PARSER)
        except etree.XMLSyntaxError as error:
            problems.add(
                self.display(name),
                error.lineno or 1,
                "-",
                lazy_gettext("Not well-formed XML: %(reason)s", reason=error.msg),
            )
            return None

    def _read(self, name: str, problems: Problems) -> bytes | None:
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            problems.add(
                self.display(MANIFEST_NAME),
                1,
                name,
                lazy_gettext("This file lies outside the package."),
            )
            return None
        if self.path.is_dir():
            file = self.path.joinpath(*relative.parts)
            if not file.is_file():
                self._missing(name, problems)
                return None
            if file.stat().st_size > MAX_FILE:
                self._too_big(name, problems)
                return None
            return file.read_bytes()
        info = self.members.get(str(self.base / relative))
        if info is None:
            self._missing(name, problems)
            return None
        if info.file_size > MAX_FILE:
            self._too_big(name, problems)
            return None
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(info)

    def _missing(self, name: str, problems: Problems) -> None:
        if name != MANIFEST_NAME:  # the caller explains a missing manifest
            problems.add(
                self.display(MANIFEST_NAME),
                1,
                name,
                lazy_gettext("The manifest lists this file but the package does not hold it."),
            )

    def _too_big(self, name: str, problems: Problems) -> None:
        problems.add(
            self.display(name),
            1,
            "-",
            lazy_gettext("The file is larger than %(size)s MB.", size=MAX_FILE // 1024 // 1024),
        )


def _bank(manifest: etree._Element) -> dict[str, Any]:
    """The bank Cairn described in the manifest's metadata; empty for other tools'."""
    described = manifest.find(f"{{{MANIFEST}}}metadata/{{{CAIRN}}}bank")
    if described is None:
        return {}
    found: dict[str, Any] = {
        name.replace("-", "_"): value for name, value in described.attrib.items()
    }
    for name in ("title", "description"):
        text = described.findtext(f"{{{CAIRN}}}{name}")
        if text is not None:
            found[name] = text
    return found


# --- one item -------------------------------------------------------------------------


@dataclass
class _Context:
    """What the readers of an interaction need and report to."""

    file: str
    root: etree._Element
    interaction: etree._Element
    declaration: etree._Element
    problems: Problems
    failed: bool = field(default=False)

    def problem(self, element: etree._Element, reason: str) -> None:
        self.problems.add(
            self.file, element.sourceline or 1, etree.QName(element).localname, reason
        )
        self.failed = True


def _read_item(
    package: _Package, resource: etree._Element, defaults: ItemDefaults, problems: Problems
) -> RawItem | None:
    href = resource.get("href", "")
    name = package.display(href)
    root = package.parse(href, problems)
    if root is None:
        return None
    if root.tag != q("qti-assessment-item"):
        problems.add(
            name,
            root.sourceline or 1,
            etree.QName(root).localname,
            lazy_gettext(
                "Not a QTI 3.0 item: Cairn reads qti-assessment-item in namespace %(namespace)s.",
                namespace=QTI,
            ),
        )
        return None
    interactions = [
        element
        for element in root.iter(f"{{{QTI}}}*")
        if etree.QName(element).localname.endswith("-interaction")
        and etree.QName(element).localname not in IGNORED_INTERACTIONS
    ]
    if len(interactions) != 1:
        problems.add(
            name,
            root.sourceline or 1,
            "qti-assessment-item",
            lazy_gettext(
                "The item has %(count)s interactions; Cairn's items have exactly one.",
                count=len(interactions),
            ),
        )
        return None
    interaction = interactions[0]
    kind = etree.QName(interaction).localname
    reader = READERS.get(kind)
    if reader is None:
        problems.add(
            name,
            interaction.sourceline or 1,
            "qti-assessment-item",
            lazy_gettext("Interaction %(name)s is not supported.", name=kind),
        )
        return None
    identifier = interaction.get("response-identifier", "")
    declaration = next(
        (
            found
            for found in root.iterfind(q("qti-response-declaration"))
            if found.get("identifier") == identifier
        ),
        None,
    )
    if declaration is None:
        problems.add(
            name,
            interaction.sourceline or 1,
            kind,
            lazy_gettext(
                "No qti-response-declaration has the identifier %(identifier)s.",
                identifier=identifier or "-",
            ),
        )
        return None
    context = _Context(name, root, interaction, declaration, problems)
    data = reader(context)
    metadata = resource.find(f"{{{MANIFEST}}}metadata/{{{CAIRN}}}item")
    described = _metadata(metadata, data, defaults)
    for missing, option in (("competence", "--competence"), ("level", "--level")):
        if missing not in described and not (missing == "competence" and "skill" in described):
            context.problem(
                root,
                str(
                    lazy_gettext(
                        "The item does not say its %(field)s: add Cairn's metadata to the "
                        "manifest, or give a default with %(option)s.",
                        field=missing,
                        option=option,
                    )
                ),
            )
    if context.failed:
        return None
    skill_uri = described.pop("skill", None)
    data.update(described)
    data["id"] = described.get("id") or resource.get("identifier") or root.get("identifier", "")
    feedback = root.find(q("qti-modal-feedback"))
    if feedback is not None:
        data["feedback"] = _text(feedback)
    return RawItem(data, name, root.sourceline or 1, _column, skill_uri)


def _metadata(
    metadata: etree._Element | None, data: dict[str, Any], defaults: ItemDefaults
) -> dict[str, Any]:
    """The item's fields from Cairn's metadata element, else from the defaults."""
    found: dict[str, Any] = {}
    if defaults.competence is not None:
        found["competence"] = defaults.competence
    if defaults.level is not None:
        found["level"] = defaults.level
    if metadata is not None:
        attributes = dict(metadata.attrib)
        if "key" in attributes:
            found["id"] = attributes.pop("key")
        calibration: dict[str, Any] = {
            name: attributes.pop(attribute)
            for name, attribute in (("guessing", "guessing"), ("calibrated_at", "calibrated-at"))
            if attribute in attributes
        }
        thresholds = [element.text for element in metadata.iterfind(f"{{{CAIRN}}}threshold")]
        if thresholds:
            calibration["thresholds"] = thresholds
        if calibration:
            found["calibration"] = calibration
        tags = [element.text or "" for element in metadata.iterfind(f"{{{CAIRN}}}tag")]
        if tags:
            found["tags"] = tags
        found.update({name.replace("-", "_"): value for name, value in attributes.items()})
    if data.get("type") == "likert_self_report" and "level" in found:
        found.setdefault("descriptor_level", found["level"])
    elif data.get("type") != "likert_self_report":
        found.pop("descriptor_level", None)
    return found


def _column(location: Location) -> str:
    if not location:
        return "qti-assessment-item"
    if location[0] == "calibration" and len(location) > 1:
        location = location[1:]
    first = str(location[0])
    if first in ("tags", "thresholds"):
        return "cairn:" + first.removesuffix("s")
    return COLUMNS.get(first, "cairn:item/@" + first.replace("_", "-"))


# --- interactions ---------------------------------------------------------------------


def _choice(context: _Context) -> dict[str, Any]:
    choices = _simple_choices(context.interaction)
    correct = _correct(context.declaration)
    prompt, lead = _prompt(context.interaction), _lead(context)
    if not correct:
        # Nothing is right: a survey question, which Cairn keeps as a self-rating.
        return {
            "type": "likert_self_report",
            "statement": prompt or lead,
            "scale": [text for _, text in choices],
            **({"stem": lead} if prompt and lead else {}),
        }
    ids = [identifier for identifier, _ in choices]
    stem = " ".join(part for part in (lead, prompt) if part)
    single = context.declaration.get("cardinality", "single") == "single"
    if single and sorted(identifier.lower() for identifier in ids) == ["false", "true"]:
        return {"type": "true_false", "stem": stem, "correct": correct[0].lower() == TRUE}
    letters = _letters(ids)
    options = [{"id": letters[identifier], "text": text} for identifier, text in choices]
    keyed = [letters.get(value, value) for value in correct]
    if single:
        return {"type": "single_choice", "stem": stem, "options": options, "correct": keyed}
    partial = context.declaration.find(q("qti-mapping")) is not None
    return {
        "type": "multiple_choice",
        "stem": stem,
        "options": options,
        "correct": keyed,
        "scoring": "partial" if partial else "all_or_nothing",
    }


def _order(context: _Context) -> dict[str, Any]:
    choices = _simple_choices(context.interaction)
    letters = _letters([identifier for identifier, _ in choices])
    custom = context.root.find(f"{q('qti-response-processing')}//{q('qti-custom-operator')}")
    partial = custom is not None and custom.get("definition") == KENDALL
    return {
        "type": "ordered",
        "stem": " ".join(part for part in (_lead(context), _prompt(context.interaction)) if part),
        "options": [{"id": letters[identifier], "text": text} for identifier, text in choices],
        "correct_order": [letters.get(value, value) for value in _correct(context.declaration)],
        "scoring": "partial" if partial else "exact",
    }


def _numeric(context: _Context) -> dict[str, Any]:
    base_type = context.declaration.get("base-type", "")
    if base_type not in ("float", "integer"):
        context.problem(
            context.interaction,
            str(
                lazy_gettext(
                    "A text entry with a %(type)s answer is not supported: Cairn's short "
                    "answers are numbers (base-type float or integer).",
                    type=base_type or "-",
                )
            ),
        )
    data: dict[str, Any] = {"type": "numeric", "stem": _lead(context)}
    correct = _correct(context.declaration)
    if correct:
        data["answer"] = correct[0]
    unit = _normal(context.interaction.tail or "")
    if unit:
        data["unit"] = unit
    equal = context.root.find(f"{q('qti-response-processing')}//{q('qti-equal')}")
    if equal is not None and equal.get("tolerance"):
        if equal.get("tolerance-mode", "exact") != "absolute":
            context.problem(
                equal,
                str(lazy_gettext("Only an absolute tolerance is supported.")),
            )
        data["tolerance"] = equal.get("tolerance", "").split()[0]
    return data


def _scenario(context: _Context) -> dict[str, Any]:
    prompt, lead = _prompt(context.interaction), _lead(context)
    rubric = _rubric(context)
    data: dict[str, Any] = {"type": "scenario", "task": prompt or lead, "rubric": rubric}
    if prompt and lead:
        data["stem"] = lead
    maximum = context.root.find(
        f"{q('qti-outcome-declaration')}[@identifier='MAXSCORE']/"
        f"{q('qti-default-value')}/{q('qti-value')}"
    )
    if maximum is not None and maximum.text:
        data["max_points"] = _whole(maximum.text)
    else:
        data["max_points"] = sum(
            max((level["points"] for level in criterion["levels"]), default=0)
            for criterion in rubric
        )
    return data


READERS = {
    "qti-choice-interaction": _choice,
    "qti-order-interaction": _order,
    "qti-text-entry-interaction": _numeric,
    "qti-extended-text-interaction": _scenario,
}


def _rubric(context: _Context) -> list[dict[str, Any]]:
    """The criteria from the scorer's rubric block: a table per criterion, captioned with
    it, a row per level holding its points and description."""
    criteria: list[dict[str, Any]] = []
    for block in context.root.iter(q("qti-rubric-block")):
        if "scorer" not in block.get("view", "").split():
            continue
        for table in block.iter(q("table")):
            levels: list[dict[str, Any]] = []
            for row in table.iter(q("tr")):
                cells = [cell for cell in row if etree.QName(cell).localname in ("th", "td")]
                points = _whole(_text(cells[0])) if len(cells) == 2 else None
                if not isinstance(points, int):
                    context.problem(
                        row,
                        str(
                            lazy_gettext(
                                "A rubric row needs two cells: whole points, then a description."
                            )
                        ),
                    )
                    continue
                levels.append({"points": points, "description": _text(cells[1])})
            caption = table.find(q("caption"))
            criteria.append(
                {"criterion": _text(caption) if caption is not None else "", "levels": levels}
            )
    if not criteria:
        context.problem(
            context.interaction,
            str(
                lazy_gettext(
                    "A task scored by an assessor needs its rubric: a qti-rubric-block for the "
                    "scorer with one table per criterion."
                )
            ),
        )
    return criteria


# --- text -----------------------------------------------------------------------------


def _simple_choices(interaction: etree._Element) -> list[tuple[str, str]]:
    return [
        (choice.get("identifier", ""), _text(choice))
        for choice in interaction.iterfind(q("qti-simple-choice"))
    ]


def _correct(declaration: etree._Element) -> list[str]:
    return [
        _normal(value.text or "")
        for value in declaration.iterfind(f"{q('qti-correct-response')}/{q('qti-value')}")
    ]


def _letters(identifiers: list[str]) -> dict[str, str]:
    """Options become ``a``, ``b``, ``c`` in their order, as Cairn's format has them."""
    return {
        identifier: string.ascii_lowercase[index] if index < 26 else str(index + 1)
        for index, identifier in enumerate(identifiers)
    }


def _prompt(interaction: etree._Element) -> str:
    prompt = interaction.find(q("qti-prompt"))
    return _text(prompt) if prompt is not None else ""


def _lead(context: _Context) -> str:
    """The item body's text around the interaction: the stem of items that put it there
    rather than in a prompt. The interaction's own text (and a unit after it) is left out."""
    body = context.root.find(q("qti-item-body"))
    if body is None:
        return ""
    parts: list[str] = []
    for child in body:
        if etree.QName(child).localname in NOT_STEM:
            continue
        if child is context.interaction:
            continue
        parts.append(_normal(_text_without(child, context.interaction)))
    return " ".join(part for part in parts if part)


def _text_without(element: etree._Element, skipped: etree._Element) -> str:
    text = element.text or ""
    for child in element:
        if child is not skipped:
            text += _text_without(child, skipped) + (child.tail or "")
    return text


def _text(element: etree._Element) -> str:
    return _normal("".join(element.itertext()))


def _normal(text: str) -> str:
    """Whitespace as a reader sees it: XML indentation is not part of the wording."""
    return " ".join(text.split())


def _whole(text: str) -> int | str:
    """A whole number written as ``8`` or ``8.0``; anything else as written, for the
    format's checks to report."""
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else text
