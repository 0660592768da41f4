"""Feedback surveys on micro-credentials and their results (decision 0028).

An award schedules two learner surveys: one at completion and one six calendar months
later. A learner who consents at completion has each employer they belong to asked, about
three months after the award, whether they had the skills. Answers are kept per version,
and results are shown only for groups of at least ``MIN_GROUP`` responses; comments never
carry a name and are read only by the issuer's designers and registrars."""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cairn.catalogue import feedback_repository as repo
from cairn.catalogue import repository as catalogue_repository
from cairn.catalogue.enums import JobOutcome, SurveyKind, VersionStatus
from cairn.catalogue.feedback_models import SCALE, SurveyInvitation, SurveyResponse
from cairn.catalogue.feedback_repository import Subject
from cairn.catalogue.feedback_schemas import SurveyAnswer
from cairn.catalogue.models import SpecificationVersion
from cairn.catalogue.service import can_design
from cairn.config import get_settings
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import LazyString, gettext, lazy_gettext, use_locale
from cairn.kit.ids import new_token
from cairn.kit.mail import Mail, mailer_for
from cairn.orgs import people
from cairn.orgs import repository as orgs_repository
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Person
from cairn.orgs.permissions import ADMIN_ROLES, visible_organisation

MIN_GROUP = 5
"""Fewer responses than this and a group's figures and comments are not shown."""
FOLLOW_UP_MONTHS = 6
EMPLOYER_MONTHS = 3
PUBLIC = (VersionStatus.PUBLISHED, VersionStatus.RETIRED)

QUESTIONS: dict[SurveyKind, tuple[str, ...]] = {
    SurveyKind.LEARNER_COMPLETION: ("relevance", "quality", "employer_may_be_asked", "comment"),
    SurveyKind.LEARNER_FOLLOW_UP: ("relevance", "job_outcome", "comment"),
    SurveyKind.EMPLOYER: ("had_skills", "comment"),
}
"""The fields of ``SurveyAnswer`` each kind asks, in the order they are asked."""
REQUIRED: dict[SurveyKind, frozenset[str]] = {
    SurveyKind.LEARNER_COMPLETION: frozenset({"relevance", "quality"}),
    SurveyKind.LEARNER_FOLLOW_UP: frozenset({"relevance", "job_outcome"}),
    SurveyKind.EMPLOYER: frozenset({"had_skills"}),
}
OUT_OF_SCALE: dict[str, LazyString] = {
    "relevance": lazy_gettext("Rate the relevance from 1 (not at all) to 5 (completely)."),
    "quality": lazy_gettext("Rate the quality from 1 (poor) to 5 (excellent)."),
    "had_skills": lazy_gettext("Rate the holder's skills from 1 (not at all) to 5 (completely)."),
}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, or that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _today(today: date | None) -> date:
    return today if today is not None else utcnow().date()


# --- scheduling ----------------------------------------------------------------------


def _invitation(
    kind: SurveyKind,
    version_id: uuid.UUID,
    due_on: date,
    *,
    respondent_id: uuid.UUID | None = None,
    respondent_org_id: uuid.UUID | None = None,
    holder_id: uuid.UUID | None = None,
) -> SurveyInvitation:
    return SurveyInvitation(
        kind=kind,
        version_id=version_id,
        due_on=due_on,
        respondent_id=respondent_id,
        respondent_org_id=respondent_org_id,
        holder_id=holder_id,
        token=new_token(),
    )


def schedule_learner_surveys(
    session: Session, *, version_id: uuid.UUID, learner_id: uuid.UUID, awarded_on: date
) -> list[SurveyInvitation]:
    """The two surveys an award owes its learner. The completion survey is due on the
    award's day (at once, for an award recorded late), the follow-up six calendar months
    later. Called by the award's service, which has checked who may record it."""
    invitations = [
        _invitation(
            SurveyKind.LEARNER_COMPLETION, version_id, awarded_on, respondent_id=learner_id
        ),
        _invitation(
            SurveyKind.LEARNER_FOLLOW_UP,
            version_id,
            add_months(awarded_on, FOLLOW_UP_MONTHS),
            respondent_id=learner_id,
        ),
    ]
    session.add_all(invitations)
    session.flush()
    return invitations


