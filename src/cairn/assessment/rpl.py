"""Recognition of prior learning (decision 0019).

A learner claims a level in a skill before one of their organisations and backs it with
files and links. An assessor of that organisation (an HR administrator or an educator)
judges the evidence against criteria: the skill's own description of the claimed level, the
framework scale's description of it, and whether the evidence is the learner's own, current
and sufficient. The assessor accepts (at the claimed level or lower), rejects with a
reason, or returns the claim for more evidence. Only an acceptance reaches the skills
profile, as one ``assessor_review`` Evidence row. Nobody assesses their own claim.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from cairn.assessment import rpl_repository as repository
from cairn.assessment.enums import ArtifactKind, EvidenceSource, RplStatus
from cairn.assessment.enums import label as status_label
from cairn.assessment.models import Evidence, RplArtifact, RplClaim
from cairn.assessment.rpl_files import (
    ACCEPTED_EXTENSIONS,
    MAX_CLAIM_BYTES,
    MAX_FILE_BYTES,
    clean_filename,
    matches_name,
    sniff,
)
from cairn.assessment.rpl_schemas import ClaimCreate, DecisionWrite, LinkWrite, Outcome
from cairn.config import get_settings
from cairn.kit.actor import Actor, Role, Scope, require_person, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import LazyString, gettext, lazy_gettext
from cairn.kit.mail import Mail, mailer_for
from cairn.kit.pagination import Paged, PageParams
from cairn.orgs import repository as orgs_repository
from cairn.orgs.models import Organisation, Person
from cairn.orgs.permissions import visible_organisation
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.models import Framework, Skill

ASSESSOR_ROLES = frozenset({Role.HR_ADMIN, Role.EDUCATOR})
"""Who judges claims for an organisation. Managers do not: they already give their reports
a manager's rating, and a formal recognition should not rest on the line manager alone."""
OPEN = frozenset({RplStatus.SUBMITTED, RplStatus.MORE_EVIDENCE})
"""Before a decision: the learner may still add evidence or withdraw."""
MAX_ARTIFACTS = 30
AUTHENTICITY = "authenticity"


@dataclass(frozen=True)
class Upload:
    """A file as received: the name the browser gave and its bytes, read up to one byte
    beyond ``MAX_FILE_BYTES`` so that a larger file is recognised without reading it all."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class LevelChoice:
    rank: int
    label: str
    general: str | None
    """What the level means on the framework's scale, for any skill."""
    specific: str | None
    """What the level looks like in this skill, where the framework says."""


@dataclass(frozen=True)
class Criterion:
    key: str
    text: str
    met: bool | None
    note: str | None


@dataclass(frozen=True)
class ClaimView:
    claim: RplClaim
    person: Person
    org: Organisation
    skill: Skill
    framework: Framework
    levels: list[LevelChoice]
    criteria: list[Criterion]
    artifacts: list[RplArtifact]

    def level_label(self, rank: int | None) -> str | None:
        return next((level.label for level in self.levels if level.rank == rank), None)

    @property
    def status_label(self) -> str:
        return status_label(self.claim.status)

    @property
    def is_open(self) -> bool:
        return self.claim.status in OPEN


def is_assessor(actor: Actor, org_id: uuid.UUID) -> bool:
    return actor.has_any_role(org_id, ASSESSOR_ROLES)


# --- what a claim is judged against -------------------------------------------------------


def levels_of(session: Session, skill: Skill, framework: Framework) -> list[LevelChoice]:
    descriptors = repository.level_descriptors(session, [skill.id])
    return _levels(skill, framework, descriptors)


def _levels(
    skill: Skill, framework: Framework, descriptors: dict[tuple[uuid.UUID, int], str]
) -> list[LevelChoice]:
    scale = framework.scale.levels if framework.scale else []
    return [
        LevelChoice(
            level.rank, level.label, level.descriptor, descriptors.get((skill.id, level.rank))
        )
        for level in scale
    ]


