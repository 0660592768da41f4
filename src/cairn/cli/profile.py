"""``cairn profile``: a learner's skills profile, worked on by the operator for them (a CV
brought to a careers adviser, say). The commands act as that person, with their roles."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cairn.assessment.enums import label as source_label
from cairn.cli.common import console, fail, reports_errors, transaction
from cairn.kit.i18n import gettext
from cairn.orgs import people
from cairn.profiles import cv_suggestions
from cairn.profiles.cv_suggestions import CvSuggestions

app = typer.Typer(help="A learner's skills profile.", no_args_is_help=True)


@app.command("suggest")
@reports_errors
def suggest(
    user: Annotated[
        str, typer.Option("--user", help="The learner's e-mail address: whose profile.")
    ],
    file: Annotated[
        Path,
        typer.Option(
            "--file", help="Their CV as a UTF-8 .txt file; read, never stored.", dir_okay=False
        ),
    ],
    framework: Annotated[
        str | None,
        typer.Option(help="The framework to link to: esco (the default), or slug@version."),
    ] = None,
    top: Annotated[int, typer.Option(help="At most this many skills.")] = (
        cv_suggestions.DEFAULT_TOP
    ),
    apply: Annotated[
        bool,
        typer.Option(
            "--apply",
            help="Add the skills suggested that are not in the profile yet, as self-reported "
            "at the lowest level of their scale.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Skills a learner's CV names, with whether their profile holds each already; with
    --apply, the new ones are added as their own self-assessment, marked as from their CV.
    Without --apply nothing is stored; the CV's text never is."""
    try:
        data = file.read_bytes()
    except OSError as error:
        raise fail(f"{file}: {error.strerror}") from None
    text = cv_suggestions.text_of_file(file.name, data)
    with transaction() as session:
        person = people.get_person_by_email(session, user)
        if person is None:
            raise fail(gettext("nobody is registered as %(email)s.", email=user))
        actor, email = people.actor_for(session, person), person.email
        found = cv_suggestions.suggest_from_cv(
            session, actor, text=text, framework=framework, top=top
        )
        new = [item for item in found.items if not item.has_evidence]
        added = (
            cv_suggestions.claim_skills(
                session,
                actor,
                [(item.skill.id, None) for item in new],
                source_note=gettext("From my CV"),
            )
            if apply and new
            else []
        )
    if as_json:
        _print_json(found, [evidence.skill_id for evidence in added])
        return
    _print_table(found)
    if apply:
        console.print(
            gettext(
                "Added %(count)s skills to %(email)s's profile as self-reported.",
                count=len(added),
                email=email,
            )
        )
    elif new:
        console.print(
            gettext(
                "Nothing was added; --apply adds the %(count)s skills not in the profile yet.",
                count=len(new),
            )
        )


def _print_json(found: CvSuggestions, added: list[uuid.UUID]) -> None:
    print(
        json.dumps(
            {
                "framework": {"slug": found.framework.slug, "version": found.framework.version},
                "model": found.embedder,
                "results": [
                    {
                        "skill_id": str(item.skill.id),
                        "uri": item.skill.uri,
                        "label": item.skill.preferred_label,
                        "score": item.score,
                        "quote": item.quote,
                        "has_evidence": item.has_evidence,
                        "current_level": item.current.level if item.current else None,
                        "default_level": item.default_level,
                    }
                    for item in found.items
                ],
                "added": [str(skill_id) for skill_id in added],
            },
            ensure_ascii=False,
        )
    )


def _print_table(found: CvSuggestions) -> None:
    if not found.items:
        console.print(gettext("No skills were found in this CV."))
        return
    table = Table(
        title=escape(
            gettext(
                "Skills suggested (%(framework)s %(version)s)",
                framework=found.framework.title,
                version=found.framework.version,
            )
        )
    )
    table.add_column(gettext("Skill"))
    table.add_column(gettext("Score"), justify="right")
    table.add_column(gettext("Found in"))
    table.add_column(gettext("In the profile"))
    for item in found.items:
        current = (
            f"{item.current.level} ({source_label(item.current.source)})" if item.current else "—"
        )
        table.add_row(
            escape(item.skill.preferred_label),
            f"{item.score:.2f}",
            escape(item.quote),
            escape(current),
        )
    console.print(table)
