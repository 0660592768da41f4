"""Issuing Open Badges 3.0 credentials from awards, and revoking or suspending them.

A registrar issues a credential for an award: its achievement is built from the exact
version awarded, its subject is the learner's own ``did:key``, it gets a random place in
the issuer's status lists, and it is signed with the issuer's active key in the format the
registrar chose. The signed document is stored as issued and put in the learner's wallet
(decision 0035)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from cairn.catalogue.enums import LABELS as CATALOGUE_LABELS
from cairn.catalogue.models import Specification, SpecificationVersion
from cairn.config import get_settings
from cairn.credentials import data_integrity, jose, key_service, openbadges, status_service
from cairn.credentials import issued_repository as repo
from cairn.credentials import repository as award_repository
from cairn.credentials.data_integrity import Cryptosuite, ProofOptions
from cairn.credentials.did import did_web, method_id
from cairn.credentials.issued_models import (
    CredentialKind,
    IssuedCredential,
    ProofFormat,
    StatusPurpose,
)
from cairn.credentials.issued_repository import Outcomes
from cairn.credentials.jsonld import JsonObject
from cairn.credentials.key_service import SigningKey
from cairn.credentials.keystore import KeyStore, configured_store
from cairn.credentials.models import Award
from cairn.credentials.multikey import did_key
from cairn.credentials.service import require_registrar
from cairn.credentials.wallet_models import HolderKey, ItemSource, WalletItem
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound
from cairn.kit.i18n import gettext, lazy_gettext, use_locale
from cairn.kit.mail import Mail, Mailer, mailer_for
from cairn.orgs.models import Organisation, Person

SUITES = {
    ProofFormat.EDDSA_RDFC_2022: Cryptosuite.EDDSA_RDFC_2022,
    ProofFormat.EDDSA_JCS_2022: Cryptosuite.EDDSA_JCS_2022,
}
REASON_MAX = 2000


@dataclass(frozen=True)
class IssueOptions:
    proof_format: ProofFormat = ProofFormat.EDDSA_RDFC_2022
    valid_until: datetime | None = None
    """When the credential stops being valid; None for a credential that does not expire."""
    evidence: Sequence[tuple[str, str]] = ()
    """(URL, name) of the learner's work, shown to verifiers as evidence."""


@dataclass
class Plan:
    """What every credential for one version shares: read and signed once per batch."""

    version: SpecificationVersion
    specification: Specification
    org: Organisation
    issuer: openbadges.Issuer
    source: openbadges.AchievementSource
    signing: SigningKey
    store: KeyStore
    holders: dict[uuid.UUID, str] = field(default_factory=dict)


def _base_url() -> str:
    return get_settings().base_url.rstrip("/")


def issuer_profile(org: Organisation) -> openbadges.Issuer:
    return openbadges.Issuer(
        id=did_web(get_settings().base_url, org.slug),
        name=org.name,
        url=f"{_base_url()}/catalogue?issuer={org.slug}",
        description=org.description,
    )


def achievement_id(org: Organisation, specification: Specification, number: int) -> str:
    """The achievement's identity: the version's public page, stable for ever."""
    return f"{_base_url()}/catalogue/{org.slug}/{specification.slug}/v{number}"


def _criteria(version: SpecificationVersion, outcomes: Outcomes) -> str:
    """The narrative of how the version is earned, in its own language."""
    with use_locale(version.language):
        lines = [gettext("Learners who earn it can:")]
        lines += [f"- {outcome.statement}" for outcome, _, _, _ in outcomes]
        for label, value in (
            (gettext("Assessment"), version.assessment_type),
            (gettext("Identity check"), version.identity_check),
            (gettext("Participation"), version.participation),
        ):
            if value is not None:
                lines.append(f"{label}: {CATALOGUE_LABELS[(type(value), value.value)]}")
        for label, text in (
            (
                gettext("Workload"),
                gettext("%(hours)s hours", hours=f"{version.workload_hours:g}")
                if version.workload_hours
                else None,
            ),
            (gettext("Prerequisites"), version.prerequisites),
            (gettext("Quality assurance"), version.quality_assurance),
        ):
            if text:
                lines.append(f"{label}: {text}")
    return "\n".join(lines)


