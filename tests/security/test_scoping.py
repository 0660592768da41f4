"""Every route of the app, tried by a member of another organisation, by a learner of the
same organisation, and by an anonymous visitor.

The routes are enumerated from the app itself, so a new route is tried too; a route whose
path parameters or body this file cannot fill fails the suite until it is described here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.accounts.models import Program
from cairn.accounts.rules import example_rules
from cairn.app import API_PATHS, create_app
from cairn.assessment.cat import CatState
from cairn.assessment.enums import ArtifactKind, TestMode
from cairn.assessment.models import (
    Attempt,
    Campaign,
    CampaignTarget,
    ItemBank,
    RatingRequest,
    RplArtifact,
    RplClaim,
)
from cairn.auth.dependencies import SESSION_COOKIE
from cairn.auth.models import ApiToken
from cairn.catalogue import demand_service
from cairn.catalogue.codesign_models import NeedSkill, Network, NetworkMember, Proposal, SkillsNeed
from cairn.catalogue.demand_models import PostingBatch
from cairn.catalogue.enums import NetworkKind, Participation, Profile, SurveyKind, VersionStatus
from cairn.catalogue.feedback_models import SurveyInvitation
from cairn.catalogue.models import Specification, SpecificationIssuer, SpecificationVersion
from cairn.catalogue.offering_models import Enrolment, Offering
from cairn.catalogue.stacking import RuleKind
from cairn.catalogue.stacking_models import Equivalence, StackRule
from cairn.credentials.issued_models import CredentialKind, IssuedCredential, ProofFormat
from cairn.credentials.models import Award
from cairn.credentials.wallet_models import ItemSource, Share, WalletItem
from cairn.kit.actor import Actor, Role
from cairn.kit.clock import utcnow
from cairn.kit.jobs_models import Job
from cairn.kit.mail import OutboxMessage
from cairn.orgs import invitations
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Membership
from cairn.orgs.schemas import InvitationCreate
from cairn.pathways.models import Pathway
from cairn.taxonomy.models import Framework, Occupation, Skill
from tests.conftest import LiveServer
from tests.factories.auth import make_token, make_web_session
from tests.factories.orgs import make_department, make_member, make_org, make_position
from tests.helpers import csrf_from

PUBLIC_PAGES = {
    "/sign-in",
    "/sign-out",
    "/language",
    "/invitations/{token}",
    "/api/v1/docs",
    "/catalogue",
    "/catalogue/{org_slug}/{spec_slug}",
    "/catalogue/{org_slug}/{spec_slug}.jsonld",
    "/api/v1/catalogue",
    "/orgs/{org_slug}/did.json",
    "/credentials/status/{list_id}",
    "/catalogue/{org_slug}/{spec_slug}/v{number}",
    "/s/{share_token}",
    "/s/{share_token}/download/{file_format}",
    "/verify",
    "/credentials/verify",
    "/presentations/verify",
    "/catalogue/{org_slug}/{spec_slug}/offerings",
    "/offerings/{offering_id}",
    "/api/v1/specifications/{version_id}/offerings",
    "/api/v1/offerings/{offering_id}",
}
"""Pages anyone may open or post to without signing in."""

LEARNER_READABLE = {
    ("GET", "/orgs/{org_id}/specifications"),
    ("GET", "/api/v1/orgs/{org_id}/specifications"),
    ("GET", "/orgs/{org_id}/stacks"),
    ("GET", "/orgs/{org_id}/roles/{position_id}/skills"),
    ("GET", "/orgs/{org_id}/departments/{department_id}/skills"),
    ("GET", "/api/v1/orgs/{org_id}/positions/{position_id}/skill-profile"),
    ("GET", "/api/v1/orgs/{org_id}/departments/{department_id}/skill-profile"),
    ("GET", "/orgs/{org_id}"),
    ("GET", "/orgs/{org_id}/departments"),
    ("GET", "/orgs/{org_id}/roles"),
    ("GET", "/api/v1/orgs/{org_id}"),
    ("GET", "/api/v1/orgs/{org_id}/departments"),
    ("GET", "/api/v1/orgs/{org_id}/departments/{department_id}"),
    ("GET", "/api/v1/orgs/{org_id}/positions"),
    ("GET", "/api/v1/orgs/{org_id}/positions/{position_id}"),
}
"""Organisation routes a plain learner of that organisation may use; every other
organisation route must refuse them with 403."""

SAMPLE_JSON: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/orgs"): {"name": "Intruder Inc", "kind": "community"},
    ("PATCH", "/api/v1/orgs/{org_id}"): {"name": "Renamed"},
    ("POST", "/api/v1/orgs/{org_id}/departments"): {"name": "Intruders"},
    ("PATCH", "/api/v1/orgs/{org_id}/departments/{department_id}"): {"name": "Renamed"},
    ("POST", "/api/v1/orgs/{org_id}/positions"): {"title": "Intruder"},
    ("PATCH", "/api/v1/orgs/{org_id}/positions/{position_id}"): {"title": "Renamed"},
    ("PATCH", "/api/v1/orgs/{org_id}/members/{membership_id}"): {"role": "hr_admin"},
    ("POST", "/api/v1/orgs/{org_id}/invitations"): {
        "email": "intruder@example.org",
        "role": "learner",
    },
    ("PUT", "/api/v1/orgs/{org_id}/positions/{position_id}/skill-profile"): {"items": []},
    ("PUT", "/api/v1/orgs/{org_id}/departments/{department_id}/skill-profile"): {"items": []},
    ("POST", "/api/v1/orgs/{org_id}/positions/{position_id}/skill-profile/from-occupation"): {
        "occupation_uri": "http://data.europa.eu/esco/occupation/none"
    },
    ("POST", "/api/v1/orgs/{org_id}/departments/{department_id}/skill-profile/from-occupation"): {
        "occupation_uri": "http://data.europa.eu/esco/occupation/none"
    },
    ("POST", "/api/v1/orgs/{org_id}/positions/{position_id}/skill-profile/suggestions"): {
        "text": "Extensive experience with SQL"
    },
    ("POST", "/api/v1/orgs/{org_id}/departments/{department_id}/skill-profile/suggestions"): {
        "text": "Extensive experience with SQL"
    },
    ("POST", "/api/v1/orgs/{org_id}/campaigns"): {
        "title": "Intruder",
        "bank_id": "00000000-0000-0000-0000-000000000001",
        "deadline": "2099-01-01",
    },
    ("PATCH", "/api/v1/orgs/{org_id}/campaigns/{campaign_id}"): {"title": "Renamed"},
    ("POST", "/api/v1/orgs/{org_id}/campaigns/{campaign_id}/launch"): {},
    ("POST", "/api/v1/orgs/{org_id}/campaigns/{campaign_id}/invite-new"): {},
    ("POST", "/api/v1/orgs/{org_id}/campaigns/{campaign_id}/remind"): {},
    ("POST", "/api/v1/orgs/{org_id}/campaigns/{campaign_id}/close"): {},
    ("PATCH", "/api/v1/me/profile"): {"headline": "Mine"},
    ("POST", "/api/v1/me/assessments"): {"mode": "adaptive"},
    ("POST", "/api/v1/orgs/{org_id}/specifications"): {
        "slug": "intruder",
        "title": "Intruder",
        "profile": "eu_2022",
        "language": "en",
    },
    ("PATCH", "/api/v1/specifications/{version_id}"): {"title": "Renamed"},
    ("PUT", "/api/v1/specifications/{version_id}/prerequisites"): {"clauses": []},
    ("POST", "/api/v1/specifications/{version_id}/submit-for-review"): {},
    ("POST", "/api/v1/specifications/{version_id}/return-to-draft"): {},
    ("POST", "/api/v1/specifications/{version_id}/publish"): {},
    ("POST", "/api/v1/specifications/{version_id}/retire"): {},
    ("POST", "/api/v1/specifications/{version_id}/new-version"): {},
    ("POST", "/api/v1/orgs/{org_id}/stacking-rules"): {
        "slug": "intruder",
        "title": "Intruder",
        "kind": "all_of",
        "program_name": "Intruder program",
    },
    ("PUT", "/api/v1/stacking-rules/{rule_id}"): {
        "title": "Renamed",
        "kind": "all_of",
        "program_name": "Intruder program",
    },
    ("POST", "/api/v1/equivalences"): {
        "specification_id": "00000000-0000-0000-0000-000000000001",
        "equivalent_specification_id": "00000000-0000-0000-0000-000000000002",
    },
    ("POST", "/api/v1/rpl-routes"): {
        "specification_id": "00000000-0000-0000-0000-000000000001",
        "description": "Mine",
    },
    ("POST", "/api/v1/orgs/{org_id}/awards"): {
        "version_id": "00000000-0000-0000-0000-000000000001",
        "learner_email": "someone@example.org",
        "awarded_on": "2026-01-01",
    },
    ("POST", "/api/v1/surveys/{survey_token}/answer"): {"relevance": 3, "quality": 3},
    ("POST", "/api/v1/orgs/{org_id}/needs"): {
        "title": "Intruder",
        "skills": [{"skill_id": "00000000-0000-0000-0000-000000000001"}],
    },
    ("PATCH", "/api/v1/needs/{need_id}"): {"title": "Renamed"},
    ("POST", "/api/v1/needs/{need_id}/close"): {},
    ("POST", "/api/v1/needs/{need_id}/withdraw"): {},
    ("POST", "/api/v1/needs/{need_id}/proposals"): {
        "org_id": "00000000-0000-0000-0000-000000000001",
        "title": "Intruder",
    },
    ("POST", "/api/v1/needs/{need_id}/comments"): {"body": "Intruder"},
    ("POST", "/api/v1/proposals/{proposal_id}/revise"): {"title": "Renamed"},
    ("POST", "/api/v1/proposals/{proposal_id}/withdraw"): {},
    ("POST", "/api/v1/proposals/{proposal_id}/request-changes"): {"note": "Mine"},
    ("POST", "/api/v1/proposals/{proposal_id}/agree"): {},
    ("POST", "/api/v1/proposals/{proposal_id}/decline"): {},
    ("POST", "/api/v1/networks"): {
        "org_id": "00000000-0000-0000-0000-000000000001",
        "name": "Intruder",
        "kind": "sector",
    },
    ("POST", "/api/v1/networks/{network_id}/join"): {
        "org_id": "00000000-0000-0000-0000-000000000001"
    },
    ("POST", "/api/v1/networks/{network_id}/leave"): {
        "org_id": "00000000-0000-0000-0000-000000000001"
    },
    ("POST", "/api/v1/specifications/{version_id}/endorsements"): {
        "org_id": "00000000-0000-0000-0000-000000000000"
    },
    ("POST", "/api/v1/me/assessments/{attempt_id}/quiz"): {"answers": []},
    ("POST", "/api/v1/me/assessments/{attempt_id}/responses"): {
        "item_id": "00000000-0000-0000-0000-000000000000",
        "answer": {"choice": "a"},
    },
    ("PUT", "/api/v1/me/skills/sharing"): {"with_employers": True},
    ("POST", "/api/v1/me/skills/suggestions"): {"text": "Cooked meals for 200 covers."},
    ("POST", "/api/v1/me/skills/claims"): {
        "items": [{"skill_id": "00000000-0000-0000-0000-000000000001"}]
    },
    ("POST", "/api/v1/me/self-assessments"): {"ratings": []},
    ("POST", "/api/v1/me/rating-requests"): {"rater_email": "someone@example.org", "skill_ids": []},
    ("POST", "/api/v1/me/rating-requests/{request_id}/answer"): {"ratings": []},
    ("POST", "/api/v1/me/rating-requests/{request_id}/decline"): {},
    ("POST", "/api/v1/orgs/{org_id}/people/{person_id}/ratings"): {
        "ratings": [{"skill_id": "00000000-0000-0000-0000-000000000001", "level": 1}]
    },
    ("PUT", "/api/v1/me/equity-attributes"): {"consent": True, "age_band": "25_39"},
    ("POST", "/api/v1/me/rpl-claims"): {
        "org_id": "00000000-0000-0000-0000-000000000001",
        "skill_id": "00000000-0000-0000-0000-000000000001",
        "claimed_level": 1,
        "statement": "Mine",
        "links": [{"url": "https://example.org/mine"}],
    },
    ("POST", "/api/v1/me/rpl-claims/{claim_id}/files"): {},
    ("POST", "/api/v1/me/rpl-claims/{claim_id}/links"): {
        "links": [{"url": "https://example.org/mine"}]
    },
    ("POST", "/api/v1/me/rpl-claims/{claim_id}/resubmission"): {},
    ("POST", "/api/v1/demand/batches"): {
        "source": "Intruder",
        "postings": [{"title": "Mine", "text": "Mine", "date": "2026-01-01"}],
    },
    ("POST", "/api/v1/demand/batches/file"): {},
    ("POST", "/api/v1/orgs/{org_id}/rpl-claims/{claim_id}/decision"): {
        "outcome": "reject",
        "criteria": [],
        "note": "Not mine to judge.",
    },
    ("POST", "/api/v1/skills/extract"): {"text": "Mine"},
    ("POST", "/api/v1/occupations/match"): {"title": "Mine"},
    ("POST", "/api/v1/wallet/items"): {"credential": "not a credential"},
    ("POST", "/api/v1/wallet/items/{item_id}/shares"): {"consent": True},
    ("POST", "/api/v1/wallet/shares/{share_id}/revoke"): {},
    ("POST", "/api/v1/wallet/presentations"): {
        "item_ids": ["00000000-0000-0000-0000-000000000001"],
        "challenge": "mine",
        "domain": "intruder.example",
    },
    ("POST", "/api/v1/orgs/{org_id}/credentials"): {
        "award_id": "00000000-0000-0000-0000-000000000001"
    },
    ("POST", "/api/v1/orgs/{org_id}/credentials/{credential_id}/revoke"): {"reason": "Mine"},
    ("POST", "/api/v1/orgs/{org_id}/credentials/{credential_id}/suspend"): {"reason": "Mine"},
    ("POST", "/api/v1/orgs/{org_id}/credentials/{credential_id}/reinstate"): {},
    ("PUT", "/api/v1/me/learning-account/facts"): {"residency": "citizen"},
    ("POST", "/api/v1/me/learning-account/programs/{program_id}/join"): {"consent": True},
    ("POST", "/api/v1/me/learning-account/programs/{program_id}/leave"): {},
    ("POST", "/api/v1/orgs/{org_id}/programs"): {
        "slug": "intruder",
        "name": "Intruder",
        "rules": {
            "currency": "CAD",
            "tiers": [{"code": "base", "name": "Base"}],
            "deduction_order": ["base"],
        },
    },
    ("PATCH", "/api/v1/programs/{program_id}"): {"name": "Renamed"},
    ("POST", "/api/v1/programs/{program_id}/open"): {},
    ("POST", "/api/v1/programs/{program_id}/close"): {},
    ("PUT", "/api/v1/programs/{program_id}/budget"): {"budget_minor": 100},
    ("POST", "/api/v1/programs/{program_id}/run"): {},
    ("POST", "/api/v1/specifications/{version_id}/offerings"): {
        "provider_org_id": "00000000-0000-0000-0000-000000000001",
        "code": "INTRUDER",
        "starts_on": "2099-01-01",
        "ends_on": "2099-02-01",
        "delivery": "online",
        "language": "en",
        "hours": 10,
        "price_minor": 100,
        "currency": "CAD",
    },
    ("PATCH", "/api/v1/offerings/{offering_id}"): {"code": "RENAMED"},
    ("POST", "/api/v1/offerings/{offering_id}/close"): {},
    ("POST", "/api/v1/offerings/{offering_id}/cancel"): {},
    ("POST", "/api/v1/offerings/{offering_id}/quote"): {},
    ("POST", "/api/v1/offerings/{offering_id}/enrolments"): {
        "expected": {"price_minor": 100, "currency": "CAD", "lines": [], "copay_minor": 100}
    },
    ("POST", "/api/v1/enrolments/{enrolment_id}/withdraw"): {},
    ("POST", "/api/v1/enrolments/{enrolment_id}/complete"): {},
    ("POST", "/api/v1/me/pathways/plan"): {"target_specification": "intruder"},
    ("POST", "/api/v1/me/pathways"): {"target_specification": "intruder"},
    ("POST", "/api/v1/me/pathways/{pathway_id}/replan"): {},
    ("POST", "/api/v1/me/pathways/{pathway_id}/archive"): {},
    ("POST", "/credentials/issue"): {
        "credential": {"issuer": "did:web:testserver.example:orgs:victim"}
    },
    ("POST", "/credentials/status"): {
        "credentialId": "urn:uuid:00000000-0000-0000-0000-000000000001",
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"},
        "status": True,
        "reason": "Mine",
    },
}
SAMPLE_FORMS: dict[str, dict[str, str]] = {
    "/orgs/new": {"name": "Intruder Inc", "kind": "community"},
    "/orgs/{org_id}/edit": {"name": "Renamed", "size_band": "medium"},
    "/orgs/{org_id}/departments": {"name": "Intruders"},
    "/orgs/{org_id}/departments/{department_id}": {"name": "Renamed"},
    "/orgs/{org_id}/roles": {"title": "Intruder"},
    "/orgs/{org_id}/roles/{position_id}": {"title": "Renamed"},
    "/orgs/{org_id}/people/{membership_id}": {"role": "hr_admin"},
    "/orgs/{org_id}/invitations": {"email": "intruder@example.org", "role": "learner"},
    "/orgs/{org_id}/roles/{position_id}/skills": {"skill_id": "", "target_level": "3"},
    "/orgs/{org_id}/departments/{department_id}/skills": {"skill_id": "", "target_level": "3"},
    "/profile": {"display_name": "Still me"},
    "/profile/equity": {"consent": "yes", "age_band": "25_39"},
    "/profile/tokens": {"name": "mine", "scopes": "orgs:read"},
    "/profile/skills/from-cv": {"text": "Cooked meals for 200 covers."},
    "/sign-in": {"email": "nobody@example.org", "password": "not a password at all"},
    "/language": {"language": "fr"},
    "/invitations/{token}": {"display_name": "Newcomer", "password": "a long enough password"},
    "/orgs/{org_id}/campaigns/new": {"title": "Intruder", "deadline": "2099-01-01"},
    "/orgs/{org_id}/campaigns/{campaign_id}/edit": {"title": "Renamed", "deadline": "2099-01-01"},
    "/assessments/rpl/new": {"statement": "Mine", "claimed_level": "1"},
    "/orgs/{org_id}/rpl/{claim_id}/decision": {"outcome": "reject", "note": "Not mine to judge."},
    "/orgs/{org_id}/needs/new": {"title": "Intruder", "step": "save"},
    "/needs/{need_id}/edit": {"title": "Renamed", "step": "save"},
    "/needs/{need_id}/comments": {"body": "Intruder"},
    "/needs/{need_id}/proposals/new": {"title": "Intruder"},
    "/proposals/{proposal_id}/revise": {"title": "Renamed"},
    "/proposals/{proposal_id}/request-changes": {"note": "Mine"},
    "/networks/new": {"name": "Intruder", "kind": "sector"},
    "/demand/batches": {"source": "Intruder"},
    "/orgs/{org_id}/stacks/new": {"title": "Intruder", "slug": "intruder", "kind": "all_of"},
    "/stacks/{rule_id}/edit": {"title": "Renamed", "kind": "all_of", "program_name": "Mine"},
    "/orgs/{org_id}/stacks/rpl-routes": {"description": "Mine"},
    "/specifications/{version_id}/align": {"outcome": "1", "skill_id": ""},
    "/specifications/{version_id}/suggest-skills": {"skill-1": "keep"},
    "/specifications/{version_id}/prerequisites": {
        "specification_ids": "00000000-0000-0000-0000-000000000001"
    },
    "/specifications/{version_id}/prerequisites/remove": {"clause": "0"},
    "/orgs/{org_id}/awards": {"learner_email": "intruder@example.org", "awarded_on": "2026-01-01"},
    "/orgs/{org_id}/awards/{award_id}/issue": {"proof_format": "eddsa-rdfc-2022"},
    "/orgs/{org_id}/credentials/{credential_id}/revoke": {
        "revoke_reason": "Mine",
        "confirm": "yes",
    },
    "/orgs/{org_id}/credentials/{credential_id}/suspend": {"suspend_reason": "Mine"},
    "/surveys/{survey_token}": {"relevance": "3", "quality": "3"},
    "/wallet/items/{item_id}/shares": {"consent": "yes", "expires_in_days": "30"},
    "/skills/find": {"text": "Mine"},
}
ORG_PARAMS = {
    "version_id",
    "org_id",
    "department_id",
    "position_id",
    "membership_id",
    "invitation_id",
    "campaign_id",
    "need_id",
    "proposal_id",
    "equivalence_id",
    "batch_id",
    "award_id",
    "credential_id",
    "program_id",
}
PERSONAL_PARAMS = {
    "token_id",
    "message_id",
    "attempt_id",
    "request_id",
    "claim_id",
    "artifact_id",
    "survey_token",
    "item_id",
    "share_id",
    "job_id",
    "enrolment_id",
    "pathway_id",
}
"""Identifiers of objects that belong to one person, not to an organisation."""


@dataclass(frozen=True)
class Case:
    method: str
    path: str

    @property
    def is_api(self) -> bool:
        return self.path.startswith(API_PATHS)

    @property
    def params(self) -> set[str]:
        return set(re.findall(r"{(\w+)}", self.path))

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _cases() -> list[Case]:
    cases: list[Case] = []
    for context in iter_route_contexts(create_app().routes):
        if not isinstance(context.original_route, APIRoute) or context.path is None:
            continue  # the OpenAPI document and static files are public
        path = context.path
        cases.extend(Case(method, path) for method in sorted(set(context.methods or ()) - {"HEAD"}))
    return cases


CASES = _cases()


@dataclass
class World:
    """A victim organisation with one of everything, and the people who try to reach it."""

    values: dict[str, str]
    outsider_session: str
    outsider_token: str
    learner_session: str
    learner_token: str


@pytest.fixture
def world(session: Session) -> World:
    victim = make_org(session, name="Victim Employer")
    admin = make_member(session, victim, Role.HR_ADMIN)
    department = make_department(session, victim)
    position = make_position(session, victim, department=department)
    learner = make_member(session, victim, Role.LEARNER, department=department)
    admin_actor = Actor(
        person_id=admin.id, email=admin.email, memberships=frozenset({(victim.id, Role.HR_ADMIN)})
    )
    invitation = invitations.invite(
        session,
        admin_actor,
        victim.id,
        InvitationCreate(email="invitee@example.org", role=Role.LEARNER),
    )
    make_token(session, admin)  # gives the admin a token_id an outsider must not reach
    outsider = make_member(session, make_org(session, name="Outsider Employer"), Role.HR_ADMIN)
    public, public_skill, occupation = _framework(session, owner_org_id=None)
    private, private_skill, _ = _framework(session, owner_org_id=victim.id)
    values = {
        "org_id": str(victim.id),
        "department_id": str(department.id),
        "position_id": str(position.id),
        "membership_id": str(_membership_id(session, victim.id, learner.id)),
        "invitation_id": str(invitation.id),
        "token_id": str(
            session.scalars(select(ApiToken.id).where(ApiToken.person_id == admin.id)).one()
        ),
        "message_id": str(session.scalars(select(OutboxMessage.id)).first()),
        "token": "not-a-real-invitation-token",
        "framework_id": str(public.id),
        "skill_id": str(public_skill.id),
        "occupation_id": str(occupation.id),
        "private_framework_id": str(private.id),
        "private_skill_id": str(private_skill.id),
        **_rpl_claim(session, learner.id, victim.id, public_skill.id),
        "person_id": str(learner.id),
        "request_id": str(_rating_request(session, learner.id, admin.id, victim.id).id),
        "attempt_id": str(_attempt(session, public, learner.id).id),
        "version_id": str(_draft_specification(session, victim.id).id),
        "campaign_id": str(_campaign(session, public, victim.id, department.id).id),
        **_codesign(session, victim.id, public_skill.id),
        "batch_id": str(_posting_batch(session, victim.id, public.id).id),
        **_stacking(session, victim.id),
        "survey_token": _survey_token(session, learner.id),
        **_issued(session, victim.id, learner.id),
        **_wallet(session, learner.id),
        "job_id": str(_job(session, admin.id, victim.id).id),
        **_learning(session, victim.id, admin.id, learner.id),
    }
    world = World(
        values=values,
        outsider_session=make_web_session(session, outsider),
        outsider_token=make_token(session, outsider),
        learner_session=make_web_session(session, learner),
        learner_token=make_token(session, learner),
    )
    session.commit()
    return world


def _framework(
    session: Session, *, owner_org_id: uuid.UUID | None
) -> tuple[Framework, Skill, Occupation]:
    """A framework with one skill and one occupation: public, or one organisation's own."""
    suffix = uuid.uuid4().hex[:8]
    framework = Framework(
        slug=f"scoping-{suffix}", version="1", title="Scoping", owner_org_id=owner_org_id
    )
    session.add(framework)
    session.flush()
    skill = Skill(
        framework_id=framework.id, uri=f"urn:scoping:skill:{suffix}", preferred_label="probing"
    )
    occupation = Occupation(
        framework_id=framework.id, uri=f"urn:scoping:occupation:{suffix}", preferred_label="prober"
    )
    session.add_all([skill, occupation])
    session.flush()
    return framework, skill, occupation


