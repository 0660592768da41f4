"""Designing a micro-credential on the web: start a draft, fill its elements, see what the
profile still lacks, send it for review, and have a registrar publish it."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from cairn.catalogue import service
from cairn.kit.actor import Role
from cairn.orgs.enums import OrgKind
from tests.factories.catalogue import make_specification
from tests.factories.orgs import actor, make_member, make_org
from tests.factories.taxonomy import make_framework, make_skill
from tests.helpers import submit
from tests.web.conftest import SignIn

FILLED: dict[str, str | list[str]] = {
    "title": "Infection control basics",
    "profile": "eu_2022",
    "language": "en",
    "country": "ca",
    "workload_hours": "24",
    "eqf_level": "4",
    "assessment_type": "exam",
    "summative": "yes",
    "participation": "online",
    "quality_assurance": "College program review.",
    "outcomes": "Apply hand hygiene at the five moments.\nChoose protective equipment.",
}


def test_an_educator_drafts_and_a_registrar_publishes(session: Session, sign_in_as: SignIn) -> None:
    college = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    educator = make_member(session, college, Role.EDUCATOR)
    registrar = make_member(session, college, Role.ISSUER_ADMIN)
    client = sign_in_as(educator)

    listing = client.get(f"/orgs/{college.id}/specifications")
    assert "Design a micro-credential" in listing.text
    new = f"/orgs/{college.id}/specifications/new"
    bad = submit(
        client,
        new,
        new,
        {
            "title": "Infection control",
            "slug": "Not A Slug",
            "profile": "eu_2022",
            "language": "en",
        },
    )
    assert bad.status_code == 422
    assert 'href="#slug"' in bad.text
    made = submit(
        client,
        new,
        new,
        {
            "title": "Infection control",
            "slug": "infection-control",
            "profile": "eu_2022",
            "language": "en",
        },
    )
    assert made.status_code == 303
    edit = made.headers["location"].split("?")[0]
    view = edit.removesuffix("/edit")

    page = client.get(view).text
    assert "Missing:" in page
    assert "Say how the learning outcomes are assessed." in page
    saved = submit(client, edit, edit, FILLED)
    assert saved.status_code == 303, saved.text
    page = client.get(view).text
    assert "Every element is there: it can be published." in page
    assert "Choose protective equipment." in page
    assert "Publish" not in re.sub(r"<h1>.*?</h1>", "", page)  # an educator cannot publish
    assert submit(client, view, f"{view}/submit-for-review", {}).status_code == 303

    client = sign_in_as(registrar)
    published = submit(client, view, f"{view}/publish", {})
    assert published.status_code == 303
    page = client.get(view).text
    assert "Published" in page
    assert "Edit the draft" not in page


def test_outcomes_are_aligned_to_skills_and_levels_without_javascript(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    educator = make_member(session, college, Role.EDUCATOR)
    framework = make_framework(session, title="Digital skills")
    devices = make_skill(session, framework, "keep devices and accounts secure")
    make_skill(session, framework, "protect personal data and privacy")
    draft = make_specification(
        session,
        actor(session, educator),
        college,
        outcomes=[
            {"statement": "Protect devices and accounts."},
            {"statement": "Handle personal data lawfully."},
        ],
    )
    client = sign_in_as(educator)
    align = f"/specifications/{draft.id}/align"
    assert f'href="{align}"' in client.get(f"/specifications/{draft.id}/edit").text

    # the whole label: ESCO may be loaded too, and an exact label comes first
    found = client.get(f"{align}?outcome=1&q=keep devices and accounts secure").text
    assert 'type="radio" id="skill-1" name="skill_id"' in found
    assert "keep devices and accounts secure" in found
    chosen = submit(client, align, align, {"outcome": "1", "skill_id": str(devices.id)})
    assert chosen.status_code == 303
    page = client.get(chosen.headers["location"]).text
    assert 'id="level-1" name="level"' in page
    assert "data-autofocus" in page  # the level is what to choose next

    too_high = submit(
        client, align, align, {"outcome": "1", "skill_id": str(devices.id), "level": "7"}
    )
    assert too_high.status_code == 422
    assert 'href="#level-1"' in too_high.text
    assert "The skill&#39;s scale has 3 levels." in too_high.text
    leveled = submit(
        client, align, align, {"outcome": "1", "skill_id": str(devices.id), "level": "2"}
    )
    assert leveled.status_code == 303

    view = client.get(f"/specifications/{draft.id}").text
    assert "keep devices and accounts secure" in view
    assert "level 2, Practised" in view
    [first, second] = service.view(session, actor(session, educator), draft.id).draft.outcomes
    assert (first.skill_id, first.level, second.skill_id) == (devices.id, 2, None)

    stranger = make_member(session, make_org(session, kind=OrgKind.PROVIDER), Role.EDUCATOR)
    client = sign_in_as(stranger)
    assert client.get(align).status_code == 404
    refused = submit(client, "/", align, {"outcome": "1", "skill_id": ""})
    assert refused.status_code == 404
    session.expire_all()
    [first, _] = service.view(session, actor(session, educator), draft.id).draft.outcomes
    assert first.skill_id == devices.id


def test_an_edit_refused_for_one_field_saves_none_of_the_others(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    educator = make_member(session, college, Role.EDUCATOR)
    version = make_specification(session, actor(session, educator), college)
    client = sign_in_as(educator)
    edit = f"/specifications/{version.id}/edit"

    refused = submit(
        client,
        edit,
        edit,
        {**FILLED, "title": "Renamed", "starts_on": "2027-03-01", "ends_on": "2027-01-15"},
    )

    assert refused.status_code == 422
    assert 'href="#ends_on">The end date is before the start date.</a>' in refused.text
    session.expire_all()
    assert service.view(session, actor(session, educator), version.id).version.title != "Renamed"
