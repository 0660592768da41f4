"""Assessment campaigns: an organisation's HR team asks departments and job roles to take a
test by a deadline. Launching invites the people targeted then, by mail; reminders go to
those who have not finished, at most one mail a day each; closing expires unfinished tests.

Only HR administrators of the organisation (and platform administrators) run campaigns;
everyone else in it gets a 403, other organisations a 404. What people scored is read in
``cairn.profiles.campaign_results``, where the sharing rules of profiles live."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from cairn.assessment import campaigns_repository as repository
from cairn.assessment import repository as banks
from cairn.assessment.campaign_schemas import CampaignCreate, CampaignUpdate
from cairn.assessment.enums import AttemptStatus, CampaignStatus
from cairn.assessment.models import Attempt, Campaign, CampaignParticipant, ItemBank
from cairn.config import get_settings
from cairn.kit.actor import Actor, Role, Scope, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import LazyString, gettext, lazy_gettext, use_locale
from cairn.kit.mail import Mail, mailer_for
from cairn.orgs import repository as orgs_repository
from cairn.orgs.models import Department, Organisation, Person, Position
from cairn.orgs.permissions import visible_organisation
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.models import Skill

REMINDER_GAP = timedelta(hours=24)
"""No one gets more than one mail a day from a campaign, the invitation included."""

CAMPAIGN_ROLES = frozenset({Role.HR_ADMIN, Role.PLATFORM_ADMIN})


class ParticipantStatus(StrEnum):
    INVITED = "invited"
    STARTED = "started"
    COMPLETED = "completed"
    EXPIRED = "expired"
    """The deadline passed, or the campaign closed, without a finished test."""


STATUS_LABELS: dict[ParticipantStatus, LazyString] = {
    ParticipantStatus.INVITED: lazy_gettext("Invited"),
    ParticipantStatus.STARTED: lazy_gettext("Started"),
    ParticipantStatus.COMPLETED: lazy_gettext("Completed"),
    ParticipantStatus.EXPIRED: lazy_gettext("Expired"),
}


def participant_status(campaign: Campaign, attempts: Sequence[Attempt]) -> ParticipantStatus:
    """A finished test counts whatever came after it; otherwise the deadline decides."""
    if any(attempt.status is AttemptStatus.COMPLETED for attempt in attempts):
        return ParticipantStatus.COMPLETED
    if campaign.status is CampaignStatus.CLOSED or campaign.deadline <= utcnow():
        return ParticipantStatus.EXPIRED
    if any(attempt.status is AttemptStatus.IN_PROGRESS for attempt in attempts):
        return ParticipantStatus.STARTED
    return ParticipantStatus.INVITED


def latest_completed(attempts: Sequence[Attempt]) -> Attempt | None:
    done = [attempt for attempt in attempts if attempt.status is AttemptStatus.COMPLETED]
    return max(done, key=lambda a: (a.finished_at or a.created_at, a.created_at), default=None)


@dataclass(frozen=True)
class CampaignDetail:
    campaign: Campaign
    bank: ItemBank
    scope: Skill | None
    departments: list[Department]
    positions: list[Position]
    participants: int


@dataclass(frozen=True)
class CampaignInvitation:
    """An open campaign someone is invited to, for their "My assessments" page."""

    campaign_id: uuid.UUID
    title: str
    message: str | None
    org_id: uuid.UUID
    org_name: str
    deadline: datetime
    proctored: bool
    finished: bool
    started: bool


# --- permissions ---------------------------------------------------------------------


def require_campaign_admin(
    session: Session, actor: Actor, org_id: uuid.UUID, *, write: bool = True
) -> Organisation:
    """The organisation, if ``actor`` runs its campaigns: for forms, before reading input."""
    require_scope(actor, Scope.ASSESSMENT_WRITE if write else Scope.ASSESSMENT_READ)
    org = visible_organisation(session, actor, org_id)
    if not (actor.is_platform_admin or actor.has_any_role(org_id, CAMPAIGN_ROLES)):
        raise PermissionDenied(
            lazy_gettext("Only an HR administrator of this organisation runs campaigns.")
        )
    return org


def _campaign(session: Session, org_id: uuid.UUID, campaign_id: uuid.UUID) -> Campaign:
    campaign = repository.get_campaign(session, org_id, campaign_id)
    if campaign is None:
        raise NotFound(lazy_gettext("Campaign not found."))
    return campaign


# --- reading -------------------------------------------------------------------------


def list_campaigns(session: Session, actor: Actor, org_id: uuid.UUID) -> Sequence[Campaign]:
    require_campaign_admin(session, actor, org_id, write=False)
    return repository.list_campaigns(session, org_id)


def get_campaign(
    session: Session, actor: Actor, org_id: uuid.UUID, campaign_id: uuid.UUID
) -> Campaign:
    require_campaign_admin(session, actor, org_id, write=False)
    return _campaign(session, org_id, campaign_id)


def locate(session: Session, actor: Actor, campaign_id: uuid.UUID) -> Campaign:
    """A campaign known by its id alone (the command line), with the same checks."""
    campaign = repository.find_campaign(session, campaign_id)
    if campaign is None:
        raise NotFound(lazy_gettext("Campaign not found."))
    return get_campaign(session, actor, campaign.org_id, campaign.id)


def detail(
    session: Session, actor: Actor, org_id: uuid.UUID, campaign_id: uuid.UUID
) -> CampaignDetail:
    campaign = get_campaign(session, actor, org_id, campaign_id)
    bank = banks.get_bank(session, campaign.bank_id)
    if bank is None:  # pragma: no cover - the foreign key restricts deletion
        raise NotFound(lazy_gettext("Item bank not found."))
    targets = repository.targets_of(session, campaign.id)
    departments = {d.id: d for d in orgs_repository.list_departments(session, org_id)}
    positions = {p.id: p for p in orgs_repository.list_positions(session, org_id)}
    return CampaignDetail(
        campaign=campaign,
        bank=bank,
        scope=(
            taxonomy_repository.get_skill(session, campaign.scope_skill_id)
            if campaign.scope_skill_id
            else None
        ),
        departments=sorted(
            (departments[t.department_id] for t in targets if t.department_id in departments),
            key=lambda d: d.name.lower(),
        ),
        positions=sorted(
            (positions[t.position_id] for t in targets if t.position_id in positions),
            key=lambda p: p.title.lower(),
        ),
        participants=repository.count_participants(session, campaign.id),
    )


def available_banks(session: Session, actor: Actor, org_id: uuid.UUID) -> Sequence[ItemBank]:
    """Public item banks and the organisation's own."""
    require_campaign_admin(session, actor, org_id, write=False)
    return banks.list_banks(session, [org_id])


