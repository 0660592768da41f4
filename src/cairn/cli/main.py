"""Entry point: ``cairn`` and ``python -m cairn``."""

from __future__ import annotations

import os

import typer

from cairn.cli import (
    accounts,
    assess,
    awards,
    bulk_issue,
    campaigns,
    catalogue,
    credentials,
    db,
    demand,
    demo,
    gaps,
    offerings,
    orgs,
    pathways,
    profile,
    roles,
    serve,
    skills,
    surveys,
    taxonomy,
    tokens,
    users,
    worker,
)
from cairn.config import get_settings
from cairn.kit.i18n import negotiate, set_locale

app = typer.Typer(
    name="cairn",
    help="Cairn: skills, micro-credentials and learning accounts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(orgs.app, name="orgs")
app.add_typer(tokens.app, name="tokens")
app.add_typer(taxonomy.app, name="taxonomy")
app.add_typer(roles.app, name="roles")
app.add_typer(assess.app, name="assess")
app.add_typer(campaigns.app, name="campaigns")
app.add_typer(awards.app, name="awards")
app.add_typer(bulk_issue.app, name="bulk-issue")
app.add_typer(credentials.app, name="credentials")
app.add_typer(surveys.app, name="surveys")
app.add_typer(demand.app, name="demand")
app.add_typer(catalogue.app, name="catalogue")
app.add_typer(skills.app, name="skills")
app.add_typer(profile.app, name="profile")
app.add_typer(offerings.app, name="offerings")
app.add_typer(offerings.enrol_app, name="enrol")
app.add_typer(accounts.app, name="accounts")
app.add_typer(pathways.app, name="pathways")
app.command("serve")(serve.serve)
app.command("demo")(demo.demo)
app.command("gaps")(gaps.gaps)
app.command("worker")(worker.worker)


@app.callback()
def _configure() -> None:
    """Cairn reads its settings from CAIRN_* environment variables (see the README)."""
    set_locale(negotiate(os.environ.get("LANG", "").split(".")[0]) or get_settings().default_locale)


def main() -> None:
    app()