def _posting_batch(session: Session, org_id: uuid.UUID, framework_id: uuid.UUID) -> PostingBatch:
    """Job postings the victim organisation imported: only its members see the batch."""
    batch = PostingBatch(
        org_id=org_id, source="Victim's postings", framework_id=framework_id, linker="test"
    )
    session.add(batch)
    session.flush()
    return batch


def _job(session: Session, person_id: uuid.UUID, org_id: uuid.UUID) -> Job:
    """An import of postings the victim's administrator queued: theirs to follow."""
    job = Job(
        kind=demand_service.IMPORT_JOB.name,
        org_id=org_id,
        requested_by_id=person_id,
        locale="en",
        payload={"source": "Victim's postings"},
    )
    session.add(job)
    session.flush()
    return job


def _draft_specification(session: Session, org_id: uuid.UUID) -> SpecificationVersion:
    """A specification the victim organisation is still drafting: nobody else's to see."""
    specification = Specification(owner_org_id=org_id, slug=f"scoping-{uuid.uuid4().hex[:8]}")
    session.add(specification)
    session.flush()
    version = SpecificationVersion(
        specification_id=specification.id,
        number=1,
        title="Scoping draft",
        profile=Profile.EU_2022,
        language="en",
    )
    session.add(version)
    session.flush()
    return version


