"""The pathway pages: plan with the form, save, see the steps explained, re-plan; nobody
else sees a learner's pathway, and posts need the CSRF token."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.factories.orgs import make_member
from tests.factories.pathways import make_world
from tests.helpers import csrf_from
from tests.web.conftest import SignIn


def test_a_learner_plans_saves_and_replans_on_the_pages(
    session: Session, sign_in_as: SignIn
) -> None:
    world = make_world(session)
    colleague = make_member(session, world.employer)
    client = sign_in_as(world.learner)

    form = client.get("/pathways/plan")
    assert form.status_code == 200
    assert 'aria-current="true"' in form.text or 'aria-current="page"' in form.text
    assert "Data analyst · Harbour Logistics" in form.text

    short = client.get(
        "/pathways/plan", params={"target_profile_id": str(world.profile.id), "budget": "900"}
    )
    assert short.status_code == 200
    assert "Budget short by CA$100.00." in short.text

    plan = client.get("/pathways/plan", params={"target_profile_id": str(world.profile.id)})
    assert "Closes your skill gaps: “Draw charts” and “Query databases with SQL”." in plan.text
    assert "The best plan for your constraints (proven optimal)." in plan.text
    fields = {"target_profile_id": str(world.profile.id), "objective": "cost"}
    assert client.post("/pathways", data=fields).status_code == 403  # no CSRF token
    saved = client.post("/pathways", data={**fields, "csrf_token": csrf_from(plan.text)})
    assert saved.status_code == 303
    path = saved.headers["location"].split("?")[0]

    page = client.get(path)
    assert page.status_code == 200
    assert '<ol class="steps">' in page.text
    assert "SQL and charts" in page.text
    assert "Pathway to Data analyst at Harbour Logistics" in client.get("/pathways").text
    replanned = client.post(f"{path}/replan", data={"csrf_token": csrf_from(page.text)})
    assert replanned.status_code == 303
    assert "2 steps were left behind" in client.get(path).text

    other = sign_in_as(colleague)
    assert other.get(path).status_code == 404
    assert "Data analyst" not in other.get("/pathways").text
