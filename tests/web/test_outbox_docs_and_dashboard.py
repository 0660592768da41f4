"""The mail outbox, the API reference page, and the links the dashboard offers each role."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy.orm import Session

from cairn.kit.actor import Role
from cairn.kit.mail import OutboxMessage
from cairn.orgs.enums import OrgKind
from tests.factories.orgs import make_member, make_org
from tests.web.conftest import SignIn

HREF = re.compile(r'href="(/[^"#]*)"')


def test_a_platform_administrator_reads_a_message_with_its_link_clickable(
    session: Session, sign_in_as: SignIn
) -> None:
    admin = make_member(session, make_org(session, kind=OrgKind.COMMUNITY), Role.PLATFORM_ADMIN)
    message = OutboxMessage(
        recipient="ana@example.org",
        subject="You are invited",
        body="Open <this> link:\nhttp://testserver.example/invitations/abc123\n",
    )
    session.add(message)
    session.flush()
    client = sign_in_as(admin)

    listing = client.get("/outbox").text
    shown = client.get(f"/outbox/{message.id}").text

    assert f'href="/outbox/{message.id}">You are invited</a>' in listing
    assert "ana@example.org" in listing
    assert "<h1>You are invited</h1>" in shown
    assert 'href="http://testserver.example/invitations/abc123"' in shown
    assert "Open &lt;this&gt; link:" in shown  # the body is text, never markup


def test_nobody_else_can_tell_the_outbox_exists(session: Session, sign_in_as: SignIn) -> None:
    message = OutboxMessage(recipient="ana@example.org", subject="Secret", body="Token")
    session.add(message)
    session.flush()
    client = sign_in_as(make_member(session, make_org(session), Role.HR_ADMIN))

    assert client.get(f"/outbox/{message.id}").status_code == 404
    assert 'href="/outbox"' not in client.get("/").text


def test_the_api_reference_is_served_without_a_cdn(http: httpx.Client) -> None:
    response = http.get("/api/v1/docs")

    assert response.status_code == 200
    page = response.text
    assert "<h1>Cairn API reference</h1>" in page
    assert "Authorization: Bearer cairn_" in page
    assert "application/problem+json" in page
    assert re.search(r'<h3 id="[\w-]+"><code>GET /api/v1/orgs</code></h3>', page)
    assert "<code>POST /api/v1/orgs/{org_id}/departments</code></a> Add a department" in page
    assert 'id="schema-OrganisationCreate"' in page
    assert "<code>size_band</code>" in page
    assert not re.search(r'(src|href)="(https?:)?//', page), "the page loads nothing from elsewhere"
    assert http.get("/docs").status_code == 404  # Swagger UI stays off


def test_a_signed_in_reader_keeps_the_navigation_on_the_api_reference(
    session: Session, sign_in_as: SignIn
) -> None:
    client = sign_in_as(make_member(session, make_org(session)))

    page = client.get("/api/v1/docs").text

    assert 'href="/api/v1/docs" aria-current="page"' in page
    assert "Sign out" in page


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrgKind.EMPLOYER, Role.HR_ADMIN),
        (OrgKind.EMPLOYER, Role.MANAGER),
        (OrgKind.EMPLOYER, Role.LEARNER),
        (OrgKind.PROVIDER, Role.EDUCATOR),
        (OrgKind.PROVIDER, Role.ISSUER_ADMIN),
        (OrgKind.COMMUNITY, Role.PLATFORM_ADMIN),
    ],
)
def test_every_dashboard_link_opens(
    session: Session, sign_in_as: SignIn, kind: OrgKind, role: Role
) -> None:
    client = sign_in_as(make_member(session, make_org(session, kind=kind), role))

    dashboard = client.get("/").text
    links = sorted(set(HREF.findall(dashboard)) - {"/static/cairn.css"})
    answers = {link: client.get(link).status_code for link in links}

    assert len(links) >= 5
    assert {link: status for link, status in answers.items() if status != 200} == {}


def test_a_malformed_identifier_in_a_page_address_is_not_found(
    session: Session, sign_in_as: SignIn
) -> None:
    client = sign_in_as(make_member(session, make_org(session), Role.HR_ADMIN))

    response = client.get("/orgs/not-an-identifier/departments")

    assert response.status_code == 404
    assert "This page does not exist" in response.text