def _stacking(session: Session, org_id: uuid.UUID) -> dict[str, str]:
    """A stacking rule of the victim organisation, public like every rule (so ``rule_id``
    is no organisation parameter: anyone reads it, only its designers change it, which
    tests/web/test_stacking_pages.py checks), and an equivalence it recognises."""
    rule = StackRule(
        owner_org_id=org_id,
        slug=f"scoping-{uuid.uuid4().hex[:8]}",
        title="Victim rule",
        kind=RuleKind.ALL_OF,
        program_name="Victim program",
    )
    ours, theirs = (_draft_specification(session, org_id) for _ in range(2))
    equivalence = Equivalence(
        specification_id=ours.specification_id, equivalent_specification_id=theirs.specification_id
    )
    session.add_all([rule, equivalence])
    session.flush()
    return {"rule_id": str(rule.id), "equivalence_id": str(equivalence.id)}


def _attempt(session: Session, framework: Framework, person_id: uuid.UUID) -> Attempt:
    """A test someone of the victim organisation started: theirs alone."""
    bank = ItemBank(
        slug=f"scoping-{uuid.uuid4().hex[:8]}",
        version="1",
        title="Scoping items",
        language="en",
        framework_id=framework.id,
    )
    session.add(bank)
    session.flush()
    attempt = Attempt(
        person_id=person_id, bank_id=bank.id, mode=TestMode.ADAPTIVE, state=CatState().to_json()
    )
    session.add(attempt)
    session.flush()
    return attempt


