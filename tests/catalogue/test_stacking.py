"""Stacking: all-of, N-of and credit-total rules, nested rules and equivalences evaluated
for a learner; circular rules refused with the cycle named; rules written only by their
issuer's designers and only from published specifications."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import service, stacking_service
from cairn.catalogue.schemas import SpecificationFields
from cairn.catalogue.stacking import (
    CycleError,
    Equivalence,
    Rule,
    RuleKind,
    RuleSet,
    check_rule,
    dependency_order,
)
from cairn.catalogue.stacking_schemas import (
    EquivalenceCreate,
    RplRouteCreate,
    RuleProgressRead,
    StackRuleCreate,
    StackRuleFields,
    StackRuleRead,
)
from cairn.kit.actor import Actor, Role
from cairn.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation
from tests.factories.catalogue import make_published, make_specification, publish
from tests.factories.orgs import actor, make_member, make_org

A, B, C, D, E = (uuid.uuid4() for _ in range(5))


def rule(
    title: str, kind: RuleKind = RuleKind.ALL_OF, *components: uuid.UUID, **more: object
) -> Rule:
    return Rule(
        id=uuid.uuid5(uuid.NAMESPACE_URL, title),
        title=title,
        kind=kind,
        specification_ids=tuple(components),
        **more,  # type: ignore[arg-type]
    )


# Pure evaluation -------------------------------------------------------------------------


def test_all_of_needs_every_component_and_says_what_counts() -> None:
    certificate = rule("Community care certificate", RuleKind.ALL_OF, A, B, C)
    rules = RuleSet([certificate])

    partly = rules.evaluate({A, C, E})[certificate.id]
    assert (partly.satisfied, partly.met, partly.required) == (False, 2, 3)
    assert set(partly.counting) == {A, C}
    assert partly.missing_specifications == (B,)
    assert rules.evaluate({A, B, C})[certificate.id].satisfied


def test_n_of_needs_n_components() -> None:
    electives = rule("Two electives", RuleKind.N_OF, A, B, C, D, n=2)
    rules = RuleSet([electives])

    assert not rules.evaluate({A})[electives.id].satisfied
    both = rules.evaluate({B, D})[electives.id]
    assert (both.satisfied, both.met, both.required) == (True, 2, 2.0)
    assert not rules.evaluate({E})[electives.id].counts


def test_credit_total_adds_ects_and_reports_credentials_without_any() -> None:
    credits = rule("Ten credits", RuleKind.CREDIT_TOTAL, A, B, C, D, credits_required=10)
    rules = RuleSet([credits], ects={A: 4.5, B: 3, C: 3, D: None})

    partly = rules.evaluate({A, D})[credits.id]
    assert (partly.satisfied, partly.credits, partly.required) == (False, 4.5, 10.0)
    assert partly.without_ects == (D,)
    assert set(partly.counting) == {A, D}
    assert rules.evaluate({A, B, C})[credits.id].satisfied
    assert not rules.evaluate({A, B, D})[credits.id].satisfied


def test_an_achieved_rule_counts_in_the_rules_that_include_it() -> None:
    core = rule("Core", RuleKind.ALL_OF, A, B)
    diploma = rule("Diploma", RuleKind.ALL_OF, C, rule_ids=(core.id,))
    credit = rule("Credit", RuleKind.CREDIT_TOTAL, A, C, rule_ids=(core.id,), credits_required=3)
    # Listed before what they include: evaluation puts them in dependency order.
    rules = RuleSet([credit, diploma, core], ects={A: 1, B: 1, C: 1})
    assert dependency_order([credit, diploma, core])[0].title == "Core"

    without_core = rules.evaluate({A, C})
    assert not without_core[diploma.id].satisfied
    assert without_core[diploma.id].missing_rules == (core.id,)
    assert not without_core[credit.id].satisfied  # A and C: 2 credits

    everything = rules.evaluate({A, B, C})
    assert everything[diploma.id].satisfied
    assert everything[diploma.id].achieved_rules == (core.id,)
    assert set(everything[diploma.id].counting) == {A, B, C}
    assert everything[credit.id].credits == 3  # A once, though direct and through Core


def test_an_equivalent_credential_counts_one_way() -> None:
    ours = rule("Ours", RuleKind.ALL_OF, A, B)
    rules = RuleSet([ours], [Equivalence(specification_id=A, equivalent_id=E)], ects={A: 2})

    progress = rules.evaluate({E, B})[ours.id]
    assert progress.satisfied
    assert progress.by_equivalence == {A: E}
    assert set(progress.counting) == {E, B}

    theirs = rule("Theirs", RuleKind.ALL_OF, E)
    assert not RuleSet([theirs], [Equivalence(A, E)]).evaluate({A})[theirs.id].satisfied


def test_a_cycle_is_refused_with_the_rules_named() -> None:
    first = rule("Rule A", RuleKind.ALL_OF, A)
    second = rule("Rule B", RuleKind.ALL_OF, B, rule_ids=(first.id,))
    first = rule("Rule A", RuleKind.ALL_OF, A, rule_ids=(second.id,))

    with pytest.raises(CycleError) as refused:
        RuleSet([first, second])
    assert refused.value.text == "Rule A → Rule B → Rule A"


def test_a_credential_that_counts_toward_its_own_route_is_a_cycle() -> None:
    certificate = uuid.uuid4()
    leads_to_it = rule("Certificate route", RuleKind.ALL_OF, A, target_specification_id=certificate)
    uses_it = rule("Diploma", RuleKind.ALL_OF, certificate)
    assert RuleSet([leads_to_it, uses_it])  # a certificate toward a diploma: fine

    circular = rule(
        "Certificate route", RuleKind.N_OF, A, certificate, n=1, target_specification_id=certificate
    )
    with pytest.raises(CycleError) as refused:
        RuleSet([circular])
    assert refused.value.text == "Certificate route → Certificate route"

    by_equivalence = rule(
        "Certificate route", RuleKind.ALL_OF, B, target_specification_id=certificate
    )
    with pytest.raises(CycleError):
        RuleSet([by_equivalence], [Equivalence(specification_id=B, equivalent_id=certificate)])


def test_rules_that_can_never_be_satisfied_are_named_by_field() -> None:
    too_many = rule("Too many", RuleKind.N_OF, A, B, n=3)
    too_few_credits = rule("Too few", RuleKind.CREDIT_TOTAL, A, B, credits_required=5)
    empty = rule("Empty", RuleKind.ALL_OF)

    assert [f for f, _ in check_rule(too_many, {})] == ["n"]
    assert [f for f, _ in check_rule(too_few_credits, {A: 2, B: 2})] == ["credits_required"]
    assert check_rule(too_few_credits, {A: 2, B: 3}) == []
    assert [f for f, _ in check_rule(empty, {})] == ["components"]


# Through the service ---------------------------------------------------------------------


@pytest.fixture
def college(session: Session) -> Organisation:
    return make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)


@pytest.fixture
def institute(session: Session) -> Organisation:
    return make_org(session, name="Harbour Institute", kind=OrgKind.PROVIDER)


@pytest.fixture
def educator(session: Session, college: Organisation) -> Actor:
    return actor(session, make_member(session, college, Role.EDUCATOR))


@pytest.fixture
def registrar(session: Session, college: Organisation) -> Actor:
    return actor(session, make_member(session, college, Role.ISSUER_ADMIN))


@pytest.fixture
def their_educator(session: Session, institute: Organisation) -> Actor:
    return actor(session, make_member(session, institute, Role.EDUCATOR))


@pytest.fixture
def their_registrar(session: Session, institute: Organisation) -> Actor:
    return actor(session, make_member(session, institute, Role.ISSUER_ADMIN))


@pytest.fixture
def learner(session: Session, college: Organisation) -> Actor:
    return actor(session, make_member(session, college, Role.LEARNER))


def create(
    session: Session, who: Actor, org: Organisation, slug: str, **fields: object
) -> stacking_service.RuleView:
    data = StackRuleCreate.model_validate(
        {"slug": slug, "title": slug.replace("-", " ").capitalize(), "kind": "all_of", **fields}
    )
    return stacking_service.create_rule(session, who, org.id, data)


def test_a_rule_stacks_credentials_of_two_issuers_and_a_learner_sees_it(
    session: Session,
    college: Organisation,
    institute: Organisation,
    educator: Actor,
    registrar: Actor,
    their_educator: Actor,
    their_registrar: Actor,
    learner: Actor,
) -> None:
    wounds = make_published(session, educator, registrar, college, slug="wounds", ects=2)
    meds = make_published(session, educator, registrar, college, slug="meds", ects=3)
    ethics = make_published(
        session, their_educator, their_registrar, institute, slug="ethics", ects=1.5
    )
    certificate = make_specification(session, educator, college, slug="community-care")

    view = create(
        session,
        educator,
        college,
        "community-care-route",
        kind="n_of",
        n=2,
        target_specification_id=str(certificate.specification_id),
        specification_ids=[
            str(wounds.specification_id),
            str(meds.specification_id),
            str(ethics.specification_id),
        ],
    )
    assert StackRuleRead.model_validate(view).n == 2
    program = create(
        session,
        registrar,
        college,
        "nursing-credit",
        kind="credit_total",
        credits_required=4,
        program_name="Practical Nursing diploma",
        program_code="PN-1",
        specification_ids=[
            str(wounds.specification_id),
            str(meds.specification_id),
            str(ethics.specification_id),
        ],
    )

    standings = stacking_service.what_counts(
        session, learner, [wounds.specification_id, ethics.specification_id]
    )
    shown = [RuleProgressRead.model_validate(s) for s in standings]
    assert [(s.title, s.satisfied) for s in shown] == [
        ("Community care route", True),
        ("Nursing credit", False),
    ]
    assert shown[1].rule_id == program.id
    assert (shown[1].credits, shown[1].required) == (3.5, 4.0)
    assert set(shown[0].counting) == {wounds.specification_id, ethics.specification_id}
    assert stacking_service.what_counts(session, learner, []) == []


def test_credits_come_from_the_newest_published_version(
    session: Session, college: Organisation, educator: Actor, registrar: Actor, learner: Actor
) -> None:
    first = make_published(session, educator, registrar, college, slug="wounds", ects=1)
    second = service.new_version(session, educator, first.id)
    service.update_draft(session, educator, second.id, SpecificationFields(ects=2))
    publish(session, educator, registrar, second)

    create(
        session,
        educator,
        college,
        "two-credits",
        kind="credit_total",
        credits_required=2,
        program_name="Bridging program",
        specification_ids=[str(first.specification_id)],
    )
    [standing] = stacking_service.what_counts(session, learner, [first.specification_id])
    assert (standing.satisfied, standing.credits) == (True, 2.0)


def test_components_must_be_published_and_exist(
    session: Session, college: Organisation, educator: Actor, registrar: Actor
) -> None:
    draft = make_specification(session, educator, college, slug="draft-only")
    published = make_published(session, educator, registrar, college, slug="published")

    with pytest.raises(InvalidInput) as refused:
        create(
            session,
            educator,
            college,
            "route",
            program_name="Program",
            specification_ids=[str(published.specification_id), str(draft.specification_id)],
            rule_ids=[str(uuid.uuid4())],
        )
    assert [e.field for e in refused.value.field_errors] == ["specification_ids.1", "rule_ids.0"]

    with pytest.raises(InvalidInput) as refused:
        create(
            session,
            educator,
            college,
            "route",
            kind="n_of",
            n=2,
            program_name="Program",
            specification_ids=[str(published.specification_id)],
        )
    assert [e.field for e in refused.value.field_errors] == ["n"]

    with pytest.raises(InvalidInput) as refused:
        create(
            session, educator, college, "route", specification_ids=[str(published.specification_id)]
        )
    assert [e.field for e in refused.value.field_errors] == ["target_specification_id"]


def test_only_the_issuers_designers_change_its_rules(
    session: Session,
    college: Organisation,
    educator: Actor,
    registrar: Actor,
    their_educator: Actor,
    learner: Actor,
) -> None:
    published = make_published(session, educator, registrar, college, slug="wounds")
    fields = {"program_name": "Program", "specification_ids": [str(published.specification_id)]}
    view = create(session, educator, college, "route", **fields)
    update = StackRuleFields.model_validate({"title": "Renamed", "kind": "all_of", **fields})

    with pytest.raises(NotFound):
        create(session, their_educator, college, "theirs", **fields)
    with pytest.raises(NotFound):
        stacking_service.update_rule(session, their_educator, view.id, update)
    with pytest.raises(NotFound):
        stacking_service.delete_rule(session, their_educator, view.id)
    with pytest.raises(PermissionDenied):
        stacking_service.update_rule(session, learner, view.id, update)

    assert stacking_service.update_rule(session, registrar, view.id, update).title == "Renamed"
    # Rules are public: another organisation's people read them.
    assert stacking_service.get_rule(session, their_educator, view.id).title == "Renamed"
    assert [r.id for r in stacking_service.list_rules(session, their_educator, college.id)] == [
        view.id
    ]


def test_a_circular_rule_is_refused_with_the_cycle_named(
    session: Session, college: Organisation, educator: Actor, registrar: Actor
) -> None:
    published = make_published(session, educator, registrar, college, slug="wounds")
    spec = [str(published.specification_id)]
    rule_a = create(session, educator, college, "rule-a", program_name="A", specification_ids=spec)
    rule_b = create(
        session,
        educator,
        college,
        "rule-b",
        program_name="B",
        specification_ids=spec,
        rule_ids=[str(rule_a.id)],
    )

    circular = StackRuleFields.model_validate(
        {"title": "Rule a", "kind": "all_of", "program_name": "A", "rule_ids": [str(rule_b.id)]}
    )
    with pytest.raises(Conflict) as refused:
        stacking_service.update_rule(session, educator, rule_a.id, circular)
    assert str(refused.value) == "These rules would depend on themselves: Rule a → Rule b → Rule a."
    assert [e.field for e in refused.value.field_errors] == ["rule_ids"]
    assert stacking_service.get_rule(session, educator, rule_a.id).rule_ids == []

    with pytest.raises(Conflict) as included:
        stacking_service.delete_rule(session, educator, rule_a.id)
    assert "Rule b" in str(included.value)
    stacking_service.delete_rule(session, educator, rule_b.id)
    stacking_service.delete_rule(session, educator, rule_a.id)
    assert stacking_service.list_rules(session, educator, college.id) == []


def test_an_equivalence_transfers_another_issuers_credential(
    session: Session,
    college: Organisation,
    institute: Organisation,
    educator: Actor,
    registrar: Actor,
    their_educator: Actor,
    their_registrar: Actor,
    learner: Actor,
) -> None:
    ours = make_published(session, educator, registrar, college, slug="infection-control")
    theirs = make_published(
        session, their_educator, their_registrar, institute, slug="infection-prevention"
    )
    route = create(
        session,
        educator,
        college,
        "route",
        program_name="Program",
        specification_ids=[str(ours.specification_id)],
    )
    stacking_service.add_rpl_route(
        session,
        educator,
        RplRouteCreate(
            specification_id=ours.specification_id,
            description="A practical assessment for experienced personal support workers.",
        ),
    )
    assert stacking_service.what_counts(session, learner, [theirs.specification_id]) == []

    recognition = EquivalenceCreate(
        specification_id=ours.specification_id,
        equivalent_specification_id=theirs.specification_id,
        note="Same outcomes, reviewed 2026.",
    )
    with pytest.raises(NotFound):
        stacking_service.declare_equivalence(session, their_educator, recognition)
    stacking_service.declare_equivalence(session, educator, recognition)
    with pytest.raises(Conflict):
        stacking_service.declare_equivalence(session, educator, recognition)

    [standing] = stacking_service.what_counts(session, learner, [theirs.specification_id])
    assert (standing.rule_id, standing.satisfied) == (route.id, True)
    assert standing.by_equivalence == {ours.specification_id: theirs.specification_id}

    other = make_published(session, educator, registrar, college, slug="other")
    two = create(
        session,
        educator,
        college,
        "two",
        program_name="Two",
        specification_ids=[str(ours.specification_id), str(other.specification_id)],
    )
    [partly] = [
        s
        for s in stacking_service.what_counts(session, learner, [other.specification_id])
        if s.rule_id == two.id
    ]
    assert partly.rpl_available == [ours.specification_id]