def _skills(outcomes: Outcomes) -> list[openbadges.SkillAlignment]:
    seen: set[str] = set()
    aligned = []
    for _, skill, framework, level in outcomes:
        if skill is None or framework is None or skill.uri in seen:
            continue
        seen.add(skill.uri)
        aligned.append(
            openbadges.SkillAlignment(
                name=skill.preferred_label,
                url=skill.uri,
                framework=framework.title,
                code=skill.code,
                description=skill.description,
                level=f"{level.rank}: {level.label}" if level is not None else None,
            )
        )
    return aligned


def _endorsements(
    session: Session, store: KeyStore, version_id: uuid.UUID, target: str
) -> list[JsonObject]:
    """Each endorsement of the version as an EndorsementCredential its endorser signed,
    signed once and reused by every credential after."""
    documents = []
    for endorsement, endorser in repo.endorsements_of(session, version_id):
        existing = repo.endorsement_credential(session, endorsement.id)
        if existing is None:
            credential_id = uuid.uuid4()
            now = utcnow()
            profile = issuer_profile(endorser)
            unsigned = openbadges.endorsement_credential(
                f"urn:uuid:{credential_id}", profile, target, endorsement.statement, now
            )
            signing = key_service.signing_key(session, store, endorser.id)
            existing = IssuedCredential(
                id=credential_id,
                issuer_org_id=endorser.id,
                kind=CredentialKind.ENDORSEMENT,
                proof_format=ProofFormat.EDDSA_RDFC_2022,
                endorsement_id=endorsement.id,
                title=unsigned["name"],
                document=json.dumps(
                    _sign_data_integrity(
                        unsigned, signing, profile.id, Cryptosuite.EDDSA_RDFC_2022
                    ),
                    ensure_ascii=False,
                ),
                valid_from=now,
            )
            session.add(existing)
            session.flush()
        documents.append(json.loads(existing.document))
    return documents


def plan_for(session: Session, version_id: uuid.UUID, store: KeyStore | None = None) -> Plan:
    found = repo.version_parts(session, version_id)
    if found is None:
        raise NotFound(lazy_gettext("There is no such specification version."))
    version, specification, org = found
    store = store or configured_store()
    issuer = issuer_profile(org)
    target = achievement_id(org, specification, version.number)
    outcomes = repo.outcomes_with_skills(session, version.id)
    source = openbadges.AchievementSource(
        id=target,
        name=version.title,
        description=version.summary or version.title,
        criteria=_criteria(version, outcomes),
        version=str(version.number),
        language=version.language,
        creator=issuer,
        human_code=specification.slug,
        credits_ects=version.ects,
        eqf_level=version.eqf_level,
        skills=_skills(outcomes),
        grading_scheme=version.grading_scheme,
        endorsements=_endorsements(session, store, version.id, target),
    )
    signing = key_service.signing_key(session, store, org.id)
    return Plan(version, specification, org, issuer, source, signing, store)


def new_holder_key(session: Session, store: KeyStore, person_id: uuid.UUID) -> HolderKey:
    """A learner's first key; the caller has checked they have none."""
    key_id = uuid.uuid4()
    made = store.generate(key_id)
    key = HolderKey(
        id=key_id,
        person_id=person_id,
        public_key=made.public_key,
        store=store.name,
        sealed_secret=made.sealed_secret,
    )
    session.add(key)
    return key


def holder_did(session: Session, store: KeyStore, person_id: uuid.UUID) -> str:
    """The learner's ``did:key``, made with their first credential; its secret half is
    sealed like an issuer's and signs the learner's presentations."""
    key = repo.holder_key(session, person_id) or new_holder_key(session, store, person_id)
    return did_key(key.public_key)


def _sign_data_integrity(
    unsigned: JsonObject, signing: SigningKey, issuer_did: str, suite: Cryptosuite
) -> JsonObject:
    options = ProofOptions(
        method_id(issuer_did, signing.key.public_key), openbadges.xsd_datetime(utcnow())
    )
    return data_integrity.sign(unsigned, signing.signer, options, suite)  # type: ignore[arg-type]


def sign(unsigned: JsonObject, signing: SigningKey, issuer_did: str, proof: ProofFormat) -> str:
    """The signed credential as stored and handed out: JSON, or a compact JWT."""
    if proof is ProofFormat.VC_JWT:
        return jose.sign(unsigned, signing.signer, method_id(issuer_did, signing.key.public_key))  # type: ignore[arg-type]
    return json.dumps(
        _sign_data_integrity(unsigned, signing, issuer_did, SUITES[proof]), ensure_ascii=False
    )


