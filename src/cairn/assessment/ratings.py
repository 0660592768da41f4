"""Judgements of a person's level other than tests: their own self-assessment, their
manager's rating, and ratings by colleagues they invited (decision 0020).

Each is chosen against the framework scale's level descriptors (the skill's own where the
framework has them) and recorded as a new ``Evidence`` row with its source, date, assessor
and confidence; the profile merges them with everything else by precedence."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NoReturn

from sqlalchemy.orm import Session

from cairn.assessment import ratings_repository as repository
from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence, RatingRequest
from cairn.assessment.rating_schemas import RatingRequestCreate, RatingsWrite, SkillRating
from cairn.config import get_settings
from cairn.kit.actor import Actor, Role, Scope, require_person, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import LazyString, gettext, lazy_gettext
from cairn.kit.mail import Mail, mailer_for
from cairn.orgs import repository as orgs_repository
from cairn.orgs.models import Organisation, Person, SkillProfileItem
from cairn.orgs.permissions import visible_organisation
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy import service as taxonomy_service
from cairn.taxonomy.models import Framework, Skill

CONFIDENCE: dict[EvidenceSource, float] = {
    EvidenceSource.MANAGER_RATING: 0.7,
    EvidenceSource.PEER_RATING: 0.6,
    EvidenceSource.SELF_ASSESSMENT: 0.5,
}
"""How far each kind of rating is trusted when given (decision 0020); with the three-year
half-life of ``merge`` a self-assessment turns stale after three years, a manager's after
about four and a half."""

RATING_ROLES = frozenset({Role.MANAGER, Role.HR_ADMIN})
"""Roles that give manager's ratings to the members of their organisation."""

FALLBACK_RANKS = range(1, 6)
"""Levels offered for a framework without a scale: the generic 1-5."""


# --- the levels to choose from --------------------------------------------------------


@dataclass(frozen=True)
class LevelChoice:
    rank: int
    label: str | None
    descriptor: str | None
    """The skill's own descriptor where the framework has one, else the scale's."""


@dataclass(frozen=True)
class RatableSkill:
    skill: Skill
    framework: Framework
    levels: list[LevelChoice]


def _ratable(session: Session, actor: Actor, skill_id: uuid.UUID) -> RatableSkill:
    reader = actor.without_scopes()  # the skill is part of a rating the actor may give
    skill = taxonomy_service.get_skill(session, reader, skill_id)
    framework = taxonomy_service.get_framework(session, reader, skill.framework_id)
    own = {d.rank: d.descriptor for d in taxonomy_repository.level_descriptors(session, skill.id)}
    scale = framework.scale.levels if framework.scale else []
    levels: dict[int, tuple[str | None, str | None]] = {
        level.rank: (level.label, level.descriptor) for level in scale
    } or dict.fromkeys(FALLBACK_RANKS, (None, None))
    for rank, text in own.items():
        levels[rank] = (levels.get(rank, (None, None))[0], text)
    choices = [LevelChoice(rank, label, text) for rank, (label, text) in sorted(levels.items())]
    return RatableSkill(skill, framework, choices)


def ratable_skills(
    session: Session, actor: Actor, skill_ids: Iterable[uuid.UUID]
) -> list[RatableSkill]:
    """The skills with the levels to choose from, in the order given; skill groups and
    skills the actor cannot see are left out."""
    found: list[RatableSkill] = []
    for skill_id in dict.fromkeys(skill_ids):
        try:
            item = _ratable(session, actor, skill_id)
        except NotFound:
            continue
        if not item.skill.is_group:
            found.append(item)
    return found


