"""Starting a job role's skill profile from a job description on the pages: paste the text,
see the skills with proposed levels, tick and adjust, add them."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from cairn.kit.actor import Role
from cairn.orgs import skill_profiles
from cairn.orgs.schemas import SkillProfileItemWrite
from cairn.orgs.skill_profiles import Target
from tests.factories.intelligence import make_linkable_framework
from tests.factories.orgs import actor, make_member, make_org, make_position
from tests.helpers import csrf_from, submit
from tests.web.conftest import SignIn

AD = """Trade counter team leader

- Extensive experience with forklift operation in a busy warehouse
- Strong customer service skills at the trade counter
- Basic data analysis is nice to have
"""


def _checkbox(page: str, skill_id: object) -> str:
    found = re.search(rf'<input type="checkbox" id="skill-{skill_id}"[^>]*>', page)
    assert found is not None, f"no box for {skill_id}"
    return found.group(0)


def _selected_level(page: str, skill_id: object) -> str:
    found = re.search(
        rf'<select id="level-{skill_id}"[^>]*>.*?<option value="(\d+)" selected', page, re.S
    )
    assert found is not None, f"no level chosen for {skill_id}"
    return found.group(1)


def test_an_administrator_adds_skills_suggested_from_a_job_description(
    session: Session, sign_in_as: SignIn
) -> None:
    linkable = make_linkable_framework(session)
    org = make_org(session, name="Riverside Builders")
    role = make_position(session, org, title="Trade counter team leader")
    person = make_member(session, org, Role.HR_ADMIN)
    target = Target(org.id, position_id=role.id)
    service = linkable.skill_id("customer service")
    forklift = linkable.skill_id("forklift operation")
    data = linkable.skill_id("data analysis")
    skill_profiles.set_item(
        session,
        actor(session, person),
        target,
        SkillProfileItemWrite(skill_id=service, target_level=1, weight=5),
    )
    client = sign_in_as(person)
    profile_path = f"/orgs/{org.id}/roles/{role.id}/skills"
    page_path = f"{profile_path}/from-job-description"

    assert f'href="{page_path}"' in client.get(profile_path).text
    form = client.get(page_path)
    assert form.status_code == 200
    assert '<label for="text">Job description</label>' in form.text
    assert f'<option value="{linkable.framework.slug}@1.0"' in form.text
    assert 'name="csrf_token"' in form.text

    shown = submit(client, page_path, page_path, {"text": AD, "framework": linkable.framework.slug})
    assert shown.status_code == 200
    page = shown.text
    assert "checked" in _checkbox(page, forklift)
    assert "checked" not in _checkbox(page, service)  # already in the profile
    assert "Already in the profile at level 1" in page
    assert _selected_level(page, forklift) == "3"
    assert _selected_level(page, data) == "1"
    assert "Expert — “Extensive experience with”" in page
    assert "Beginner — “Basic”" in page
    assert "“forklift operation”" in page
    assert page.count('name="csrf_token"') >= 2  # both forms carry it
    assert f'<option value="{linkable.framework.slug}@1.0" selected>' in page

    answer = client.post(
        f"{page_path}/apply",
        data={
            "csrf_token": csrf_from(page),
            "text": AD,
            "framework": linkable.framework.slug,
            "skill": [str(forklift), str(service)],
            f"level-{forklift}": "2",
            f"level-{service}": "3",
            f"level-{data}": "1",  # not ticked: not added
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{profile_path}?notice=saved"

    after = client.get(answer.headers["location"]).text
    assert "Your changes are saved." in after
    session.expire_all()
    lines = skill_profiles.view(session, actor(session, person), target).lines
    assert sorted((line.skill.id, line.item.target_level, line.item.weight) for line in lines) == (
        sorted([(forklift, 2, 3), (service, 3, 5)])
    )


def test_nothing_ticked_or_no_text_is_shown_again_with_the_error(
    session: Session, sign_in_as: SignIn
) -> None:
    linkable = make_linkable_framework(session)
    org = make_org(session)
    role = make_position(session, org)
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page_path = f"/orgs/{org.id}/roles/{role.id}/skills/from-job-description"

    empty = submit(client, page_path, page_path, {"text": "  ", "framework": ""})
    assert empty.status_code == 422
    assert '<a href="#text">' in empty.text
    assert 'aria-invalid="true"' in empty.text

    none_ticked = submit(
        client,
        page_path,
        f"{page_path}/apply",
        {"text": AD, "framework": linkable.framework.slug},
    )
    assert none_ticked.status_code == 422
    assert '<a href="#skill">Choose at least one skill to add.</a>' in none_ticked.text
    assert "forklift operation" in none_ticked.text  # the suggestions are still there


def test_the_page_is_for_administrators_of_the_organisation_only(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    role = make_position(session, org, title="Porter")
    page_path = f"/orgs/{org.id}/roles/{role.id}/skills/from-job-description"

    learner = sign_in_as(make_member(session, org, Role.LEARNER))
    assert learner.get(page_path).status_code == 403
    assert page_path not in learner.get(f"/orgs/{org.id}/roles/{role.id}/skills").text

    outsider = sign_in_as(make_member(session, make_org(session), Role.HR_ADMIN))
    assert outsider.get(page_path).status_code == 404
