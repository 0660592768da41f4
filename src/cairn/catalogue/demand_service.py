"""Skills in demand: job postings imported in batches, counted per skill by region and
period beside employers' needs and role profiles, and how much of a specification's
outcomes is in demand.

The three signals stay three columns: a posting, a need for twelve people and a role
profile are not the same kind of evidence, so no blended score hides which one speaks.
Program administrators of a program authority import postings for it, platform
administrators for any organisation or the platform; the counts are for every signed-in
person, each seeing the needs shared with them (decision 0026)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from cairn.catalogue import demand_import
from cairn.catalogue import demand_repository as repo
from cairn.catalogue import service as catalogue_service
from cairn.catalogue.demand_import import (
    MAX_FILE_BYTES,
    PostingRecords,
    PostingRow,
    PostingsFile,
    RowProblems,
)
from cairn.catalogue.demand_models import PostingBatch
from cairn.catalogue.demand_repository import PostingCount, SkillFilter
from cairn.catalogue.demand_schemas import Period
from cairn.catalogue.enums import SkillMatch
from cairn.catalogue.skill_linking import (
    Match,
    PostingText,
    PrepareLinker,
    SkillLinker,
    model_linker,
)
from cairn.kit import jobs
from cairn.kit.actor import Actor, Role, Scope, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import lazy_gettext
from cairn.kit.jobs_models import Job
from cairn.kit.progress import NoProgress, Progress
from cairn.orgs import people
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation
from cairn.orgs.permissions import visible_organisation
from cairn.taxonomy import service as taxonomy_service
from cairn.taxonomy.importers.source import Problem
from cairn.taxonomy.models import Framework

IMPORTERS = frozenset({Role.PROGRAM_ADMIN})
"""Who imports postings for a program authority: the people who run its programs."""
DEFAULT_FRAMEWORK = "esco"
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
LINK_BATCH = 500
"""Postings handed to the linker at a time, and the progress bar's step."""
IMPORT_JOB = jobs.declare(
    "demand.import_postings",
    title=lazy_gettext("Import of job postings"),
    scope=Scope.CATALOGUE_WRITE,
    result_label=lazy_gettext("See the batches of postings"),
    viewer_roles=IMPORTERS,
)
"""A file of postings imported in the background; its importers see how it went."""
COVERAGE_WINDOW = timedelta(days=365)
"""Coverage counts the last year's postings: older ones say little about today."""


# --- who may import -----------------------------------------------------------------------


def can_import(actor: Actor, org: Organisation) -> bool:
    return actor.is_platform_admin or (
        org.kind is OrgKind.PROGRAM_AUTHORITY and actor.has_any_role(org.id, IMPORTERS)
    )


def importing_organisations(session: Session, actor: Actor) -> list[Organisation]:
    """The organisations ``actor`` may import postings for (forms offer only these)."""
    return [org for _, org in people.my_memberships(session, actor) if can_import(actor, org)]


def _importer(session: Session, actor: Actor, org_id: uuid.UUID | None) -> Organisation | None:
    require_scope(actor, Scope.CATALOGUE_WRITE)
    if org_id is None:
        if not actor.is_platform_admin:
            raise PermissionDenied(
                lazy_gettext("Only a platform administrator can import postings for the platform.")
            )
        return None
    org = visible_organisation(session, actor, org_id)
    if not can_import(actor, org):
        raise PermissionDenied(
            lazy_gettext("Only a program authority's program administrators can import postings.")
        )
    return org


# --- importing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedBatch:
    batch: PostingBatch
    skills: int
    """Distinct skills found."""
    unlinked: int
    """Postings in which no skill was found."""


def import_postings(
    session: Session,
    actor: Actor,
    *,
    source: str,
    postings: PostingsFile | PostingRecords,
    framework: str | None = None,
    org_id: uuid.UUID | None = None,
    linker: PrepareLinker = model_linker,
    progress: Progress | None = None,
) -> ImportedBatch:
    """Read, link and store a batch of postings, or refuse all of it naming every bad row
    (``PostingsRefused``)."""
    source, chosen = _checked_request(session, actor, source, framework, org_id)
    progress = progress or NoProgress()
    problems = RowProblems()
    rows = demand_import.read(postings, problems)
    if not rows and not problems:
        problems.add(postings.name, 1, "-", lazy_gettext("There are no postings in it."))
    prepared = linker(session, chosen)
    matches = _link(prepared, rows, problems, progress)
    if problems:
        raise demand_import.refusal(problems, _pointer(postings))
    batch = PostingBatch(
        org_id=org_id,
        source=source,
        filename=postings.name[:300] if isinstance(postings, PostingsFile) else None,
        framework_id=chosen.id,
        linker=prepared.name,
        postings=len(rows),
        mentions=sum(len(found) for found in matches),
        imported_by_id=None if actor.system else actor.person_id,
    )
    session.add(batch)
    session.flush()
    _store(session, batch, rows, matches, progress)
    return ImportedBatch(
        batch=batch,
        skills=len({match.skill_id for found in matches for match in found}),
        unlinked=sum(1 for found in matches if not found),
    )


