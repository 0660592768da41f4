"""Skills suggested for a draft's outcomes: found in each outcome's words, stored only as a
person chooses, by the rules of any edit, and offered only to those who may edit the draft
while it is one."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import alignment_suggestions, service
from cairn.catalogue.enums import VersionStatus
from cairn.catalogue.models import SpecificationVersion
from cairn.kit.actor import Actor, Role
from cairn.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation
from tests.factories.catalogue import WAREHOUSE_OUTCOMES, make_warehouse_draft
from tests.factories.intelligence import LinkableFramework, make_linkable_framework
from tests.factories.orgs import actor, make_member, make_org


@pytest.fixture
def college(session: Session) -> Organisation:
    return make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)


@pytest.fixture
def educator(session: Session, college: Organisation) -> Actor:
    return actor(session, make_member(session, college, Role.EDUCATOR))


@pytest.fixture
def linkable(session: Session) -> LinkableFramework:
    return make_linkable_framework(session, slug="everyday")


@pytest.fixture
def draft(session: Session, college: Organisation, educator: Actor) -> SpecificationVersion:
    return make_warehouse_draft(session, educator, college)


def test_each_outcome_gets_the_skills_its_words_name(
    session: Session, educator: Actor, linkable: LinkableFramework, draft: SpecificationVersion
) -> None:
    found = alignment_suggestions.suggest_alignments(
        session, educator, draft.id, framework="everyday"
    )

    assert found.framework.id == linkable.framework.id
    assert found.levels == [(1, "Beginner"), (2, "Practised"), (3, "Expert")]
    forklift, stock, poem = found.outcomes
    assert [(o.position, o.statement) for o in found.outcomes] == list(
        enumerate(WAREHOUSE_OUTCOMES, start=1)
    )
    assert all(o.current is None and len(o.suggestions) <= 3 for o in found.outcomes)
    assert forklift.suggestions[0].concept_id == linkable.skill_id("forklift operation")
    assert "forklift" in forklift.suggestions[0].quote
    item = forklift.suggestions[0]
    assert forklift.statement[item.start : item.end] == item.quote
    assert linkable.skill_id("use spreadsheets software") in {
        s.concept_id for s in stock.suggestions
    }
    assert poem.suggestions == []

    one = alignment_suggestions.suggest_alignments(
        session, educator, draft.id, framework="everyday@1.0", top=1
    )
    assert all(len(o.suggestions) <= 1 for o in one.outcomes)


def test_choices_set_skill_and_level_and_leave_the_other_outcomes_alone(
    session: Session, educator: Actor, linkable: LinkableFramework, draft: SpecificationVersion
) -> None:
    forklift = linkable.skill_id("forklift operation")
    spreadsheets = linkable.skill_id("use spreadsheets software")

    alignment_suggestions.apply_alignments(
        session, educator, draft.id, {1: (forklift, 2), 2: (spreadsheets, None)}
    )

    outcomes = service.view(session, educator, draft.id).draft.outcomes
    assert [(o.statement, o.skill_id, o.level) for o in outcomes] == [
        (WAREHOUSE_OUTCOMES[0], forklift, 2),
        (WAREHOUSE_OUTCOMES[1], spreadsheets, None),
        (WAREHOUSE_OUTCOMES[2], None, None),
    ]
    # Asked again with no framework named, suggestions come from the one already in use,
    # beside what each outcome is aligned to now.
    again = alignment_suggestions.suggest_alignments(session, educator, draft.id)
    assert again.framework.id == linkable.framework.id
    current = again.outcomes[0].current
    assert current is not None
    assert (current.skill.id, current.level, current.level_label) == (forklift, 2, "Practised")
    assert alignment_suggestions.best_unaligned(again) == {}


def test_one_refused_choice_stores_none_of_them(
    session: Session, educator: Actor, linkable: LinkableFramework, draft: SpecificationVersion
) -> None:
    forklift = linkable.skill_id("forklift operation")
    spreadsheets = linkable.skill_id("use spreadsheets software")

    with pytest.raises(InvalidInput) as too_high:
        alignment_suggestions.apply_alignments(
            session, educator, draft.id, {1: (forklift, 1), 2: (spreadsheets, 7)}
        )
    assert [e.field for e in too_high.value.field_errors] == ["outcomes.2.level"]
    assert "3 levels" in str(too_high.value.field_errors[0].message)
    with pytest.raises(InvalidInput) as below_one:
        alignment_suggestions.apply_alignments(session, educator, draft.id, {2: (forklift, 0)})
    assert [e.field for e in below_one.value.field_errors] == ["outcomes.2.level"]
    with pytest.raises(InvalidInput) as no_such_outcome:
        alignment_suggestions.apply_alignments(session, educator, draft.id, {4: (forklift, 1)})
    assert [e.field for e in no_such_outcome.value.field_errors] == ["outcomes.4"]

    outcomes = service.view(session, educator, draft.id).draft.outcomes
    assert [(o.skill_id, o.level) for o in outcomes] == [(None, None)] * 3


def test_only_the_issuers_editors_may_ask_or_choose(
    session: Session,
    college: Organisation,
    linkable: LinkableFramework,
    draft: SpecificationVersion,
) -> None:
    forklift = linkable.skill_id("forklift operation")
    other_college = make_org(session, kind=OrgKind.PROVIDER)
    stranger = actor(session, make_member(session, other_college, Role.EDUCATOR))
    learner = actor(session, make_member(session, college, Role.LEARNER))

    with pytest.raises(NotFound):
        alignment_suggestions.suggest_alignments(session, stranger, draft.id, framework="everyday")
    with pytest.raises(NotFound):
        alignment_suggestions.apply_alignments(session, stranger, draft.id, {1: (forklift, 1)})
    with pytest.raises(PermissionDenied):
        alignment_suggestions.suggest_alignments(session, learner, draft.id, framework="everyday")
    with pytest.raises(PermissionDenied):
        alignment_suggestions.apply_alignments(session, learner, draft.id, {1: (forklift, 1)})
    assert service.view(session, Actor.operator(), draft.id).draft.outcomes[0].skill_id is None


def test_a_version_past_its_draft_is_refused_as_editing_it_is(
    session: Session, educator: Actor, linkable: LinkableFramework, draft: SpecificationVersion
) -> None:
    service.submit_for_review(session, educator, draft.id)
    assert draft.status is VersionStatus.IN_REVIEW

    with pytest.raises(Conflict) as refused:
        alignment_suggestions.suggest_alignments(session, educator, draft.id, framework="everyday")
    assert "Only a draft can be changed" in str(refused.value)
    with pytest.raises(Conflict):
        alignment_suggestions.apply_alignments(
            session, educator, draft.id, {1: (linkable.skill_id("forklift operation"), 1)}
        )


def test_another_organisations_own_framework_is_not_offered_even_to_its_member(
    session: Session,
    college: Organisation,
    linkable: LinkableFramework,
    draft: SpecificationVersion,
) -> None:
    """Outcomes align only to public frameworks and the issuer's own, so someone who also
    belongs to an employer with a framework of its own gets no suggestions from it."""
    employer = make_org(session, kind=OrgKind.EMPLOYER)
    private = make_linkable_framework(session, owner_org_id=employer.id, slug="employer-own")
    person = make_member(session, college, Role.EDUCATOR)
    make_member(session, employer, Role.HR_ADMIN, person=person)
    both = actor(session, person)

    with pytest.raises(InvalidInput) as refused:
        alignment_suggestions.suggest_alignments(session, both, draft.id, framework="employer-own")
    assert [e.field for e in refused.value.field_errors] == ["framework"]
    view = alignment_suggestions.editable(session, both, draft.id)
    offered = {f.id for f in alignment_suggestions.frameworks(session, both, view)}
    assert linkable.framework.id in offered
    assert private.framework.id not in offered


def test_an_unknown_framework_or_count_is_refused_naming_the_field(
    session: Session, educator: Actor, linkable: LinkableFramework, draft: SpecificationVersion
) -> None:
    with pytest.raises(InvalidInput) as unknown:
        alignment_suggestions.suggest_alignments(session, educator, draft.id, framework="nope")
    assert [e.field for e in unknown.value.field_errors] == ["framework"]
    with pytest.raises(InvalidInput) as too_few:
        alignment_suggestions.suggest_alignments(
            session, educator, draft.id, framework="everyday", top=0
        )
    assert [e.field for e in too_few.value.field_errors] == ["top"]