# --- a respondent's surveys ----------------------------------------------------------


@dataclass(frozen=True)
class SurveyView:
    invitation: SurveyInvitation
    subject: Subject
    holder: Person | None

    @property
    def questions(self) -> tuple[str, ...]:
        return QUESTIONS[self.invitation.kind]

    @property
    def required(self) -> frozenset[str]:
        return REQUIRED[self.invitation.kind]


def _may_answer(actor: Actor, invitation: SurveyInvitation) -> bool:
    """The learner asked, or an administrator of the employer asked; nobody else, not
    even a platform administrator, answers in their name."""
    if invitation.respondent_id is not None:
        return not actor.system and actor.person_id == invitation.respondent_id
    org_id = invitation.respondent_org_id
    return org_id is not None and actor.has_any_role(org_id, ADMIN_ROLES)


def _views(session: Session, invitations: Sequence[SurveyInvitation]) -> list[SurveyView]:
    subjects = repo.subjects(session, {i.version_id for i in invitations})
    views = []
    for invitation in invitations:
        holder = people.get_person(session, invitation.holder_id) if invitation.holder_id else None
        views.append(SurveyView(invitation, subjects[invitation.version_id], holder))
    return views


def my_pending_surveys(
    session: Session, actor: Actor, *, today: date | None = None
) -> list[SurveyView]:
    """Surveys due and unanswered: the actor's own, and their employers' surveys about
    holders when they administer that employer."""
    require_scope(actor, Scope.CATALOGUE_READ)
    administered = {org_id for org_id, role in actor.memberships if role in ADMIN_ROLES}
    return _views(session, repo.pending_for(session, actor.person_id, administered, _today(today)))


def _survey(session: Session, actor: Actor, token: str, *, lock: bool = False) -> SurveyInvitation:
    invitation = repo.invitation_by_token(session, token, lock=lock)
    if invitation is None or not _may_answer(actor, invitation):
        raise NotFound(lazy_gettext("Survey not found."))
    return invitation


def get_survey(session: Session, actor: Actor, token: str) -> SurveyView:
    """A survey by its link's token, for the person (or employer) it is put to."""
    require_scope(actor, Scope.CATALOGUE_READ)
    return _views(session, [_survey(session, actor, token)])[0]


def _problems(kind: SurveyKind, data: SurveyAnswer) -> list[FieldError]:
    asked = QUESTIONS[kind]
    given = {name: value for name, value in data.model_dump().items() if value not in (None, "")}
    problems = [
        FieldError(name, lazy_gettext("This survey does not ask this question."))
        for name in given
        if name not in asked
    ]
    for name in asked:
        value = given.get(name)
        if value is None and name in REQUIRED[kind]:
            problems.append(FieldError(name, lazy_gettext("Answer this question.")))
        elif name in OUT_OF_SCALE and value is not None and value not in SCALE:
            problems.append(FieldError(name, OUT_OF_SCALE[name]))
    return problems


def answer_survey(
    session: Session, actor: Actor, token: str, data: SurveyAnswer, *, today: date | None = None
) -> SurveyResponse:
    """Record the answers, once. A learner's yes to asking their employer schedules one
    employer survey per employer they belong to."""
    require_scope(actor, Scope.CATALOGUE_WRITE)
    invitation = _survey(session, actor, token, lock=True)
    today = _today(today)
    if invitation.answered_at is not None:
        raise Conflict(lazy_gettext("This survey is already answered."))
    if invitation.due_on > today:
        raise Conflict(
            lazy_gettext("This survey opens on %(date)s.", date=invitation.due_on.isoformat())
        )
    problems = _problems(invitation.kind, data)
    if problems:
        raise InvalidInput(problems[0].message, problems)
    now = utcnow()
    response = SurveyResponse(
        invitation_id=invitation.id,
        version_id=invitation.version_id,
        kind=invitation.kind,
        relevance=data.relevance,
        quality=data.quality,
        job_outcome=data.job_outcome,
        had_skills=data.had_skills,
        employer_may_be_asked=data.employer_may_be_asked,
        comment=data.comment or None,
        answered_by_id=actor.person_id,
        answered_at=now,
    )
    invitation.answered_at = now
    session.add(response)
    if invitation.kind is SurveyKind.LEARNER_COMPLETION and data.employer_may_be_asked:
        _ask_employers(session, invitation, today)
    session.flush()
    return response