def _campaign(
    session: Session, framework: Framework, org_id: uuid.UUID, department_id: uuid.UUID
) -> Campaign:
    """A draft campaign of the victim organisation, sent to its department: its HR team's."""
    bank = ItemBank(
        slug=f"scoping-{uuid.uuid4().hex[:8]}",
        version="1",
        title="Campaign items",
        language="en",
        framework_id=framework.id,
    )
    session.add(bank)
    session.flush()
    campaign = Campaign(
        org_id=org_id,
        title="Victim campaign",
        bank_id=bank.id,
        deadline=utcnow() + timedelta(days=30),
    )
    session.add(campaign)
    session.flush()
    session.add(CampaignTarget(campaign_id=campaign.id, department_id=department_id))
    session.flush()
    return campaign


def _rating_request(
    session: Session, person_id: uuid.UUID, rater_id: uuid.UUID, org_id: uuid.UUID
) -> RatingRequest:
    """A peer rating request between two people of the victim organisation: theirs alone."""
    request = RatingRequest(person_id=person_id, rater_id=rater_id, org_id=org_id, skill_ids=[])
    session.add(request)
    session.flush()
    return request


def _rpl_claim(
    session: Session, person_id: uuid.UUID, org_id: uuid.UUID, skill_id: uuid.UUID
) -> dict[str, str]:
    """A learner's claim of prior learning put to the victim, with a file: theirs and its
    assessors' alone."""
    claim = RplClaim(
        person_id=person_id, org_id=org_id, skill_id=skill_id, claimed_level=1, statement="Mine"
    )
    session.add(claim)
    session.flush()
    artifact = RplArtifact(
        claim_id=claim.id,
        kind=ArtifactKind.FILE,
        title="cv.txt",
        filename="cv.txt",
        media_type="text/plain; charset=utf-8",
        size=4,
        data=b"mine",
    )
    session.add(artifact)
    session.flush()
    return {"claim_id": str(claim.id), "artifact_id": str(artifact.id)}


