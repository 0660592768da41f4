"""A bank as a QTI 3.0 content package (decision 0022): ``imsmanifest.xml`` and one
``qti-assessment-item`` per item, each a standard interaction with its key and response
processing, so that any QTI 3.0 player can show and score it. What QTI has no place for (the
skill, the level, IRT parameters) travels in a namespaced Cairn element in the manifest's
resource metadata, which other tools ignore. ``qti_import`` reads the same mapping back."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from lxml import etree

QTI = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
MANIFEST = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
METADATA = "http://www.imsglobal.org/xsd/imsqti_metadata_v3p0"
CAIRN = "urn:cairn:qti:metadata:1"
"""Cairn's own metadata: the skill, level and IRT parameters of each item, and the bank."""
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ITEM_SCHEMA = "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd"
MANIFEST_SCHEMA = (
    "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd"
)
METADATA_SCHEMA = "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_metadatav3p0_v1p0.xsd"
ITEM_RESOURCE = "imsqti_item_xmlv3p0"
TEMPLATES = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/"
MATCH_CORRECT = TEMPLATES + "match_correct.xml"
MAP_RESPONSE = TEMPLATES + "map_response.xml"
KENDALL = "urn:cairn:qti:operator:kendall-agreement"
"""The custom operator of an ordered item scored by the share of pairs in the right order,
which QTI's expressions cannot write: players that do not know it score nothing."""
RESPONSE = "RESPONSE"
FEEDBACK_SHOWN = "feedback"
TRUE, FALSE = "true", "false"
MANIFEST_NAME = "imsmanifest.xml"
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

INTERACTIONS = {
    "single_choice": "choiceInteraction",
    "multiple_choice": "choiceInteraction",
    "true_false": "choiceInteraction",
    "likert_self_report": "choiceInteraction",
    "ordered": "orderInteraction",
    "numeric": "textEntryInteraction",
    "scenario": "extendedTextInteraction",
}
"""Each Cairn item type and the QTI interaction it is written as (qtiMetadata's names)."""


def q(name: str) -> str:
    """A QTI element's qualified name: ``q("qti-prompt")``; QTI 3.0 puts its XHTML (``p``,
    ``table``) in the same namespace."""
    return f"{{{QTI}}}{name}"


def rating_id(rating: int) -> str:
    return f"rating-{rating}"


def item_identifier(key: str) -> str:
    """The key when QTI allows it as an identifier (a name that starts with a letter),
    else a prefixed form; the key itself is kept in Cairn's metadata."""
    if NCNAME.match(key):
        return key
    return "item-" + re.sub(r"[^A-Za-z0-9_.-]", "-", key)


def write_package(
    bank: dict[str, Any], items: Sequence[dict[str, Any]], skill_uris: dict[str, str]
) -> bytes:
    """The zip: the manifest, then ``items/<identifier>.xml`` in the bank's order."""
    buffer = io.BytesIO()
    manifest = _manifest(bank)
    resources = etree.SubElement(manifest, f"{{{MANIFEST}}}resources")
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        used: set[str] = set()
        for item in items:
            identifier = item_identifier(item["id"])
            while identifier in used:
                identifier += "_"
            used.add(identifier)
            href = f"items/{identifier}.xml"
            archive.writestr(href, _serialise(_item(item, identifier, bank["language"])))
            resources.append(_resource(item, identifier, href, skill_uris.get(item["id"])))
        archive.writestr(MANIFEST_NAME, _serialise(manifest))
    return buffer.getvalue()


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- the manifest ---------------------------------------------------------------------


