"""The local mail outbox, so a demo or test install can read what Cairn would have sent."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response

from cairn.auth.dependencies import DbSession
from cairn.orgs import platform
from cairn.web.deps import WebActor
from cairn.web.templating import render

router = APIRouter()


@router.get("/outbox")
def outbox(request: Request, session: DbSession, actor: WebActor) -> Response:
    return render(
        request, "outbox/list.html", {"messages": platform.read_outbox(session, actor)}, actor=actor
    )


@router.get("/outbox/{message_id}")
def outbox_message(
    request: Request, message_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    message = platform.read_outbox_message(session, actor, message_id)
    return render(request, "outbox/message.html", {"message": message}, actor=actor)