def _expected_criteria(levels: list[LevelChoice], rank: int) -> list[tuple[str, str]]:
    """(key, text): the claimed level as the skill and as the scale describe it, then the
    authenticity of the evidence; always at least the scale's level and authenticity."""
    level = next((choice for choice in levels if choice.rank == rank), None)
    expected: list[tuple[str, str]] = []
    if level is not None and level.specific:
        expected.append(("skill_level", level.specific))
    if level is not None:
        expected.append(
            (
                "scale_level",
                level.general
                or gettext("Shows the skill at the level %(label)s.", label=level.label),
            )
        )
    expected.append(
        (
            AUTHENTICITY,
            gettext("The evidence is the learner's own work, current and sufficient."),
        )
    )
    return expected


def _criteria(claim: RplClaim, levels: list[LevelChoice]) -> list[Criterion]:
    """A decided claim keeps the criteria as judged; an open one shows today's, with any
    judgement an assessor gave when asking for more evidence."""
    judged = {str(item.get("key")): item for item in claim.criteria or []}
    if claim.status not in OPEN:
        return [
            Criterion(
                str(item.get("key")), str(item["criterion"]), item.get("met"), item.get("note")
            )
            for item in claim.criteria or []
        ]
    return [
        Criterion(key, text, judged.get(key, {}).get("met"), judged.get(key, {}).get("note"))
        for key, text in _expected_criteria(levels, claim.claimed_level)
    ]


def _views(session: Session, claims: Sequence[RplClaim]) -> list[ClaimView]:
    """Views of many claims with a handful of queries, whatever their number."""
    skills = taxonomy_repository.skills_by_ids(session, {claim.skill_id for claim in claims})
    frameworks = taxonomy_repository.frameworks_by_ids(
        session, {skill.framework_id for skill in skills.values()}
    )
    people = repository.people_by_ids(session, {claim.person_id for claim in claims})
    orgs = repository.organisations_by_ids(session, {claim.org_id for claim in claims})
    descriptors = repository.level_descriptors(session, skills.keys())
    artifacts: dict[uuid.UUID, list[RplArtifact]] = {}
    for artifact in repository.artifacts_of(session, [claim.id for claim in claims]):
        artifacts.setdefault(artifact.claim_id, []).append(artifact)
    views: list[ClaimView] = []
    for claim in claims:
        skill = skills[claim.skill_id]
        framework = frameworks[skill.framework_id]
        levels = _levels(skill, framework, descriptors)
        views.append(
            ClaimView(
                claim=claim,
                person=people[claim.person_id],
                org=orgs[claim.org_id],
                skill=skill,
                framework=framework,
                levels=levels,
                criteria=_criteria(claim, levels),
                artifacts=artifacts.get(claim.id, []),
            )
        )
    return views


def _paged_views(session: Session, paged: Paged[RplClaim]) -> Paged[ClaimView]:
    return Paged(items=_views(session, paged.items), total=paged.total, params=paged.params)


# --- the learner's side -------------------------------------------------------------------


def claimable_organisations(session: Session, actor: Actor) -> list[Organisation]:
    """The organisations a claim may be put to: the learner's own, each once."""
    found: dict[uuid.UUID, Organisation] = {}
    for _, org in orgs_repository.memberships_of_person(session, actor.person_id):
        found.setdefault(org.id, org)
    return list(found.values())


def claimable_skill(
    session: Session, actor: Actor, skill_id: uuid.UUID, org_id: uuid.UUID | None = None
) -> tuple[Skill, Framework]:
    """A skill a level can be claimed in: not a group, on a framework with a scale, public or
    owned by the organisation asked (else its assessors could not read it)."""
    skill = taxonomy_repository.get_skill(session, skill_id)
    framework = taxonomy_repository.get_framework(session, skill.framework_id) if skill else None
    allowed = {None, org_id} if org_id is not None else {None, *actor.org_ids}
    if skill is None or framework is None or framework.owner_org_id not in allowed:
        raise _invalid(
            "skill_id",
            lazy_gettext("Choose a skill of a public framework or of the organisation asked."),
        )
    if skill.is_group:
        raise _invalid(
            "skill_id",
            lazy_gettext(
                "%(label)s is a group of skills; choose a skill in it.", label=skill.preferred_label
            ),
        )
    if framework.scale is None or not framework.scale.levels:
        raise _invalid(
            "skill_id", lazy_gettext("This skill's framework has no levels to claim one of.")
        )
    return skill, framework