def scope_options(session: Session, actor: Actor, bank: ItemBank) -> Sequence[Skill]:
    """The areas and competences a campaign over ``bank`` may narrow its test to."""
    require_scope(actor, Scope.ASSESSMENT_READ)
    return repository.scope_skills(session, bank.id)


# --- drafting ------------------------------------------------------------------------


def _bank(session: Session, org_id: uuid.UUID, bank_id: uuid.UUID) -> ItemBank:
    bank = banks.get_bank(session, bank_id)
    if bank is None or bank.owner_org_id not in (None, org_id):
        message = lazy_gettext("Choose one of the item banks offered.")
        raise InvalidInput(message, [FieldError("bank_id", message)])
    return bank


def _check_scope(session: Session, bank: ItemBank, scope_skill_id: uuid.UUID | None) -> None:
    if scope_skill_id is None:
        return
    skill = taxonomy_repository.get_skill(session, scope_skill_id)
    if skill is None or skill.framework_id != bank.framework_id:
        message = lazy_gettext("Choose an area or competence of the item bank's framework.")
        raise InvalidInput(message, [FieldError("scope_skill_id", message)])


def _check_deadline(deadline: datetime) -> None:
    if deadline <= utcnow():
        message = lazy_gettext("Choose a deadline in the future.")
        raise InvalidInput(message, [FieldError("deadline", message)])


def _check_targets(
    session: Session,
    org_id: uuid.UUID,
    department_ids: Iterable[uuid.UUID] | None,
    position_ids: Iterable[uuid.UUID] | None,
) -> None:
    """Targets must be the organisation's own: another's ids are refused as unknown."""
    if department_ids is not None:
        known = {d.id for d in orgs_repository.list_departments(session, org_id)}
        if not set(department_ids) <= known:
            message = lazy_gettext("Choose departments of this organisation.")
            raise InvalidInput(message, [FieldError("department_ids", message)])
    if position_ids is not None:
        known = {p.id for p in orgs_repository.list_positions(session, org_id)}
        if not set(position_ids) <= known:
            message = lazy_gettext("Choose job roles of this organisation.")
            raise InvalidInput(message, [FieldError("position_ids", message)])


