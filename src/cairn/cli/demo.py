"""``cairn demo``: build the demo ecosystem on the configured database, then serve it."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cairn import migrations, seed
from cairn.cli.common import console, fail, transaction
from cairn.cli.progress import RichProgress
from cairn.cli.serve import run_server
from cairn.config import get_settings
from cairn.kit.db import make_engine
from cairn.kit.i18n import gettext
from cairn.orgs.enums import label
from cairn.seed.accounts import build_accounts
from cairn.seed.assessments import build_assessments
from cairn.seed.catalogue import build_catalogue
from cairn.seed.codesign import build_codesign
from cairn.seed.credentials import build_credentials
from cairn.seed.demand import build_demand
from cairn.seed.evidence import build_evidence
from cairn.seed.feedback import build_feedback
from cairn.seed.pathways import build_pathways, publish_navigation_courses
from cairn.seed.taxonomy import ReferenceSources, build_role_profiles, load_reference_data

PASSWORD_FILE = "demo-password"  # noqa: S105 - a file name


def _new_password(path: Path) -> str:
    """One random password for every persona, kept beside the database (mode 0600)."""
    password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password)
    return password


def demo(
    reset: Annotated[
        bool, typer.Option("--reset", help="Drop everything in the database and seed it again.")
    ] = False,
    seed_only: Annotated[
        bool, typer.Option("--seed-only", help="Build the database, then exit.")
    ] = False,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    esco: Annotated[
        Path | None,
        typer.Option(
            help="An ESCO CSV download (folder or zip) to load; by default the copy in "
            "CAIRN_SHARED_DATA_DIR or ../shared/data, when there is one.",
            exists=True,
        ),
    ] = None,
) -> None:
    """Build the demo ecosystem on CAIRN_DATABASE_URL, print the sign-ins, and serve it.

    Seven organisations (employers large and small, two colleges, a program authority, a
    community organisation) and about 200 people."""
    settings = get_settings()
    engine = make_engine(settings.database_url)
    password_path = settings.data_dir / PASSWORD_FILE
    try:
        if reset:
            migrations.reset(engine)
        migrations.upgrade(engine)
    finally:
        engine.dispose()
    with transaction() as session:
        if seed.is_seeded(session):
            if not password_path.exists():
                raise fail(
                    gettext(
                        "the demo was seeded elsewhere; run 'cairn demo --reset' to rebuild it here."
                    )
                )
            password = password_path.read_text(encoding="utf-8").strip()
            console.print(
                gettext("The demo database is already seeded (use --reset to rebuild it).")
            )
        else:
            password = _new_password(password_path)
            with console.status(gettext("Seeding the demo ecosystem...")):
                seed.build_demo(session, password=password)
            sources = ReferenceSources.find(settings.reference_data_dir(), esco)
            with RichProgress() as progress:
                load_reference_data(session, sources, progress)
            build_role_profiles(session)
            build_evidence(session)
            build_assessments(session)
            build_catalogue(session)
            build_codesign(session)
            build_feedback(session)
            build_credentials(session)
            build_demand(session)
            publish_navigation_courses(session)
            build_accounts(session)
            build_pathways(session)
        personas = seed.personas(session)
    table = Table(title=gettext("Demo sign-ins"))
    email_column = gettext("E-mail")
    for column in (gettext("Persona"), email_column, gettext("Organisation"), gettext("Role")):
        # An e-mail folded across lines cannot be copied: it keeps its width, others wrap.
        table.add_column(column, overflow="fold", no_wrap=column == email_column)
    for persona in personas:
        table.add_row(persona.title, persona.email, persona.org_name, label(persona.role))
    console.print(table)
    console.print(
        gettext("Every persona's password: %(password)s", password=f"[bold]{password}[/]"),
        highlight=False,
    )
    if not seed_only:
        run_server(host, port)
