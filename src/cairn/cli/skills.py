"""``cairn skills``: skills named in text, occupations for job titles, the embeddings they
need, and the benchmark figures that show how well it works."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from cairn.cli.common import console, errors, fail, reports_errors, transaction
from cairn.cli.progress import RichProgress
from cairn.intelligence import evaluation_service, service
from cairn.intelligence.errors import EmptyText
from cairn.intelligence.evaluation import RankingReport
from cairn.intelligence.service import Suggestions
from cairn.kit.actor import Actor
from cairn.kit.i18n import gettext

app = typer.Typer(
    help="Skill intelligence: skills in text, occupations for job titles, evaluation.",
    no_args_is_help=True,
)

Framework = Annotated[
    str | None,
    typer.Option(help="The framework to link to: esco (the default), onet, or slug@version."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _read_text(text: str | None, file: Path | None) -> str:
    if (text is None) == (file is None):
        raise fail(gettext("give the text as an argument or --file FILE (one of the two)"))
    if file is None:
        return "" if text is None else (sys.stdin.read() if text == "-" else text)
    try:
        return file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail(gettext("%(file)s is not UTF-8 text", file=file)) from None
    except OSError as error:
        raise fail(f"{file}: {error.strerror}") from None


@contextmanager
def _plain_refusal() -> Iterator[None]:
    """The text and the title are arguments, not options: their refusal is said without
    the ``--text:`` that ``reports_errors`` puts before an option's message."""
    try:
        yield
    except EmptyText as refused:
        raise fail(str(refused.message)) from None