def _ask_employers(session: Session, completion: SurveyInvitation, today: date) -> None:
    """The completion survey is due on the award's day, so the employer's is three months
    after it, or today when that has passed."""
    holder_id = completion.respondent_id
    if holder_id is None:  # pragma: no cover - learner surveys always name their learner
        return
    due_on = max(today, add_months(completion.due_on, EMPLOYER_MONTHS))
    employers = {
        org.id
        for _, org in orgs_repository.memberships_of_person(session, holder_id)
        if org.kind is OrgKind.EMPLOYER
    }
    for org_id in sorted(employers):
        if not repo.employer_invitation_exists(session, completion.version_id, holder_id, org_id):
            session.add(
                _invitation(
                    SurveyKind.EMPLOYER,
                    completion.version_id,
                    due_on,
                    respondent_org_id=org_id,
                    holder_id=holder_id,
                )
            )


# --- sending -------------------------------------------------------------------------


def survey_link(token: str) -> str:
    return f"{get_settings().base_url.rstrip('/')}/surveys/{token}"


def _mail(person: Person, view: SurveyView) -> Mail:
    invitation, subject = view.invitation, view.subject
    with use_locale(person.locale or get_settings().default_locale):
        values = {
            "name": person.display_name,
            "title": subject.version.title,
            "issuer": subject.issuer.name,
            "holder": view.holder.display_name if view.holder else "",
            "link": survey_link(invitation.token),
        }
        if invitation.kind is SurveyKind.LEARNER_COMPLETION:
            heading = gettext("How was %(title)s? Two minutes of feedback", **values)
            body = gettext(
                "Hello %(name)s,\n\nCongratulations on earning %(title)s from %(issuer)s. "
                "Three questions tell %(issuer)s how relevant and how good it was:\n"
                "%(link)s\n\nYour answers are counted with others' and never shown with "
                "your name.\n",
                **values,
            )
        elif invitation.kind is SurveyKind.LEARNER_FOLLOW_UP:
            heading = gettext("Six months on: did %(title)s help at work?", **values)
            body = gettext(
                "Hello %(name)s,\n\nSix months ago you earned %(title)s from %(issuer)s. "
                "Did it make a difference at work? Two questions:\n%(link)s\n\nYour answers "
                "are counted with others' and never shown with your name.\n",
                **values,
            )
        else:
            heading = gettext("Did %(holder)s have the skills of %(title)s?", **values)
            body = gettext(
                "Hello %(name)s,\n\n%(holder)s earned %(title)s from %(issuer)s and agreed "
                "that their employer be asked whether they had the skills it certifies. "
                "One question:\n%(link)s\n\nYour answer is counted with other employers' "
                "and never shown with your organisation's name.\n",
                **values,
            )
    return Mail(recipient=person.email, subject=heading, body=body)


def send_due_surveys(session: Session, actor: Actor, *, today: date | None = None) -> int:
    """Mail every survey that is due and not yet sent, once; returns how many surveys
    went out. An employer survey goes to each of the employer's HR administrators and
    waits while it has none. Safe to run from cron as often as wanted."""
    require_scope(actor, Scope.CATALOGUE_WRITE)
    if not actor.is_platform_admin:
        raise PermissionDenied(lazy_gettext("Only a platform administrator sends the surveys."))
    mailer = mailer_for(get_settings(), session)
    sent = 0
    for view in _views(session, repo.due_unsent(session, _today(today))):
        invitation = view.invitation
        if invitation.respondent_id is not None:
            person = people.get_person(session, invitation.respondent_id)
            recipients = [person] if person is not None and person.is_active else []
        else:
            employer = invitation.respondent_org_id
            recipients = list(repo.hr_administrators(session, employer)) if employer else []
        if not recipients:
            continue
        for person in recipients:
            mailer.send(_mail(person, view))
        invitation.sent_at = utcnow()
        sent += 1
    session.flush()
    return sent


# --- results -------------------------------------------------------------------------


