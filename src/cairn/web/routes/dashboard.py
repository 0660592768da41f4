"""The landing page after sign-in: what each of my roles can do next."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cairn.auth.dependencies import DbSession
from cairn.orgs import people
from cairn.orgs.permissions import ADMIN_ROLES
from cairn.web.deps import WebActor
from cairn.web.templating import render

router = APIRouter()


@router.get("/")
def dashboard(request: Request, session: DbSession, actor: WebActor) -> Response:
    person = people.get_me(session, actor)
    memberships = people.my_memberships(session, actor)
    cards = [
        {"org": org, "role": membership.role, "is_admin": membership.role in ADMIN_ROLES}
        for membership, org in memberships
    ]
    return render(request, "dashboard.html", {"person": person, "cards": cards}, actor=actor)