def queue_import(
    session: Session,
    actor: Actor,
    *,
    source: str,
    postings: PostingsFile,
    framework: str | None = None,
    org_id: uuid.UUID | None = None,
) -> Job:
    """Check who imports, the source, the framework and the file's size at once, then queue
    the import as a job that reads, links and stores the file as ``import_postings`` does
    (one bad row refuses it all, and the job fails saying which)."""
    source, _ = _checked_request(session, actor, source, framework, org_id)
    if len(postings.data) > MAX_FILE_BYTES:
        message = lazy_gettext("The file is larger than %(mb)s MB.", mb=MAX_FILE_BYTES >> 20)
        raise InvalidInput(message, [FieldError("file", message)])
    return jobs.enqueue(
        session,
        actor,
        IMPORT_JOB,
        org_id=org_id,
        payload={
            "source": source,
            "framework": framework,
            "org_id": None if org_id is None else str(org_id),
        },
        file=postings.data,
        filename=postings.name,
    )


def _checked_request(
    session: Session, actor: Actor, source: str, framework: str | None, org_id: uuid.UUID | None
) -> tuple[str, Framework]:
    """The trimmed source and the chosen framework, once the actor may import for ``org_id``."""
    _importer(session, actor, org_id)
    source = source.strip()
    if not source or len(source) > 300:
        message = lazy_gettext("Say where the postings come from, in 1 to 300 characters.")
        raise InvalidInput(message, [FieldError("source", message)])
    return source, _framework(session, actor, framework)


def _framework(session: Session, actor: Actor, name: str | None) -> Framework:
    # Reading the framework is part of importing: a token needs no taxonomy scope for it.
    return taxonomy_service.framework_by_slug(
        session, actor.without_scopes(), (name or "").strip() or DEFAULT_FRAMEWORK
    )


def _link(
    linker: SkillLinker, rows: Sequence[PostingRow], problems: RowProblems, progress: Progress
) -> list[list[Match]]:
    """Every posting's skills; a listed entry the linker did not understand is a problem."""
    progress.start(str(lazy_gettext("Finding skills in the postings")), len(rows))
    found: list[list[Match]] = []
    for start in range(0, len(rows), LINK_BATCH):
        chunk = rows[start : start + LINK_BATCH]
        linked = linker.link_all([PostingText(row.title, row.text, row.skills) for row in chunk])
        for row, matches in zip(chunk, linked, strict=True):
            understood = {m.span for m in matches if m.matched_by is SkillMatch.LISTED}
            for entry in row.skills:
                if entry not in understood:
                    problems.add(
                        row.file,
                        row.line,
                        "skills",
                        lazy_gettext(
                            "%(skill)s is not a skill of the framework (a URI, code or label).",
                            skill=entry,
                        ),
                    )
            found.append(matches)
        progress.advance(len(chunk))
    return found


def _pointer(postings: PostingsFile | PostingRecords) -> Callable[[Problem], str]:
    """Where a problem points: the posting's field in a request body, or the file field."""
    if isinstance(postings, PostingRecords):
        return lambda problem: f"postings.{problem.line - 1}.{problem.column}"
    return lambda problem: "file"


def _store(
    session: Session,
    batch: PostingBatch,
    rows: Sequence[PostingRow],
    matches: Sequence[list[Match]],
    progress: Progress,
) -> None:
    progress.start(str(lazy_gettext("Saving the postings")), len(rows))
    for start in range(0, len(rows), LINK_BATCH):
        postings: list[dict[str, object]] = []
        skills: list[dict[str, object]] = []
        for row, found in zip(
            rows[start : start + LINK_BATCH], matches[start : start + LINK_BATCH], strict=True
        ):
            posting_id = uuid.uuid4()
            postings.append(
                {
                    "id": posting_id,
                    "batch_id": batch.id,
                    "line": row.line,
                    "external_id": row.external_id,
                    "title": row.title,
                    "text": row.text,
                    "region": row.region,
                    "posted_on": row.posted_on,
                }
            )
            skills.extend(
                {
                    "posting_id": posting_id,
                    "skill_id": match.skill_id,
                    "matched_by": match.matched_by,
                    "span": match.span,
                }
                for match in found
            )
        repo.insert_postings(session, postings)
        repo.insert_posting_skills(session, skills)
        progress.advance(len(postings))