def submit_claim(
    session: Session, actor: Actor, data: ClaimCreate, uploads: Sequence[Upload] = ()
) -> RplClaim:
    """Everything is checked before anything is written, so a refused claim leaves nothing.
    Files and links are optional here: the statement is evidence too, the API adds files
    after creating the claim, and an assessor can ask for more."""
    require_person(actor)
    require_scope(actor, Scope.ASSESSMENT_WRITE)
    if data.org_id not in actor.org_ids:
        raise _invalid("org_id", lazy_gettext("Choose one of your organisations."))
    skill, framework = claimable_skill(session, actor, data.skill_id, data.org_id)
    _check_level(levels_of(session, skill, framework), data.claimed_level, "claimed_level")
    artifacts = _checked_links(data.links) + _checked_files(uploads, stored=0, count=0)
    if len(artifacts) > MAX_ARTIFACTS:
        raise _too_many()
    claim = RplClaim(
        person_id=actor.person_id,
        org_id=data.org_id,
        skill_id=skill.id,
        claimed_level=data.claimed_level,
        statement=data.statement,
        status=RplStatus.SUBMITTED,
        submitted_at=utcnow(),
        criteria=[],
    )
    session.add(claim)
    session.flush()
    _attach(session, claim, artifacts)
    return claim


def my_claims(session: Session, actor: Actor, params: PageParams) -> Paged[ClaimView]:
    require_scope(actor, Scope.ASSESSMENT_READ)
    return _paged_views(session, repository.claims_of_person(session, actor.person_id, params))


def my_claim(session: Session, actor: Actor, claim_id: uuid.UUID) -> ClaimView:
    require_scope(actor, Scope.ASSESSMENT_READ)
    return _views(session, [_my_claim(session, actor, claim_id)])[0]


def my_file(
    session: Session, actor: Actor, claim_id: uuid.UUID, artifact_id: uuid.UUID
) -> RplArtifact:
    require_scope(actor, Scope.ASSESSMENT_READ)
    return _file(session, _my_claim(session, actor, claim_id), artifact_id)


def add_evidence(
    session: Session,
    actor: Actor,
    claim_id: uuid.UUID,
    links: Sequence[LinkWrite] = (),
    uploads: Sequence[Upload] = (),
) -> list[RplArtifact]:
    require_scope(actor, Scope.ASSESSMENT_WRITE)
    claim = _my_open_claim(session, actor, claim_id)
    if not links and not uploads:
        raise _invalid("files", lazy_gettext("Add a file or a link."))
    count = repository.count_artifacts(session, claim.id)
    artifacts = _checked_links(links) + _checked_files(
        uploads, stored=repository.stored_bytes(session, claim.id), count=count
    )
    if count + len(artifacts) > MAX_ARTIFACTS:
        raise _too_many()
    return _attach(session, claim, artifacts)


def resubmit(session: Session, actor: Actor, claim_id: uuid.UUID) -> RplClaim:
    """Back to the queue at its first place: the learner has already waited once."""
    require_scope(actor, Scope.ASSESSMENT_WRITE)
    claim = _my_claim(session, actor, claim_id)
    if claim.status is not RplStatus.MORE_EVIDENCE:
        raise Conflict(
            lazy_gettext("Only a claim returned for more evidence can be submitted again.")
        )
    claim.status = RplStatus.SUBMITTED
    session.flush()
    return claim


