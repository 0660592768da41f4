"""Suggested skills on the web: from the draft's edit page to one form listing each outcome
with the skills its words name, then one "Apply" back to the edit page."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cairn.catalogue import service
from cairn.kit.actor import Role
from cairn.orgs.enums import OrgKind
from tests.factories.catalogue import WAREHOUSE_OUTCOMES, make_warehouse_draft
from tests.factories.intelligence import make_linkable_framework
from tests.factories.orgs import actor, make_member, make_org
from tests.helpers import csrf_from, submit
from tests.web.conftest import SignIn
from tests.web.test_page_structure import problems_with


def test_an_educator_picks_suggested_skills_and_levels_for_the_outcomes(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    educator = make_member(session, college, Role.EDUCATOR)
    linkable = make_linkable_framework(session, slug="everyday")
    forklift = linkable.skill_id("forklift operation")
    draft = make_warehouse_draft(session, actor(session, educator), college)
    client = sign_in_as(educator)
    edit = f"/specifications/{draft.id}/edit"
    suggest = f"/specifications/{draft.id}/suggest-skills"
    assert f'href="{suggest}"' in client.get(edit).text
    assert f'href="{suggest}"' in client.get(f"/specifications/{draft.id}").text

    page = client.get(f"{suggest}?framework=everyday")
    assert page.status_code == 200
    assert problems_with(suggest, page.text) == []
    assert f"<legend>Outcome 1: {WAREHOUSE_OUTCOMES[0]}</legend>" in page.text
    assert 'type="radio" id="skill-1" name="skill-1" value="keep" checked' in page.text
    assert f'id="skill-1-1" name="skill-1" value="{forklift}"' in page.text
    assert "Found in the words “forklift" in page.text
    assert '<select id="level-1" name="level-1"' in page.text
    assert '<option value="2" >2 · Practised</option>' in page.text
    assert "No skill suggested" in page.text  # the poem names no skill
    assert 'id="level-3"' not in page.text

    choices: dict[str, str | list[str]] = {"framework": "everyday@1.0", "level-1": "2"}
    choices |= {"skill-1": str(forklift), "skill-2": "keep", "skill-3": "keep"}
    forged = client.post(suggest, data={**choices, "csrf_token": "forged"})
    assert forged.status_code == 403
    applied = submit(client, suggest, suggest, choices)
    assert applied.status_code == 303
    assert applied.headers["location"] == f"{edit}?notice=saved"
    assert "Your changes are saved." in client.get(applied.headers["location"]).text
    session.expire_all()
    outcomes = service.view(session, actor(session, educator), draft.id).draft.outcomes
    assert [(o.skill_id, o.level) for o in outcomes] == [(forklift, 2), (None, None), (None, None)]

    # Asked again, the page starts from what is stored and suggests from the same framework.
    again = client.get(suggest).text
    assert "Keep as is: forklift operation (level 2, Practised)" in again
    assert '<option value="2" selected>2 · Practised</option>' in again


def test_a_refused_level_is_shown_beside_its_outcome_and_nothing_is_stored(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_org(session, kind=OrgKind.PROVIDER)
    educator = make_member(session, college, Role.EDUCATOR)
    linkable = make_linkable_framework(session, slug="everyday")
    draft = make_warehouse_draft(session, actor(session, educator), college)
    client = sign_in_as(educator)
    suggest = f"/specifications/{draft.id}/suggest-skills"
    form: dict[str, str | list[str]] = {
        "framework": "everyday",
        "skill-1": str(linkable.skill_id("forklift operation")),
        "level-1": "1",
        "skill-2": str(linkable.skill_id("use spreadsheets software")),
        "level-2": "9",
    }

    refused = submit(client, f"{suggest}?framework=everyday", suggest, form)

    assert refused.status_code == 422
    assert 'href="#level-2"' in refused.text
    assert "The skill&#39;s scale has 3 levels." in refused.text
    assert problems_with(suggest, refused.text) == []
    assert f'value="{form["skill-2"]}" checked' in refused.text  # the choices are kept
    session.expire_all()
    outcomes = service.view(session, actor(session, educator), draft.id).draft.outcomes
    assert [o.skill_id for o in outcomes] == [None, None, None]


def test_an_unknown_framework_is_named_beside_the_choice_of_framework(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_org(session, kind=OrgKind.PROVIDER)
    educator = make_member(session, college, Role.EDUCATOR)
    make_linkable_framework(session, slug="everyday")
    draft = make_warehouse_draft(session, actor(session, educator), college)
    client = sign_in_as(educator)

    page = client.get(f"/specifications/{draft.id}/suggest-skills?framework=nope")

    assert page.status_code == 422
    assert 'href="#framework"' in page.text
    assert '<option value="everyday@1.0"' in page.text
    assert problems_with("suggest", page.text) == []


def test_strangers_learners_and_versions_past_draft_are_refused(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_org(session, kind=OrgKind.PROVIDER)
    educator = make_member(session, college, Role.EDUCATOR)
    learner = make_member(session, college, Role.LEARNER)
    stranger = make_member(session, make_org(session, kind=OrgKind.PROVIDER), Role.EDUCATOR)
    linkable = make_linkable_framework(session, slug="everyday")
    draft = make_warehouse_draft(session, actor(session, educator), college)
    suggest = f"/specifications/{draft.id}/suggest-skills?framework=everyday"
    choice = {"skill-1": str(linkable.skill_id("forklift operation"))}

    for person, status in ((stranger, 404), (learner, 403)):
        client = sign_in_as(person)
        assert client.get(suggest).status_code == status
        token = csrf_from(client.get("/").text)
        posted = client.post(suggest, data={**choice, "csrf_token": token})
        assert posted.status_code == status

    service.submit_for_review(session, actor(session, educator), draft.id)
    client = sign_in_as(educator)
    locked = client.get(suggest)
    assert locked.status_code == 409
    assert "Only a draft can be changed" in locked.text
    assert (
        f'href="/specifications/{draft.id}/suggest-skills"'
        not in client.get(f"/specifications/{draft.id}/edit").text
    )
    session.expire_all()
    outcomes = service.view(session, actor(session, educator), draft.id).draft.outcomes
    assert [o.skill_id for o in outcomes] == [None, None, None]