def create_campaign(
    session: Session, actor: Actor, org_id: uuid.UUID, data: CampaignCreate
) -> Campaign:
    """A draft: nobody is invited until it is launched."""
    require_campaign_admin(session, actor, org_id)
    bank = _bank(session, org_id, data.bank_id)
    _check_scope(session, bank, data.scope_skill_id)
    _check_deadline(data.deadline)
    _check_targets(session, org_id, data.department_ids, data.position_ids)
    campaign = Campaign(
        org_id=org_id,
        title=data.title,
        message=data.message or None,
        bank_id=bank.id,
        scope_skill_id=data.scope_skill_id,
        mode=data.mode,
        proctored=data.proctored,
        deadline=data.deadline,
        status=CampaignStatus.DRAFT,
        created_by_id=None if actor.system else actor.person_id,
    )
    session.add(campaign)
    session.flush()
    repository.replace_targets(
        session, campaign.id, department_ids=data.department_ids, position_ids=data.position_ids
    )
    return campaign


def require_draft(campaign: Campaign) -> None:
    """Invitations quote the campaign as it was launched: it is frozen from then on."""
    if campaign.status is not CampaignStatus.DRAFT:
        raise Conflict(lazy_gettext("Only a draft campaign can be changed."))


def update_campaign(
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    campaign_id: uuid.UUID,
    data: CampaignUpdate,
) -> Campaign:
    require_campaign_admin(session, actor, org_id)
    campaign = _campaign(session, org_id, campaign_id)
    require_draft(campaign)
    changes = data.model_dump(exclude_unset=True)
    for required in ("title", "bank_id", "mode", "proctored", "deadline"):
        if required in changes and changes[required] is None:
            del changes[required]
    bank = _bank(session, org_id, changes.get("bank_id", campaign.bank_id))
    scope = changes.get("scope_skill_id", campaign.scope_skill_id)
    if bank.id != campaign.bank_id and "scope_skill_id" not in changes:
        scope = None  # a scope belongs to its bank's framework
    _check_scope(session, bank, scope)
    if "deadline" in changes:
        _check_deadline(changes["deadline"])
    departments, positions = changes.pop("department_ids", None), changes.pop("position_ids", None)
    _check_targets(session, org_id, departments, positions)
    for key, value in changes.items():
        setattr(campaign, key, value)
    campaign.scope_skill_id = scope
    campaign.message = campaign.message or None
    repository.replace_targets(
        session, campaign.id, department_ids=departments, position_ids=positions
    )
    session.flush()
    return campaign


# --- launching and inviting ----------------------------------------------------------


def targeted_people(session: Session, campaign: Campaign) -> Sequence[Person]:
    """The active members of the targeted departments (with every department below them)
    and job roles, as the organisation stands now."""
    targets = repository.targets_of(session, campaign.id)
    roots = {t.department_id for t in targets if t.department_id is not None}
    children: dict[uuid.UUID, list[uuid.UUID]] = {}
    for department in orgs_repository.list_departments(session, campaign.org_id):
        if department.parent_id is not None:
            children.setdefault(department.parent_id, []).append(department.id)
    departments: set[uuid.UUID] = set()
    stack = list(roots)
    while stack:
        current = stack.pop()
        if current not in departments:
            departments.add(current)
            stack.extend(children.get(current, []))
    return repository.active_members_in(
        session,
        campaign.org_id,
        department_ids=sorted(departments),
        position_ids=sorted({t.position_id for t in targets if t.position_id is not None}),
    )


def _assessments_link() -> str:
    return f"{get_settings().base_url.rstrip('/')}/assessments"


def _deadline_text(campaign: Campaign) -> str:
    return campaign.deadline.strftime("%Y-%m-%d %H:%M UTC")


