"""Demo assessments: a launched campaign at Northwind with tests already taken, a claim of
prior learning waiting for an assessor, and a peer-rating request, all made through the
services people use, so every assessment page has something to show."""

from __future__ import annotations

import math
import random
import uuid
from datetime import timedelta

from sqlalchemy.orm import Session

from cairn.assessment import attempts, campaigns, ratings, rpl
from cairn.assessment import repository as assessment_repository
from cairn.assessment.campaign_schemas import CampaignCreate
from cairn.assessment.enums import AttemptStatus, ItemType
from cairn.assessment.models import Item
from cairn.assessment.rating_schemas import RatingRequestCreate
from cairn.assessment.rpl_schemas import ClaimCreate, LinkWrite
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.orgs import people
from cairn.orgs import repository as orgs_repository
from cairn.seed.data import PERSONAS
from cairn.taxonomy import repository as taxonomy_repository

SEED = 17
ORG = "northwind-health"
HR_ADMIN = "hannah.okafor@northwind.example"
LEARNER = "lena.whitford@northwind.example"
DEPARTMENT = "Nursing"
TAKEN = 12
"""Participants who have finished the campaign's test, enough for its results to show."""


def build_assessments(session: Session) -> None:
    org = orgs_repository.get_organisation_by_slug(session, ORG)
    admin = orgs_repository.get_person_by_email(session, HR_ADMIN)
    learner = orgs_repository.get_person_by_email(session, LEARNER)
    bank = assessment_repository.find_bank(session, "cairn-digital-items", "1.0")
    if org is None or admin is None or learner is None or bank is None:
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    hr = people.actor_for(session, admin)
    nursing = next(
        d for d in orgs_repository.list_departments(session, org.id) if d.name == DEPARTMENT
    )
    campaign = campaigns.create_campaign(
        session,
        hr,
        org.id,
        CampaignCreate(
            title="Digital skills check-up 2026",
            message="Twenty minutes, once: it helps us plan next year's training. "
            "Your result is yours; we only see it if you share your skills profile.",
            bank_id=bank.id,
            deadline=utcnow() + timedelta(days=21),
            department_ids=[nursing.id],
        ),
    )
    campaigns.launch(session, hr, org.id, campaign.id)
    personas = {plan.email for plan in PERSONAS}
    participants = [
        person
        for person in campaigns.targeted_people(session, campaign)
        if person.email not in personas
    ]
    for person in rng.sample(participants, min(TAKEN, len(participants))):
        _take(session, people.actor_for(session, person), campaign.id, rng.gauss(0.3, 1.0), rng)

    me = people.actor_for(session, learner)
    framework = taxonomy_repository.find_framework(session, "cairn-digital")
    skill = (
        taxonomy_repository.find_skill_by_code(session, framework.id, "3.1") if framework else None
    )
    if skill is not None:
        rpl.submit_claim(
            session,
            me,
            ClaimCreate(
                org_id=org.id,
                skill_id=skill.id,
                claimed_level=5,
                statement="I wrote the ward's illustrated guide to the new medication "
                "cabinets and keep it up to date; the link is the current version.",
                links=[
                    LinkWrite(
                        url="https://intranet.northwind.example/guides/medication-cabinets",
                        title="Medication cabinet guide",
                    )
                ],
            ),
        )
    colleague = next((p for p in participants if p.id != learner.id), None)
    if colleague is not None and skill is not None:
        ratings.request_rating(
            session,
            me,
            RatingRequestCreate(rater_email=colleague.email, org_id=org.id, skill_ids=[skill.id]),
        )


def _take(
    session: Session, who: Actor, campaign_id: uuid.UUID, ability: float, rng: random.Random
) -> None:
    """Answer the campaign's test as a 2PL examinee of ``ability`` would."""
    attempt = attempts.start(session, who, campaign_id=campaign_id)
    while attempt.status is AttemptStatus.IN_PROGRESS and attempt.current_item_id is not None:
        item = assessment_repository.get_item(session, attempt.current_item_id)
        if item is None:
            return
        chance = 1 / (1 + math.exp(-item.discrimination * (ability - item.difficulty)))
        given = _answer(item, right=rng.random() < chance)
        attempt = attempts.answer(session, who, attempt.id, item.id, given)


def _answer(item: Item, *, right: bool) -> dict[str, object]:
    content = item.content
    options = [option["id"] for option in content.get("options", [])]
    match item.item_type:
        case ItemType.SINGLE_CHOICE:
            wrong = [o for o in options if o not in content["correct"]]
            return {"choice": content["correct"][0] if right else wrong[0]}
        case ItemType.MULTIPLE_CHOICE:
            wrong = [o for o in options if o not in content["correct"]][:1] or options[:1]
            return {"choices": list(content["correct"]) if right else wrong}
        case ItemType.TRUE_FALSE:
            return {"value": bool(content["correct"]) is right}
        case ItemType.ORDERED:
            order = list(content["correct_order"])
            return {"order": order if right else order[::-1]}
    return {"value": content["answer"] if right else content["answer"] + 1000}
