"""``cairn roles``: the skill profile of an employer's job role."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cairn.cli.common import console, fail, reports_errors, transaction
from cairn.intelligence import role_profiles
from cairn.intelligence.role_profiles import RoleSkillSuggestion
from cairn.kit.actor import Actor
from cairn.kit.i18n import gettext
from cairn.orgs import service as orgs_service
from cairn.orgs import skill_profiles
from cairn.orgs.schemas import FromOccupation

app = typer.Typer(help="Job roles and the skills they need.", no_args_is_help=True)


@app.command()
@reports_errors
def profile(
    role: Annotated[str, typer.Argument(help="The job role's title.")],
    org: Annotated[str, typer.Option(help="The employer's short name.")],
    from_occupation: Annotated[
        str | None,
        typer.Option(help="URI of an ESCO or O*NET occupation whose essential skills to add."),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Drop the current skills first.")
    ] = False,
) -> None:
    """Show a job role's skill profile, after adding an occupation's skills if asked."""
    operator = Actor.operator()
    with transaction() as session:
        organisation = orgs_service.get_organisation_by_slug(session, operator, org)
        target = skill_profiles.role_by_title(session, operator, organisation.id, role)
        if from_occupation:
            added = skill_profiles.start_from_occupation(
                session,
                operator,
                target,
                FromOccupation(occupation_uri=from_occupation, replace=replace),
            )
            console.print(gettext("Added %(count)s essential skills.", count=added))
        view = skill_profiles.view(session, operator, target)
        title = gettext("Skill profile of %(role)s", role=role)
        if view.occupation:
            title += f" ({view.occupation.preferred_label})"
        table = Table(title=title)
        for column in (gettext("Skill"), gettext("Framework"), gettext("Level"), gettext("Weight")):
            table.add_column(column, overflow="fold")
        for line in view.lines:
            level = str(line.item.target_level)
            if line.target_label:
                level += f" {line.target_label}"
            table.add_row(
                line.skill.preferred_label,
                f"{line.framework.slug} {line.framework.version}",
                level,
                str(line.item.weight),
            )
        console.print(table)


@app.command()
@reports_errors
def suggest(
    role: Annotated[str, typer.Argument(help="The job role's title.")],
    org: Annotated[str, typer.Option(help="The employer's short name.")],
    file: Annotated[
        Path,
        typer.Option("--file", help="The job description, a UTF-8 text file.", dir_okay=False),
    ],
    framework: Annotated[
        str | None,
        typer.Option(help="The framework to find skills of: esco (the default) or slug@version."),
    ] = None,
    top: Annotated[int, typer.Option(help="At most this many skills.")] = (
        role_profiles.DEFAULT_TOP
    ),
    apply: Annotated[
        bool,
        typer.Option("--apply", help="Add them all to the profile at the proposed levels."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Suggest the skills a job description names, each at a level read from its words
    ("extensive experience with" is the top of the scale); with --apply, add them all."""
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail(gettext("%(file)s is not UTF-8 text", file=file)) from None
    except OSError as error:
        raise fail(f"{file}: {error.strerror}") from None
    operator = Actor.operator()
    with transaction() as session:
        organisation = orgs_service.get_organisation_by_slug(session, operator, org)
        target = skill_profiles.role_by_title(session, operator, organisation.id, role)
        found = role_profiles.suggest_for_role(
            session, operator, target, text=text, framework=framework, top=top
        )
        applied = (
            role_profiles.apply_suggestions(
                session, operator, target, [(item.skill_id, item.level) for item in found]
            )
            if apply and found
            else None
        )
    if as_json:
        print(json.dumps(_suggestions_json(found, applied), ensure_ascii=False))
        return
    _print_suggestions(found, role)
    if applied is not None:
        console.print(
            gettext(
                "Added %(added)s skills and changed the level of %(updated)s.",
                added=applied.added,
                updated=applied.updated,
            )
        )


def _suggestions_json(
    found: list[RoleSkillSuggestion], applied: role_profiles.Applied | None
) -> dict[str, object]:
    return {
        "suggestions": [
            {
                "skill_id": str(item.skill_id),
                "uri": item.uri,
                "label": item.label,
                "framework": item.framework.slug,
                "framework_version": item.framework.version,
                "score": item.score,
                "quote": item.quote,
                "start": item.start,
                "end": item.end,
                "target_level": item.level,
                "target_label": item.level_label,
                "cue": item.cue,
                "level_reason": item.level_reason,
                "in_profile": item.in_profile,
                "current_level": item.current_level,
            }
            for item in found
        ],
        "applied": None
        if applied is None
        else {"added": applied.added, "updated": applied.updated},
    }


def _print_suggestions(found: list[RoleSkillSuggestion], role: str) -> None:
    if not found:
        console.print(gettext("No skills were found in this text."))
        return
    table = Table(title=gettext("Skills suggested for %(role)s", role=role))
    for column in (
        gettext("Skill"),
        gettext("Found in"),
        gettext("Level"),
        gettext("Why"),
        gettext("Level in the profile"),
    ):
        table.add_column(column, overflow="fold")
    for item in found:
        level = "" if item.level is None else str(item.level)
        if item.level_label:
            level += f" {item.level_label}"
        table.add_row(
            escape(item.label),
            escape(item.quote),
            escape(level),
            escape(f"“{item.level_reason}”") if item.level_reason else "",
            "" if item.current_level is None else str(item.current_level),
        )
    console.print(table)
