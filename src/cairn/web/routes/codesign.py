"""Skills needs on the web: the needs a person may see, and posting or editing one. Skills
are found by searching the taxonomy and ticked in the same form: "Find skills" posts the
form back with everything typed so far, so it works without any script."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from cairn.auth.dependencies import DbSession
from cairn.catalogue import codesign_service, codesign_skills, codesign_views, network_service
from cairn.catalogue.codesign_schemas import NeedCreate, NeedFields
from cairn.catalogue.codesign_skills import SkillChoice
from cairn.catalogue.enums import NeedStatus, label
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.web.csrf import CsrfChecked
from cairn.web.deps import WebActor, redirect
from cairn.web.forms import errors_of, parse
from cairn.web.templating import render

router = APIRouter()
NEED_FIELDS = (
    "title",
    "role_title",
    "position_id",
    "description",
    "region",
    "headcount",
    "needed_from",
    "needed_by",
    "network_id",
)


@router.get("/needs")
def list_page(
    request: Request, session: DbSession, actor: WebActor, status: str = "", network: str = ""
) -> Response:
    chosen_status = status if status in {s.value for s in NeedStatus} else ""
    try:
        network_id = uuid.UUID(network) if network else None
    except ValueError:
        network_id = None
    context = {
        "rows": codesign_views.list_needs(
            session,
            actor,
            status=NeedStatus(chosen_status) if chosen_status else None,
            network_id=network_id,
        ),
        "statuses": [(s.value, label(s)) for s in NeedStatus],
        "networks": [(str(n.id), n.name) for n, _ in network_service.list_networks(session, actor)],
        "values": {"status": chosen_status, "network": str(network_id or "")},
        "posting_orgs": codesign_service.posting_orgs(session, actor),
        "spec_label": label,
    }
    return render(request, "codesign/list.html", context, actor=actor)


@dataclass
class NeedForm:
    """The form as typed so far: fields, the skills ticked with their levels, the search."""

    action: str
    values: dict[str, str]
    chosen: list[tuple[SkillChoice, str]] = field(default_factory=list)
    skill_q: str = ""

    @classmethod
    def posted(cls, session: Session, action: str, form: FormData) -> NeedForm:
        ids = []
        for text in form.getlist("skill_ids"):
            try:
                ids.append(uuid.UUID(str(text)))
            except ValueError:
                continue
        return cls(
            action=action,
            values={name: str(form.get(name) or "").strip() for name in NEED_FIELDS},
            chosen=[
                (choice, str(form.get(f"level-{choice.skill.id}") or ""))
                for choice in codesign_skills.skill_choices(session, ids)
            ],
            skill_q=str(form.get("skill_q") or "").strip(),
        )

    @property
    def skills(self) -> list[dict[str, Any]]:
        if not self.chosen:
            message = lazy_gettext("Find and tick at least one skill.")
            raise InvalidInput(message, [FieldError("skill_q", message)])
        return [{"skill_id": c.skill.id, "level": level or None} for c, level in self.chosen]

    def errors(self, error: ValidationError | InvalidInput | Conflict) -> dict[str, str]:
        """Errors by field; a skill's (``skills.0.level``) goes to the list beside it."""
        shown = {}
        for name, message in errors_of(error).items():
            parts = name.split(".")
            if parts[0] == "skills" and len(parts) == 3 and int(parts[1]) < len(self.chosen):
                skill_id = self.chosen[int(parts[1])][0].skill.id
                shown[f"{parts[2].removesuffix('_id')}-{skill_id}"] = message
            else:
                shown["skill_q" if name == "skills" else name] = message
        return shown


def _form_page(
    request: Request,
    session: Session,
    actor: Actor,
    org_id: uuid.UUID,
    form: NeedForm,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    org = codesign_service.require_poster(session, actor, org_id)
    positions, networks = codesign_service.posting_choices(session, actor, org_id)
    chosen_ids = {choice.skill.id for choice, _ in form.chosen}
    found = codesign_skills.find_skills(session, actor, form.skill_q)
    context = {
        "org": org,
        "form": form,
        "found": [choice for choice in found if choice.skill.id not in chosen_ids],
        "positions": [(str(p.id), p.title) for p in positions],
        "networks": [(str(n.id), n.name) for n in networks],
        "errors": errors or {},
    }
    return render(request, "codesign/need_form.html", context, actor=actor, status_code=status)


@router.get("/orgs/{org_id}/needs/new")
def new_page(request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor) -> Response:
    org = codesign_service.require_poster(session, actor, org_id)
    values = dict.fromkeys(NEED_FIELDS, "") | {"region": org.region or ""}
    return _form_page(
        request, session, actor, org_id, NeedForm(f"/orgs/{org_id}/needs/new", values)
    )


@router.post("/orgs/{org_id}/needs/new")
async def create(
    request: Request, org_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    codesign_service.require_poster(session, actor, org_id)
    posted = await request.form()
    form = NeedForm.posted(session, f"/orgs/{org_id}/needs/new", posted)
    if posted.get("step") == "search":
        return _form_page(request, session, actor, org_id, form)
    try:
        data = parse(NeedCreate, {**form.values, "skills": form.skills})
        need = codesign_service.create_need(session, actor, org_id, data)
    except (ValidationError, InvalidInput) as error:
        return _form_page(
            request, session, actor, org_id, form, errors=form.errors(error), status=422
        )
    return redirect(f"/needs/{need.id}", notice="created")


@router.get("/needs/{need_id}/edit")
def edit_page(
    request: Request, need_id: uuid.UUID, session: DbSession, actor: WebActor
) -> Response:
    codesign_service.require_owner(session, actor, need_id)
    summary = codesign_views.thread(session, actor, need_id).summary
    need = summary.need
    values = {
        name: "" if getattr(need, name) is None else str(getattr(need, name))
        for name in NEED_FIELDS
    }
    chosen = [(line.choice, str(line.level or "")) for line in summary.skills]
    form = NeedForm(f"/needs/{need_id}/edit", values, chosen)
    return _form_page(request, session, actor, need.org_id, form)


@router.post("/needs/{need_id}/edit")
async def save(
    request: Request, need_id: uuid.UUID, session: DbSession, actor: WebActor, _csrf: CsrfChecked
) -> Response:
    need = codesign_service.require_owner(session, actor, need_id)
    posted = await request.form()
    form = NeedForm.posted(session, f"/needs/{need_id}/edit", posted)
    if posted.get("step") == "search":
        return _form_page(request, session, actor, need.org_id, form)
    try:
        # Every field is sent, so one emptied on the form is cleared.
        cleared = {name: value or None for name, value in form.values.items()}
        data = NeedFields.model_validate({**cleared, "skills": form.skills})
        codesign_service.update_need(session, actor, need_id, data)
    except (ValidationError, InvalidInput, Conflict) as error:
        return _form_page(
            request, session, actor, need.org_id, form, errors=form.errors(error), status=422
        )
    return redirect(f"/needs/{need_id}", notice="saved")