def _print(found: Suggestions, as_json: bool, heading: str) -> None:
    if as_json:
        print(
            json.dumps(
                {
                    "framework": {
                        "slug": found.framework.slug,
                        "version": found.framework.version,
                        "title": found.framework.title,
                    },
                    "model": found.embedder,
                    "results": [
                        {
                            "id": str(item.concept_id),
                            "uri": item.uri,
                            "label": item.label,
                            "score": item.score,
                            "quote": item.quote,
                            "start": item.start,
                            "end": item.end,
                            "matched_label": item.matched_label,
                        }
                        for item in found.items
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    if not found.items:
        console.print(gettext("Nothing found above the confidence threshold."))
        return
    table = Table(title=escape(f"{heading} ({found.framework.title} {found.framework.version})"))
    table.add_column(gettext("Label"))
    table.add_column(gettext("Score"), justify="right")
    table.add_column(gettext("Found in"))
    table.add_column(gettext("URI"), overflow="fold")
    for item in found.items:
        table.add_row(escape(item.label), f"{item.score:.2f}", escape(item.quote), escape(item.uri))
    console.print(table)


@app.command("extract")
@reports_errors
def extract(
    text: Annotated[
        str | None,
        typer.Argument(
            help="The text; '-' reads it from standard input. Put -- before a text that "
            "starts with a dash (a list)."
        ),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Read the text from a UTF-8 file.", dir_okay=False)
    ] = None,
    framework: Framework = None,
    top: Annotated[int, typer.Option(help="At most this many skills.")] = service.DEFAULT_TOP,
    as_json: AsJson = False,
) -> None:
    """The skills a text names (a job ad, course outcomes, a CV), best first, each with the
    words it was found in. They are suggestions for a person to confirm."""
    body = _read_text(text, file)
    with transaction() as session, _plain_refusal():
        found = service.suggest_skills(
            session, Actor.operator(), text=body, framework=framework, top=top
        )
    _print(found, as_json, gettext("Skills found"))


@app.command("titles")
@reports_errors
def titles(
    title: Annotated[str, typer.Argument(help="A job title as written in a posting.")],
    framework: Framework = None,
    top: Annotated[int, typer.Option(help="At most this many occupations.")] = 5,
    as_json: AsJson = False,
) -> None:
    """The occupations a job title most likely means, using alternative titles."""
    with transaction() as session, _plain_refusal():
        found = service.match_title(
            session, Actor.operator(), title=title, framework=framework, top=top
        )
    _print(found, as_json, gettext("Occupations"))


@app.command("index")
@reports_errors
def index(
    framework: Annotated[
        str, typer.Option(help="The framework whose embeddings to build: esco, or slug@version.")
    ] = service.DEFAULT_FRAMEWORK,
) -> None:
    """Compute and store a framework's embeddings for the configured model (CAIRN_EMBEDDER).
    Needed once per framework version and model; importing a framework does it too."""
    with transaction() as session, RichProgress() as progress:
        built = service.build_embeddings(
            session, Actor.operator(), framework=framework, progress=progress
        )
    for item in built:
        console.print(
            gettext(
                "Stored %(texts)s embeddings for the %(count)s %(kind)s of %(framework)s "
                "%(version)s (model %(model)s).",
                texts=f"{item.texts:,}",
                count=f"{item.concepts:,}",
                kind=gettext(item.kind.value),
                framework=item.framework.title,
                version=item.framework.version,
                model=item.embedder,
            )
        )


@contextmanager
def _optional_database() -> Iterator[Session | None]:
    """The configured database when it holds Cairn's tables; labels are then enriched from
    it. Evaluating needs no database, so a missing or empty one is not an error."""
    with transaction() as session:
        try:
            ready = inspect(session.connection()).has_table("frameworks")
        except (OperationalError, ProgrammingError):
            ready = False
        yield session if ready else None


@app.command("eval")
@reports_errors
def evaluate(
    file: Annotated[Path, typer.Argument(help="The benchmark file (CSV).", dir_okay=False)],
    task: Annotated[
        str, typer.Option(help="sentence-skills (Decorte et al.) or title-occupation.")
    ],
    labels: Annotated[
        Path | None,
        typer.Option(help="sentence-skills: the candidate labels, one a line.", dir_okay=False),
    ] = None,
    framework: Annotated[
        str | None,
        typer.Option(
            help="sentence-skills: where alternative labels come from: auto (a loaded framework "
            "naming most labels), none, or a framework; title-occupation: the occupations' "
            "framework (esco)."
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Reproduce the linker's quality figures on a benchmark file."""
    if task == "sentence-skills":
        if labels is None:
            raise fail(gettext("--labels LABELS.txt is needed for --task sentence-skills"))
        with _optional_database() as session, RichProgress() as progress:
            report = evaluation_service.evaluate_sentence_skills(
                session,
                Actor.operator(),
                file=file,
                labels_file=labels,
                framework=framework or evaluation_service.AUTO,
                progress=progress,
            )
        _print_report(report, as_json, {5: "rp@5", 10: "rp@10"})
    elif task == "title-occupation":
        with transaction() as session, RichProgress() as progress:
            report = evaluation_service.evaluate_title_occupation(
                session, Actor.operator(), file=file, framework=framework, progress=progress
            )
        _print_report(report, as_json, {1: "accuracy@1", 5: "accuracy@5"})
    else:
        raise fail(
            gettext("--task must be sentence-skills or title-occupation, not %(task)s", task=task)
        )


def _print_report(report: RankingReport, as_json: bool, names: dict[int, str]) -> None:
    for note in report.notes:
        errors.print(escape(note), highlight=False)
    if report.gold_missing:
        errors.print(
            gettext(
                "%(count)s gold answers are not among the candidates; they count as misses.",
                count=report.gold_missing,
            ),
            highlight=False,
        )
    figures = {names[k]: round(value, 4) for k, value in report.at.items()}
    figures["mrr"] = round(report.mrr, 4)
    if as_json:
        print(json.dumps({**figures, "queries": report.queries}))
        return
    table = Table(title=gettext("%(count)s queries", count=report.queries))
    table.add_column(gettext("Metric"))
    table.add_column(gettext("Value"), justify="right")
    for name, value in figures.items():
        table.add_row(name.upper(), f"{100 * value:.1f}")
    console.print(table)