# --- batches ------------------------------------------------------------------------------


def list_batches(session: Session, actor: Actor) -> Sequence[PostingBatch]:
    """The batches of the actor's organisations; every batch for platform administrators."""
    require_scope(actor, Scope.CATALOGUE_READ)
    return repo.batches(session, None if actor.is_platform_admin else actor.org_ids)


def delete_batch(session: Session, actor: Actor, batch_id: uuid.UUID) -> None:
    """Its owner's program administrators (or a platform administrator) delete a batch,
    and its postings leave every count."""
    require_scope(actor, Scope.CATALOGUE_WRITE)
    batch = repo.get_batch(session, batch_id)
    if batch is None or not (actor.is_platform_admin or batch.org_id in actor.org_ids):
        raise NotFound(lazy_gettext("Batch of postings not found."))
    _importer(session, actor, batch.org_id)
    repo.delete_batch(session, batch.id)
    session.flush()


# --- skills in demand ---------------------------------------------------------------------


def period_of(day: date, period: Period) -> str:
    """``2026-03``, ``2026-Q1`` or ``2026``: sortable as text, the same in every language."""
    return _period_label(day.year, day.month, period)


def _period_label(year: int, month: int, period: Period) -> str:
    if period is Period.MONTH:
        return f"{year:04d}-{month:02d}"
    if period is Period.QUARTER:
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    return f"{year:04d}"


@dataclass(frozen=True)
class SkillDemand:
    """One skill's signals, in the shape of ``SkillDemandRead``."""

    skill_id: uuid.UUID
    skill_uri: str
    skill_label: str
    framework_id: uuid.UUID
    postings: int
    by_period: dict[str, int]
    by_region: dict[str, int]
    needs: int
    needed_headcount: int
    role_profiles: int


@dataclass(frozen=True)
class DemandReport:
    """In the shape of ``DemandRead``."""

    period: Period
    periods: list[str]
    region: str | None
    since: date | None
    postings_total: int
    skills: list[SkillDemand] = field(default_factory=list)


@dataclass
class _Tally:
    postings: int = 0
    by_period: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    by_region: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _tallies(counts: Sequence[PostingCount], period: Period) -> dict[uuid.UUID, _Tally]:
    tallies: dict[uuid.UUID, _Tally] = defaultdict(_Tally)
    for count in counts:
        tally = tallies[count.skill_id]
        tally.postings += count.postings
        tally.by_period[_period_label(count.year, count.month, period)] += count.postings
        tally.by_region[count.region or ""] += count.postings
    return tallies


def _region(region: str | None) -> str | None:
    return (region or "").strip() or None


def _viewer_orgs(actor: Actor) -> frozenset[uuid.UUID] | None:
    return None if actor.is_platform_admin else actor.org_ids


