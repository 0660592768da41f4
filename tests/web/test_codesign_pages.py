"""Co-design on the web, with plain form posts and no script: an HR administrator finds
skills and posts a need, a college educator proposes, HR asks for changes on the thread,
the educator answers it; networks are listed, started and joined."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.catalogue.codesign_models import Proposal, SkillsNeed
from cairn.kit.actor import Role
from cairn.orgs.enums import OrgKind
from tests.factories.catalogue import make_need, make_network, make_proposal
from tests.factories.orgs import actor, make_member, make_org
from tests.factories.taxonomy import make_framework, make_skill
from tests.helpers import submit
from tests.web.conftest import SignIn


def test_hr_finds_skills_and_posts_a_need_without_a_script(
    session: Session, sign_in_as: SignIn
) -> None:
    employer = make_org(session, name="Northwind Health")
    hr = make_member(session, employer, Role.HR_ADMIN)
    framework = make_framework(session, title="Digital skills")
    skill = make_skill(session, framework, "document patient care digitally")
    network = make_network(session, employer, name="Ontario Health Care Workforce Network")
    client = sign_in_as(hr)
    new = f"/orgs/{employer.id}/needs/new"
    fields: dict[str, str | list[str]] = {
        "title": "Digital documentation for ward clerks",
        "headcount": "40",
        "needed_from": "2031-03-01",
        "needed_by": "2031-05-31",
        "network_id": str(network.id),
    }

    assert 'href="/needs"' in client.get("/").text  # the Co-design link
    assert "Post a skills need" in client.get("/needs").text
    nothing = submit(client, new, new, {**fields, "step": "save"})
    assert nothing.status_code == 422
    assert 'href="#skill_q"' in nothing.text
    found = submit(client, new, new, {**fields, "skill_q": "document patient", "step": "search"})
    assert found.status_code == 200
    assert f'id="pick-{skill.id}"' in found.text
    assert 'value="Digital documentation for ward clerks"' in found.text  # kept while searching
    too_high: dict[str, str | list[str]] = {
        **fields,
        "skill_ids": str(skill.id),
        f"level-{skill.id}": "9",
        "step": "save",
    }
    refused = submit(client, new, new, too_high)
    assert refused.status_code == 422
    assert f'href="#level-{skill.id}"' in refused.text
    posted = submit(client, new, new, {**too_high, f"level-{skill.id}": "2", "step": "save"})
    assert posted.status_code == 303, posted.text

    thread = client.get(posted.headers["location"]).text
    assert "document patient care digitally" in thread
    assert "Ontario Health Care Workforce Network" in thread
    assert "posted the need" in thread  # the audit trail
    need = session.scalars(select(SkillsNeed).where(SkillsNeed.org_id == employer.id)).one()
    assert (need.headcount, need.network_id) == (40, network.id)

    edit = f"/needs/{need.id}/edit"
    kept = {**fields, "skill_ids": str(skill.id), f"level-{skill.id}": "2", "step": "save"}
    assert submit(client, edit, edit, {**kept, "headcount": "45"}).status_code == 303
    assert "Number of people: 40 → 45" in client.get(f"/needs/{need.id}").text


def test_a_college_proposes_hr_asks_for_changes_and_the_educator_replies(
    session: Session, sign_in_as: SignIn
) -> None:
    employer = make_org(session, name="Northwind Health")
    hr = make_member(session, employer, Role.HR_ADMIN)
    college = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    educator = make_member(session, college, Role.EDUCATOR)
    skill = make_skill(session, make_framework(session), "keep patient records")
    need = make_need(session, actor(session, hr), employer, skill)
    thread = f"/needs/{need.id}"

    client = sign_in_as(educator)
    form = f"{thread}/proposals/new"
    proposed = submit(client, form, form, {"org_id": str(college.id), "title": "Ward records"})
    assert proposed.status_code == 303, proposed.text
    proposal = session.scalars(select(Proposal).where(Proposal.need_id == need.id)).one()

    client = sign_in_as(hr)
    asked = f"/proposals/{proposal.id}/request-changes"
    empty = submit(client, thread, asked, {"note": " "})
    assert empty.status_code == 422
    assert f'href="#note-request-changes-{proposal.id}"' in empty.text
    assert submit(client, thread, asked, {"note": "Add night-shift dates."}).status_code == 303
    page = client.get(thread).text
    assert "Changes requested" in page
    assert "Add night-shift dates." in page
    note = re.search(r'id="comment-([0-9a-f-]+)"', page)
    assert note is not None

    client = sign_in_as(educator)
    reply = {"body": "Added: Tuesday nights.", "parent_id": note.group(1)}
    assert submit(client, thread, f"{thread}/comments", reply).status_code == 303
    page = client.get(thread).text
    assert "Added: Tuesday nights." in page
    assert f'href="/proposals/{proposal.id}/revise"' in page  # the provider revises
    assert f'action="/proposals/{proposal.id}/agree"' not in page  # and HR agrees
    revise = f"/proposals/{proposal.id}/revise"
    assert submit(client, revise, revise, {"title": "Ward records at night"}).status_code == 303
    assert "Revision: 1 → 2" in client.get(thread).text


def test_networks_are_listed_started_and_joined(session: Session, sign_in_as: SignIn) -> None:
    college = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    registrar = make_member(session, college, Role.ISSUER_ADMIN)
    employer = make_org(session, name="Northwind Health")
    hr = make_member(session, employer, Role.HR_ADMIN)
    client = sign_in_as(hr)

    started = submit(
        client,
        "/networks/new",
        "/networks/new",
        {"org_id": str(employer.id), "name": "Health Workforce", "kind": "regional"},
    )
    assert started.status_code == 303, started.text
    page = started.headers["location"].split("?")[0]
    assert "Health Workforce" in client.get("/networks").text

    client = sign_in_as(registrar)
    joined = submit(client, page, f"{page}/join", {"org_id": str(college.id)})
    assert joined.status_code == 303
    text = client.get(page).text
    assert "Lakeshore College" in text
    assert "Leave the network" in text


def test_a_learner_gets_no_need_and_no_co_design_link(session: Session, sign_in_as: SignIn) -> None:
    employer = make_org(session)
    hr = actor(session, make_member(session, employer, Role.HR_ADMIN))
    need = make_need(session, hr, employer, make_skill(session, make_framework(session), "x"))
    college = make_org(session, kind=OrgKind.PROVIDER)
    make_proposal(
        session, actor(session, make_member(session, college, Role.EDUCATOR)), need, college
    )
    client = sign_in_as(make_member(session, employer))

    assert client.get(f"/needs/{need.id}").status_code == 404
    assert 'href="/needs"' not in client.get("/").text
