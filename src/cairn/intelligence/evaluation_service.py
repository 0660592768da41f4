"""``cairn skills eval``: the benchmark files read, the linker built as in production,
and the figures computed as the benchmarks define them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy.orm import Session

from cairn.intelligence import evaluation, repository, service, store
from cairn.intelligence.concepts import Concept, fingerprint
from cairn.intelligence.evaluation import RankingReport
from cairn.intelligence.linker import Linker, TitleMatcher
from cairn.intelligence.text import folded
from cairn.kit.actor import Actor
from cairn.kit.i18n import gettext
from cairn.kit.progress import NoProgress, Progress
from cairn.taxonomy import service as taxonomy_service
from cairn.taxonomy.models import Framework

AUTO = "auto"
NONE = "none"
ENRICH_SHARE = 0.5
"""A framework lends its alternative labels when it names at least half the labels."""


def _enrichment(
    session: Session | None, actor: Actor, labels: Sequence[str], framework: str
) -> tuple[dict[str, tuple[str, ...]], str]:
    """Alternative labels for the candidate labels, from a framework whose preferred labels
    they are, and a sentence saying where they came from."""
    if framework == NONE or session is None:
        return {}, gettext("Candidates: the labels alone.")
    wanted = {folded(label) for label in labels}
    if framework == AUTO:
        chosen: Framework | None = None
        best: dict[str, tuple[str, ...]] = {}
        for candidate in service.frameworks_with_skills(session, actor):
            found = _alts_of(session, candidate, wanted)
            if len(found) > len(best):
                chosen, best = candidate, found
        if chosen is None or len(best) < ENRICH_SHARE * len(wanted):
            return {}, gettext("Candidates: the labels alone (no framework names most of them).")
        return best, _note(chosen, len(best), len(wanted))
    named = taxonomy_service.framework_by_slug(session, actor, framework)
    found = _alts_of(session, named, wanted)
    return found, _note(named, len(found), len(wanted))


def _alts_of(
    session: Session, framework: Framework, wanted: set[str]
) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for concept in repository.skill_concepts(session, framework.id):
        key = folded(concept.label)
        if key in wanted and key not in found:
            found[key] = concept.alt_labels
    return found


def _note(framework: Framework, matched: int, wanted: int) -> str:
    return gettext(
        "Candidates: the labels, with the alternative labels of %(framework)s %(version)s "
        "for the %(matched)s of %(wanted)s labels it names.",
        framework=framework.title,
        version=framework.version,
        matched=f"{matched:,}",
        wanted=f"{wanted:,}",
    )


def evaluate_sentence_skills(
    session: Session | None,
    actor: Actor,
    *,
    file: Path,
    labels_file: Path,
    framework: str = AUTO,
    progress: Progress | None = None,
) -> RankingReport:
    """RP@5, RP@10 and MRR of the linker on a Decorte et al. file; ``session`` may be None
    when no Cairn database is at hand, and then the labels are used alone."""
    progress = progress or NoProgress()
    queries = evaluation.read_sentence_skills(file)
    labels = evaluation.read_labels(labels_file)
    alts, note = _enrichment(session, actor, labels, framework)
    concepts = [Concept(label, label, alts.get(folded(label), ())) for label in labels]
    embedder = service.current_embedder()
    name = store.file_name("labels", fingerprint(concepts, embedder.name)[:20], embedder.name)
    index = store.stored(name, concepts, embedder) or store.build(
        name, concepts, embedder, progress, gettext("Embedding the candidate labels")
    )
    linker = Linker(index, embedder)
    report = evaluation.evaluate(
        queries,
        labels,
        linker.rank,
        cutoffs=(5, 10),
        metric=evaluation.r_precision_at,
        progress=progress,
        description=gettext("Ranking the labels for each sentence"),
    )
    return replace(report, notes=[note])


def evaluate_title_occupation(
    session: Session,
    actor: Actor,
    *,
    file: Path,
    framework: str | None = None,
    progress: Progress | None = None,
) -> RankingReport:
    """Accuracy@1, accuracy@5 and MRR of job title matching on ``vacancyTitle,conceptUri``."""
    queries = evaluation.read_titles(file)
    chosen, index = service.occupation_index(session, actor, framework)
    matcher = TitleMatcher(index, service.current_embedder())
    report = evaluation.evaluate(
        queries,
        [concept.uri for concept in index.concepts],
        matcher.scores,
        cutoffs=(1, 5),
        metric=evaluation.hit_at,
        progress=progress,
        description=gettext("Matching each title"),
    )
    return replace(
        report,
        notes=[
            gettext(
                "Candidates: the %(count)s occupations of %(framework)s %(version)s.",
                count=f"{len(index):,}",
                framework=chosen.title,
                version=chosen.version,
            )
        ],
    )
