"""Co-design: an employer posts a skills need, providers it reaches propose, both sides
talk on the thread, and every change lands in the audit trail. Organisations the need does
not reach, and learners, are told it does not exist."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.catalogue import codesign_service, codesign_views, proposal_service
from cairn.catalogue.codesign_models import Network, SkillsNeed
from cairn.catalogue.codesign_schemas import (
    CommentCreate,
    NeedFields,
    NeedSkillWrite,
    ProposalFields,
)
from cairn.catalogue.enums import CodesignAction, NeedStatus, ProposalStatus
from cairn.kit.actor import Actor, Role
from cairn.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation
from cairn.taxonomy.models import Skill
from tests.factories.catalogue import make_need, make_network, make_proposal, make_specification
from tests.factories.orgs import actor, make_member, make_org, make_position
from tests.factories.taxonomy import make_framework, make_skill


@dataclass
class World:
    """A health network (Northwind, Brightpath, Lakeshore College) and a college outside it."""

    northwind: Organisation
    hr: Actor
    lakeshore: Organisation
    educator: Actor
    brightpath_hr: Actor
    far_college: Organisation
    far_educator: Actor
    learner: Actor
    skill: Skill
    network: Network


@pytest.fixture
def world(session: Session) -> World:
    northwind = make_org(session, name="Northwind Health")
    brightpath = make_org(session, name="Brightpath Logistics")
    lakeshore = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    far_college = make_org(session, name="Far College", kind=OrgKind.PROVIDER)
    return World(
        northwind=northwind,
        hr=actor(session, make_member(session, northwind, Role.HR_ADMIN)),
        lakeshore=lakeshore,
        educator=actor(session, make_member(session, lakeshore, Role.EDUCATOR)),
        brightpath_hr=actor(session, make_member(session, brightpath, Role.HR_ADMIN)),
        far_college=far_college,
        far_educator=actor(session, make_member(session, far_college, Role.EDUCATOR)),
        learner=actor(session, make_member(session, northwind)),
        skill=make_skill(session, make_framework(session), "keep patient records"),
        network=make_network(session, northwind, brightpath, lakeshore),
    )


def actions(session: Session, reader: Actor, need: SkillsNeed) -> list[CodesignAction]:
    return [event.action for event, _, _ in codesign_views.thread(session, reader, need.id).events]


def test_a_need_names_skills_at_levels_of_their_scale_and_its_own_roles_and_networks(
    session: Session, world: World
) -> None:
    group = make_skill(session, make_framework(session), "records work", is_group=True)
    private = make_skill(
        session, make_framework(session, owner_org_id=world.northwind.id), "use our ward system"
    )
    elsewhere = make_position(session, make_org(session))
    outside = make_network(session, make_org(session), name="Another network")

    def refused(**changes: Any) -> list[str]:
        with pytest.raises(InvalidInput) as error:
            make_need(session, world.hr, world.northwind, world.skill, **changes)
        return [problem.field for problem in error.value.field_errors]

    assert refused(level=4) == ["skills.0.level"]  # the scale has three levels
    assert refused(skills=[{"skill_id": group.id}]) == ["skills.0.skill_id"]
    assert refused(skills=[{"skill_id": private.id}]) == ["skills.0.skill_id"]
    assert refused(position_id=elsewhere.id) == ["position_id"]
    assert refused(network_id=outside.id) == ["network_id"]
    assert refused(needed_from=date(2031, 6, 1)) == ["needed_by"]
    assert codesign_views.list_needs(session, world.hr) == []

    need = make_need(session, world.hr, world.northwind, world.skill, network=world.network)
    thread = codesign_views.thread(session, world.hr, need.id)
    assert need.status is NeedStatus.OPEN
    assert [(line.choice.skill.preferred_label, line.level) for line in thread.summary.skills] == [
        ("keep patient records", 2)
    ]
    posted, _, org_name = thread.events[0]
    assert (posted.action, org_name) == (CodesignAction.NEED_POSTED, "Northwind Health")
    assert posted.detail["headcount"] == {"from": None, "to": 40}
    assert posted.detail["skills"]["to"] == ["keep patient records (2)"]


def test_only_administrators_of_employers_and_groups_post_needs(
    session: Session, world: World
) -> None:
    registrar = actor(session, make_member(session, world.lakeshore, Role.ISSUER_ADMIN))
    with pytest.raises(PermissionDenied):
        make_need(session, world.learner, world.northwind, world.skill)
    with pytest.raises(PermissionDenied):  # providers answer needs
        make_need(session, registrar, world.lakeshore, world.skill)
    with pytest.raises(NotFound):
        make_need(session, world.brightpath_hr, world.northwind, world.skill)


def test_a_network_need_is_seen_by_the_networks_staff_and_nobody_else(
    session: Session, world: World
) -> None:
    need = make_need(session, world.hr, world.northwind, world.skill, network=world.network)

    for reader in (world.hr, world.educator, world.brightpath_hr):
        assert [s.need.id for s in codesign_views.list_needs(session, reader)] == [need.id]
        codesign_views.thread(session, reader, need.id)
    for stranger in (world.far_educator, world.learner):
        assert codesign_views.list_needs(session, stranger) == []
        with pytest.raises(NotFound):
            codesign_views.thread(session, stranger, need.id)


def test_a_need_for_every_provider_reaches_their_designers_only(
    session: Session, world: World
) -> None:
    need = make_need(session, world.hr, world.northwind, world.skill)
    college_learner = actor(session, make_member(session, world.far_college))

    assert [s.need.id for s in codesign_views.list_needs(session, world.far_educator)] == [need.id]
    for stranger in (world.brightpath_hr, college_learner):
        with pytest.raises(NotFound):
            codesign_views.thread(session, stranger, need.id)


def test_a_proposal_is_reviewed_revised_and_agreed_with_every_step_on_the_record(
    session: Session, world: World
) -> None:
    need = make_need(session, world.hr, world.northwind, world.skill, network=world.network)
    draft = make_specification(session, world.educator, world.lakeshore)
    proposal = make_proposal(
        session, world.educator, need, world.lakeshore, specification_id=draft.specification_id
    )
    assert (proposal.status, proposal.revision) == (ProposalStatus.SUBMITTED, 1)

    proposal_service.request_changes(session, world.hr, proposal.id, "Add practice on our system.")
    with pytest.raises(Conflict):  # wait for the revision
        proposal_service.agree(session, world.hr, proposal.id)
    with pytest.raises(PermissionDenied):  # the owner reviews, the provider revises
        proposal_service.revise_proposal(session, world.hr, proposal.id, ProposalFields())
    proposal_service.revise_proposal(
        session, world.educator, proposal.id, ProposalFields(summary="Now with ward practice.")
    )
    assert (proposal.status, proposal.revision) == (ProposalStatus.SUBMITTED, 2)
    proposal_service.agree(session, world.hr, proposal.id)

    assert (proposal.status, need.status) == (ProposalStatus.AGREED, NeedStatus.AGREED)
    assert proposal.agreed_at is not None
    thread = codesign_views.thread(session, world.educator, need.id)
    note = thread.comments[0]
    assert (note.comment.body, note.comment.proposal_id) == (
        "Add practice on our system.",
        proposal.id,
    )
    assert thread.proposals[0].offered is not None  # the draft is the provider's own
    assert actions(session, world.hr, need) == [
        CodesignAction.NEED_POSTED,
        CodesignAction.PROPOSAL_SUBMITTED,
        CodesignAction.CHANGES_REQUESTED,
        CodesignAction.PROPOSAL_REVISED,
        CodesignAction.PROPOSAL_AGREED,
    ]
    revised = thread.events[3][0].detail
    assert revised["revision"] == {"from": 1, "to": 2}
    assert revised["status"] == {"from": "changes_requested", "to": "submitted"}
    with pytest.raises(Conflict):  # agreed: the thread is frozen for proposals
        make_proposal(session, world.educator, need, world.lakeshore)


def test_a_draft_offered_stays_unopenable_for_the_employer_and_a_new_design_has_none(
    session: Session, world: World
) -> None:
    need = make_need(session, world.hr, world.northwind, world.skill)
    draft = make_specification(session, world.educator, world.lakeshore)
    make_proposal(
        session, world.educator, need, world.lakeshore, specification_id=draft.specification_id
    )
    make_proposal(session, world.far_educator, need, world.far_college)

    lines = codesign_views.thread(session, world.hr, need.id).proposals
    assert [line.offered for line in lines] == [None, None]
    assert [line.mine for line in lines] == [False, False]


def test_organisations_cannot_act_for_each_other(session: Session, world: World) -> None:
    need = make_need(session, world.hr, world.northwind, world.skill, network=world.network)
    proposal = make_proposal(session, world.educator, need, world.lakeshore)

    with pytest.raises(NotFound):  # a provider outside the network
        make_proposal(session, world.far_educator, need, world.far_college)
    with pytest.raises(NotFound):
        proposal_service.withdraw_proposal(session, world.far_educator, proposal.id)
    with pytest.raises(PermissionDenied):  # another employer of the network
        proposal_service.agree(session, world.brightpath_hr, proposal.id)
    with pytest.raises(PermissionDenied):
        codesign_service.close_need(session, world.brightpath_hr, need.id)
    with pytest.raises(NotFound):  # proposing for a college one is not part of
        make_proposal(session, world.educator, need, world.far_college)
    with pytest.raises(NotFound):
        proposal_service.agree(session, world.learner, proposal.id)

    open_need = make_need(session, world.hr, world.northwind, world.skill)
    open_proposal = make_proposal(session, world.educator, open_need, world.lakeshore)
    with pytest.raises(PermissionDenied):  # sees the need, but the proposal is Lakeshore's
        proposal_service.revise_proposal(
            session, world.far_educator, open_proposal.id, ProposalFields(title="Ours now")
        )
    assert (proposal.status, open_proposal.title) == (
        ProposalStatus.SUBMITTED,
        "Clinical documentation essentials",
    )
    assert actions(session, world.hr, need) == [
        CodesignAction.NEED_POSTED,
        CodesignAction.PROPOSAL_SUBMITTED,
    ]


def test_a_provider_proposes_its_own_specification_once(session: Session, world: World) -> None:
    need = make_need(session, world.hr, world.northwind, world.skill)
    theirs = make_specification(session, world.far_educator, world.far_college)

    with pytest.raises(InvalidInput) as error:
        make_proposal(
            session, world.educator, need, world.lakeshore, specification_id=theirs.specification_id
        )
    assert [problem.field for problem in error.value.field_errors] == ["specification_id"]
    proposal = make_proposal(session, world.educator, need, world.lakeshore)
    with pytest.raises(Conflict):
        make_proposal(session, world.educator, need, world.lakeshore)
    proposal_service.withdraw_proposal(session, world.educator, proposal.id)
    with pytest.raises(Conflict):
        proposal_service.withdraw_proposal(session, world.educator, proposal.id)
    assert make_proposal(session, world.educator, need, world.lakeshore).revision == 1


def test_the_thread_takes_replies_from_the_two_sides_only(session: Session, world: World) -> None:
    need = make_need(session, world.hr, world.northwind, world.skill, network=world.network)
    proposal = make_proposal(session, world.educator, need, world.lakeshore)
    question = codesign_service.add_comment(
        session,
        world.hr,
        need.id,
        CommentCreate(body="Can it run on night shifts?", proposal_id=proposal.id),
    )
    answer = codesign_service.add_comment(
        session, world.educator, need.id, CommentCreate(body="Yes.", parent_id=question.id)
    )
    assert (answer.proposal_id, answer.author_org_id) == (proposal.id, world.lakeshore.id)

    with pytest.raises(PermissionDenied):  # reads the network's needs, but is neither side
        codesign_service.add_comment(
            session, world.brightpath_hr, need.id, CommentCreate(body="Us too!")
        )
    other = make_need(session, world.hr, world.northwind, world.skill)
    with pytest.raises(InvalidInput):
        codesign_service.add_comment(
            session, world.hr, other.id, CommentCreate(body="Lost?", parent_id=question.id)
        )
    with pytest.raises(ValidationError):
        CommentCreate(body="   ")
    with pytest.raises(ValidationError):
        CommentCreate(body="x" * 5001)

    thread = codesign_views.thread(session, world.hr, need.id)
    assert [node.comment.body for node in thread.tree] == ["Can it run on night shifts?"]
    assert [reply.comment.body for reply in thread.tree[0].replies] == ["Yes."]
    codesign_service.withdraw_need(session, world.hr, need.id)
    with pytest.raises(Conflict):
        codesign_service.add_comment(session, world.hr, need.id, CommentCreate(body="Anyone?"))


def test_the_owner_updates_an_open_need_and_the_trail_keeps_old_and_new(
    session: Session, world: World
) -> None:
    need = make_need(session, world.hr, world.northwind, world.skill)
    other = make_skill(session, make_framework(session), "protect patient privacy")

    codesign_service.update_need(
        session,
        world.hr,
        need.id,
        NeedFields(headcount=60, skills=[NeedSkillWrite(skill_id=other.id, level=3)]),
    )
    codesign_service.update_need(session, world.hr, need.id, NeedFields(headcount=60))
    with pytest.raises(InvalidInput) as error:
        codesign_service.update_need(
            session, world.hr, need.id, NeedFields(needed_by=date(2030, 1, 1))
        )
    assert [problem.field for problem in error.value.field_errors] == ["needed_by"]
    assert need.needed_by == date(2031, 5, 31)

    thread = codesign_views.thread(session, world.hr, need.id)
    updated = thread.events[-1][0]
    assert updated.action is CodesignAction.NEED_UPDATED
    assert updated.detail == {
        "headcount": {"from": 40, "to": 60},
        "skills": {"from": ["keep patient records (2)"], "to": ["protect patient privacy (3)"]},
    }
    assert len(thread.events) == 2  # saving the same value is not a change
    codesign_service.close_need(session, world.hr, need.id)
    with pytest.raises(Conflict):
        codesign_service.update_need(session, world.hr, need.id, NeedFields(headcount=1))
    with pytest.raises(Conflict):
        codesign_service.withdraw_need(session, world.hr, need.id)
    assert actions(session, world.hr, need)[-1] is CodesignAction.NEED_CLOSED


def test_a_learner_sees_no_need(session: Session, world: World) -> None:
    make_need(session, world.hr, world.northwind, world.skill)
    nurse = actor(session, make_member(session, world.lakeshore))

    assert codesign_views.list_needs(session, world.learner) == []
    assert codesign_views.list_needs(session, nurse) == []
    with pytest.raises(NotFound):
        codesign_views.thread(session, nurse, uuid.uuid4())