def _issued(session: Session, org_id: uuid.UUID, learner_id: uuid.UUID) -> dict[str, str]:
    """An award the victim organisation recorded and the credential it issued for it: its
    registrars' alone. Nobody reaches the signed document, so it is a stand-in."""
    award = Award(
        learner_id=learner_id,
        version_id=_draft_specification(session, org_id).id,
        issuer_org_id=org_id,
        awarded_on=utcnow().date(),
    )
    session.add(award)
    session.flush()
    issued = IssuedCredential(
        issuer_org_id=org_id,
        kind=CredentialKind.ACHIEVEMENT,
        proof_format=ProofFormat.EDDSA_RDFC_2022,
        learner_id=learner_id,
        award_id=award.id,
        title="Victim's credential",
        document="{}",
        valid_from=utcnow(),
    )
    session.add(issued)
    session.flush()
    return {"award_id": str(award.id), "credential_id": str(issued.id)}


def _survey_token(session: Session, person_id: uuid.UUID) -> str:
    """A feedback survey owed by a learner of the victim organisation: theirs alone."""
    specification = Specification(
        owner_org_id=make_org(session, kind=OrgKind.PROVIDER).id, slug="surveyed"
    )
    session.add(specification)
    session.flush()
    version = SpecificationVersion(
        specification_id=specification.id,
        number=1,
        title="Surveyed",
        profile=Profile.EU_2022,
        language="en",
        status=VersionStatus.PUBLISHED,
    )
    session.add(version)
    session.flush()
    survey = SurveyInvitation(
        kind=SurveyKind.LEARNER_COMPLETION,
        version_id=version.id,
        respondent_id=person_id,
        due_on=utcnow().date(),
        token=f"scoping-{uuid.uuid4().hex}",
    )
    session.add(survey)
    session.flush()
    return survey.token