def _check_options(options: IssueOptions, valid_from: datetime) -> None:
    if options.valid_until is not None and options.valid_until <= valid_from:
        message = lazy_gettext("A credential must stay valid for some time after it is issued.")
        raise InvalidInput(message, [FieldError("valid_until", message)])
    for url, _ in options.evidence:
        if not url.startswith(("https://", "http://")):
            message = lazy_gettext("Evidence must be a web address starting with https://.")
            raise InvalidInput(message, [FieldError("evidence", message)])


def issue_with_plan(
    session: Session,
    plan: Plan,
    award: Award,
    learner: Person,
    options: IssueOptions,
    *,
    issued_by: uuid.UUID | None,
    batch_id: uuid.UUID | None = None,
) -> IssuedCredential:
    """Sign and store one credential for ``award``; the caller has checked who may."""
    now = utcnow()
    _check_options(options, now)
    if repo.current_for_award(session, award.id) is not None:
        message = lazy_gettext(
            "A credential for this award has already been issued; revoke it to issue a new one."
        )
        raise Conflict(message, [FieldError("award", message)])
    credential_id = uuid.uuid4()
    subject = plan.holders.get(learner.id) or holder_did(session, plan.store, learner.id)
    plan.holders[learner.id] = subject
    status = status_service.allocate(session, plan.org.id, credential_id)
    unsigned = openbadges.open_badge_credential(
        plan.source,
        plan.issuer,
        openbadges.Award(
            credential_id=f"urn:uuid:{credential_id}",
            subject_id=subject,
            email=learner.email,
            name=learner.display_name,
            awarded_on=award.awarded_on,
            valid_from=now,
            valid_until=options.valid_until,
            grade=award.grade,
            via_rpl=award.via_rpl,
            evidence=options.evidence,
            status=status.entries,
        ),
    )
    issued = IssuedCredential(
        id=credential_id,
        issuer_org_id=plan.org.id,
        kind=CredentialKind.ACHIEVEMENT,
        proof_format=options.proof_format,
        learner_id=learner.id,
        award_id=award.id,
        batch_id=batch_id,
        title=plan.version.title,
        document=sign(unsigned, plan.signing, plan.issuer.id, options.proof_format),
        valid_from=now,
        valid_until=options.valid_until,
        issued_by_id=issued_by,
    )
    session.add(issued)
    session.flush()
    session.add_all(status.rows)
    session.add(
        WalletItem(
            owner_id=learner.id,
            source=ItemSource.ISSUED,
            issued_credential_id=credential_id,
            document=issued.document,
            title=plan.version.title,
            issuer_name=plan.org.name,
        )
    )
    session.flush()
    return issued


def issue_award(
    session: Session,
    actor: Actor,
    award_id: uuid.UUID,
    options: IssueOptions | None = None,
    store: KeyStore | None = None,
) -> IssuedCredential:
    """Issue the credential for one award and tell the learner it is in their wallet."""
    award = session.get(Award, award_id)
    if award is None:
        raise NotFound(lazy_gettext("There is no such award."))
    require_registrar(session, actor, award.issuer_org_id)
    line = award_repository.award_line(session, award.id)
    plan = plan_for(session, award.version_id, store)
    issued = issue_with_plan(
        session,
        plan,
        award,
        line.learner,
        options or IssueOptions(),
        issued_by=None if actor.system else actor.person_id,
    )
    tell_learner(mailer_for(get_settings(), session), plan, line.learner, issued)
    return issued


def tell_learner(mailer: Mailer, plan: Plan, learner: Person, issued: IssuedCredential) -> None:
    """Tell the learner, in their language, that a credential is in their wallet."""
    with use_locale(learner.locale or get_settings().default_locale):
        mailer.send(
            Mail(
                recipient=learner.email,
                subject=gettext("Your credential is ready: %(title)s", title=issued.title),
                body=gettext(
                    "%(issuer)s has issued you a verifiable credential for %(title)s. It is in "
                    "your wallet: %(url)s",
                    issuer=plan.org.name,
                    title=issued.title,
                    url=f"{_base_url()}/wallet",
                ),
            )
        )


def _mail(session: Session, learner: Person, subject: str, body: str) -> None:
    mailer_for(get_settings(), session).send(
        Mail(recipient=learner.email, subject=subject, body=body)
    )


def issued_credential(session: Session, actor: Actor, credential_id: uuid.UUID) -> IssuedCredential:
    """A credential, for its issuer's registrars."""
    issued = repo.issued(session, credential_id)
    if issued is None:
        raise NotFound(lazy_gettext("There is no such credential."))
    require_registrar(session, actor, issued.issuer_org_id, write=False)
    return issued