def _send_invitation(
    session: Session, org: Organisation, campaign: Campaign, person: Person
) -> None:
    with use_locale(person.locale or get_settings().default_locale):
        subject = gettext(
            "%(org)s asks you to take an assessment: %(title)s", org=org.name, title=campaign.title
        )
        body = gettext(
            "Hello %(name)s,\n\n%(org)s invites you to take the skills assessment "
            '"%(title)s" before %(deadline)s.\n\n%(note)s'
            "Start it from your assessments page:\n%(link)s\n\n"
            "%(org)s sees whether you have taken it. It sees your result only if you "
            "share your skills profile with your employers, which you can change at any "
            "time under My skills.\n",
            name=person.display_name,
            org=org.name,
            title=campaign.title,
            deadline=_deadline_text(campaign),
            note=f"{campaign.message}\n\n" if campaign.message else "",
            link=_assessments_link(),
        )
    mailer_for(get_settings(), session).send(
        Mail(recipient=person.email, subject=subject, body=body)
    )


def _invite(
    session: Session, org: Organisation, campaign: Campaign, people: Iterable[Person]
) -> int:
    already = {
        participant.person_id for participant, _ in repository.participants_of(session, campaign.id)
    }
    invited = 0
    now = utcnow()
    for person in people:
        if person.id in already:
            continue
        session.add(
            CampaignParticipant(campaign_id=campaign.id, person_id=person.id, invited_at=now)
        )
        _send_invitation(session, org, campaign, person)
        invited += 1
    session.flush()
    return invited


def launch(session: Session, actor: Actor, org_id: uuid.UUID, campaign_id: uuid.UUID) -> int:
    """Open the campaign and mail each targeted person once; returns how many."""
    org = require_campaign_admin(session, actor, org_id)
    campaign = _campaign(session, org_id, campaign_id)
    if campaign.status is not CampaignStatus.DRAFT:
        raise Conflict(lazy_gettext("This campaign has already been launched."))
    _check_deadline(campaign.deadline)
    people = targeted_people(session, campaign)
    if not people:
        message = lazy_gettext(
            "Nobody is in the chosen departments or job roles: choose others before launching."
        )
        raise InvalidInput(message, [FieldError("department_ids", message)])
    campaign.status = CampaignStatus.OPEN
    campaign.launched_at = utcnow()
    return _invite(session, org, campaign, people)


def _require_open(campaign: Campaign) -> None:
    if campaign.status is not CampaignStatus.OPEN:
        raise Conflict(lazy_gettext("This campaign is not open."))
    if campaign.deadline <= utcnow():
        raise Conflict(lazy_gettext("The deadline of this campaign has passed."))


def invite_new_members(
    session: Session, actor: Actor, org_id: uuid.UUID, campaign_id: uuid.UUID
) -> int:
    """Invite people who joined a targeted department or role since the launch; anyone
    already invited is left alone, so running it twice sends nothing more."""
    org = require_campaign_admin(session, actor, org_id)
    campaign = _campaign(session, org_id, campaign_id)
    _require_open(campaign)
    return _invite(session, org, campaign, targeted_people(session, campaign))


# --- reminders -----------------------------------------------------------------------


def _send_reminder(session: Session, org: Organisation, campaign: Campaign, person: Person) -> None:
    with use_locale(person.locale or get_settings().default_locale):
        subject = gettext(
            "Reminder: %(title)s, before %(deadline)s",
            title=campaign.title,
            deadline=_deadline_text(campaign),
        )
        body = gettext(
            'Hello %(name)s,\n\n%(org)s reminds you of the skills assessment "%(title)s", '
            "open until %(deadline)s. If you have started it, you can carry on where you "
            "left off:\n%(link)s\n",
            name=person.display_name,
            org=org.name,
            title=campaign.title,
            deadline=_deadline_text(campaign),
            link=_assessments_link(),
        )
    mailer_for(get_settings(), session).send(
        Mail(recipient=person.email, subject=subject, body=body)
    )


def _remind(session: Session, org: Organisation, campaign: Campaign) -> int:
    now = utcnow()
    attempts: dict[uuid.UUID, list[Attempt]] = {}
    for attempt in repository.attempts_for(session, campaign.id):
        attempts.setdefault(attempt.person_id, []).append(attempt)
    sent = 0
    for participant, person in repository.participants_of(session, campaign.id):
        if latest_completed(attempts.get(person.id, [])) is not None or not person.is_active:
            continue
        last = participant.last_reminded_at or participant.invited_at
        if now - last < REMINDER_GAP:
            continue
        _send_reminder(session, org, campaign, person)
        participant.reminders_sent += 1
        participant.last_reminded_at = now
        sent += 1
    session.flush()
    return sent