def _wallet(session: Session, person_id: uuid.UUID) -> dict[str, str]:
    """A credential a learner of the victim organisation holds, shared by a link: theirs
    alone, though the link shows it to whoever has it."""
    item = WalletItem(
        owner_id=person_id,
        source=ItemSource.JSON,
        document='{"type": ["VerifiableCredential"]}',
        title="Victim's credential",
        issuer_name="Somewhere",
    )
    session.add(item)
    session.flush()
    share = Share(
        item_id=item.id,
        owner_id=person_id,
        token=f"scoping-{uuid.uuid4().hex}",
        consent_text="I agree.",
        expires_at=utcnow() + timedelta(days=30),
    )
    session.add(share)
    session.flush()
    return {
        "item_id": str(item.id),
        "share_id": str(share.id),
        "share_token": share.token,
        "file_format": "json",
    }


def _codesign(session: Session, org_id: uuid.UUID, skill_id: uuid.UUID) -> dict[str, str]:
    """A need the victim posted for every provider, with a college's proposal: theirs and the
    providers' to see. Its network is in the public directory, so its id is not a secret."""
    need = SkillsNeed(org_id=org_id, title="Victim need")
    network = Network(
        slug=f"scoping-{uuid.uuid4().hex[:8]}", name="Scoping", kind=NetworkKind.SECTOR
    )
    session.add_all([need, network])
    session.flush()
    college = make_org(session, name="Victim's college", kind=OrgKind.PROVIDER)
    proposal = Proposal(need_id=need.id, provider_org_id=college.id, title="Victim proposal")
    session.add_all(
        [
            proposal,
            NeedSkill(need_id=need.id, skill_id=skill_id, level=1),
            NetworkMember(network_id=network.id, org_id=org_id),
        ]
    )
    session.flush()
    return {"need_id": str(need.id), "proposal_id": str(proposal.id), "network_id": str(network.id)}