def withdraw(session: Session, actor: Actor, claim_id: uuid.UUID) -> None:
    """A withdrawn claim is deleted with its files: nothing was decided, nothing is kept."""
    require_scope(actor, Scope.ASSESSMENT_WRITE)
    repository.delete_claim(session, _my_open_claim(session, actor, claim_id))


def _my_claim(session: Session, actor: Actor, claim_id: uuid.UUID) -> RplClaim:
    claim = repository.get_claim(session, claim_id)
    if claim is None or actor.system or claim.person_id != actor.person_id:
        raise NotFound(lazy_gettext("Claim not found."))
    return claim


def _my_open_claim(session: Session, actor: Actor, claim_id: uuid.UUID) -> RplClaim:
    claim = _my_claim(session, actor, claim_id)
    if claim.status not in OPEN:
        raise Conflict(lazy_gettext("This claim is decided; it can no longer change."))
    return claim


def _checked_links(links: Sequence[LinkWrite]) -> list[RplArtifact]:
    checked: list[RplArtifact] = []
    for index, link in enumerate(links):
        if not _is_web_address(link.url):
            raise _invalid(
                f"links.{index}.url",
                lazy_gettext("Enter a web address starting with http:// or https://."),
            )
        checked.append(
            RplArtifact(kind=ArtifactKind.LINK, title=link.title or link.url, url=link.url)
        )
    return checked


def _is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return (
        parts.scheme.lower() in ("http", "https")
        and bool(host)
        and not any(ch.isspace() or not ch.isprintable() for ch in url)
    )


def _checked_files(uploads: Sequence[Upload], *, stored: int, count: int) -> list[RplArtifact]:
    checked: list[RplArtifact] = []
    total = stored
    for upload in uploads:
        name = clean_filename(upload.filename)
        if not upload.data:
            raise _invalid("files", lazy_gettext("%(name)s is empty.", name=name))
        if len(upload.data) > MAX_FILE_BYTES:
            raise _invalid(
                "files",
                lazy_gettext(
                    "%(name)s is larger than %(max)s MB.", name=name, max=MAX_FILE_BYTES >> 20
                ),
            )
        kind = sniff(upload.data)
        if kind is None or not matches_name(kind, name):
            raise _invalid(
                "files",
                lazy_gettext(
                    "%(name)s is not an accepted kind of file, or its content does not match its "
                    "name. Accepted: %(kinds)s.",
                    name=name,
                    kinds=", ".join(ACCEPTED_EXTENSIONS),
                ),
            )
        total += len(upload.data)
        if total > MAX_CLAIM_BYTES:
            raise _invalid(
                "files",
                lazy_gettext(
                    "The files of one claim may add up to %(max)s MB at most.",
                    max=MAX_CLAIM_BYTES >> 20,
                ),
            )
        checked.append(
            RplArtifact(
                kind=ArtifactKind.FILE,
                title=name,
                filename=name,
                media_type=kind.media_type,
                size=len(upload.data),
                data=upload.data,
            )
        )
    return checked


def _attach(session: Session, claim: RplClaim, artifacts: list[RplArtifact]) -> list[RplArtifact]:
    for artifact in artifacts:
        artifact.claim_id = claim.id
        artifact.added_at = utcnow()
        session.add(artifact)
    session.flush()
    return artifacts


def _too_many() -> InvalidInput:
    return _invalid(
        "files",
        lazy_gettext("A claim holds at most %(max)s files and links.", max=MAX_ARTIFACTS),
    )


# --- the assessor's side ------------------------------------------------------------------


def assessed_organisation(session: Session, actor: Actor, org_id: uuid.UUID) -> Organisation:
    """The organisation, if the actor assesses for it: 404 outside it, 403 without the role."""
    org = visible_organisation(session, actor, org_id)
    if not is_assessor(actor, org_id):
        raise PermissionDenied(
            lazy_gettext(
                "Only an HR administrator or an educator of this organisation assesses claims."
            )
        )
    return org


