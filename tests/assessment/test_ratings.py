"""Self-assessments, manager's ratings and peer ratings: each recorded as evidence with its
source, assessor, organisation and confidence, and merged into the profile by precedence."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.assessment import ratings
from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence
from cairn.assessment.rating_schemas import RatingRequestCreate, RatingsWrite, SkillRating
from cairn.kit.actor import Role, Scope
from cairn.kit.errors import Conflict, InsufficientScope, InvalidInput, NotFound, PermissionDenied
from cairn.kit.mail import list_outbox
from cairn.orgs import skill_profiles
from cairn.orgs.models import Organisation, Person
from cairn.orgs.schemas import SkillProfileItemWrite
from cairn.orgs.skill_profiles import Target
from cairn.profiles import service as profiles_service
from tests.factories.orgs import actor, make_member, make_org, make_position
from tests.factories.taxonomy import SmallFramework, make_small_framework


@dataclass
class Team:
    org: Organisation
    learner: Person
    colleague: Person
    manager: Person
    framework: SmallFramework


@pytest.fixture
def team(session: Session) -> Team:
    org = make_org(session, name="Riverside Clinic")
    return Team(
        org=org,
        learner=make_member(session, org, Role.LEARNER),
        colleague=make_member(session, org, Role.LEARNER),
        manager=make_member(session, org, Role.MANAGER),
        framework=make_small_framework(session),
    )


def rated(skill_id: uuid.UUID, level: int, comment: str | None = None) -> RatingsWrite:
    return RatingsWrite(ratings=[SkillRating(skill_id=skill_id, level=level)], comment=comment)


def evidence_of(session: Session, person: Person) -> list[Evidence]:
    return list(session.scalars(select(Evidence).where(Evidence.person_id == person.id)))


def test_a_self_assessment_is_the_persons_own_least_trusted_evidence(
    session: Session, team: Team
) -> None:
    skill = team.framework.skill

    ratings.self_assess(session, actor(session, team.learner), rated(skill.id, 2))

    [row] = evidence_of(session, team.learner)
    assert (row.skill_id, row.level, row.source) == (skill.id, 2, EvidenceSource.SELF_ASSESSMENT)
    assert (row.recorded_by_id, row.org_id, row.confidence) == (None, None, 0.5)


def test_levels_read_the_skills_own_descriptor_else_the_scales(
    session: Session, team: Team
) -> None:
    [item] = ratings.ratable_skills(
        session, actor(session, team.learner), [team.framework.skill.id]
    )

    assert [(level.rank, level.label, level.descriptor) for level in item.levels] == [
        (1, "Beginner", "Beginner in general."),
        (2, "Practised", "Dresses simple wounds."),
        (3, "Expert", "Expert in general."),
    ]


def test_the_skills_offered_start_from_the_role_profile(session: Session, team: Team) -> None:
    admin = actor(session, make_member(session, team.org, Role.HR_ADMIN))
    nurse = make_position(session, team.org, title="Nurse")
    skill_profiles.set_item(
        session,
        admin,
        Target(team.org.id, position_id=nurse.id),
        SkillProfileItemWrite(skill_id=team.framework.related.id, target_level=2),
    )
    person = make_member(session, team.org, position=nurse)
    extra = [team.framework.skill.id, team.framework.group.id]  # a group is never offered

    offered = ratings.self_assessment_skills(session, actor(session, person), extra)

    assert [item.skill.preferred_label for item in offered] == [
        "prevent infection",
        "dress wounds",
    ]
    by_manager = ratings.manager_rating_skills(
        session,
        actor(session, make_member(session, team.org, Role.MANAGER)),
        team.org.id,
        person.id,
    )
    assert [item.skill.preferred_label for item in by_manager] == ["prevent infection"]


def bad_ratings(framework: SmallFramework, case: str) -> list[SkillRating]:
    skill, group = framework.skill.id, framework.group.id
    return {
        "level off the scale": [SkillRating(skill_id=skill, level=9)],
        "group of skills": [SkillRating(skill_id=group, level=1)],
        "skill twice": [SkillRating(skill_id=skill, level=1), SkillRating(skill_id=skill, level=2)],
        "nothing rated": [],
    }[case]


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("level off the scale", "ratings.0.level"),
        ("group of skills", "ratings.0.skill_id"),
        ("skill twice", "ratings.1.skill_id"),
        ("nothing rated", "ratings"),
    ],
)
def test_bad_ratings_name_the_field_and_record_nothing(
    session: Session, team: Team, case: str, field: str
) -> None:
    data = RatingsWrite(ratings=bad_ratings(team.framework, case))

    with pytest.raises(InvalidInput) as refused:
        ratings.self_assess(session, actor(session, team.learner), data)

    assert [error.field for error in refused.value.field_errors] == [field]
    assert evidence_of(session, team.learner) == []


def test_a_good_rating_beside_a_bad_one_is_not_recorded_either(
    session: Session, team: Team
) -> None:
    data = RatingsWrite(
        ratings=[
            SkillRating(skill_id=team.framework.other.id, level=1),
            SkillRating(skill_id=team.framework.skill.id, level=0),
        ]
    )

    with pytest.raises(InvalidInput):
        ratings.self_assess(session, actor(session, team.learner), data)

    assert evidence_of(session, team.learner) == []


def test_a_manager_rating_is_recorded_in_the_managers_name_and_organisation(
    session: Session, team: Team
) -> None:
    hr = make_member(session, team.org, Role.HR_ADMIN)
    skill = team.framework.skill

    ratings.rate_as_manager(
        session,
        actor(session, team.manager),
        team.org.id,
        team.learner.id,
        rated(skill.id, 3, "Ward lead"),
    )
    ratings.rate_as_manager(
        session, actor(session, hr), team.org.id, team.learner.id, rated(skill.id, 2)
    )

    rows = sorted(evidence_of(session, team.learner), key=lambda row: row.level, reverse=True)
    assert [(r.source, r.recorded_by_id, r.org_id, r.confidence) for r in rows] == [
        (EvidenceSource.MANAGER_RATING, team.manager.id, team.org.id, 0.7),
        (EvidenceSource.MANAGER_RATING, hr.id, team.org.id, 0.7),
    ]
    assert rows[0].details == {"comment": "Ward lead"}


def test_only_managers_rate_and_only_their_own_organisations_other_members(
    session: Session, team: Team
) -> None:
    data = rated(team.framework.skill.id, 2)
    other_org = make_org(session)
    stranger = make_member(session, other_org)
    outside_manager = make_member(session, other_org, Role.MANAGER)

    with pytest.raises(PermissionDenied):  # a learner gives no manager's rating
        ratings.rate_as_manager(
            session, actor(session, team.colleague), team.org.id, team.learner.id, data
        )
    with pytest.raises(PermissionDenied):  # nor does a manager to themself
        ratings.rate_as_manager(
            session, actor(session, team.manager), team.org.id, team.manager.id, data
        )
    with pytest.raises(NotFound):  # someone outside the organisation does not exist there
        ratings.rate_as_manager(
            session, actor(session, team.manager), team.org.id, stranger.id, data
        )
    with pytest.raises(NotFound):  # nor does another organisation
        ratings.rate_as_manager(
            session, actor(session, outside_manager), team.org.id, team.learner.id, data
        )
    with pytest.raises(NotFound):
        ratings.manager_rating_skills(
            session, actor(session, outside_manager), team.org.id, team.learner.id
        )
    assert evidence_of(session, team.learner) == []


def test_the_profile_merges_the_ratings_by_precedence(session: Session, team: Team) -> None:
    skill = team.framework.skill
    learner = actor(session, team.learner)
    ratings.self_assess(session, learner, rated(skill.id, 3))
    request = ratings.request_rating(
        session,
        learner,
        RatingRequestCreate(rater_email=team.colleague.email, skill_ids=[skill.id]),
    ).request
    ratings.answer_request(session, actor(session, team.colleague), request.id, rated(skill.id, 2))

    [line] = profiles_service.profile(session, learner, team.learner.id)
    assert (line.merged.source, line.merged.level) == (EvidenceSource.PEER_RATING, 2)

    ratings.rate_as_manager(
        session, actor(session, team.manager), team.org.id, team.learner.id, rated(skill.id, 1)
    )
    [line] = profiles_service.profile(session, learner, team.learner.id)
    assert (line.merged.source, line.merged.level) == (EvidenceSource.MANAGER_RATING, 1)
    assert [item.evidence.source for item in line.merged.considered] == [
        EvidenceSource.MANAGER_RATING,
        EvidenceSource.PEER_RATING,
        EvidenceSource.SELF_ASSESSMENT,
    ]


def test_a_peer_rates_once_when_asked_and_both_sides_are_told_by_mail(
    session: Session, team: Team
) -> None:
    skill, other = team.framework.skill, team.framework.other
    request = ratings.request_rating(
        session,
        actor(session, team.learner),
        RatingRequestCreate(
            rater_email=team.colleague.email.upper(), skill_ids=[skill.id, other.id], message="Hi"
        ),
    ).request
    [asked] = list_outbox(session, recipient=team.colleague.email)
    assert f"/assessments/ratings/{request.id}" in asked.body
    colleague = actor(session, team.colleague)
    [waiting] = ratings.my_requests(session, colleague).received
    assert (waiting.other.id, waiting.status) == (team.learner.id, ratings.RequestStatus.OPEN)

    ratings.answer_request(session, colleague, request.id, rated(skill.id, 3, "Careful work"))

    [row] = evidence_of(session, team.learner)
    assert (row.source, row.recorded_by_id, row.org_id, row.confidence) == (
        EvidenceSource.PEER_RATING,
        team.colleague.id,
        team.org.id,
        0.6,
    )
    assert row.details == {"request_id": str(request.id), "comment": "Careful work"}
    [told] = list_outbox(session, recipient=team.learner.email)
    assert team.colleague.display_name in told.subject
    [sent] = ratings.my_requests(session, actor(session, team.learner)).sent
    assert sent.status is ratings.RequestStatus.ANSWERED
    for again in (
        lambda: ratings.answer_request(session, colleague, request.id, rated(other.id, 1)),
        lambda: ratings.decline_request(session, colleague, request.id),
    ):
        with pytest.raises(Conflict):
            again()
    assert len(evidence_of(session, team.learner)) == 1


def test_nobody_rates_a_peer_uninvited(session: Session, team: Team) -> None:
    skill, other = team.framework.skill, team.framework.other
    request = ratings.request_rating(
        session,
        actor(session, team.learner),
        RatingRequestCreate(rater_email=team.colleague.email, skill_ids=[skill.id]),
    ).request
    intruder = make_member(session, team.org)
    outsider = make_member(session, make_org(session), Role.HR_ADMIN)

    for person in (intruder, outsider, team.manager):
        with pytest.raises(NotFound):
            ratings.answer_request(session, actor(session, person), request.id, rated(skill.id, 1))
        with pytest.raises(NotFound):
            ratings.get_request(session, actor(session, person), request.id)
    with pytest.raises(PermissionDenied):  # the person asking cannot answer for the colleague
        ratings.answer_request(
            session, actor(session, team.learner), request.id, rated(skill.id, 3)
        )
    with pytest.raises(InvalidInput) as off_request:  # only the skills asked about
        ratings.answer_request(
            session, actor(session, team.colleague), request.id, rated(other.id, 1)
        )
    assert off_request.value.field_errors[0].field == "ratings.0.skill_id"
    assert evidence_of(session, team.learner) == []


def test_a_request_goes_only_to_a_colleague_of_a_shared_organisation(
    session: Session, team: Team
) -> None:
    learner = actor(session, team.learner)
    stranger = make_member(session, make_org(session))
    skill_ids = [team.framework.skill.id]

    for email in (stranger.email, "nobody@example.org", team.learner.email):
        with pytest.raises(InvalidInput) as refused:
            ratings.request_rating(
                session, learner, RatingRequestCreate(rater_email=email, skill_ids=skill_ids)
            )
        assert refused.value.field_errors[0].field == "rater_email"
    with pytest.raises(NotFound):
        ratings.request_rating(
            session,
            learner,
            RatingRequestCreate(
                rater_email=stranger.email,
                org_id=stranger_org_id(session, stranger),
                skill_ids=skill_ids,
            ),
        )
    with pytest.raises(InvalidInput) as no_skills:
        ratings.request_rating(
            session, learner, RatingRequestCreate(rater_email=team.colleague.email, skill_ids=[])
        )
    assert no_skills.value.field_errors[0].field == "skill_ids"
    assert ratings.my_requests(session, learner).sent == []
    assert list_outbox(session, recipient=team.colleague.email) == []


def stranger_org_id(session: Session, person: Person) -> uuid.UUID:
    (org_id,) = actor(session, person).org_ids
    return org_id


def test_a_declined_request_is_closed_and_the_person_told(session: Session, team: Team) -> None:
    skill = team.framework.skill
    request = ratings.request_rating(
        session,
        actor(session, team.learner),
        RatingRequestCreate(rater_email=team.colleague.email, skill_ids=[skill.id]),
    ).request
    colleague = actor(session, team.colleague)

    ratings.decline_request(session, colleague, request.id)

    [told] = list_outbox(session, recipient=team.learner.email)
    assert "declined" in told.subject
    with pytest.raises(Conflict):
        ratings.answer_request(session, colleague, request.id, rated(skill.id, 2))
    assert evidence_of(session, team.learner) == []


def test_an_api_token_needs_the_assessment_scopes(session: Session, team: Team) -> None:
    reader = replace(actor(session, team.learner), scopes=frozenset({Scope.ASSESSMENT_READ}))

    with pytest.raises(InsufficientScope):
        ratings.self_assess(session, reader, rated(team.framework.skill.id, 2))
    assert ratings.my_requests(session, reader).sent == []