def _manifest(bank: dict[str, Any]) -> etree._Element:
    root = etree.Element(
        f"{{{MANIFEST}}}manifest",
        nsmap={None: MANIFEST, "qmd": METADATA, "cairn": CAIRN, "xsi": XSI},
        identifier=item_identifier(f"{bank['slug']}-{bank['version']}"),
    )
    root.set(
        f"{{{XSI}}}schemaLocation",
        f"{MANIFEST} {MANIFEST_SCHEMA} {METADATA} {METADATA_SCHEMA}",
    )
    metadata = etree.SubElement(root, f"{{{MANIFEST}}}metadata")
    etree.SubElement(metadata, f"{{{MANIFEST}}}schema").text = "QTI Package"
    etree.SubElement(metadata, f"{{{MANIFEST}}}schemaversion").text = "3.0.0"
    described = etree.SubElement(metadata, f"{{{CAIRN}}}bank")
    for name in ("slug", "version", "framework", "framework_version", "language", "licence"):
        if bank.get(name) is not None:
            described.set(name.replace("_", "-"), str(bank[name]))
    for name in ("title", "description"):
        if bank.get(name) is not None:
            etree.SubElement(described, f"{{{CAIRN}}}{name}").text = bank[name]
    etree.SubElement(root, f"{{{MANIFEST}}}organizations")
    return root


def _resource(
    item: dict[str, Any], identifier: str, href: str, skill_uri: str | None
) -> etree._Element:
    resource = etree.Element(
        f"{{{MANIFEST}}}resource", identifier=identifier, type=ITEM_RESOURCE, href=href
    )
    metadata = etree.SubElement(resource, f"{{{MANIFEST}}}metadata")
    standard = etree.SubElement(metadata, f"{{{METADATA}}}qtiMetadata")
    for name, value in (
        ("timeDependent", "false"),
        ("interactionType", INTERACTIONS[item["type"]]),
        ("feedbackType", "nonadaptive" if item.get("feedback") else "none"),
        ("solutionAvailable", "false" if item["type"] == "likert_self_report" else "true"),
        ("toolName", "Cairn"),
    ):
        etree.SubElement(standard, f"{{{METADATA}}}{name}").text = value
    resource_metadata = etree.SubElement(metadata, f"{{{CAIRN}}}item")
    fields: dict[str, Any] = {
        "key": item["id"],
        "version": item.get("version", 1),
        "competence": item["competence"],
        "skill": skill_uri,
        "level": item["level"],
        "descriptor-level": item.get("descriptor_level"),
        "difficulty": item["difficulty"],
        "discrimination": item.get("discrimination", 1.0),
        "exposures": item.get("exposures"),
    }
    calibration = item.get("calibration") or {}
    fields["guessing"] = calibration.get("guessing")
    fields["calibrated-at"] = calibration.get("calibrated_at")
    for name, value in fields.items():
        if value is not None:
            resource_metadata.set(name, str(value))
    for threshold in calibration.get("thresholds") or []:
        etree.SubElement(resource_metadata, f"{{{CAIRN}}}threshold").text = repr(threshold)
    for tag in item.get("tags", []):
        etree.SubElement(resource_metadata, f"{{{CAIRN}}}tag").text = tag
    etree.SubElement(resource, f"{{{MANIFEST}}}file", href=href)
    return resource


# --- one item -------------------------------------------------------------------------


