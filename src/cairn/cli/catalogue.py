"""``cairn catalogue``: search the micro-credentials on offer, export them as CTDL JSON-LD
for the Credential Engine Registry, and help with a draft: skills for its outcomes, the
credentials to hold before starting it."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cairn.catalogue import alignment_suggestions, ctdl, prerequisite_service, public
from cairn.catalogue.enums import Participation, label
from cairn.catalogue.search import CatalogueQuery, search_catalogue
from cairn.catalogue.search_repository import Sort
from cairn.cli.common import console, fail, reports_errors, transaction
from cairn.config import get_settings
from cairn.kit.actor import Actor
from cairn.kit.errors import Conflict, InvalidInput
from cairn.kit.i18n import gettext, ngettext
from cairn.kit.pagination import MAX_PER_PAGE, PageParams
from cairn.orgs import service as orgs_service

app = typer.Typer(
    help="The public catalogue: search, export; skills and prerequisites for a draft.",
    no_args_is_help=True,
)
prerequisites_app = typer.Typer(
    help="A draft's prerequisite credentials: what a learner must hold before starting.",
    no_args_is_help=True,
)
app.add_typer(prerequisites_app, name="prerequisites")


class ExportFormat(StrEnum):
    CTDL = "ctdl"


@app.command("export")
@reports_errors
def export(
    output_format: Annotated[
        ExportFormat,
        typer.Option("--format", help="ctdl: CTDL JSON-LD for the Credential Registry."),
    ],
    output: Annotated[
        Path | None, typer.Option(help="Write here instead of standard output.")
    ] = None,
    org: Annotated[str | None, typer.Option(help="Only this issuer's, by short name.")] = None,
) -> None:
    """Every micro-credential on offer (published, current edition) in one JSON-LD graph."""
    with transaction() as session:
        operator = Actor.operator()
        owner = orgs_service.get_organisation_by_slug(session, operator, org) if org else None
        views = public.specifications_on_offer(session, operator, owner)
        document = ctdl.document(views, get_settings().base_url)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        print(text, end="")
    else:
        output.write_text(text, encoding="utf-8")
        console.print(
            gettext(
                "Wrote %(count)s micro-credentials to %(path)s.", count=len(views), path=str(output)
            )
        )


@app.command("search")
@reports_errors
def search(
    query: Annotated[str, typer.Argument(help="Words in the title, summary or outcomes.")] = "",
    skill: Annotated[str | None, typer.Option(help="A skill's URI an outcome aligns to.")] = None,
    narrower: Annotated[bool, typer.Option(help="Narrower skills count too.")] = False,
    skill_level: Annotated[
        int | None, typer.Option(help="At least this level of the skill.")
    ] = None,
    eqf_level: Annotated[int | None, typer.Option("--eqf", help="EQF level, 1 to 8.")] = None,
    region: Annotated[str | None, typer.Option(help="A region or a country code.")] = None,
    language: Annotated[str | None, typer.Option(help="A language code, e.g. en.")] = None,
    max_price: Annotated[
        int | None, typer.Option(help="Highest price, in minor units (cents).")
    ] = None,
    free: Annotated[bool, typer.Option("--free", help="Only free ones.")] = False,
    participation: Annotated[
        Participation | None, typer.Option(help="Form of participation.")
    ] = None,
    endorsed_by: Annotated[str | None, typer.Option(help="An endorser's short name.")] = None,
    issuer: Annotated[str | None, typer.Option(help="An issuer's short name.")] = None,
    sort: Annotated[Sort, typer.Option(help="relevance, newest or price.")] = Sort.RELEVANCE,
    page: Annotated[int, typer.Option(min=1)] = 1,
    per_page: Annotated[int, typer.Option(min=1, max=MAX_PER_PAGE)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search the micro-credentials on offer, as anyone can on the catalogue page."""
    with transaction() as session:
        results = search_catalogue(
            session,
            None,
            CatalogueQuery(
                text=query,
                skill=skill,
                narrower=narrower,
                skill_level=skill_level,
                eqf_level=eqf_level,
                region=region,
                language=language,
                max_price_minor=max_price,
                free=free,
                participation=participation,
                endorsed_by=endorsed_by,
                issuer=issuer,
                sort=sort,
            ),
            PageParams(page=page, per_page=per_page),
            with_facets=False,
        )
    entries = results.page.items
    if as_json:
        rows = [
            {
                **asdict(e),
                "version_id": str(e.version_id),
                "published_at": e.published_at.isoformat() if e.published_at else None,
            }
            for e in entries
        ]
        print(
            json.dumps({"total": results.page.total, "items": rows}, ensure_ascii=False, indent=2)
        )
        return
    table = Table(
        title=gettext(
            "%(count)s micro-credentials found (page %(page)s of %(pages)s)",
            count=results.page.total,
            page=page,
            pages=results.page.pages,
        )
    )
    for column in (
        gettext("Title"),
        gettext("Issuer"),
        gettext("EQF"),
        gettext("Form"),
        gettext("Price"),
        gettext("Address"),
    ):
        table.add_column(column, overflow="fold")
    for e in entries:
        price = (
            "" if e.price_minor is None else f"{e.price_minor / 100:.2f} {e.currency or ''}".strip()
        )
        table.add_row(
            e.title,
            e.org_name,
            str(e.eqf_level or ""),
            label(e.participation) if e.participation else "",
            price,
            f"{e.org_slug}/{e.slug}",
        )
    console.print(table)


