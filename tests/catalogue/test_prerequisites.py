"""Structured prerequisites: clauses of credentials to hold first, set on a draft by its
issuer's designers, each refusal naming the clause or credential at fault and changing
nothing; no cycle through the newest version of each specification; copied into a new
version; shown on the public page and exported to CTDL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import ctdl, prerequisite_service, public, service
from cairn.catalogue.models import SpecificationVersion
from cairn.kit.actor import Actor, Role
from cairn.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cairn.orgs.enums import OrgKind
from tests.factories.catalogue import make_specification, publish
from tests.factories.credentials import Issuer, make_issuer
from tests.factories.orgs import actor, make_member, make_org

BASE = "http://testserver.example"


@dataclass
class Prerequisites:
    """Lakeshore drafting ``draft``, with two credentials of its own on offer
    (``first_aid``, ``hygiene``) and one still a draft (``own_draft``); Harbour with one on
    offer (``theirs``) and one it is still drafting (``their_draft``)."""

    college: Issuer
    other: Issuer
    draft: SpecificationVersion
    first_aid: SpecificationVersion
    hygiene: SpecificationVersion
    own_draft: SpecificationVersion
    theirs: SpecificationVersion
    their_draft: SpecificationVersion


@pytest.fixture
def world(session: Session) -> Prerequisites:
    college = make_issuer(session, name="Lakeshore College")
    other = make_issuer(session, name="Harbour College")
    return Prerequisites(
        college=college,
        other=other,
        draft=make_specification(
            session, college.educator, college.org, slug="wound-care", title="Wound care"
        ),
        first_aid=college.publish(session, "first-aid", title="First aid"),
        hygiene=college.publish(session, "hand-hygiene", title="Hand hygiene"),
        own_draft=make_specification(
            session, college.educator, college.org, slug="triage", title="Triage"
        ),
        theirs=other.publish(session, "infection-control", title="Infection control"),
        their_draft=make_specification(
            session, other.educator, other.org, slug="secret-draft", title="Secret draft"
        ),
    )


def ids(*versions: SpecificationVersion) -> list[uuid.UUID]:
    return [version.specification_id for version in versions]


def clauses_of(session: Session, version: SpecificationVersion) -> list[set[uuid.UUID]]:
    found = service.view(session, Actor.operator(), version.id).prerequisites
    return [set(clause) for clause in found]


def refused_fields(error: InvalidInput | Conflict) -> dict[str, str]:
    return {item.field: str(item.message) for item in error.field_errors}


def test_a_designer_sets_clauses_of_any_one_of_and_setting_them_again_changes_nothing(
    session: Session, world: Prerequisites
) -> None:
    wanted = [ids(world.first_aid, world.theirs), ids(world.own_draft)]
    educator = world.college.educator

    prerequisite_service.set_prerequisites(session, educator, world.draft.id, wanted)
    prerequisite_service.set_prerequisites(session, educator, world.draft.id, wanted)

    assert clauses_of(session, world.draft) == [set(clause) for clause in wanted]
    prerequisite_service.set_prerequisites(session, educator, world.draft.id, [])
    assert clauses_of(session, world.draft) == []


@pytest.mark.parametrize(
    ("clauses", "field", "message"),
    [
        (lambda w: [ids(w.first_aid), []], "clauses.1", "Choose at least one credential"),
        (lambda w: [ids(w.hygiene, w.draft)], "clauses.0.1", "cannot be its own prerequisite"),
        (lambda w: [ids(w.hygiene, w.hygiene)], "clauses.0.1", "already in the clause"),
        (
            lambda w: [ids(w.hygiene, w.first_aid), ids(w.first_aid, w.hygiene)],
            "clauses.1",
            "already prerequisite 1",
        ),
        (lambda w: [ids(w.first_aid, w.their_draft)], "clauses.0.1", "Only a micro-credential"),
        (lambda w: [[w.first_aid.specification_id, uuid.uuid4()]], "clauses.0.1", "Only a micro"),
    ],
    ids=["empty", "itself", "twice", "repeated", "another-issuers-draft", "unknown"],
)
def test_each_mistake_is_refused_on_its_field_and_nothing_changes(
    session: Session, world: Prerequisites, clauses: Any, field: str, message: str
) -> None:
    before = [ids(world.theirs)]
    prerequisite_service.set_prerequisites(session, world.college.educator, world.draft.id, before)

    with pytest.raises(InvalidInput) as refused:
        prerequisite_service.set_prerequisites(
            session, world.college.educator, world.draft.id, clauses(world)
        )

    assert message in refused_fields(refused.value)[field]
    assert clauses_of(session, world.draft) == [set(before[0])]


def _requiring(
    session: Session, issuer: Issuer, version: SpecificationVersion, *required: list[uuid.UUID]
) -> SpecificationVersion:
    """A new draft of ``version``'s specification that requires ``required``."""
    draft = service.new_version(session, issuer.educator, version.id)
    prerequisite_service.set_prerequisites(session, issuer.educator, draft.id, list(required))
    return draft


