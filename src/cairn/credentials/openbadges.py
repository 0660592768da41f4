"""Open Badges 3.0 documents: the Achievement a specification version describes, the
OpenBadgeCredential that says a learner earned it, and the EndorsementCredential an
endorser signs about it.

Built from plain values rather than database rows so the shape can be read and tested on
its own. Everything uses terms the OB 3.0 context defines: Cairn's own verifier reports
undefined terms, so the EU 2022 elements that OB has no property for (EQF level,
assessment, identity check, participation, quality assurance) travel as alignments and in
the criteria narrative (decision 0035)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from cairn.credentials.jsonld import JsonObject

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXTS = [VC_V2, OB_V3]
ACHIEVEMENT_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
ENDORSEMENT_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json"
)
SCHEMA_VALIDATOR = "JsonSchema"
"""VC 2.0's own type for JSON Schema validation; 1EdTech's older validator name is not a
term of the OB 3.0.3 context, so a strict verifier would report it as undefined."""
EQF = "http://data.europa.eu/snb/eqf/"
"""The EU's concept scheme for EQF levels: level 5 is ``…/eqf/5``."""


def xsd_datetime(moment: datetime) -> str:
    """UTC without fractions, as verifiers and the OB schema expect: ``2026-12-04T10:00:00Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Issuer:
    id: str
    """The issuer's DID."""
    name: str
    url: str
    description: str | None = None

    def profile(self) -> JsonObject:
        profile: JsonObject = {"id": self.id, "type": ["Profile"], "name": self.name}
        profile["url"] = self.url
        if self.description:
            profile["description"] = self.description
        return profile


@dataclass(frozen=True)
class SkillAlignment:
    name: str
    url: str
    framework: str
    code: str | None = None
    description: str | None = None
    level: str | None = None
    """The level the outcome asks for, in the framework's words, e.g. "3: Intermediate"."""

    def as_json(self) -> JsonObject:
        alignment: JsonObject = {
            "type": ["Alignment"],
            "targetName": self.name,
            "targetUrl": self.url,
            "targetFramework": self.framework,
            "targetType": "ceasn:Competency",
        }
        if self.code:
            alignment["targetCode"] = self.code
        description = " — ".join(filter(None, [self.description, self.level]))
        if description:
            alignment["targetDescription"] = description
        return alignment


@dataclass(frozen=True)
class AchievementSource:
    """What a specification version says about the achievement it leads to."""

    id: str
    """Where the version's public page is: the achievement's identity."""
    name: str
    description: str
    criteria: str
    """The narrative of how it is earned: outcomes, assessment, identity check."""
    version: str
    language: str
    creator: Issuer
    human_code: str | None = None
    credits_ects: float | None = None
    eqf_level: int | None = None
    skills: Sequence[SkillAlignment] = ()
    grading_scheme: str | None = None
    """How results are given, in words: names the result a credential reports."""
    tags: Sequence[str] = ()
    image_url: str | None = None
    endorsements: Sequence[JsonObject] = ()
    """Signed EndorsementCredentials about this achievement."""


def achievement(source: AchievementSource) -> JsonObject:
    document: JsonObject = {
        "id": source.id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
        "name": source.name,
        "description": source.description,
        "criteria": {"id": source.id, "narrative": source.criteria},
        "creator": source.creator.profile(),
        "inLanguage": source.language,
        "version": source.version,
    }
    if source.human_code:
        document["humanCode"] = source.human_code
    if source.credits_ects is not None:
        document["creditsAvailable"] = source.credits_ects
    alignments = [skill.as_json() for skill in source.skills]
    if source.eqf_level is not None:
        alignments.append(
            {
                "type": ["Alignment"],
                "targetName": f"EQF level {source.eqf_level}",
                "targetUrl": f"{EQF}{source.eqf_level}",
                "targetFramework": "European Qualifications Framework",
                "targetCode": str(source.eqf_level),
            }
        )
    if alignments:
        document["alignment"] = alignments
    if source.grading_scheme:
        document["resultDescription"] = [
            {
                "id": f"{source.id}#result",
                "type": ["ResultDescription"],
                "name": source.grading_scheme,
                "resultType": "Result",
            }
        ]
    if source.tags:
        document["tag"] = list(source.tags)
    if source.image_url:
        document["image"] = {"id": source.image_url, "type": "Image"}
    if source.endorsements:
        document["endorsement"] = list(source.endorsements)
    return document


@dataclass(frozen=True)
class Award:
    credential_id: str
    subject_id: str
    """The learner's DID: the holder a presentation must come from."""
    email: str
    """Bound to the credential only as a salted hash, so the document does not publish it."""
    name: str
    """The learner's name as the issuer knows it, in the clear: printed certificates and
    share pages name the holder, while the e-mail stays hashed."""
    awarded_on: date
    valid_from: datetime
    valid_until: datetime | None = None
    grade: str | None = None
    via_rpl: bool = False
    evidence: Sequence[tuple[str, str]] = ()
    """(URL, name) of work the learner submitted."""
    status: Sequence[JsonObject] = ()
    salt: str = field(default_factory=lambda: secrets.token_hex(8))


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0's salted identity hash: ``sha256$`` + hex of SHA-256(email + salt)."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def open_badge_credential(
    source: AchievementSource, issuer: Issuer, award: Award, description: str | None = None
) -> JsonObject:
    """The unsigned OpenBadgeCredential saying ``award``'s learner earned ``source``."""
    made = achievement(source)
    subject: JsonObject = {
        "id": award.subject_id,
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(award.email, award.salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": award.salt,
            },
            {
                "type": "IdentityObject",
                "identityHash": award.name,
                "identityType": "name",
                "hashed": False,
            },
        ],
        "achievement": made,
        "activityEndDate": f"{award.awarded_on.isoformat()}T00:00:00Z",
    }
    if award.grade:
        subject["result"] = [
            {
                "type": ["Result"],
                "resultDescription": f"{source.id}#result",
                "value": award.grade,
            }
            if "resultDescription" in made
            else {"type": ["Result"], "value": award.grade}
        ]
    if award.via_rpl:
        subject["narrative"] = "Awarded through recognition of prior learning."
    credential: JsonObject = {
        "@context": list(CONTEXTS),
        "id": award.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer.profile(),
        "validFrom": xsd_datetime(award.valid_from),
        "name": source.name,
        "credentialSubject": subject,
        "credentialSchema": [{"id": ACHIEVEMENT_SCHEMA, "type": SCHEMA_VALIDATOR}],
    }
    if description:
        credential["description"] = description
    if award.valid_until is not None:
        credential["validUntil"] = xsd_datetime(award.valid_until)
    if award.evidence:
        credential["evidence"] = [
            {"id": url, "type": ["Evidence"], "name": name} for url, name in award.evidence
        ]
    if award.status:
        credential["credentialStatus"] = list(award.status)
    return credential


def endorsement_credential(
    credential_id: str,
    endorser: Issuer,
    achievement_id: str,
    comment: str | None,
    valid_from: datetime,
) -> JsonObject:
    """An endorser's unsigned EndorsementCredential about an achievement."""
    subject: JsonObject = {"id": achievement_id, "type": ["EndorsementSubject"]}
    if comment:
        subject["endorsementComment"] = comment
    return {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "issuer": endorser.profile(),
        "validFrom": xsd_datetime(valid_from),
        "name": f"{endorser.name} endorses this achievement",
        "credentialSubject": subject,
        "credentialSchema": [{"id": ENDORSEMENT_SCHEMA, "type": SCHEMA_VALIDATOR}],
    }