@app.command("suggest-alignments")
@reports_errors
def suggest_alignments(
    version_id: Annotated[uuid.UUID, typer.Argument(help="The draft version's id.")],
    framework: Annotated[
        str | None,
        typer.Option(
            help="esco, or slug@version; by default the one the outcomes already align to, "
            "else ESCO, else the first framework with skills."
        ),
    ] = None,
    top: Annotated[
        int, typer.Option(min=1, max=20, help="At most this many skills per outcome.")
    ] = alignment_suggestions.DEFAULT_TOP,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply",
            help="Align each outcome without a skill to its first suggestion (no level); "
            "aligned outcomes are left as they are.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Skills suggested for each learning outcome of a draft, from the outcome's words."""
    with transaction() as session:
        operator = Actor.operator()
        found = alignment_suggestions.suggest_alignments(
            session, operator, version_id, framework=framework, top=top
        )
        chosen = alignment_suggestions.best_unaligned(found) if apply else {}
        if chosen:
            alignment_suggestions.apply_alignments(session, operator, version_id, chosen)
    if as_json:
        read = alignment_suggestions.to_read(found).model_dump(mode="json")
        print(
            json.dumps(
                {**read, "applied": sorted(chosen) if apply else None}, ensure_ascii=False, indent=2
            )
        )
        return
    table = Table(
        title=gettext(
            "Skills suggested from %(framework)s %(version)s",
            framework=found.framework.title,
            version=found.framework.version,
        )
    )
    for column in (gettext("Outcome"), gettext("Aligned to"), gettext("Suggested (found in)")):
        table.add_column(column, overflow="fold")
    for outcome in found.outcomes:
        table.add_row(
            escape(f"{outcome.position}. {outcome.statement}"),
            escape(outcome.current.skill.preferred_label) if outcome.current else "",
            escape("\n".join(f"{item.label} (“{item.quote}”)" for item in outcome.suggestions)),
        )
    console.print(table)
    if apply:
        console.print(
            ngettext(
                "Aligned %(num)s outcome to its first suggestion.",
                "Aligned %(num)s outcomes to their first suggestion.",
                len(chosen),
            )
        )


@prerequisites_app.command("set")
@reports_errors
def set_prerequisites(
    version_id: Annotated[uuid.UUID, typer.Argument(help="The draft version's id.")],
    clause: Annotated[
        list[str] | None,
        typer.Option(
            help="One prerequisite: credentials separated by commas, any one of which meets "
            "it, each as ISSUER/SLUG (as the catalogue shows them) or a specification id. "
            "Repeat for each; every one must be met."
        ),
    ] = None,
    none: Annotated[bool, typer.Option("--none", help="Remove them all.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Replace a draft's structured prerequisites with the clauses given, as the edit page
    and the API do."""
    clauses = clause or []
    if bool(clauses) == none:
        raise fail(gettext("Give one --clause or more, or --none to remove them all."))
    with transaction() as session:
        operator = Actor.operator()
        wanted = [
            [
                prerequisite_service.specification_id_at(session, ref.strip())
                for ref in text.split(",")
            ]
            for text in clauses
        ]
        try:
            saved = prerequisite_service.set_prerequisites(session, operator, version_id, wanted)
        except (InvalidInput, Conflict) as error:
            raise fail(_clause_errors(error)) from None
        heads = prerequisite_service.named_heads(session, operator, {s for c in saved for s in c})
    if as_json:
        print(json.dumps({"clauses": [[str(s) for s in c] for c in saved]}, indent=2))
        return
    if not saved:
        console.print(gettext("None: no credential is needed before starting."))
    for number, specifications in enumerate(saved, 1):
        titles = sorted(heads[s].title if s in heads else str(s) for s in specifications)
        line = (
            gettext("%(number)s. One of: %(titles)s", number=number, titles="; ".join(titles))
            if len(titles) > 1
            else f"{number}. {titles[0]}"
        )
        console.print(escape(line))


def _clause_errors(error: InvalidInput | Conflict) -> str:
    """The service names ``clauses.<n>.<m>`` from 0; here they are the n-th ``--clause``."""
    said = []
    for item in error.field_errors:
        _, _, place = item.field.partition(".")
        number, _, _ = place.partition(".")
        at = f"--clause {int(number) + 1}" if number.isdigit() else "--clause"
        said.append(f"{at}: {item.message}")
    return "; ".join(said) or str(error.message)