def queue(
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    status: RplStatus | None,
    params: PageParams,
) -> Paged[ClaimView]:
    require_scope(actor, Scope.ASSESSMENT_READ)
    assessed_organisation(session, actor, org_id)
    return _paged_views(session, repository.claims_of_org(session, org_id, status, params))


def review(session: Session, actor: Actor, org_id: uuid.UUID, claim_id: uuid.UUID) -> ClaimView:
    require_scope(actor, Scope.ASSESSMENT_READ)
    assessed_organisation(session, actor, org_id)
    return _views(session, [_org_claim(session, org_id, claim_id)])[0]


def claim_file(
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    claim_id: uuid.UUID,
    artifact_id: uuid.UUID,
) -> RplArtifact:
    require_scope(actor, Scope.ASSESSMENT_READ)
    assessed_organisation(session, actor, org_id)
    return _file(session, _org_claim(session, org_id, claim_id), artifact_id)


def decide(
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    claim_id: uuid.UUID,
    data: DecisionWrite,
) -> RplClaim:
    """Judge every criterion, then accept, reject or return the claim; the learner is told
    by mail. An acceptance becomes one Evidence row, its confidence the share of criteria met."""
    require_scope(actor, Scope.ASSESSMENT_WRITE)
    assessed_organisation(session, actor, org_id)
    view = _views(session, [_org_claim(session, org_id, claim_id)])[0]
    claim = view.claim
    if claim.person_id == actor.person_id:
        raise PermissionDenied(
            lazy_gettext("Nobody assesses their own claim; another assessor must decide it.")
        )
    if claim.status is not RplStatus.SUBMITTED:
        raise Conflict(lazy_gettext("This claim is not waiting for a decision."))
    judged = _judged(view.criteria, data)
    note = data.note or None
    if data.outcome is Outcome.ACCEPT:
        _check_acceptance(view, judged, data.level)
    elif note is None:
        raise _invalid(
            "note",
            lazy_gettext("Say why the claim is not accepted.")
            if data.outcome is Outcome.REJECT
            else lazy_gettext("Say what more evidence is needed."),
        )
    now = utcnow()
    claim.criteria = judged
    claim.assessor_id = actor.person_id
    claim.decision_note = note
    if data.outcome is Outcome.MORE_EVIDENCE:
        claim.status = RplStatus.MORE_EVIDENCE
    else:
        claim.status = RplStatus.ACCEPTED if data.outcome is Outcome.ACCEPT else RplStatus.REJECTED
        claim.decided_at = now
        claim.decided_level = data.level if data.outcome is Outcome.ACCEPT else None
    if claim.status is RplStatus.ACCEPTED:
        session.add(
            Evidence(
                person_id=claim.person_id,
                skill_id=claim.skill_id,
                level=data.level,
                source=EvidenceSource.ASSESSOR_REVIEW,
                observed_at=now,
                confidence=round(sum(item["met"] for item in judged) / len(judged), 2),
                recorded_by_id=actor.person_id,
                org_id=claim.org_id,
                details={
                    "rpl_claim_id": str(claim.id),
                    "claimed_level": claim.claimed_level,
                    "criteria": judged,
                },
            )
        )
    session.flush()
    _notify(session, view)
    return claim


def _judged(criteria: list[Criterion], data: DecisionWrite) -> list[dict[str, Any]]:
    """One judgement per expected criterion, keyed: unknown or repeated keys are refused."""
    texts = {criterion.key: criterion.text for criterion in criteria}
    given: dict[str, dict[str, Any]] = {}
    for index, judgement in enumerate(data.criteria):
        if judgement.key not in texts or judgement.key in given:
            raise _invalid(
                f"criteria.{index}.key",
                lazy_gettext("This criterion is not one of the claim's, or is judged twice."),
            )
        given[judgement.key] = {
            "key": judgement.key,
            "criterion": texts[judgement.key],
            "met": judgement.met,
            "note": judgement.note or None,
        }
    for index, criterion in enumerate(criteria):
        if criterion.key not in given:
            raise _invalid(
                f"criteria.{index}.met",
                lazy_gettext("Judge this criterion: %(text)s", text=criterion.text),
            )
    return [given[criterion.key] for criterion in criteria]


