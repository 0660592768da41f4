"""Published specifications in CTDL, the Credential Transparency Description Language, as
JSON-LD ready for the Credential Engine Registry (decision 0030).

Each version becomes a ``ceterms:MicroCredential`` and each issuer or endorser a
``ceterms:CredentialOrganization``, all in one ``@graph``; the assessment, where the
specification names one, is a ``ceterms:AssessmentProfile`` the credential requires;
its structured prerequisites are conditions whose ``ceterms:targetCredential`` is the
required credential's version on offer (or newest published). Every term and concept used is in the published CTDL schema, and a test checks it."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any
from urllib.parse import quote

from cairn.catalogue.enums import AssessmentType, IdentityCheck, Participation
from cairn.catalogue.public import PublicSpecification
from cairn.catalogue.search_repository import PublicLink
from cairn.orgs.models import Organisation

CONTEXT = "https://credreg.net/ctdl/schema/context/json"
REGISTRY_RESOURCES = "https://credentialengineregistry.org/resources/"
MEDIA_TYPE = "application/ld+json"

Node = dict[str, Any]

DELIVERY = "ceterms:Delivery"
ONLINE = ("deliveryType:OnlineOnly", "Online Only")
IN_PERSON = ("deliveryType:InPerson", "In-Person Only")
BLENDED = ("deliveryType:BlendedDelivery", "Blended Delivery")
LEARNING_DELIVERY = {
    Participation.ONLINE: ONLINE,
    Participation.ON_SITE: IN_PERSON,
    Participation.BLENDED: BLENDED,
    Participation.WORK_INTEGRATED: IN_PERSON,
}
ASSESSMENT_DELIVERY = {
    IdentityCheck.ONLINE_UNSUPERVISED_CHECKED: ONLINE,
    IdentityCheck.ONLINE_PROCTORED: ONLINE,
    IdentityCheck.IN_PERSON: IN_PERSON,
}
PROCTORED = {
    IdentityCheck.NONE: False,
    IdentityCheck.ONLINE_UNSUPERVISED_CHECKED: False,
    IdentityCheck.ONLINE_PROCTORED: True,
    IdentityCheck.IN_PERSON: True,
}
ASSESSMENT_METHOD = "ceterms:AssessmentMethod"
ASSESSMENT_METHODS: dict[AssessmentType, list[tuple[str, str]]] = {
    AssessmentType.EXAM: [("assessMethod:Exam", "Exam")],
    AssessmentType.ADAPTIVE_TEST: [("assessMethod:Exam", "Exam")],
    AssessmentType.PROJECT: [("assessMethod:Artifact", "Artifact")],
    AssessmentType.PORTFOLIO: [("assessMethod:PortfolioEvaluation", "Portfolio Evaluation")],
    AssessmentType.PRACTICAL: [("assessMethod:Performance", "Performance")],
    AssessmentType.MIXED: [],
}
WORK_BASED = ("ceterms:LearningMethod", "learnMethod:WorkBased", "Work Based")
ACTIVE = ("credentialStat:Active", "Active")
DEPRECATED = ("credentialStat:Deprecated", "Deprecated")
AGGREGATE_COST = ("costType:AggregateCost", "Aggregate Cost")
DEGREE_CREDIT = "creditUnit:DegreeCredit"
"""CTDL has no ECTS unit: ECTS credits are degree credits, named "ECTS" in the value."""


def ctid(identity: uuid.UUID) -> str:
    """The Registry's identifier: "ce-" and a UUID; the row's own, so one version or
    organisation always exports under the same CTID."""
    return f"ce-{identity}"


def derived_ctid(identity: uuid.UUID, part: str) -> str:
    """A CTID for something that belongs to a row (its assessment), stable across exports
    and in the UUID version 4 form the Registry expects."""
    digest = hashlib.sha256(f"{identity}/{part}".encode()).digest()[:16]
    return ctid(uuid.UUID(bytes=digest, version=4))


def resource(identifier: str) -> str:
    return REGISTRY_RESOURCES + identifier


def page_url(base_url: str, view: PublicSpecification, *, numbered: bool = False) -> str:
    path = f"/catalogue/{quote(view.owner.slug)}/{quote(view.specification.slug)}"
    return base_url.rstrip("/") + path + (f"?version={view.version.number}" if numbered else "")


def _concept(scheme: str, node: str, name: str) -> Node:
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:framework": scheme,
        "ceterms:targetNode": node,
        "ceterms:targetNodeName": {"en-US": name},
    }


def _organisation(org: Organisation, base_url: str, language: str) -> Node:
    node: Node = {
        "@id": resource(ctid(org.id)),
        "@type": "ceterms:CredentialOrganization",
        "ceterms:ctid": ctid(org.id),
        "ceterms:name": {language: org.name},
        "ceterms:subjectWebpage": f"{base_url.rstrip('/')}/catalogue?issuer={quote(org.slug)}",
    }
    if org.description:
        node["ceterms:description"] = {language: org.description}
    return node


def credential(view: PublicSpecification, base_url: str) -> list[Node]:
    """The version as a MicroCredential, followed by the other nodes it refers to (its
    assessment); organisations are left to the caller, which shares them across versions."""
    version, lang = view.version, view.version.language
    node: Node = {
        "@id": resource(ctid(version.id)),
        "@type": "ceterms:MicroCredential",
        "ceterms:ctid": ctid(version.id),
        "ceterms:name": {lang: version.title},
        "ceterms:description": {lang: version.summary or version.title},
        "ceterms:subjectWebpage": page_url(base_url, view, numbered=not view.on_offer),
        "ceterms:inLanguage": [lang],
        "ceterms:credentialStatusType": [
            _concept("ceterms:CredentialStatus", *(ACTIVE if view.on_offer else DEPRECATED))
        ],
        "ceterms:ownedBy": [resource(ctid(view.owner.id))],
        "ceterms:offeredBy": [resource(ctid(org.id)) for org in view.issuers],
    }
    if version.published_at is not None:
        node["ceterms:dateEffective"] = version.published_at.date().isoformat()
    if view.endorsements:
        node["ceterms:recognizedBy"] = [resource(ctid(org.id)) for _, org in view.endorsements]
    if version.participation is not None:
        node["ceterms:learningDeliveryType"] = [
            _concept(DELIVERY, *LEARNING_DELIVERY[version.participation])
        ]
        if version.participation is Participation.WORK_INTEGRATED:
            node["ceterms:learningMethodType"] = [_concept(*WORK_BASED)]
    if version.identity_check in ASSESSMENT_DELIVERY:
        node["ceterms:assessmentDeliveryType"] = [
            _concept(DELIVERY, *ASSESSMENT_DELIVERY[version.identity_check])
        ]
    if version.workload_hours is not None:
        node["ceterms:estimatedDuration"] = [
            {
                "@type": "ceterms:DurationProfile",
                "ceterms:timeRequired": f"PT{version.workload_hours:g}H",
            }
        ]
    if version.price_minor is not None and version.currency:
        node["ceterms:estimatedCost"] = [
            {
                "@type": "ceterms:CostProfile",
                "ceterms:description": {lang: version.title},
                "ceterms:price": version.price_minor / 100,
                "ceterms:currency": version.currency,
                "ceterms:directCostType": [_concept("ceterms:CostType", *AGGREGATE_COST)],
            }
        ]
    if version.eqf_level is not None:
        node["ceterms:atLevel"] = [
            {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:frameworkName": {"en": "European Qualifications Framework"},
                "ceterms:targetNodeName": {"en": f"EQF level {version.eqf_level}"},
                "ceterms:codedNotation": str(version.eqf_level),
            }
        ]
    if version.region or version.country:
        place: Node = {"@type": "ceterms:Place"}
        if version.region:
            place["ceterms:addressRegion"] = {lang: version.region}
        if version.country:
            place["ceterms:addressCountry"] = {lang: version.country}
        node["ceterms:availableAt"] = [place]
    if version.quality_assurance:
        node["ceterms:processStandardsDescription"] = {lang: version.quality_assurance}
    assessment = _assessment(view, base_url)
    node["ceterms:requires"] = _conditions(view, assessment)
    return [node] if assessment is None else [node, assessment]


def _conditions(view: PublicSpecification, assessment: Node | None) -> list[Node]:
    """What earning the credential takes: its outcomes (with the skills they align to),
    its credit and its assessment; then what a learner needs before starting."""
    version, lang = view.version, view.version.language
    statements = [outcome.statement for outcome in view.outcomes]
    earning: Node = {
        "@type": "ceterms:ConditionProfile",
        "ceterms:description": {lang: "\n".join(statements) or version.title},
    }
    competencies = [
        {
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:targetNode": outcome.skill.uri,
            "ceterms:targetNodeName": {lang: outcome.skill.preferred_label},
            "ceterms:targetNodeDescription": {lang: outcome.statement},
            **({"ceterms:codedNotation": outcome.skill.code} if outcome.skill.code else {}),
            **(
                {"ceterms:frameworkName": {lang: outcome.framework.title}}
                if outcome.framework
                else {}
            ),
        }
        for outcome in view.outcomes
        if outcome.skill is not None
    ]
    if competencies:
        earning["ceterms:targetCompetency"] = competencies
    if version.ects is not None:
        earning["ceterms:creditValue"] = [
            {
                "@type": "ceterms:ValueProfile",
                "schema:value": version.ects,
                "ceterms:creditUnitType": [DEGREE_CREDIT],
                "schema:description": {lang: "ECTS"},
            }
        ]
    if assessment is not None:
        earning["ceterms:targetAssessment"] = [assessment["@id"]]
    conditions = [earning]
    if version.prerequisites:
        conditions.append(
            {
                "@type": "ceterms:ConditionProfile",
                "ceterms:description": {lang: version.prerequisites},
            }
        )
    conditions.extend(_required_credentials(clause, lang) for clause in view.prerequisites)
    return conditions


def _required_credentials(clause: list[PublicLink], lang: str) -> Node:
    """One clause of the structured prerequisites: the credential to hold, or a choice of
    them as alternative conditions, any one of which meets it (decision 0044)."""
    if len(clause) == 1:
        return _holding(clause[0], lang)
    return {
        "@type": "ceterms:ConditionProfile",
        "ceterms:description": {lang: " / ".join(link.title for link in clause)},
        "ceterms:alternativeCondition": [_holding(link, lang) for link in clause],
    }


def _holding(link: PublicLink, lang: str) -> Node:
    return {
        "@type": "ceterms:ConditionProfile",
        "ceterms:description": {lang: link.title},
        "ceterms:targetCredential": [resource(ctid(link.version_id))],
    }


def _assessment(view: PublicSpecification, base_url: str) -> Node | None:
    version, lang = view.version, view.version.language
    if version.assessment_type is None:
        return None
    identifier = derived_ctid(version.id, "assessment")
    node: Node = {
        "@id": resource(identifier),
        "@type": "ceterms:AssessmentProfile",
        "ceterms:ctid": identifier,
        "ceterms:name": {lang: version.title},
        "ceterms:description": {lang: version.grading_scheme or version.title},
        "ceterms:subjectWebpage": page_url(base_url, view, numbered=not view.on_offer),
        "ceterms:ownedBy": [resource(ctid(view.owner.id))],
    }
    methods = ASSESSMENT_METHODS[version.assessment_type]
    if methods:
        node["ceterms:assessmentMethodType"] = [
            _concept(ASSESSMENT_METHOD, term, name) for term, name in methods
        ]
    if version.grading_scheme:
        node["ceterms:scoringMethodDescription"] = {lang: version.grading_scheme}
    if version.identity_check is not None:
        node["ceterms:isProctored"] = PROCTORED[version.identity_check]
    return node


def document(views: list[PublicSpecification], base_url: str) -> Node:
    """One JSON-LD document for any number of versions: each organisation appears once, its
    name tagged with the language of the first version that names it."""
    graph: list[Node] = []
    organisations: dict[uuid.UUID, Node] = {}
    for view in views:
        graph.extend(credential(view, base_url))
        for org in [*view.issuers, *(org for _, org in view.endorsements)]:
            if org.id not in organisations:
                organisations[org.id] = _organisation(org, base_url, view.version.language)
    return {"@context": CONTEXT, "@graph": graph + list(organisations.values())}
