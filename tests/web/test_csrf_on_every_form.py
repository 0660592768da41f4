"""Every form post on the pages needs the CSRF token, whoever is signed in.

The routes are read from the app itself, so a page added later without ``CsrfChecked`` fails
here. The objects named in the paths are real and the signed-in person may change them all,
so only the missing token can be what stops each post.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import uuid
from datetime import timedelta

from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from cairn.auth.models import ApiToken
from cairn.kit.actor import Role, Scope
from cairn.kit.clock import utcnow
from cairn.kit.ids import digest, new_token
from cairn.orgs.models import Department, EquityAttributes, Invitation, Membership, Position
from cairn.web import routes as web_routes
from tests.factories.auth import make_token
from tests.factories.orgs import make_department, make_member, make_org, make_position
from tests.helpers import csrf_from
from tests.web.conftest import SignIn

PARAM = re.compile(r"\{(\w+)\}")


def page_post_routes() -> list[str]:
    """Every POST path of every module under ``cairn.web.routes``."""
    paths: list[str] = []
    for module_info in pkgutil.iter_modules(web_routes.__path__):
        module = importlib.import_module(f"{web_routes.__name__}.{module_info.name}")
        paths.extend(
            route.path
            for route in module.router.routes
            if isinstance(route, APIRoute) and "POST" in (route.methods or ())
        )
    return sorted(paths)


def test_every_page_post_without_the_token_is_refused_and_changes_nothing(
    session: Session, sign_in_as: SignIn
) -> None:
    org = make_org(session)
    parent = make_department(session, org, name="Operations")
    department = make_department(session, org, name="Warehouse", parent=parent)
    position = make_position(session, org, title="Picker")
    admin = make_member(session, org, Role.HR_ADMIN)
    make_member(session, org, Role.PLATFORM_ADMIN, person=admin)
    learner = make_member(session, org, Role.LEARNER)
    membership = session.query(Membership).filter_by(person_id=learner.id).one()
    invitation_token = new_token()
    invitation = Invitation(
        org_id=org.id,
        email="newcomer@example.org",
        role=Role.LEARNER,
        token_hash=digest(invitation_token),
        expires_at=utcnow() + timedelta(days=3),
    )
    session.add(invitation)
    session.add(EquityAttributes(person_id=admin.id, consented_at=utcnow()))
    make_token(session, admin, [Scope.ORGS_READ], name="script")
    token = session.query(ApiToken).filter_by(person_id=admin.id).one()
    values = {
        "org_id": str(org.id),
        "department_id": str(department.id),
        "position_id": str(position.id),
        "membership_id": str(membership.id),
        "invitation_id": str(invitation.id),
        "token_id": str(token.id),
        "token": invitation_token,
        "skill_id": str(uuid.uuid4()),  # refused before anything is looked up
        "claim_id": str(uuid.uuid4()),
        "person_id": str(learner.id),
        "request_id": str(uuid.uuid4()),
        "attempt_id": str(uuid.uuid4()),
        "version_id": str(uuid.uuid4()),
        "campaign_id": str(uuid.uuid4()),  # refused before anything is looked up
        "need_id": str(uuid.uuid4()),
        "proposal_id": str(uuid.uuid4()),
        "network_id": str(uuid.uuid4()),
        "batch_id": str(uuid.uuid4()),
        "rule_id": str(uuid.uuid4()),
        "equivalence_id": str(uuid.uuid4()),
        "award_id": str(uuid.uuid4()),  # refused before anything is looked up
        "credential_id": str(uuid.uuid4()),
        "survey_token": "not-a-survey",  # refused before anything is looked up
        "item_id": str(uuid.uuid4()),
        "share_id": str(uuid.uuid4()),
        "pathway_id": str(uuid.uuid4()),
        "offering_id": str(uuid.uuid4()),
        "enrolment_id": str(uuid.uuid4()),
        "program_id": str(uuid.uuid4()),
    }
    client = sign_in_as(admin)
    forged = csrf_from(client.get("/").text).swapcase()
    routes = page_post_routes()
    assert len(routes) >= 20, routes

    refused = {}
    for route in routes:
        path = PARAM.sub(lambda match: values[match.group(1)], route)
        for token_field in ({}, {"csrf_token": forged}):
            response = client.post(path, data={"name": "Changed", **token_field})
            refused[(route, bool(token_field))] = response.status_code

    assert {key: status for key, status in refused.items() if status != 403} == {}
    session.expire_all()
    assert session.get(Department, department.id) is not None
    assert session.get(Department, department.id).name == "Warehouse"  # type: ignore[union-attr]
    assert session.get(Position, position.id) is not None
    assert session.get(Membership, membership.id) is not None
    assert session.get(Invitation, invitation.id).revoked_at is None  # type: ignore[union-attr]
    assert session.get(Invitation, invitation.id).accepted_at is None  # type: ignore[union-attr]
    assert session.get(EquityAttributes, admin.id) is not None
    assert session.get(ApiToken, token.id).revoked_at is None  # type: ignore[union-attr]
    assert session.query(ApiToken).filter_by(person_id=admin.id).count() == 1
    assert client.get("/").status_code == 200  # still signed in


def test_the_refusal_is_a_readable_page(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session)
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))

    response = client.post(f"/orgs/{org.id}/departments", data={"name": "Sales"})

    assert response.status_code == 403
    assert "This form has expired or did not come from Cairn." in response.text
    assert response.headers["content-type"].startswith("text/html")