def _item(item: dict[str, Any], identifier: str, language: str) -> etree._Element:
    root = etree.Element(
        q("qti-assessment-item"),
        nsmap={None: QTI, "xsi": XSI},
        identifier=identifier,
        title=item["id"],
        adaptive="false",
        attrib={"time-dependent": "false"},
    )
    root.set(f"{{{XSI}}}schemaLocation", f"{QTI} {ITEM_SCHEMA}")
    root.set(XML_LANG, language)
    kind = item["type"]
    _response_declaration(root, item)
    _outcomes(root, item)
    body = etree.SubElement(root, q("qti-item-body"))
    if kind == "scenario":
        _rubric(body, item["rubric"])
    if kind in ("likert_self_report", "scenario") and item.get("stem"):
        _paragraph(body, item["stem"])
    if kind == "numeric":
        _paragraph(body, item["stem"])
        line = etree.SubElement(body, q("p"))
        entry = etree.SubElement(
            line, q("qti-text-entry-interaction"), attrib={"response-identifier": RESPONSE}
        )
        entry.set("expected-length", "10")
        if item.get("unit"):
            entry.tail = " " + item["unit"]
    elif kind == "scenario":
        interaction = _interaction(body, "qti-extended-text-interaction", item["task"])
        interaction.set("expected-lines", "12")
    elif kind == "ordered":
        interaction = _interaction(body, "qti-order-interaction", item["stem"])
        interaction.set("shuffle", "false")
        _choices(interaction, item["options"])
    else:
        _choice_interaction(body, item)
    _response_processing(root, item)
    if item.get("feedback"):
        feedback = etree.SubElement(
            root,
            q("qti-modal-feedback"),
            attrib={
                "outcome-identifier": "FEEDBACK",
                "identifier": FEEDBACK_SHOWN,
                "show-hide": "show",
            },
        )
        _paragraph(etree.SubElement(feedback, q("qti-content-body")), item["feedback"])
    return root


def _response_declaration(root: etree._Element, item: dict[str, Any]) -> None:
    kind = item["type"]
    cardinality = {"multiple_choice": "multiple", "ordered": "ordered"}.get(kind, "single")
    base_type = {"numeric": "float", "scenario": "string"}.get(kind, "identifier")
    declaration = etree.SubElement(
        root,
        q("qti-response-declaration"),
        identifier=RESPONSE,
        cardinality=cardinality,
        attrib={"base-type": base_type},
    )
    correct: list[str] = []
    if kind in ("single_choice", "multiple_choice"):
        correct = list(item["correct"])
    elif kind == "true_false":
        correct = [TRUE if item["correct"] else FALSE]
    elif kind == "ordered":
        correct = list(item["correct_order"])
    elif kind == "numeric":
        correct = [repr(float(item["answer"]))]
    if correct:
        values = etree.SubElement(declaration, q("qti-correct-response"))
        for value in correct:
            etree.SubElement(values, q("qti-value")).text = value
    if kind == "multiple_choice" and item.get("scoring") == "partial":
        # Cairn's partial rule is exactly a mapping: a right option earns 1/n, a wrong one
        # takes 1/n away, and the total is kept between 0 and 1.
        share = 1 / len(item["correct"])
        mapping = etree.SubElement(
            declaration,
            q("qti-mapping"),
            attrib={"lower-bound": "0", "upper-bound": "1", "default-value": "0"},
        )
        for option in item["options"]:
            mapped = share if option["id"] in item["correct"] else -share
            etree.SubElement(
                mapping,
                q("qti-map-entry"),
                attrib={"map-key": option["id"], "mapped-value": repr(mapped)},
            )


def _outcomes(root: etree._Element, item: dict[str, Any]) -> None:
    kind = item["type"]
    if kind != "likert_self_report":
        maximum = item["max_points"] if kind == "scenario" else 1
        score = _outcome(root, "SCORE", "float", "0")
        score.set("normal-maximum", str(maximum))
        if kind == "scenario":
            score.set("external-scored", "human")
        _outcome(root, "MAXSCORE", "float", str(maximum))
    if item.get("feedback"):
        _outcome(root, "FEEDBACK", "identifier", FEEDBACK_SHOWN)


def _outcome(root: etree._Element, identifier: str, base_type: str, value: str) -> etree._Element:
    outcome = etree.SubElement(
        root,
        q("qti-outcome-declaration"),
        identifier=identifier,
        cardinality="single",
        attrib={"base-type": base_type},
    )
    default = etree.SubElement(outcome, q("qti-default-value"))
    etree.SubElement(default, q("qti-value")).text = value
    return outcome


def _paragraph(parent: etree._Element, text: str) -> None:
    etree.SubElement(parent, q("p")).text = text


def _interaction(body: etree._Element, name: str, prompt: str) -> etree._Element:
    interaction = etree.SubElement(body, q(name), attrib={"response-identifier": RESPONSE})
    etree.SubElement(interaction, q("qti-prompt")).text = prompt
    return interaction