def role_skill_ids(
    session: Session, person_id: uuid.UUID, org_ids: Iterable[uuid.UUID] | None = None
) -> list[uuid.UUID]:
    """The skills of the person's job roles and departments (in ``org_ids``, if given),
    weightiest first: what a rating is about unless someone picks other skills."""
    wanted = None if org_ids is None else set(org_ids)
    items: list[SkillProfileItem] = []
    for membership, _ in orgs_repository.memberships_of_person(session, person_id):
        if wanted is not None and membership.org_id not in wanted:
            continue
        profiles = (
            orgs_repository.get_skill_profile(session, position_id=membership.position_id)
            if membership.position_id
            else None,
            orgs_repository.get_skill_profile(session, department_id=membership.department_id)
            if membership.department_id
            else None,
        )
        for profile in profiles:
            if profile is not None:
                items.extend(orgs_repository.skill_profile_items(session, profile.id))
    items.sort(key=lambda item: -item.weight)
    return list(dict.fromkeys(item.skill_id for item in items))


def _checked(
    session: Session,
    actor: Actor,
    ratings: Sequence[SkillRating],
    allowed: set[uuid.UUID] | None = None,
) -> list[tuple[RatableSkill, int]]:
    """Every rating checked before any is recorded: a known skill, once, at one of its levels."""
    if not ratings:
        message = lazy_gettext("Choose a level for at least one skill.")
        raise InvalidInput(message, [FieldError("ratings", message)])
    checked: list[tuple[RatableSkill, int]] = []
    seen: set[uuid.UUID] = set()
    for index, rating in enumerate(ratings):
        field = f"ratings.{index}."
        if rating.skill_id in seen:
            _invalid(lazy_gettext("This skill is rated twice."), f"{field}skill_id")
        if allowed is not None and rating.skill_id not in allowed:
            _invalid(lazy_gettext("This skill was not part of the request."), f"{field}skill_id")
        seen.add(rating.skill_id)
        item = _ratable(session, actor, rating.skill_id)
        if item.skill.is_group:
            _invalid(
                lazy_gettext(
                    "%(label)s is a group of skills; choose a skill in it.",
                    label=item.skill.preferred_label,
                ),
                f"{field}skill_id",
            )
        if rating.level not in {level.rank for level in item.levels}:
            _invalid(lazy_gettext("Choose one of the levels shown."), f"{field}level")
        checked.append((item, rating.level))
    return checked


def _invalid(message: LazyString, field: str) -> NoReturn:
    raise InvalidInput(message, [FieldError(field, message)])