def issued_by_org(session: Session, actor: Actor, org_id: uuid.UUID) -> Sequence[IssuedCredential]:
    """The credentials an issuer has issued to learners, newest first."""
    require_registrar(session, actor, org_id, write=False)
    return repo.issued_by(session, org_id)


def _reason(reason: str) -> str:
    cleaned = reason.strip()
    if not cleaned:
        message = lazy_gettext("Give the reason: the learner is told it.")
        raise InvalidInput(message, [FieldError("reason", message)])
    if len(cleaned) > REASON_MAX:
        message = lazy_gettext("Keep the reason under %(n)s characters.", n=REASON_MAX)
        raise InvalidInput(message, [FieldError("reason", message)])
    return cleaned


def revoke(
    session: Session, actor: Actor, credential_id: uuid.UUID, reason: str
) -> IssuedCredential:
    """Revoke for good, with a reason the learner is told; the status list says so from
    its next request, without saying whose credential it was."""
    issued = repo.issued(session, credential_id)
    if issued is None:
        raise NotFound(lazy_gettext("There is no such credential."))
    org = require_registrar(session, actor, issued.issuer_org_id)
    cleaned = _reason(reason)
    if issued.revoked_at is not None:
        raise Conflict(lazy_gettext("This credential is already revoked."))
    status_service.set_status(session, issued.id, StatusPurpose.REVOCATION, True)
    issued.revoked_at = utcnow()
    issued.revocation_reason = cleaned
    issued.revoked_by_id = None if actor.system else actor.person_id
    _notify_status(session, issued, org, revoked=True, reason=cleaned)
    return issued


def suspend(
    session: Session, actor: Actor, credential_id: uuid.UUID, reason: str
) -> IssuedCredential:
    """Suspend while something is looked into; reinstating clears it."""
    issued = repo.issued(session, credential_id)
    if issued is None:
        raise NotFound(lazy_gettext("There is no such credential."))
    org = require_registrar(session, actor, issued.issuer_org_id)
    cleaned = _reason(reason)
    if issued.revoked_at is not None:
        raise Conflict(lazy_gettext("A revoked credential cannot be suspended."))
    if issued.suspended_at is not None:
        raise Conflict(lazy_gettext("This credential is already suspended."))
    status_service.set_status(session, issued.id, StatusPurpose.SUSPENSION, True)
    issued.suspended_at = utcnow()
    issued.suspension_reason = cleaned
    _notify_status(session, issued, org, revoked=False, reason=cleaned)
    return issued


def reinstate(session: Session, actor: Actor, credential_id: uuid.UUID) -> IssuedCredential:
    issued = repo.issued(session, credential_id)
    if issued is None:
        raise NotFound(lazy_gettext("There is no such credential."))
    require_registrar(session, actor, issued.issuer_org_id)
    if issued.suspended_at is None:
        raise Conflict(lazy_gettext("This credential is not suspended."))
    status_service.set_status(session, issued.id, StatusPurpose.SUSPENSION, False)
    issued.suspended_at = None
    issued.suspension_reason = None
    return issued


def _notify_status(
    session: Session, issued: IssuedCredential, org: Organisation, *, revoked: bool, reason: str
) -> None:
    """Tell the learner, if the credential names one (an endorsement does not). A named
    learner always exists: removing a person clears ``learner_id`` (ON DELETE SET NULL)."""
    if issued.learner_id is None:
        return
    learner = session.get_one(Person, issued.learner_id)
    with use_locale(learner.locale or get_settings().default_locale):
        if revoked:
            subject = gettext("Your credential was revoked: %(title)s", title=issued.title)
            body = gettext(
                "%(issuer)s has revoked your credential %(title)s. Their reason: %(reason)s\n\n"
                "Anyone who checks it will now see that it is revoked. If you think this is "
                "wrong, contact %(issuer)s.",
                issuer=org.name,
                title=issued.title,
                reason=reason,
            )
        else:
            subject = gettext("Your credential is suspended: %(title)s", title=issued.title)
            body = gettext(
                "%(issuer)s has suspended your credential %(title)s for now. Their reason: "
                "%(reason)s\n\nAnyone who checks it will see that it is suspended until "
                "%(issuer)s reinstates it.",
                issuer=org.name,
                title=issued.title,
                reason=reason,
            )
        _mail(session, learner, subject, body)