def _choices(interaction: etree._Element, options: Sequence[dict[str, str]]) -> None:
    for option in options:
        etree.SubElement(
            interaction, q("qti-simple-choice"), identifier=option["id"]
        ).text = option["text"]


def _choice_interaction(body: etree._Element, item: dict[str, Any]) -> None:
    kind = item["type"]
    prompt = item["statement"] if kind == "likert_self_report" else item["stem"]
    interaction = _interaction(body, "qti-choice-interaction", prompt)
    # 0 is QTI's "no limit": several answers for multiple choice.
    interaction.set("max-choices", "0" if kind == "multiple_choice" else "1")
    # A test may show choices in another order; true/false and a rating scale keep theirs.
    interaction.set("shuffle", "true" if kind in ("single_choice", "multiple_choice") else "false")
    if kind == "true_false":
        options = [{"id": TRUE, "text": "True"}, {"id": FALSE, "text": "False"}]
    elif kind == "likert_self_report":
        options = [
            {"id": rating_id(rank), "text": label}
            for rank, label in enumerate(item["scale"], start=1)
        ]
    else:
        options = item["options"]
    _choices(interaction, options)


def _rubric(body: etree._Element, rubric: Sequence[dict[str, Any]]) -> None:
    """For the assessor only: a table per criterion, its caption the criterion and each row
    a level's points and description."""
    block = etree.SubElement(body, q("qti-rubric-block"), use="scoring", view="scorer")
    content = etree.SubElement(block, q("qti-content-body"))
    for criterion in rubric:
        table = etree.SubElement(content, q("table"))
        etree.SubElement(table, q("caption")).text = criterion["criterion"]
        rows = etree.SubElement(table, q("tbody"))
        for level in criterion["levels"]:
            row = etree.SubElement(rows, q("tr"))
            etree.SubElement(row, q("th"), scope="row").text = str(level["points"])
            etree.SubElement(row, q("td")).text = level["description"]


def _response_processing(root: etree._Element, item: dict[str, Any]) -> None:
    kind = item["type"]
    if kind in ("likert_self_report", "scenario"):
        return  # nothing to score automatically: a self-rating, or an assessor's marks
    processing = etree.SubElement(root, q("qti-response-processing"))
    if kind == "multiple_choice" and item.get("scoring") == "partial":
        processing.set("template", MAP_RESPONSE)
    elif kind == "ordered" and item.get("scoring") == "partial":
        score = etree.SubElement(processing, q("qti-set-outcome-value"), identifier="SCORE")
        operator = etree.SubElement(score, q("qti-custom-operator"), definition=KENDALL)
        etree.SubElement(operator, q("qti-variable"), identifier=RESPONSE)
        etree.SubElement(operator, q("qti-correct"), identifier=RESPONSE)
    elif kind == "numeric" and item.get("tolerance"):
        _within_tolerance(processing, float(item["tolerance"]))
    else:
        processing.set("template", MATCH_CORRECT)


def _within_tolerance(processing: etree._Element, tolerance: float) -> None:
    condition = etree.SubElement(processing, q("qti-response-condition"))
    branch = etree.SubElement(condition, q("qti-response-if"))
    equal = etree.SubElement(
        branch,
        q("qti-equal"),
        attrib={"tolerance-mode": "absolute", "tolerance": repr(tolerance)},
    )
    etree.SubElement(equal, q("qti-variable"), identifier=RESPONSE)
    etree.SubElement(equal, q("qti-correct"), identifier=RESPONSE)
    for parent, points in (
        (branch, "1"),
        (etree.SubElement(condition, q("qti-response-else")), "0"),
    ):
        score = etree.SubElement(parent, q("qti-set-outcome-value"), identifier="SCORE")
        etree.SubElement(score, q("qti-base-value"), attrib={"base-type": "float"}).text = points