def _learning(
    session: Session, org_id: uuid.UUID, admin_id: uuid.UUID, learner_id: uuid.UUID
) -> dict[str, str]:
    """The victim's draft learning-account program, a run of a micro-credential it issues,
    the learner's enrolment in it and a pathway the learner saved."""
    program = Program(
        org_id=org_id,
        slug="victims-allowance",
        name="Victim's allowance",
        currency="CAD",
        rules=example_rules("employer_matching").model_dump(mode="json"),
        created_by_id=admin_id,
    )
    suffix = uuid.uuid4().hex[:8]
    specification = Specification(owner_org_id=org_id, slug=f"run-{suffix}")
    session.add_all([program, specification])
    session.flush()
    version = SpecificationVersion(
        specification_id=specification.id,
        number=1,
        status=VersionStatus.PUBLISHED,
        profile=Profile.EU_2022,
        title="Victim's course",
        language="en",
        published_at=utcnow(),
    )
    session.add(version)
    session.flush()
    session.add(SpecificationIssuer(version_id=version.id, org_id=org_id))
    today = utcnow().date()
    offering = Offering(
        version_id=version.id,
        provider_org_id=org_id,
        code="VICTIM-1",
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=60),
        delivery=Participation.ONLINE,
        language="en",
        hours=10,
        price_minor=10_000,
        currency="CAD",
    )
    session.add(offering)
    session.flush()
    enrolment = Enrolment(
        offering_id=offering.id,
        person_id=learner_id,
        price_minor=10_000,
        currency="CAD",
        copay_minor=10_000,
    )
    pathway = Pathway(
        person_id=learner_id,
        title="Victim's pathway",
        target_specification_id=specification.id,
        method="optimal",
        planned_at=utcnow(),
    )
    session.add_all([enrolment, pathway])
    session.flush()
    return {
        "program_id": str(program.id),
        "offering_id": str(offering.id),
        "enrolment_id": str(enrolment.id),
        "pathway_id": str(pathway.id),
    }


