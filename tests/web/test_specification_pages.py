"""Designing a micro-credential on the web: start a draft, fill its elements, see what the
profile still lacks, send it for review, and have a registrar publish it."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from cairn.kit.actor import Role
from cairn.orgs.enums import OrgKind
from tests.factories.orgs import make_member, make_org
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