def remind(session: Session, actor: Actor, org_id: uuid.UUID, campaign_id: uuid.UUID) -> int:
    """Mail the participants who have not finished and had no mail from it for a day."""
    org = require_campaign_admin(session, actor, org_id)
    campaign = _campaign(session, org_id, campaign_id)
    _require_open(campaign)
    return _remind(session, org, campaign)


def _operated_orgs(session: Session, actor: Actor, org_id: uuid.UUID | None) -> uuid.UUID | None:
    """Jobs over every organisation are the platform's; one organisation's are its HR team's."""
    require_scope(actor, Scope.ASSESSMENT_WRITE)
    if org_id is not None:
        require_campaign_admin(session, actor, org_id)
    elif not actor.is_platform_admin:
        raise PermissionDenied(
            lazy_gettext("Only a platform administrator acts on every organisation's campaigns.")
        )
    return org_id


def remind_due(
    session: Session, actor: Actor, *, within: timedelta, org_id: uuid.UUID | None = None
) -> list[tuple[Campaign, int]]:
    """Remind participants of every open campaign whose deadline is within ``within``:
    safe to run from cron as often as wanted, thanks to the one-mail-a-day rule."""
    org_id = _operated_orgs(session, actor, org_id)
    now = utcnow()
    sent: list[tuple[Campaign, int]] = []
    for campaign in repository.open_campaigns(session, org_id=org_id, deadline_before=now + within):
        if campaign.deadline <= now:
            continue
        org = orgs_repository.get_organisation(session, campaign.org_id)
        if org is not None:
            sent.append((campaign, _remind(session, org, campaign)))
    return sent


# --- closing -------------------------------------------------------------------------


def _close(session: Session, campaign: Campaign) -> int:
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = utcnow()
    expired = repository.expire_attempts(session, campaign.id)
    session.flush()
    return expired


def close(session: Session, actor: Actor, org_id: uuid.UUID, campaign_id: uuid.UUID) -> Campaign:
    """End an open campaign now: tests still in progress expire."""
    require_campaign_admin(session, actor, org_id)
    campaign = _campaign(session, org_id, campaign_id)
    if campaign.status is not CampaignStatus.OPEN:
        raise Conflict(lazy_gettext("This campaign is not open."))
    _close(session, campaign)
    return campaign


def close_due(
    session: Session, actor: Actor, *, org_id: uuid.UUID | None = None
) -> list[tuple[Campaign, int]]:
    """Close every open campaign past its deadline; with how many attempts each expired."""
    org_id = _operated_orgs(session, actor, org_id)
    return [
        (campaign, _close(session, campaign))
        for campaign in repository.open_campaigns(session, org_id=org_id, deadline_before=utcnow())
    ]


# --- for the person invited ----------------------------------------------------------


def invitations_for(session: Session, actor: Actor) -> list[CampaignInvitation]:
    """Open campaigns the actor is invited to whose deadline has not passed."""
    require_scope(actor, Scope.ASSESSMENT_READ)
    now = utcnow()
    found = [
        (campaign, org)
        for campaign, org in repository.invitations_of(session, actor.person_id)
        if campaign.deadline > now
    ]
    attempts: dict[uuid.UUID, list[Attempt]] = {}
    for attempt in repository.person_attempts_for(
        session, actor.person_id, [campaign.id for campaign, _ in found]
    ):
        if attempt.campaign_id is not None:
            attempts.setdefault(attempt.campaign_id, []).append(attempt)
    invitations: list[CampaignInvitation] = []
    for campaign, org in found:
        status = participant_status(campaign, attempts.get(campaign.id, []))
        invitations.append(
            CampaignInvitation(
                campaign_id=campaign.id,
                title=campaign.title,
                message=campaign.message,
                org_id=org.id,
                org_name=org.name,
                deadline=campaign.deadline,
                proctored=campaign.proctored,
                finished=status is ParticipantStatus.COMPLETED,
                started=status is ParticipantStatus.STARTED,
            )
        )
    return invitations


def participant_campaign(
    session: Session, person_id: uuid.UUID, campaign_id: uuid.UUID
) -> Campaign | None:
    """The campaign, if it is open, before its deadline, and the person was invited to it:
    whether they may start (or resume) its test now."""
    campaign = repository.participant_campaign(session, person_id, campaign_id)
    if campaign is None or campaign.status is not CampaignStatus.OPEN:
        return None
    return campaign if campaign.deadline > utcnow() else None
