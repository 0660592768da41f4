"""``cairn tokens``: API tokens for scripts and integrations."""

from __future__ import annotations

from typing import Annotated

import typer

from cairn.auth import service as auth_service
from cairn.cli.common import console, fail, reports_errors, transaction
from cairn.kit.actor import Scope
from cairn.kit.i18n import gettext
from cairn.orgs import people

app = typer.Typer(help="Create API tokens for /api/v1.", no_args_is_help=True)


@app.command()
@reports_errors
def create(
    email: Annotated[str, typer.Option(help="Whose token: it acts with their roles.")],
    name: Annotated[str, typer.Option(help="What the token is for.")],
    scope: Annotated[list[Scope], typer.Option(help="Repeat for each scope.")],
    days: Annotated[int | None, typer.Option(help="Expire after this many days.")] = None,
) -> None:
    """Create a token and print it once; only a digest is stored."""
    with transaction() as session:
        person = people.get_person_by_email(session, email)
        if person is None:
            raise fail(gettext("nobody is registered as %(email)s.", email=email))
        actor = people.actor_for(session, person)
        _, plain = auth_service.create_api_token(
            session, actor, name=name, scopes=scope, expires_in_days=days
        )
        console.print(gettext("Copy this token now; it will not be shown again:"), style="bold")
        console.print(plain, highlight=False, soft_wrap=True)
