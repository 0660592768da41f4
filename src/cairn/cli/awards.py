"""``cairn awards record``: a registrar's award from the command line, e.g. when results
come from another system."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from cairn.cli.common import console, reports_errors, transaction
from cairn.credentials import service
from cairn.credentials.schemas import AwardCreate
from cairn.kit.actor import Actor
from cairn.kit.clock import utcnow
from cairn.kit.i18n import gettext
from cairn.orgs import service as orgs_service

app = typer.Typer(help="Awards of micro-credentials.", no_args_is_help=True)


@app.command("record")
@reports_errors
def record(
    org: Annotated[str, typer.Option(help="The issuer's short name.")],
    learner: Annotated[str, typer.Option(help="The learner's e-mail address on Cairn.")],
    specification: Annotated[
        str, typer.Option(help="The specification's short name; its published version.")
    ],
    grade: Annotated[str | None, typer.Option(help="The grade, e.g. Pass.")] = None,
    awarded_on: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="The day it was achieved; today by default."),
    ] = None,
) -> None:
    """Record that a learner achieved a published micro-credential; their surveys follow."""
    operator = Actor.operator()
    with transaction() as session:
        issuer = orgs_service.get_organisation_by_slug(session, operator, org)
        version = service.awardable_version(session, operator, issuer.id, specification)
        data = AwardCreate.model_validate(
            {
                "version_id": version.id,
                "learner_email": learner,
                "awarded_on": awarded_on.date() if awarded_on else utcnow().date(),
                "grade": grade,
            }
        )
        service.record_award(session, operator, issuer.id, data)
        console.print(
            gettext(
                "%(learner)s holds %(title)s (version %(number)s).",
                learner=learner,
                title=version.title,
                number=version.number,
            )
        )