def _membership_id(session: Session, org_id: uuid.UUID, person_id: uuid.UUID) -> uuid.UUID:
    return session.scalars(
        select(Membership.id).where(Membership.org_id == org_id, Membership.person_id == person_id)
    ).one()


def _url(case: Case, values: dict[str, str]) -> str:
    unknown = case.params - set(values)
    assert not unknown, f"{case}: describe how to fill {unknown} in tests/security/test_scoping.py"
    return re.sub(r"{(\w+)}", lambda match: values[match.group(1)], case.path)


@pytest.fixture
def client(http: httpx.Client, live_server: LiveServer) -> Iterator[httpx.Client]:
    """A second browser-like client on the same served app, starting with no cookies."""
    with httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=30) as other:
        yield other


def _call(
    client: httpx.Client, case: Case, url: str, *, token: str | None, web_session: str | None
) -> httpx.Response:
    if case.is_api:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = SAMPLE_JSON.get((case.method, case.path))
        if case.method in ("POST", "PUT", "PATCH"):
            assert body is not None, f"{case}: add a sample body to SAMPLE_JSON"
        return client.request(case.method, url, headers=headers, json=body)
    if web_session:
        client.cookies.set(SESSION_COOKIE, web_session)
    if case.method == "GET":
        return client.get(url)
    form = dict(SAMPLE_FORMS.get(case.path, {}))
    form["csrf_token"] = csrf_from(client.get("/api/v1/docs").text)  # any page carries the token
    return client.request(case.method, url, data=form)


def _is_not_found(response: httpx.Response, case: Case) -> bool:
    if response.status_code != 404:
        return False
    if case.is_api:
        return response.headers["content-type"].startswith("application/problem+json")
    return "<h1>" in response.text


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.params & (ORG_PARAMS | PERSONAL_PARAMS)], ids=str
)
def test_another_organisations_objects_do_not_exist(
    case: Case, world: World, client: httpx.Client
) -> None:
    response = _call(
        client,
        case,
        _url(case, world.values),
        token=world.outsider_token,
        web_session=world.outsider_session,
    )
    assert _is_not_found(response, case), f"{case} answered {response.status_code} to an outsider"


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if "org_id" in c.params and (c.method, c.path) not in LEARNER_READABLE],
    ids=str,
)
def test_a_learner_cannot_use_administration_routes(
    case: Case, world: World, client: httpx.Client
) -> None:
    response = _call(
        client,
        case,
        _url(case, world.values),
        token=world.learner_token,
        web_session=world.learner_session,
    )
    assert response.status_code == 403, f"{case} answered {response.status_code} to a learner"


@pytest.mark.parametrize(
    "case", [c for c in CASES if (c.method, c.path) in LEARNER_READABLE], ids=str
)
def test_a_learner_can_read_their_organisation(
    case: Case, world: World, client: httpx.Client
) -> None:
    response = _call(
        client,
        case,
        _url(case, world.values),
        token=world.learner_token,
        web_session=world.learner_session,
    )
    assert response.status_code == 200


@pytest.mark.parametrize("case", [c for c in CASES if c.path not in PUBLIC_PAGES], ids=str)
def test_anonymous_visitors_must_sign_in(case: Case, world: World, client: httpx.Client) -> None:
    response = _call(client, case, _url(case, world.values), token=None, web_session=None)
    if case.is_api:
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/sign-in?next=")


PRIVATE_TAXONOMY = [
    Case("GET", "/api/v1/frameworks/{private_framework_id}"),
    Case("GET", "/frameworks/{private_framework_id}"),
    Case("GET", "/api/v1/skills/{private_skill_id}"),
    Case("GET", "/skills/{private_skill_id}"),
]


@pytest.mark.parametrize("case", PRIVATE_TAXONOMY, ids=str)
def test_an_organisations_own_framework_exists_only_for_its_members(
    case: Case, world: World, client: httpx.Client
) -> None:
    url = _url(case, world.values)
    outsider = _call(
        client, case, url, token=world.outsider_token, web_session=world.outsider_session
    )
    assert _is_not_found(outsider, case), f"{case} answered {outsider.status_code} to an outsider"

    client.cookies.clear()
    member = _call(client, case, url, token=world.learner_token, web_session=world.learner_session)
    assert member.status_code == 200, f"{case} answered {member.status_code} to a member"