def skills_in_demand(
    session: Session,
    actor: Actor,
    *,
    region: str | None = None,
    period: Period = Period.QUARTER,
    since: date | None = None,
    framework: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> DemandReport:
    """The skills most named by postings (then by needs' headcount, then by role
    profiles), with the three signals apart and postings by period and region."""
    require_scope(actor, Scope.CATALOGUE_READ)
    if not 1 <= limit <= MAX_LIMIT:
        message = lazy_gettext("Ask for 1 to %(max)s skills.", max=MAX_LIMIT)
        raise InvalidInput(message, [FieldError("limit", message)])
    region = _region(region)
    reader = actor.without_scopes()
    frameworks = (
        [taxonomy_service.framework_by_slug(session, reader, framework).id]
        if framework and framework.strip()
        else [f.id for f in taxonomy_service.list_frameworks(session, reader)]
    )
    skills = SkillFilter(framework_ids=frameworks)
    totals = repo.posting_totals(session, skills, region=region, since=since)
    needs = repo.need_counts(session, skills, region=region, viewer_org_ids=_viewer_orgs(actor))
    profiles = repo.role_profile_counts(session, skills, region=region)

    def weight(skill_id: uuid.UUID) -> tuple[int, int, int]:
        return (
            -totals.get(skill_id, 0),
            -needs.get(skill_id, (0, 0))[1],
            -profiles.get(skill_id, 0),
        )

    candidates = sorted(set(totals) | set(needs) | set(profiles), key=weight)
    if len(candidates) > limit:  # ties at the cut are ordered by name, so read them all
        cut = weight(candidates[limit - 1])
        candidates = [skill_id for skill_id in candidates if weight(skill_id) <= cut]
    heads = repo.skill_heads(session, candidates)
    ranked = sorted(
        candidates,
        key=lambda skill_id: (weight(skill_id), heads[skill_id].preferred_label.casefold()),
    )[:limit]
    tallies = _tallies(
        repo.posting_counts(session, SkillFilter(skill_ids=ranked), region=region, since=since),
        period,
    )
    periods = sorted({label for tally in tallies.values() for label in tally.by_period})
    rows = []
    for skill_id in ranked:
        head = heads[skill_id]
        tally = tallies.get(skill_id, _Tally())
        need_count, headcount = needs.get(skill_id, (0, 0))
        rows.append(
            SkillDemand(
                skill_id=skill_id,
                skill_uri=head.uri,
                skill_label=head.preferred_label,
                framework_id=head.framework_id,
                postings=tally.postings,
                by_period=dict(sorted(tally.by_period.items())),
                by_region=dict(sorted(tally.by_region.items())),
                needs=need_count,
                needed_headcount=headcount,
                role_profiles=profiles.get(skill_id, 0),
            )
        )
    return DemandReport(
        period=period,
        periods=periods,
        region=region,
        since=since,
        postings_total=repo.postings_total(session, region=region, since=since),
        skills=rows,
    )


def regions(session: Session, actor: Actor) -> list[str]:
    """The regions postings name, for a filter's choices."""
    require_scope(actor, Scope.CATALOGUE_READ)
    return repo.posting_regions(session)


# --- coverage of a specification ----------------------------------------------------------


@dataclass(frozen=True)
class OutcomeDemand:
    position: int
    statement: str
    skill_id: uuid.UUID | None
    skill_label: str | None
    postings: int
    needs: int
    needed_headcount: int
    role_profiles: int

    @property
    def in_demand(self) -> bool:
        """Any signal at all: a posting of the last year, a need, or a role profile."""
        return bool(self.postings or self.needs or self.role_profiles)


@dataclass(frozen=True)
class Coverage:
    """In the shape of ``CoverageRead``."""

    version_id: uuid.UUID
    region: str | None
    since: date
    postings_total: int
    details: list[OutcomeDemand]

    @property
    def outcomes(self) -> int:
        return len(self.details)

    @property
    def outcomes_in_demand(self) -> int:
        return sum(1 for outcome in self.details if outcome.in_demand)

    @property
    def share(self) -> float | None:
        return self.outcomes_in_demand / self.outcomes if self.details else None


def coverage(
    session: Session,
    actor: Actor,
    version_id: uuid.UUID,
    *,
    region: str | None = None,
    since: date | None = None,
) -> Coverage:
    """Which of a version's outcomes align to a skill in demand, with each one's figures;
    postings are counted from ``since``, by default a year ago. Whoever may see the
    version may see this."""
    view = catalogue_service.view(session, actor, version_id)
    region = _region(region)
    since = since or utcnow().date() - COVERAGE_WINDOW
    outcomes = view.draft.outcomes
    skill_ids = {o.skill_id for o in outcomes if o.skill_id is not None}
    skills = SkillFilter(skill_ids=skill_ids)
    postings: dict[uuid.UUID, int] = defaultdict(int)
    if skill_ids:
        for count in repo.posting_counts(session, skills, region=region, since=since):
            postings[count.skill_id] += count.postings
    needs = (
        repo.need_counts(session, skills, region=region, viewer_org_ids=_viewer_orgs(actor))
        if skill_ids
        else {}
    )
    profiles = repo.role_profile_counts(session, skills, region=region) if skill_ids else {}
    heads = repo.skill_heads(session, skill_ids)
    details = []
    for outcome in outcomes:
        skill_id = outcome.skill_id
        need_count, headcount = needs.get(skill_id, (0, 0)) if skill_id else (0, 0)
        details.append(
            OutcomeDemand(
                position=outcome.position,
                statement=outcome.statement,
                skill_id=skill_id,
                skill_label=heads[skill_id].preferred_label if skill_id in heads else None,
                postings=postings.get(skill_id, 0) if skill_id else 0,
                needs=need_count,
                needed_headcount=headcount,
                role_profiles=profiles.get(skill_id, 0) if skill_id else 0,
            )
        )
    return Coverage(
        version_id=version_id,
        region=region,
        since=since,
        postings_total=repo.postings_total(session, region=region, since=since),
        details=details,
    )
