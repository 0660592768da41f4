"""My skills: the person's merged skills profile, where each level came from, and whether
their employers may see it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from cairn.assessment.enums import label
from cairn.auth.dependencies import DbSession
from cairn.profiles import service as profiles_service
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.templating import render

router = APIRouter()


@router.get("/profile/skills")
def my_skills(request: Request, session: DbSession, actor: WebActor) -> Response:
    context = {
        "tab": "skills",
        "lines": profiles_service.profile(session, actor, actor.person_id),
        "shared": profiles_service.is_shared(session, actor),
        "source_label": label,
    }
    return render(request, "profile/skills.html", context, actor=actor)


@router.post("/profile/skills/sharing")
def share_my_skills(
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    share: Annotated[str, Form()] = "",
) -> Response:
    profiles_service.set_sharing(session, actor, with_employers=share == "yes")
    return redirect("/profile/skills", notice="saved")
