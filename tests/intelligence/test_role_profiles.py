"""A role's skill profile started from a job description: skills suggested with a level read
from the words around each, then the chosen ones added or updated through the orgs service."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from cairn.intelligence import role_profiles
from cairn.intelligence.role_profiles import Applied, Cue, CueReading, level_for, read_cue
from cairn.kit.actor import Actor, Role, Scope
from cairn.kit.errors import InsufficientScope, InvalidInput, NotFound, PermissionDenied
from cairn.orgs import people, skill_profiles
from cairn.orgs.models import Organisation, Position
from cairn.orgs.schemas import SkillProfileItemWrite
from cairn.orgs.skill_profiles import Target
from tests.factories.intelligence import LinkableFramework, make_linkable_framework
from tests.factories.orgs import actor, make_member, make_org, make_position

AD = """Trade counter team leader (Leeds)

We are a busy builders' merchant looking for a team leader for our trade counter.

What you bring:
- Extensive experience with forklift operation in a busy warehouse
- Strong customer service skills at the trade counter
- Keep stock lists in Excel
- Basic data analysis is nice to have
"""


@pytest.mark.parametrize(
    ("sentence", "skill", "cue", "words"),
    [
        # The top of the scale.
        ("Expert SQL skills", "SQL", Cue.TOP, "Expert"),
        ("Advanced Excel", "Excel", Cue.TOP, "Advanced"),
        ("Senior Python developer", "Python", Cue.TOP, "Senior"),
        ("Extensive experience with SQL", "SQL", Cue.TOP, "Extensive experience with"),
        ("In-depth knowledge of bookkeeping", "bookkeeping", Cue.TOP, "In-depth"),
        ("Lead projects from start to finish", "projects", Cue.TOP, "Lead"),
        ("5+ years of welding", "welding", Cue.TOP, "5+ years"),
        ("At least seven years in carpentry", "carpentry", Cue.TOP, "seven years"),
        # The middle.
        ("Strong Python skills", "Python", Cue.MIDDLE, "Strong"),
        ("Proficient in Excel", "Excel", Cue.MIDDLE, "Proficient"),
        ("Solid bookkeeping", "bookkeeping", Cue.MIDDLE, "Solid"),
        ("Experience with forklift operation", "forklift", Cue.MIDDLE, "Experience with"),
        ("Working knowledge of SQL", "SQL", Cue.MIDDLE, "Working knowledge"),
        ("2-4 years of customer service", "customer service", Cue.MIDDLE, "2-4 years"),
        ("SQL: 3+ years", "SQL", Cue.MIDDLE, "3+ years"),
        # The lowest level.
        ("Basic Excel", "Excel", Cue.LOWEST, "Basic"),
        ("Familiar with SQL", "SQL", Cue.LOWEST, "Familiar"),
        ("Some exposure to welding", "welding", Cue.LOWEST, "exposure"),
        ("Awareness of data protection", "data protection", Cue.LOWEST, "Awareness"),
        ("Speaking French is nice to have", "French", Cue.LOWEST, "nice to have"),
        ("Willing to learn bookkeeping", "bookkeeping", Cue.LOWEST, "Willing to learn"),
        ("1 year of cooking", "cooking", Cue.LOWEST, "1 year"),
        # No cue: the middle is proposed, with no words to quote.
        ("Keep stock lists in Excel", "Excel", None, None),
        ("Solides connaissances en SQL", "SQL", None, None),
    ],
)
def test_the_words_before_or_after_a_skill_point_to_a_part_of_the_scale(
    sentence: str, skill: str, cue: Cue | None, words: str | None
) -> None:
    start = sentence.index(skill)
    assert read_cue(sentence, start, start + len(skill)) == CueReading(cue, words)


@pytest.mark.parametrize(
    ("text", "skill", "own_words", "expected"),
    [
        # A cue joined to plain "experience with" outweighs it.
        (
            "Extensive, hands-on experience with welding",
            "welding",
            "welding",
            CueReading(Cue.TOP, "Extensive, hands-on experience with"),
        ),
        # The nearest cue before the skill wins.
        ("Strong Python and basic SQL", "SQL", "SQL", CueReading(Cue.LOWEST, "basic")),
        ("Strong Python and basic SQL", "Python", "Python", CueReading(Cue.MIDDLE, "Strong")),
        # After the skill, only within its clause and only words that say a level there.
        ("Python, SQL is nice to have", "Python", "Python", CueReading(None, None)),
        ("Lead a team of junior analysts", "Lead a team", "lead a team", CueReading(None, None)),
        ("SQL (advanced)", "SQL", "SQL", CueReading(Cue.TOP, "advanced")),
        # Another sentence says nothing of this skill.
        ("Senior role.\nPython", "Python", "Python", CueReading(None, None)),
    ],
)
def test_which_cue_counts_when_a_sentence_has_several(
    text: str, skill: str, own_words: str, expected: CueReading
) -> None:
    start = text.index(skill)
    assert read_cue(text, start, start + len(skill), own_words) == expected


def test_a_cue_is_a_rank_at_the_top_middle_or_bottom_of_the_scale() -> None:
    assert [level_for(cue, [1, 2, 3]) for cue in (Cue.TOP, Cue.MIDDLE, Cue.LOWEST, None)] == [
        3,
        2,
        1,
        2,
    ]
    onet_levels = range(8)
    assert [level_for(cue, onet_levels) for cue in (Cue.TOP, None, Cue.LOWEST)] == [7, 4, 0]
    assert level_for(Cue.TOP, []) is None


@pytest.fixture
def employer(session: Session) -> Organisation:
    return make_org(session, name="Riverside Builders")


@pytest.fixture
def role(session: Session, employer: Organisation) -> Position:
    return make_position(session, employer, title="Trade counter team leader")


@pytest.fixture
def linkable(session: Session) -> LinkableFramework:
    return make_linkable_framework(session)


@pytest.fixture
def admin(session: Session, employer: Organisation) -> Actor:
    return actor(session, make_member(session, employer, Role.HR_ADMIN))


def test_a_job_ad_gives_skills_with_levels_read_from_their_sentences(
    session: Session,
    employer: Organisation,
    role: Position,
    linkable: LinkableFramework,
    admin: Actor,
) -> None:
    found = role_profiles.suggest_for_role(
        session,
        admin,
        Target(employer.id, position_id=role.id),
        text=AD,
        framework=linkable.framework.slug,
    )

    by_label = {item.label: item for item in found}
    assert {
        label: (item.level, item.level_label, item.cue, item.level_reason)
        for label, item in by_label.items()
        if label in {"forklift operation", "customer service", "data analysis"}
    } == {
        "forklift operation": (3, "Expert", Cue.TOP, "Extensive experience with"),
        "customer service": (2, "Practised", Cue.MIDDLE, "Strong"),
        "data analysis": (1, "Beginner", Cue.LOWEST, "Basic"),
    }
    excel = by_label["use spreadsheets software"]
    assert (excel.quote, excel.level, excel.cue, excel.level_reason) == ("Excel", 2, None, None)
    assert AD[excel.start : excel.end] == "Excel"
    assert [level.label for level in excel.levels] == ["Beginner", "Practised", "Expert"]
    assert not any(item.in_profile for item in found)


def test_a_skill_already_in_the_profile_is_marked_with_its_level(
    session: Session,
    employer: Organisation,
    role: Position,
    linkable: LinkableFramework,
    admin: Actor,
) -> None:
    target = Target(employer.id, position_id=role.id)
    forklift = linkable.skill_id("forklift operation")
    skill_profiles.set_item(
        session, admin, target, SkillProfileItemWrite(skill_id=forklift, target_level=1)
    )

    found = role_profiles.suggest_for_role(
        session, admin, target, text=AD, framework=linkable.framework.slug
    )

    marked = {item.skill_id: (item.in_profile, item.current_level) for item in found}
    assert marked[forklift] == (True, 1)
    assert marked[linkable.skill_id("customer service")] == (False, None)


def test_applying_adds_new_skills_and_updates_the_level_of_those_there(
    session: Session,
    employer: Organisation,
    role: Position,
    linkable: LinkableFramework,
    admin: Actor,
) -> None:
    target = Target(employer.id, position_id=role.id)
    service, forklift, excel, cook = (
        linkable.skill_id(label)
        for label in (
            "customer service",
            "forklift operation",
            "use spreadsheets software",
            "cook meals",
        )
    )
    skill_profiles.set_items(
        session,
        admin,
        target,
        [
            SkillProfileItemWrite(skill_id=service, target_level=1, weight=5),
            SkillProfileItemWrite(skill_id=cook, target_level=1, weight=2),
        ],
    )

    applied = role_profiles.apply_suggestions(
        session, admin, target, [(service, 3), (forklift, 2), (excel, None), (cook, None)]
    )

    assert applied == Applied(added=2, updated=2)
    lines = skill_profiles.view(session, admin, target).lines
    assert sorted(
        (line.skill.preferred_label, line.item.target_level, line.item.weight) for line in lines
    ) == [
        ("cook meals", 1, 2),  # no level chosen: it keeps its own
        ("customer service", 3, 5),  # the level changes, the weight stays
        ("forklift operation", 2, 3),
        ("use spreadsheets software", 2, 3),  # no level chosen: the middle of the scale
    ]


def test_a_level_off_the_scale_is_refused_and_nothing_is_added(
    session: Session,
    employer: Organisation,
    role: Position,
    linkable: LinkableFramework,
    admin: Actor,
) -> None:
    target = Target(employer.id, position_id=role.id)

    with pytest.raises(InvalidInput) as refused:
        role_profiles.apply_suggestions(
            session,
            admin,
            target,
            [(linkable.skill_id("welding"), 2), (linkable.skill_id("carpentry"), 9)],
        )

    assert [error.field for error in refused.value.field_errors] == ["items.1.target_level"]
    assert skill_profiles.view(session, admin, target).lines == []
    with pytest.raises(InvalidInput) as empty:
        role_profiles.apply_suggestions(session, admin, target, [])
    assert [error.field for error in empty.value.field_errors] == ["items"]


def test_a_framework_without_a_scale_proposes_no_level(
    session: Session,
    employer: Organisation,
    role: Position,
    linkable: LinkableFramework,
    admin: Actor,
) -> None:
    linkable.framework.scale_id = None
    session.flush()
    session.expire(linkable.framework)
    target = Target(employer.id, position_id=role.id)

    found = role_profiles.suggest_for_role(
        session, admin, target, text=AD, framework=linkable.framework.slug
    )
    forklift = next(item for item in found if item.label == "forklift operation")
    assert (forklift.levels, forklift.level, forklift.cue, forklift.level_reason) == (
        [],
        None,
        None,
        None,
    )

    role_profiles.apply_suggestions(session, admin, target, [(forklift.skill_id, None)])
    [line] = skill_profiles.view(session, admin, target).lines
    assert (line.item.target_level, line.target_label) == (3, None)  # as from an occupation


def test_someone_of_another_organisation_finds_no_such_role(
    session: Session, employer: Organisation, role: Position, linkable: LinkableFramework
) -> None:
    outsider = actor(session, make_member(session, make_org(session), Role.HR_ADMIN))
    target = Target(employer.id, position_id=role.id)

    with pytest.raises(NotFound):
        role_profiles.suggest_for_role(
            session, outsider, target, text=AD, framework=linkable.framework.slug
        )
    with pytest.raises(NotFound):
        role_profiles.apply_suggestions(
            session, outsider, target, [(linkable.skill_id("welding"), 1)]
        )


def test_a_member_who_does_not_administer_the_organisation_is_refused(
    session: Session, employer: Organisation, role: Position, linkable: LinkableFramework
) -> None:
    learner = actor(session, make_member(session, employer, Role.LEARNER))
    target = Target(employer.id, position_id=role.id)

    with pytest.raises(PermissionDenied):
        role_profiles.suggest_for_role(
            session, learner, target, text=AD, framework=linkable.framework.slug
        )
    with pytest.raises(PermissionDenied):
        role_profiles.apply_suggestions(
            session, learner, target, [(linkable.skill_id("welding"), 1)]
        )


def test_a_token_needs_the_scopes_of_editing_the_role_not_taxonomy_read(
    session: Session, employer: Organisation, role: Position, linkable: LinkableFramework
) -> None:
    person = make_member(session, employer, Role.HR_ADMIN)
    target = Target(employer.id, position_id=role.id)
    reader = people.actor_for(session, person, scopes=frozenset({Scope.ORGS_READ}))
    writer = people.actor_for(
        session, person, scopes=frozenset({Scope.ORGS_READ, Scope.ORGS_WRITE})
    )

    with pytest.raises(InsufficientScope):
        role_profiles.suggest_for_role(
            session, reader, target, text=AD, framework=linkable.framework.slug
        )
    found = role_profiles.suggest_for_role(
        session, writer, target, text=AD, framework=linkable.framework.slug
    )
    assert "forklift operation" in {item.label for item in found}