@dataclass(frozen=True)
class KindResults:
    """One kind of survey on one version; the figures are None when not ``shown``."""

    kind: SurveyKind
    due: int
    responses: int
    shown: bool
    mean_relevance: float | None
    mean_quality: float | None
    mean_had_skills: float | None
    job_outcomes: dict[JobOutcome, int] | None
    comments: list[str] | None
    """None when hidden, or when the reader may not read comments."""

    @property
    def response_rate(self) -> float | None:
        return min(1.0, self.responses / self.due) if self.due else None


@dataclass(frozen=True)
class VersionResults:
    version: SpecificationVersion
    surveys: list[KindResults]
    comments_visible: bool
    min_group: int = MIN_GROUP


def _results(
    session: Session,
    versions: Sequence[SpecificationVersion],
    *,
    with_comments: bool,
    today: date | None = None,
) -> list[VersionResults]:
    ids = [version.id for version in versions]
    if not ids:
        return []
    due = repo.due_counts(session, ids, _today(today))
    figures = repo.figures(session, ids)
    outcomes = repo.job_outcomes(session, ids)
    comments = repo.comments(session, ids) if with_comments else {}
    results = []
    for version in versions:
        surveys = []
        for kind in SurveyKind:
            found = figures.get((version.id, kind), repo.Figures(0, None, None, None))
            shown = found.responses >= MIN_GROUP
            surveys.append(
                KindResults(
                    kind=kind,
                    due=due.get((version.id, kind), 0),
                    responses=found.responses,
                    shown=shown,
                    mean_relevance=found.mean_relevance if shown else None,
                    mean_quality=found.mean_quality if shown else None,
                    mean_had_skills=found.mean_had_skills if shown else None,
                    job_outcomes=(
                        dict(outcomes.get(version.id, {}))
                        if shown and kind is SurveyKind.LEARNER_FOLLOW_UP
                        else None
                    ),
                    comments=comments.get((version.id, kind), [])
                    if shown and with_comments
                    else None,
                )
            )
        results.append(VersionResults(version, surveys, comments_visible=with_comments))
    return results


def results_for_version(
    session: Session, actor: Actor, version_id: uuid.UUID, *, today: date | None = None
) -> VersionResults:
    """A published (or retired) version's figures are public like the version itself;
    comments are for its issuer's designers and registrars (decision 0028)."""
    require_scope(actor, Scope.CATALOGUE_READ)
    subject = repo.subjects(session, [version_id]).get(version_id)
    if subject is None:
        raise NotFound(lazy_gettext("Specification not found."))
    owner = subject.specification.owner_org_id
    inside = actor.is_platform_admin or owner in actor.org_ids
    if subject.version.status not in PUBLIC and not inside:
        raise NotFound(lazy_gettext("Specification not found."))
    return _results(
        session, [subject.version], with_comments=can_design(actor, owner), today=today
    )[0]


def results_for_specification(
    session: Session, actor: Actor, specification_id: uuid.UUID, *, today: date | None = None
) -> list[VersionResults]:
    """Each published or retired version's results, newest first, side by side: a
    revised version's answers are never mixed with its predecessor's."""
    require_scope(actor, Scope.CATALOGUE_READ)
    specification = catalogue_repository.get_specification(session, specification_id)
    if specification is None:
        raise NotFound(lazy_gettext("Specification not found."))
    owner = specification.owner_org_id
    versions = [
        v
        for v in reversed(catalogue_repository.versions_of(session, specification.id))
        if v.status in PUBLIC
    ]
    if not versions and not (actor.is_platform_admin or owner in actor.org_ids):
        raise NotFound(lazy_gettext("Specification not found."))
    return _results(session, versions, with_comments=can_design(actor, owner), today=today)


def issuer_dashboard(
    session: Session, actor: Actor, org_id: uuid.UUID, *, today: date | None = None
) -> list[VersionResults]:
    """Each of the issuer's specifications on offer at its published version, by title,
    for the issuer's designers and registrars."""
    require_scope(actor, Scope.CATALOGUE_READ)
    visible_organisation(session, actor, org_id)
    if not can_design(actor, org_id):
        raise PermissionDenied(
            lazy_gettext("Only the issuer's educators and registrars see its feedback.")
        )
    versions = [version for _, version in repo.published_versions(session, org_id)]
    return _results(session, versions, with_comments=True, today=today)