def _check_acceptance(view: ClaimView, judged: list[dict[str, Any]], level: int | None) -> None:
    if level is None:
        raise _invalid("level", lazy_gettext("Choose the level to recognise."))
    _check_level(view.levels, level, "level")
    if level > view.claim.claimed_level:
        raise _invalid(
            "level", lazy_gettext("Recognise the level claimed or a lower one, not a higher one.")
        )
    authentic = next(item for item in judged if item["key"] == AUTHENTICITY)
    if not authentic["met"]:
        index = judged.index(authentic)
        raise _invalid(
            f"criteria.{index}.met",
            lazy_gettext(
                "Evidence that is not the learner's own, current and sufficient cannot be accepted."
            ),
        )


def _notify(session: Session, view: ClaimView) -> None:
    claim = view.claim
    link = f"{get_settings().base_url.rstrip('/')}/assessments/rpl/{claim.id}"
    skill = view.skill.preferred_label
    if claim.status is RplStatus.ACCEPTED:
        subject = gettext("Your prior learning in %(skill)s is recognised", skill=skill)
        body = gettext(
            "Hello %(name)s,\n\n%(org)s recognises your level %(level)s in %(skill)s. "
            "It now counts in your skills profile.\n\nSee the decision:\n%(link)s\n",
            name=view.person.display_name,
            org=view.org.name,
            level=view.level_label(claim.decided_level) or claim.decided_level,
            skill=skill,
            link=link,
        )
    elif claim.status is RplStatus.REJECTED:
        subject = gettext("Your claim in %(skill)s was not accepted", skill=skill)
        body = gettext(
            "Hello %(name)s,\n\n%(org)s did not accept your claim in %(skill)s.\n\n"
            "The assessor's reason:\n%(note)s\n\nSee the decision:\n%(link)s\n",
            name=view.person.display_name,
            org=view.org.name,
            skill=skill,
            note=claim.decision_note,
            link=link,
        )
    else:
        subject = gettext("More evidence is needed for your claim in %(skill)s", skill=skill)
        body = gettext(
            "Hello %(name)s,\n\nThe assessor at %(org)s asks for more evidence of your level "
            "in %(skill)s:\n%(note)s\n\nAdd it and submit the claim again:\n%(link)s\n",
            name=view.person.display_name,
            org=view.org.name,
            skill=skill,
            note=claim.decision_note,
            link=link,
        )
    mailer_for(get_settings(), session).send(
        Mail(recipient=view.person.email, subject=subject, body=body)
    )


def _org_claim(session: Session, org_id: uuid.UUID, claim_id: uuid.UUID) -> RplClaim:
    claim = repository.get_claim(session, claim_id)
    if claim is None or claim.org_id != org_id:
        raise NotFound(lazy_gettext("Claim not found."))
    return claim


# --- shared -------------------------------------------------------------------------------


def _file(session: Session, claim: RplClaim, artifact_id: uuid.UUID) -> RplArtifact:
    artifact = repository.get_artifact(session, claim.id, artifact_id)
    if artifact is None or artifact.kind is not ArtifactKind.FILE or artifact.data is None:
        raise NotFound(lazy_gettext("File not found."))
    return artifact


def _check_level(levels: list[LevelChoice], rank: int, field: str) -> None:
    ranks = [level.rank for level in levels]
    if rank not in ranks:
        raise _invalid(
            field,
            lazy_gettext(
                "Choose a level from %(low)s to %(high)s.", low=min(ranks), high=max(ranks)
            ),
        )


def _invalid(field: str, message: LazyString) -> InvalidInput:
    return InvalidInput(message, [FieldError(field, message)])
