"""Every administration page, read the way assistive technology reads it: one h1, a label
for every control, captions and header scopes on tables, the current page marked in the
navigation, ids that are unique, and error summaries whose links land on a field.

The browser tests run axe-core on a few pages; these checks cover every page on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

import httpx
import pytest
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from cairn.kit.clock import utcnow
from cairn.kit.i18n import LOCALE_COOKIE
from cairn.kit.ids import digest, new_token
from cairn.kit.mail import OutboxMessage
from cairn.orgs.models import Invitation, Membership
from tests.factories.auth import make_token
from tests.factories.orgs import make_department, make_member, make_org, make_position
from tests.factories.taxonomy import make_small_framework
from tests.helpers import submit
from tests.web.conftest import SignIn

CONTROLS = {"input", "select", "textarea"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class Outline:
    """What a screen reader user relies on, gathered from one page."""

    lang: str | None = None
    h1: int = 0
    ids: list[str] = field(default_factory=list)
    label_for: set[str] = field(default_factory=set)
    controls: list[tuple[str, str | None, bool]] = field(default_factory=list)
    """(tag, id, has aria-label) for every control that needs a label."""
    tables: int = 0
    captions: int = 0
    th_without_scope: int = 0
    current_links: list[str] = field(default_factory=list)
    summary_links: list[str] = field(default_factory=list)
    in_summary: bool = False
    depth_in_summary: int = 0


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.outline = Outline()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        outline = self.outline
        if tag == "html":
            outline.lang = found.get("lang")
        if found.get("id"):
            outline.ids.append(str(found["id"]))
        if tag == "h1":
            outline.h1 += 1
        if tag == "label" and found.get("for"):
            outline.label_for.add(str(found["for"]))
        if tag in CONTROLS and found.get("type", "text") not in UNLABELLED_INPUTS:
            outline.controls.append((tag, found.get("id"), "aria-label" in found))
        if tag == "table":
            outline.tables += 1
        if tag == "caption":
            outline.captions += 1
        if tag == "th" and not found.get("scope"):
            outline.th_without_scope += 1
        if tag == "a" and "aria-current" in found:
            outline.current_links.append(str(found.get("href")))
        if tag == "div" and "error-summary" in (found.get("class") or ""):
            outline.in_summary = True
        if outline.in_summary:
            if tag == "div":
                outline.depth_in_summary += 1
            if tag == "a" and str(found.get("href", "")).startswith("#"):
                outline.summary_links.append(str(found["href"])[1:])

    def handle_endtag(self, tag: str) -> None:
        if self.outline.in_summary and tag == "div":
            self.outline.depth_in_summary -= 1
            self.outline.in_summary = self.outline.depth_in_summary > 0


def outline_of(html: str) -> Outline:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.outline


def problems_with(path: str, html: str) -> list[str]:
    """Each rule a page breaks, in words."""
    page = outline_of(html)
    found = []
    if page.lang not in ("en", "fr"):
        found.append(f"{path}: html lang is {page.lang!r}")
    if page.h1 != 1:
        found.append(f"{path}: {page.h1} h1 elements")
    duplicates = sorted({name for name in page.ids if page.ids.count(name) > 1})
    if duplicates:
        found.append(f"{path}: duplicate ids {duplicates}")
    for tag, control_id, has_aria_label in page.controls:
        if not has_aria_label and (control_id is None or control_id not in page.label_for):
            found.append(f"{path}: <{tag} id={control_id!r}> has no label")
    if page.captions != page.tables:
        found.append(f"{path}: {page.tables} tables but {page.captions} captions")
    if page.th_without_scope:
        found.append(f"{path}: {page.th_without_scope} th without scope")
    missing_targets = [target for target in page.summary_links if target not in page.ids]
    if missing_targets:
        found.append(f"{path}: error summary links to missing fields {missing_targets}")
    return found


@dataclass
class Tour:
    client: httpx.Client
    pages: list[str]


@pytest.fixture
def tour(session: Session, sign_in_as: SignIn) -> Tour:
    """An employer with some of everything, seen by someone who is both its HR
    administrator and a platform administrator, so every page has something to show."""
    org = make_org(session, name="Northwind Health")
    parent = make_department(session, org, name="Clinical Services")
    department = make_department(session, org, name="Nursing", parent=parent)
    position = make_position(session, org, title="Registered Nurse", department=department)
    admin = make_member(session, org, Role.HR_ADMIN)
    make_member(session, org, Role.PLATFORM_ADMIN, person=admin)
    learner = make_member(session, org, Role.LEARNER, department=department, position=position)
    membership = session.query(Membership).filter_by(person_id=learner.id).one()
    session.add(
        Invitation(
            org_id=org.id,
            email="newcomer@example.org",
            role=Role.LEARNER,
            token_hash=digest(new_token()),
            expires_at=utcnow() + timedelta(days=3),
        )
    )
    message = OutboxMessage(recipient="newcomer@example.org", subject="Welcome", body="Hello")
    session.add(message)
    session.flush()
    make_token(session, admin, [Scope.ORGS_READ], name="script")
    taxonomy = make_small_framework(session)
    client = sign_in_as(admin)
    base = f"/orgs/{org.id}"
    pages = [
        "/",
        "/orgs",
        "/orgs/new",
        base,
        f"{base}/edit",
        f"{base}/departments",
        f"{base}/departments/{department.id}",
        f"{base}/roles",
        f"{base}/roles/{position.id}",
        f"{base}/people",
        f"{base}/people/{membership.id}",
        f"{base}/invitations",
        "/profile",
        "/profile/equity",
        "/profile/tokens",
        "/outbox",
        f"/outbox/{message.id}",
        "/api/v1/docs",
        "/skills",
        "/skills?q=wounds",
        "/skills?q=nothing+like+this",
        f"/skills/{taxonomy.skill.id}",
        f"/skills/{taxonomy.group.id}",
        "/frameworks",
        f"/frameworks/{taxonomy.framework.id}",
        f"/frameworks/{taxonomy.framework.id}/skills",
        f"/frameworks/{taxonomy.framework.id}/occupations",
        f"/frameworks/{taxonomy.framework.id}/occupations?q=nurse",
        "/occupations",
        "/occupations?q=nurse",
        f"/occupations/{taxonomy.occupation.id}",
        f"/occupations/{taxonomy.occupation_group.id}",
        "/skills/find",
        "/occupations/match",
    ]
    return Tour(client=client, pages=pages)


def test_every_page_has_the_structure_assistive_technology_needs(tour: Tour) -> None:
    found = []
    for path in tour.pages:
        response = tour.client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        found.extend(problems_with(path, response.text))

    assert found == []


def test_the_navigation_marks_where_you_are(tour: Tour) -> None:
    for path in tour.pages:
        current = outline_of(tour.client.get(path).text).current_links
        assert current, f"{path}: no link marked aria-current"

    people = tour.client.get(next(p for p in tour.pages if p.endswith("/people"))).text
    assert 'href="/orgs" aria-current="true"' in people
    assert 'aria-current="page">People<' in people
    assert 'href="/profile/tokens" aria-current="page"' in tour.client.get("/profile/tokens").text


def test_every_page_renders_in_french(tour: Tour) -> None:
    tour.client.cookies.set(LOCALE_COOKIE, "fr")
    for path in tour.pages:
        response = tour.client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code} in French"
        assert outline_of(response.text).lang == "fr"


def test_forms_with_errors_focus_a_summary_that_links_to_each_field(tour: Tour) -> None:
    org_page = next(p for p in tour.pages if p.endswith("/edit"))
    base = org_page.removesuffix("/edit")
    forms: list[tuple[str, str, dict[str, str | list[str]]]] = [
        ("/orgs/new", "/orgs/new", {"name": "", "kind": "employer"}),
        (org_page, org_page, {"name": "Northwind Health", "size_band": ""}),
        (f"{base}/departments", f"{base}/departments", {"name": ""}),
        (f"{base}/roles", f"{base}/roles", {"title": ""}),
        (f"{base}/invitations", f"{base}/invitations", {"email": "not-an-address"}),
        ("/profile", "/profile", {"display_name": "x" * 201, "locale": "de"}),
        ("/profile/equity", "/profile/equity", {"age_band": "40_54"}),
        ("/profile/tokens", "/profile/tokens", {"name": "", "expires_in_days": "0"}),
        ("/skills/find", "/skills/find", {"text": " ", "top": "many"}),
    ]
    for page, action, data in forms:
        response = submit(tour.client, page, action, data)
        assert response.status_code == 422, f"{action} answered {response.status_code}"
        outline = outline_of(response.text)
        assert outline.summary_links, f"{action}: no field named in the error summary"
        assert "data-autofocus" in response.text
        assert problems_with(action, response.text) == []