def _record(
    session: Session,
    person_id: uuid.UUID,
    checked: list[tuple[RatableSkill, int]],
    source: EvidenceSource,
    *,
    recorded_by_id: uuid.UUID | None = None,
    org_id: uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> list[Evidence]:
    now = utcnow()
    evidence = [
        Evidence(
            person_id=person_id,
            skill_id=item.skill.id,
            level=level,
            source=source,
            observed_at=now,
            confidence=CONFIDENCE[source],
            recorded_by_id=recorded_by_id,
            org_id=org_id,
            details=details or {},
        )
        for item, level in checked
    ]
    session.add_all(evidence)
    session.flush()
    return evidence


def _details(comment: str | None, **more: str) -> dict[str, Any]:
    return {**more, **({"comment": comment} if comment else {})}


# --- self-assessment ------------------------------------------------------------------


def self_assessment_skills(
    session: Session, actor: Actor, extra_skill_ids: Iterable[uuid.UUID] = ()
) -> list[RatableSkill]:
    """The skills of the actor's roles, then any they added."""
    require_person(actor)
    require_scope(actor, Scope.ASSESSMENT_READ)
    wanted = [*role_skill_ids(session, actor.person_id), *extra_skill_ids]
    return ratable_skills(session, actor, wanted)


def self_assess(
    session: Session, actor: Actor, data: RatingsWrite, *, origin: str | None = None
) -> list[Evidence]:
    """``origin`` names where self-ratings made elsewhere than the form came from (``cv``
    for skills claimed from a CV), so the profile can say so."""
    require_person(actor)
    require_scope(actor, Scope.ASSESSMENT_WRITE)
    checked = _checked(session, actor, data.ratings)
    more = {"origin": origin} if origin else {}
    return _record(
        session,
        actor.person_id,
        checked,
        EvidenceSource.SELF_ASSESSMENT,
        details=_details(data.comment, **more),
    )


# --- manager's ratings ----------------------------------------------------------------


@dataclass(frozen=True)
class RatedPerson:
    org: Organisation
    person: Person


def rated_person(
    session: Session, actor: Actor, org_id: uuid.UUID, person_id: uuid.UUID
) -> RatedPerson:
    """The member ``actor`` may rate as their manager: the organisation must be visible
    (404), ``actor`` a manager or HR administrator there (403), the person a member (404),
    and not ``actor`` themself (403)."""
    require_person(actor)
    org = visible_organisation(session, actor, org_id)
    if not actor.has_any_role(org_id, RATING_ROLES):
        raise PermissionDenied(
            lazy_gettext("Only managers and HR administrators of this organisation give ratings.")
        )
    if not _belongs(session, person_id, org_id):
        raise NotFound(lazy_gettext("Person not found."))
    if person_id == actor.person_id:
        raise PermissionDenied(
            lazy_gettext("You cannot give yourself a manager's rating; use the self-assessment.")
        )
    return RatedPerson(org, _person(session, person_id))


def manager_rating_skills(
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    person_id: uuid.UUID,
    extra_skill_ids: Iterable[uuid.UUID] = (),
) -> list[RatableSkill]:
    """The skills of the person's roles in this organisation, then any the manager added."""
    require_scope(actor, Scope.ASSESSMENT_READ)
    rated_person(session, actor, org_id, person_id)
    wanted = [*role_skill_ids(session, person_id, [org_id]), *extra_skill_ids]
    return ratable_skills(session, actor, wanted)


def rate_as_manager(
    session: Session, actor: Actor, org_id: uuid.UUID, person_id: uuid.UUID, data: RatingsWrite
) -> list[Evidence]:
    require_scope(actor, Scope.ASSESSMENT_WRITE)
    rated_person(session, actor, org_id, person_id)
    checked = _checked(session, actor, data.ratings)
    return _record(
        session,
        person_id,
        checked,
        EvidenceSource.MANAGER_RATING,
        recorded_by_id=actor.person_id,
        org_id=org_id,
        details=_details(data.comment),
    )


# --- peer ratings, by invitation only -------------------------------------------------


class RequestStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    DECLINED = "declined"


STATUS_LABELS: dict[RequestStatus, LazyString] = {
    RequestStatus.OPEN: lazy_gettext("Waiting for an answer"),
    RequestStatus.ANSWERED: lazy_gettext("Answered"),
    RequestStatus.DECLINED: lazy_gettext("Declined"),
}


def status_of(request: RatingRequest) -> RequestStatus:
    if request.answered_at is not None:
        return RequestStatus.ANSWERED
    if request.declined_at is not None:
        return RequestStatus.DECLINED
    return RequestStatus.OPEN


def status_label(request: RatingRequest) -> str:
    return str(STATUS_LABELS[status_of(request)])


@dataclass(frozen=True)
class RequestLine:
    request: RatingRequest
    other: Person
    """The colleague asked, in a list of requests sent; the person asking, in one received."""
    org: Organisation
    skills: list[Skill]

    @property
    def status(self) -> RequestStatus:
        return status_of(self.request)


@dataclass(frozen=True)
class MyRequests:
    sent: list[RequestLine]
    received: list[RequestLine]


def _skill_ids(request: RatingRequest) -> list[uuid.UUID]:
    return [uuid.UUID(value) for value in request.skill_ids]


def _lines(
    session: Session, rows: Sequence[tuple[RatingRequest, Person, Organisation]]
) -> list[RequestLine]:
    skills = taxonomy_repository.skills_by_ids(
        session, {skill_id for request, _, _ in rows for skill_id in _skill_ids(request)}
    )
    return [
        RequestLine(request, other, org, [skills[s] for s in _skill_ids(request) if s in skills])
        for request, other, org in rows
    ]


def my_requests(session: Session, actor: Actor) -> MyRequests:
    require_person(actor)
    require_scope(actor, Scope.ASSESSMENT_READ)
    return MyRequests(
        sent=_lines(session, repository.requests_sent(session, actor.person_id)),
        received=_lines(session, repository.requests_received(session, actor.person_id)),
    )


@dataclass(frozen=True)
class RequestView:
    request: RatingRequest
    asker: Person
    rater: Person
    org: Organisation
    skills: list[RatableSkill]

    @property
    def status(self) -> RequestStatus:
        return status_of(self.request)


def request_rating(session: Session, actor: Actor, data: RatingRequestCreate) -> RequestView:
    """Ask a colleague of one of the actor's organisations to rate chosen skills; they are
    told by mail."""
    require_person(actor)
    require_scope(actor, Scope.ASSESSMENT_WRITE)
    org = _shared_organisation(session, actor, data.org_id)
    rater = orgs_repository.get_person_by_email(session, str(data.rater_email))
    if rater is None or not _belongs(session, rater.id, org.id):
        _invalid(
            lazy_gettext("Nobody with this address belongs to %(org)s.", org=org.name),
            "rater_email",
        )
    if rater.id == actor.person_id:
        _invalid(lazy_gettext("You cannot ask yourself; use the self-assessment."), "rater_email")
    if not data.skill_ids:
        _invalid(lazy_gettext("Choose at least one skill."), "skill_ids")
    skills: list[RatableSkill] = []
    for index, skill_id in enumerate(data.skill_ids):
        if data.skill_ids.index(skill_id) != index:
            _invalid(lazy_gettext("This skill is listed twice."), f"skill_ids.{index}")
        skills.append(_ratable(session, actor, skill_id))
        if skills[-1].skill.is_group:
            _invalid(lazy_gettext("Choose a skill, not a group of skills."), f"skill_ids.{index}")
    request = RatingRequest(
        person_id=actor.person_id,
        rater_id=rater.id,
        org_id=org.id,
        skill_ids=[str(skill_id) for skill_id in data.skill_ids],
        message=data.message or None,
    )
    session.add(request)
    session.flush()
    view = RequestView(request, _person(session, actor.person_id), rater, org, skills)
    _mail(
        session,
        rater.email,
        gettext("%(name)s asks you to rate their skills", name=view.asker.display_name),
        gettext(
            "Hello,\n\n%(name)s, a colleague at %(org)s, asks you to rate some of their "
            "skills on Cairn.\n\nAnswer or decline here:\n%(link)s\n",
            name=view.asker.display_name,
            org=org.name,
            link=request_link(request),
        ),
    )
    return view


def _shared_organisation(session: Session, actor: Actor, org_id: uuid.UUID | None) -> Organisation:
    if org_id is None:
        if len(actor.org_ids) != 1:
            _invalid(lazy_gettext("Choose the organisation you share."), "org_id")
        (org_id,) = actor.org_ids
    if org_id not in actor.org_ids:
        message = lazy_gettext("Organisation not found.")
        raise NotFound(message, [FieldError("org_id", message)])
    return visible_organisation(session, actor, org_id)


def _belongs(session: Session, person_id: uuid.UUID, org_id: uuid.UUID) -> bool:
    return any(
        membership.org_id == org_id
        for membership, _ in orgs_repository.memberships_of_person(session, person_id)
    )


def request_link(request: RatingRequest) -> str:
    return f"{get_settings().base_url.rstrip('/')}/assessments/ratings/{request.id}"


def get_request(session: Session, actor: Actor, request_id: uuid.UUID) -> RequestView:
    require_scope(actor, Scope.ASSESSMENT_READ)
    return _request_view(session, actor, request_id)


def _request_view(session: Session, actor: Actor, request_id: uuid.UUID) -> RequestView:
    """A request exists only for the person who asked and the colleague asked."""
    request = repository.get_request(session, request_id)
    if (
        request is None
        or actor.system
        or actor.person_id
        not in (
            request.person_id,
            request.rater_id,
        )
    ):
        raise NotFound(lazy_gettext("Rating request not found."))
    org = orgs_repository.get_organisation(session, request.org_id)
    if org is None:  # pragma: no cover - requests cascade with their organisation
        raise NotFound(lazy_gettext("Rating request not found."))
    return RequestView(
        request,
        _person(session, request.person_id),
        _person(session, request.rater_id),
        org,
        ratable_skills(session, actor, _skill_ids(request)),
    )


def _person(session: Session, person_id: uuid.UUID) -> Person:
    person = orgs_repository.get_person(session, person_id)
    if person is None:  # pragma: no cover - requests and memberships cascade with people
        raise NotFound(lazy_gettext("Person not found."))
    return person


def _open_request_for_rater(session: Session, actor: Actor, request_id: uuid.UUID) -> RequestView:
    require_person(actor)
    require_scope(actor, Scope.ASSESSMENT_WRITE)
    view = _request_view(session, actor, request_id)
    if view.request.rater_id != actor.person_id:
        raise PermissionDenied(lazy_gettext("Only the colleague you asked can answer."))
    if view.request.org_id not in actor.org_ids:
        # Gone from the organisation: they no longer rate in its name.
        raise NotFound(lazy_gettext("Rating request not found."))
    if view.status is not RequestStatus.OPEN:
        raise _closed(view.request)
    return view


def _closed(request: RatingRequest) -> Conflict:
    if status_of(request) is RequestStatus.DECLINED:
        return Conflict(lazy_gettext("This request was declined."))
    return Conflict(lazy_gettext("This request has already been answered."))


def _close(session: Session, request: RatingRequest, **when: datetime) -> None:
    """Close the request unless someone closed it a moment ago (then say how)."""
    if not repository.close_request(session, request.id, **when):
        session.refresh(request)
        raise _closed(request)


def answer_request(
    session: Session, actor: Actor, request_id: uuid.UUID, data: RatingsWrite
) -> list[Evidence]:
    """Record the colleague's ratings as peer evidence, once; the person who asked is told."""
    view = _open_request_for_rater(session, actor, request_id)
    checked = _checked(session, actor, data.ratings, allowed=set(_skill_ids(view.request)))
    _close(session, view.request, answered_at=utcnow())
    evidence = _record(
        session,
        view.request.person_id,
        checked,
        EvidenceSource.PEER_RATING,
        recorded_by_id=actor.person_id,
        org_id=view.request.org_id,
        details=_details(data.comment, request_id=str(request_id)),
    )
    _mail(
        session,
        view.asker.email,
        gettext("%(name)s has rated your skills", name=view.rater.display_name),
        gettext(
            "Hello,\n\n%(name)s answered your request and rated %(count)s skills. The ratings "
            "are now part of your skills profile:\n%(link)s\n",
            name=view.rater.display_name,
            count=len(evidence),
            link=f"{get_settings().base_url.rstrip('/')}/profile/skills",
        ),
    )
    return evidence


def decline_request(session: Session, actor: Actor, request_id: uuid.UUID) -> RequestView:
    view = _open_request_for_rater(session, actor, request_id)
    _close(session, view.request, declined_at=utcnow())
    _mail(
        session,
        view.asker.email,
        gettext("%(name)s declined to rate your skills", name=view.rater.display_name),
        gettext(
            "Hello,\n\n%(name)s declined your request for a skills rating. You may ask "
            "another colleague:\n%(link)s\n",
            name=view.rater.display_name,
            link=f"{get_settings().base_url.rstrip('/')}/assessments/ratings",
        ),
    )
    return view


def _mail(session: Session, recipient: str, subject: str, body: str) -> None:
    mailer_for(get_settings(), session).send(Mail(recipient=recipient, subject=subject, body=body))
