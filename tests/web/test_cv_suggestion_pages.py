"""Suggest skills from my CV: paste or upload the text, tick the skills that are yours,
and find them on My skills as self-reported; every form carries the CSRF token and the CV
is never kept."""

from __future__ import annotations

import html
import re

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence
from cairn.kit.clock import utcnow
from cairn.orgs.models import Person
from tests.factories.intelligence import LinkableFramework, make_linkable_framework
from tests.factories.orgs import make_member, make_org
from tests.helpers import form_page, submit
from tests.profiles.test_cv_suggestions import CV, assert_cv_not_stored
from tests.web.conftest import SignIn
from tests.web.test_page_structure import problems_with

PAGE = "/profile/skills/from-cv"


def framework_choice(linkable: LinkableFramework) -> str:
    return f"{linkable.framework.slug}@{linkable.framework.version}"


def suggested(page: str) -> list[str]:
    """The skill ids offered with a checkbox, in order."""
    return re.findall(r'type="checkbox" id="skill-[^"]+" name="skill" value="([^"]+)"', page)


def claims_form(page: str, **answers: str | list[str]) -> dict[str, str | list[str]]:
    """What the browser posts from the suggestions form: its hidden fields and the answers."""
    form = page.split('action="/profile/skills/from-cv/claims"')[1].split("</form>")[0]
    fields: dict[str, str | list[str]] = {"shown": []}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form):
        current = fields.get(name)
        if isinstance(current, list):
            current.append(html.unescape(value))
        else:
            fields[name] = html.unescape(value)
    return {**fields, **answers}


def evidence_of(session: Session, person: Person) -> list[Evidence]:
    session.expire_all()
    return list(session.scalars(select(Evidence).where(Evidence.person_id == person.id)))


def test_a_learner_adds_skills_from_a_pasted_cv_as_self_reported(
    session: Session, sign_in_as: SignIn
) -> None:
    linkable = make_linkable_framework(session)
    learner = make_member(session, make_org(session))
    client = sign_in_as(learner)
    assert f'href="{PAGE}"' in client.get("/profile/skills").text

    form = client.get(PAGE).text
    assert "Your CV is not stored." in form
    assert "employers who see your profile see them as self-reported" in form
    assert 'for="text"' in form
    assert 'for="file"' in form
    assert problems_with(PAGE, form) == []
    answer = submit(client, PAGE, PAGE, {"text": CV, "framework": framework_choice(linkable)})

    assert answer.status_code == 200
    page = answer.text
    spreadsheets = str(linkable.skill_id("use spreadsheets software"))
    service = str(linkable.skill_id("customer service"))
    assert {spreadsheets, service} <= set(suggested(page))
    assert "Found in your words: “Excel”." in page
    assert "Not in your profile yet." in page
    assert 'action="/profile/skills/from-cv/claims"' in page
    assert problems_with(PAGE, page) == []
    assert evidence_of(session, learner) == []  # suggestions only

    added = client.post(
        f"{PAGE}/claims",
        data=claims_form(page, skill=[spreadsheets, service], **{f"level-{service}": "3"}),
    )

    assert added.status_code == 303
    assert added.headers["location"] == "/profile/skills?notice=cv-added&count=2"
    profile = client.get(added.headers["location"]).text
    assert "2 skills from your CV are added to your profile as self-reported." in profile
    assert "Self-assessment (from your CV), level 3" in profile
    assert "use spreadsheets software" in profile
    claims = evidence_of(session, learner)
    assert sorted((str(e.skill_id), e.level, e.source) for e in claims) == sorted(
        [
            (spreadsheets, 1, EvidenceSource.SELF_ASSESSMENT),
            (service, 3, EvidenceSource.SELF_ASSESSMENT),
        ]
    )
    assert_cv_not_stored(session)


def test_nothing_ticked_shows_the_suggestions_again_with_the_error(
    session: Session, sign_in_as: SignIn
) -> None:
    linkable = make_linkable_framework(session)
    learner = make_member(session, make_org(session))
    session.add(
        Evidence(
            person_id=learner.id,
            skill_id=linkable.skill_id("cook meals"),
            level=2,
            source=EvidenceSource.TEST,
            observed_at=utcnow(),
            confidence=0.8,
        )
    )
    client = sign_in_as(learner)
    page = submit(client, PAGE, PAGE, {"text": CV, "framework": framework_choice(linkable)}).text
    shown = suggested(page)

    refused = client.post(f"{PAGE}/claims", data=claims_form(page))

    assert refused.status_code == 422
    assert f'<a href="#skill-{shown[0]}">Choose at least one skill to add.</a>' in refused.text
    assert suggested(refused.text) == shown
    assert problems_with(f"{PAGE}/claims", refused.text) == []
    assert "Found in your words: “Excel”." in refused.text
    cooking = linkable.skill_id("cook meals")
    assert "Already in your profile: level 2 · Practised, from online test." in refused.text
    assert (
        '<option value="2" selected>2 · Practised</option>'
        in refused.text.split(f'id="level-{cooking}"')[1].split("</select>")[0]
    )
    assert len(evidence_of(session, learner)) == 1


def test_a_text_file_is_read_and_other_files_are_refused_asking_to_paste(
    session: Session, sign_in_as: SignIn
) -> None:
    linkable = make_linkable_framework(session)
    client = sign_in_as(make_member(session, make_org(session)))
    fields = {"csrf_token": form_page(client, PAGE), "framework": framework_choice(linkable)}

    pdf = client.post(PAGE, data=fields, files={"file": ("cv.pdf", b"%PDF-1.7", "application/pdf")})
    assert pdf.status_code == 422
    assert 'id="file-error"' in pdf.text
    assert "copy its text and paste it in the box" in pdf.text
    assert problems_with(PAGE, pdf.text) == []

    text = client.post(PAGE, data=fields, files={"file": ("cv.txt", CV.encode(), "text/plain")})
    assert text.status_code == 200
    assert str(linkable.skill_id("use spreadsheets software")) in suggested(text.text)
    assert_cv_not_stored(session)


def test_forms_without_the_csrf_token_are_refused_and_add_nothing(
    session: Session, sign_in_as: SignIn
) -> None:
    linkable = make_linkable_framework(session)
    learner = make_member(session, make_org(session))
    client = sign_in_as(learner)
    skill = str(linkable.skill_id("cook meals"))

    asked = client.post(PAGE, data={"text": CV, "framework": framework_choice(linkable)})
    claimed = client.post(f"{PAGE}/claims", data={"shown": skill, "skill": skill})

    assert (asked.status_code, claimed.status_code) == (403, 403)
    assert evidence_of(session, learner) == []


def test_anonymous_visitors_are_sent_to_sign_in(http: httpx.Client) -> None:
    answer = http.get(PAGE)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/sign-in?next=")
