"""Finding skills in a text and occupations for a job title on the pages: the empty forms,
the results with the quoted words marked (and the text escaped), errors tied to their
fields, the CSRF token, and an organisation's own framework kept to its members."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from cairn.kit.actor import Role
from tests.factories.intelligence import make_linkable_framework
from tests.factories.orgs import make_member, make_org
from tests.factories.taxonomy import make_framework, make_skill
from tests.helpers import form_page
from tests.web.conftest import SignIn
from tests.web.test_page_structure import problems_with

AD = (
    "<b>Warehouse</b> & counter\r\n"
    "- Drive a forklift safely\r\n"
    "- Keep stock lists in Excel\r\n"
    "- Serve customers at the counter"
)


def test_the_empty_form_offers_the_frameworks_with_skills(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    linkable = make_linkable_framework(session)
    empty = make_framework(session, slug="no-skills-here")
    make_linkable_framework(session, owner_org_id=make_org(session).id, slug="theirs")
    client = sign_in_as(make_member(session, org, Role.LEARNER))

    page = client.get("/skills/find")

    assert page.status_code == 200
    assert problems_with("/skills/find", page.text) == []
    assert '<label for="text">Text: a job ad, course outcomes or a CV</label>' in page.text
    assert f'value="{linkable.framework.slug}@1.0"' in page.text
    assert empty.slug not in page.text
    assert "theirs" not in page.text
    assert 'href="/skills/find" aria-current="page">Find skills<' in page.text
    assert 'method="post" action="/skills/find"' in page.text
    assert "<table>" not in page.text


def test_a_text_shows_its_skills_and_marks_the_words_they_were_found_in(
    session: Session, sign_in_as: SignIn
) -> None:
    linkable = make_linkable_framework(session)
    client = sign_in_as(make_member(session, make_org(session), Role.LEARNER))
    token = form_page(client, "/skills/find")

    page = client.post(
        "/skills/find",
        data={
            "csrf_token": token,
            "text": AD,
            "framework": f"{linkable.framework.slug}@1.0",
            "top": "5",
        },
    )

    assert page.status_code == 200, page.text
    assert problems_with("/skills/find", page.text) == []
    excel = linkable.skills["use spreadsheets software"]
    assert f'<a href="/skills/{excel.id}">use spreadsheets software</a>' in page.text
    assert f'<a href="/skills/{linkable.skill_id("forklift operation")}">' in page.text
    scores = re.findall(r"<td>(\d+\.\d+)</td>", page.text)
    assert len(scores) == page.text.count('<th scope="row">')
    assert all(re.fullmatch(r"\d\.\d\d", score) for score in scores), scores
    marks = re.findall(r"<mark>(.*?)</mark>", page.text, flags=re.DOTALL)
    assert any("Excel" in mark for mark in marks)
    assert any("forklift" in mark for mark in marks)
    assert "&lt;b&gt;Warehouse&lt;/b&gt; &amp; counter" in page.text
    assert "<b>Warehouse</b>" not in page.text
    assert "Keep stock lists in Excel" in page.text  # kept in the form and shown back


def test_an_empty_text_is_an_error_tied_to_the_field(session: Session, sign_in_as: SignIn) -> None:
    linkable = make_linkable_framework(session)
    client = sign_in_as(make_member(session, make_org(session), Role.LEARNER))
    fields = {"framework": f"{linkable.framework.slug}@1.0", "top": "10"}

    for text, top, field in (("  \r\n ", "10", "text"), ("Cook meals", "many", "top")):
        page = client.post(
            "/skills/find",
            data={
                **fields,
                "text": text,
                "top": top,
                "csrf_token": form_page(client, "/skills/find"),
            },
        )
        assert page.status_code == 422
        assert problems_with("/skills/find", page.text) == []
        assert f'<a href="#{field}">' in page.text
        assert f'id="{field}-error"' in page.text
        assert f'aria-describedby="{field}-hint {field}-error"' in page.text
        assert "data-autofocus" in page.text
        assert "<mark>" not in page.text


def test_missing_embeddings_say_how_to_build_them(session: Session, sign_in_as: SignIn) -> None:
    framework = make_framework(session, slug="unindexed")
    make_skill(session, framework, "cook meals")
    client = sign_in_as(make_member(session, make_org(session), Role.LEARNER))

    page = client.post(
        "/skills/find",
        data={
            "csrf_token": form_page(client, "/skills/find"),
            "text": "Cook meals for the residents.",
            "framework": "unindexed@1.0",
        },
    )

    assert page.status_code == 409
    assert "cairn skills index --framework unindexed@1.0" in page.text
    assert problems_with("/skills/find", page.text) == []


def test_the_text_form_needs_its_csrf_token(session: Session, sign_in_as: SignIn) -> None:
    linkable = make_linkable_framework(session)
    client = sign_in_as(make_member(session, make_org(session), Role.LEARNER))
    form_page(client, "/skills/find")

    page = client.post("/skills/find", data={"text": AD, "framework": linkable.framework.slug})

    assert page.status_code == 403
    assert "<mark>" not in page.text


def test_another_organisations_framework_is_refused_on_the_page(
    session: Session, sign_in_as: SignIn
) -> None:
    make_linkable_framework(session, owner_org_id=make_org(session).id, slug="theirs")
    client = sign_in_as(make_member(session, make_org(session), Role.LEARNER))

    page = client.post(
        "/skills/find",
        data={"csrf_token": form_page(client, "/skills/find"), "text": AD, "framework": "theirs"},
    )

    assert page.status_code == 422
    assert '<a href="#framework">No framework called theirs.</a>' in page.text


def test_a_job_title_shows_its_occupations(session: Session, sign_in_as: SignIn) -> None:
    linkable = make_linkable_framework(session)
    client = sign_in_as(make_member(session, make_org(session), Role.LEARNER))
    framework = f"{linkable.framework.slug}@1.0"

    empty = client.get("/occupations/match")
    page = client.get("/occupations/match", params={"title": "Staff nurse", "framework": framework})
    refused = client.get(
        "/occupations/match", params={"title": "Staff nurse", "framework": framework, "top": "0"}
    )

    assert empty.status_code == 200
    assert problems_with("/occupations/match", empty.text) == []
    assert "<table>" not in empty.text
    assert page.status_code == 200
    assert problems_with("/occupations/match", page.text) == []
    nurse = linkable.occupations["registered nurse"]
    assert (
        f'<th scope="row"><a href="/occupations/{nurse.id}">registered nurse</a></th>' in page.text
    )
    assert "<td>staff nurse</td>" in page.text
    assert refused.status_code == 422
    assert '<a href="#top">' in refused.text
    assert problems_with("/occupations/match", refused.text) == []
