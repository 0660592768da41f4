"""Sector and regional networks on the web: the directory, starting one, and a network's
page with its members, the needs shared with it, its members' offers, joining and leaving."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from cairn.auth.dependencies import DbSession
from cairn.catalogue import network_service
from cairn.catalogue.codesign_schemas import NetworkCreate, NetworkMembershipWrite
from cairn.catalogue.enums import NetworkKind, label
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, InvalidInput
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.templating import render

router = APIRouter()
Text = Annotated[str, Form()]
Errors = dict[str, str]


@router.get("/networks")
def list_page(request: Request, session: DbSession, actor: WebActor) -> Response:
    context = {
        "rows": network_service.list_networks(session, actor),
        "can_start": bool(network_service.administered(session, actor)),
        "spec_label": label,
    }
    return render(request, "codesign/networks.html", context, actor=actor)


def _new_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, str] | None = None,
    errors: Errors | None = None,
    status: int = 200,
) -> Response:
    orgs = network_service.administered(session, actor)
    context = {
        "orgs": [(str(org.id), org.name) for org in orgs],
        "kinds": [(kind.value, label(kind)) for kind in NetworkKind],
        "values": values or {"org_id": str(orgs[0].id) if orgs else "", "kind": "sector"},
        "errors": errors or {},
    }
    return render(request, "codesign/network_new.html", context, actor=actor, status_code=status)


@router.get("/networks/new")
def new_page(request: Request, session: DbSession, actor: WebActor) -> Response:
    return _new_page(request, session, actor)


@router.post("/networks/new")
def create(
    request: Request,
    session: DbSession,
    actor: WebActor,
    _csrf: CsrfChecked,
    org_id: Text = "",
    name: Text = "",
    kind: Text = "",
    sector: Text = "",
    region: Text = "",
    description: Text = "",
) -> Response:
    values = {
        "org_id": org_id,
        "name": name,
        "kind": kind,
        "sector": sector,
        "region": region,
        "description": description,
    }
    try:
        network = network_service.create_network(session, actor, parse(NetworkCreate, values))
    except (ValidationError, InvalidInput, Conflict) as error:
        return _new_page(
            request, session, actor, values=values, errors=errors_of(error), status=422
        )
    return redirect(f"/networks/{network.id}", notice="created")


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    network_id: uuid.UUID,
    *,
    errors: Errors | None = None,
    status: int = 200,
) -> Response:
    view = network_service.get_network(session, actor, network_id)
    context = {
        "view": view,
        "join_options": [(str(org.id), org.name) for org in view.joinable],
        "spec_label": label,
        "errors": errors or {},
    }
    return render(request, "codesign/network.html", context, actor=actor, status_code=status)


@router.get("/networks/{network_id}")
def network_page(
    request: Request, network_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    return _page(request, session, actor, network_id)


def _membership(name: str) -> None:
    action = getattr(network_service, f"{name}_network")

    def endpoint(
        request: Request,
        network_id: uuid.UUID,
        session: DbSession,
        actor: WebActor,
        _csrf: CsrfChecked,
        org_id: Text = "",
    ) -> Response:
        try:
            data = parse(NetworkMembershipWrite, {"org_id": org_id})
            action(session, actor, network_id, data.org_id)
        except (ValidationError, Conflict) as error:
            status = 422 if isinstance(error, ValidationError) else error.status
            return _page(
                request, session, actor, network_id, errors=errors_of(error), status=status
            )
        return redirect(f"/networks/{network_id}", notice="saved")

    router.post(f"/networks/{{network_id}}/{name}", name=f"page_{name}_network")(endpoint)


for _name in ("join", "leave"):
    _membership(_name)