def test_a_cycle_through_the_newest_versions_is_refused_and_named(
    session: Session, world: Prerequisites
) -> None:
    college = world.college
    # Hand hygiene's next version requires first aid, whose next requires wound care.
    _requiring(session, college, world.hygiene, ids(world.first_aid))
    _requiring(session, college, world.first_aid, ids(world.draft))

    with pytest.raises(Conflict) as direct:
        prerequisite_service.set_prerequisites(
            session, college.educator, world.draft.id, [ids(world.theirs), ids(world.first_aid)]
        )
    with pytest.raises(Conflict) as through:
        prerequisite_service.set_prerequisites(
            session, college.educator, world.draft.id, [ids(world.hygiene)]
        )

    assert refused_fields(direct.value) == {
        "clauses.1": "These prerequisites would go round in a circle: "
        "Wound care → First aid → Wound care."
    }
    assert "Wound care → Hand hygiene → First aid → Wound care" in str(through.value.message)
    assert clauses_of(session, world.draft) == []


def test_only_the_newest_version_counts_for_cycles(session: Session, world: Prerequisites) -> None:
    college = world.college
    requiring = _requiring(session, college, world.first_aid, ids(world.draft))
    prerequisite_service.set_prerequisites(session, college.educator, requiring.id, [])

    prerequisite_service.set_prerequisites(
        session, college.educator, world.draft.id, [ids(world.first_aid)]
    )

    assert clauses_of(session, world.draft) == [set(ids(world.first_aid))]


def test_only_a_draft_changes_and_only_its_designers_change_it(
    session: Session, world: Prerequisites
) -> None:
    college = world.college
    learner = actor(session, make_member(session, college.org, Role.LEARNER))
    outsider = actor(
        session, make_member(session, make_org(session, kind=OrgKind.PROVIDER), Role.EDUCATOR)
    )
    wanted = [ids(world.first_aid)]

    with pytest.raises(PermissionDenied):
        prerequisite_service.set_prerequisites(session, learner, world.draft.id, wanted)
    with pytest.raises(NotFound):
        prerequisite_service.set_prerequisites(session, outsider, world.draft.id, wanted)
    service.submit_for_review(session, college.educator, world.draft.id)
    with pytest.raises(Conflict):
        prerequisite_service.set_prerequisites(session, college.educator, world.draft.id, wanted)
    assert clauses_of(session, world.draft) == []


def test_clauses_are_added_and_removed_one_at_a_time(
    session: Session, world: Prerequisites
) -> None:
    educator = world.college.educator
    prerequisite_service.add_clause(session, educator, world.draft.id, ids(world.first_aid))
    prerequisite_service.add_clause(session, educator, world.draft.id, ids(world.theirs))
    with pytest.raises(InvalidInput) as repeated:
        prerequisite_service.add_clause(session, educator, world.draft.id, ids(world.first_aid))

    prerequisite_service.remove_clause(session, educator, world.draft.id, 0)

    assert "clauses.2" in refused_fields(repeated.value)
    assert clauses_of(session, world.draft) == [set(ids(world.theirs))]
    with pytest.raises(NotFound):
        prerequisite_service.remove_clause(session, educator, world.draft.id, 1)


def test_a_new_version_starts_with_the_same_prerequisites_even_once_retired(
    session: Session, world: Prerequisites
) -> None:
    college = world.college
    wanted = [ids(world.first_aid, world.theirs)]
    prerequisite_service.set_prerequisites(session, college.educator, world.draft.id, wanted)
    published = publish(session, college.educator, college.registrar, world.draft)
    service.retire(session, world.other.registrar, world.theirs.id)

    second = service.new_version(session, college.educator, published.id)
    # Infection control is no longer on offer, but it was chosen before: it stays.
    prerequisite_service.add_clause(session, college.educator, second.id, ids(world.hygiene))

    assert clauses_of(session, second) == [set(wanted[0]), set(ids(world.hygiene))]


def test_the_public_page_and_ctdl_name_published_prerequisites_only(
    session: Session, world: Prerequisites
) -> None:
    college = world.college
    prerequisite_service.set_prerequisites(
        session,
        college.educator,
        world.draft.id,
        [ids(world.theirs, world.first_aid), ids(world.own_draft), ids(world.hygiene)],
    )
    publish(session, college.educator, college.registrar, world.draft)

    view = public.published_specification(session, None, college.org.slug, "wound-care")
    document = ctdl.document(public.specifications_on_offer(session, None), BASE)

    assert [[link.title for link in clause] for clause in view.prerequisites] == [
        ["First aid", "Infection control"],
        ["Hand hygiene"],
    ]
    graph = {node["@id"]: node for node in document["@graph"]}
    credential = graph[ctdl.resource(ctdl.ctid(world.draft.id))]
    choice, single = credential["ceterms:requires"][1:]
    assert [a["ceterms:targetCredential"] for a in choice["ceterms:alternativeCondition"]] == [
        [ctdl.resource(ctdl.ctid(world.first_aid.id))],
        [ctdl.resource(ctdl.ctid(world.theirs.id))],
    ]
    assert single["ceterms:targetCredential"] == [ctdl.resource(ctdl.ctid(world.hygiene.id))]
    for clause in (choice, single):
        for target in clause.get("ceterms:targetCredential", []):
            assert target in graph
