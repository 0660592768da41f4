"""Time and peak memory of the skill-gap heatmap for a large employer, SQLite and PostgreSQL.

The issue asks for the heatmap time at 10,000 people x 50 skills. The organisation is
generated, with a seeded RNG so that every run builds the same one: nested departments, job
roles whose skill profiles hold 10-20 of the skills, a few department profiles for people
without a role, and evidence from several sources spread over three years for about 70% of
the person-skill pairs that a profile targets. Rows go in with bulk ``INSERT``s; building is
timed and printed, but the figures are the heatmap calls, each in a fresh session as a web
request would make them. Peak memory is tracemalloc's, from a separate call, because tracing
slows the code it measures.

    .venv/bin/python benchmarks/heatmap.py [--people 10000] [--skills 50] [--postgres URL]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from bench_databases import postgres_database
from cairn import migrations
from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence
from cairn.kit.actor import Actor, Role
from cairn.kit.clock import utcnow
from cairn.kit.db import make_engine, make_session_factory, unit_of_work
from cairn.kit.progress import NoProgress
from cairn.orgs.enums import OrgKind, SizeBand
from cairn.orgs.models import (
    Department,
    Membership,
    Organisation,
    Person,
    Position,
    SkillProfile,
    SkillProfileItem,
)
from cairn.profiles.heatmap import Heatmap, department_heatmap
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.importers.builtin import load_digital_framework
from cairn.taxonomy.models import Framework, Skill

RUNS = 5
SEED = 2026
DIVISIONS: dict[str, dict[str, list[str]]] = {
    # division -> department -> sub-departments: 5 + 11 + 4 = 20 departments, 3 levels deep.
    "Operations": {"Dispatch": ["Night shift", "Day shift"], "Warehousing": [], "Fleet": []},
    "Technology": {"Platform": ["Site reliability"], "Data": [], "Service desk": []},
    "Finance": {"Accounts payable": [], "Payroll": []},
    "Sales": {"Field sales": ["Key accounts"], "Customer care": []},
    "People": {"Learning": []},
}
GRADES = ("Associate", "Specialist")
"""Two job roles per department: 40 roles over 20 departments."""
SOURCES = (
    # source, weight, confidence range: how often each kind of evidence turns up.
    (EvidenceSource.SELF_ASSESSMENT, 5, (0.4, 0.6)),
    (EvidenceSource.MANAGER_RATING, 4, (0.6, 0.8)),
    (EvidenceSource.TEST, 3, (0.75, 0.95)),
    (EvidenceSource.PEER_RATING, 1, (0.5, 0.7)),
    (EvidenceSource.PROCTORED_TEST, 1, (0.85, 0.98)),
)


@dataclass(frozen=True)
class Built:
    org_id: uuid.UUID
    subtree_root: uuid.UUID
    subtree_name: str
    actor: Actor
    seconds: float
    departments: int
    people: int
    skills: int
    profile_items: int
    evidence: int


@dataclass(frozen=True)
class Timing:
    database: str
    scope: str
    departments: int
    people: int
    cells: int
    runs: list[float]
    cpu: list[float]
    peak_mib: float
    digest: str


@contextmanager
def database(kind: str, admin_url: str, workdir: Path) -> Iterator[str]:
    if kind == "SQLite":
        yield f"sqlite:///{workdir / f'heatmap-{uuid.uuid4().hex[:6]}.db'}"
        return
    with postgres_database(admin_url) as url:
        yield url


def fifty_skills(session: Session, count: int) -> list[tuple[uuid.UUID, int]]:
    """The built-in digital competences plus generated skills up to ``count``, each with the
    top of its scale, so that targets and levels stay on the skill's own scale."""
    load_digital_framework(session, progress=NoProgress())
    digital = taxonomy_repository.find_framework(session, "cairn-digital")
    if digital is None:
        raise RuntimeError("the built-in digital framework did not load")
    competences = session.scalars(
        select(Skill.id)
        .where(Skill.framework_id == digital.id, Skill.is_group.is_(False))
        .order_by(Skill.code)
    ).all()
    skills = [(skill_id, 8) for skill_id in competences[:count]]
    extra = count - len(skills)
    if extra > 0:
        framework_id = uuid.uuid4()
        session.execute(
            insert(Framework),
            [{"id": framework_id, "slug": "bench-trade", "version": "1", "title": "Trade skills"}],
        )
        ids = [uuid.uuid4() for _ in range(extra)]
        rows = [
            {
                "id": ids[number - 1],
                "framework_id": framework_id,
                "uri": f"urn:bench:trade:{number}",
                "code": f"T{number:02d}",
                "preferred_label": f"Trade skill {number:02d}",
            }
            for number in range(1, extra + 1)
        ]
        session.execute(insert(Skill), rows)
        skills += [(skill_id, 5) for skill_id in ids]
    return skills


def build(factory: sessionmaker[Session], people: int, skill_count: int) -> Built:
    rng = random.Random(SEED)  # noqa: S311 - repeatable test data, not security
    start = time.perf_counter()
    now = utcnow()
    with unit_of_work(factory) as session:
        skills = fifty_skills(session, skill_count)
        top = dict(skills)
        org_id = uuid.uuid4()
        session.execute(
            insert(Organisation),
            [
                {
                    "id": org_id,
                    "name": "Northshore Freight",
                    "slug": "northshore-freight",
                    "kind": OrgKind.EMPLOYER,
                    "size_band": SizeBand.LARGE,
                }
            ],
        )

        departments: list[dict[str, Any]] = []

        def department(name: str, parent: uuid.UUID | None) -> uuid.UUID:
            departments.append(
                {"id": uuid.uuid4(), "org_id": org_id, "parent_id": parent, "name": name}
            )
            return uuid.UUID(str(departments[-1]["id"]))

        for division, units in DIVISIONS.items():
            division_id = department(division, None)
            for unit, subunits in units.items():
                unit_id = department(unit, division_id)
                for subunit in subunits:
                    department(subunit, unit_id)
        session.execute(insert(Department), departments)

        positions = [
            {
                "id": uuid.uuid4(),
                "org_id": org_id,
                "department_id": dept["id"],
                "title": f"{dept['name']} {grade}",
            }
            for dept in departments
            for grade in GRADES
        ]
        session.execute(insert(Position), positions)

        profiles: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []
        targets: dict[uuid.UUID, dict[uuid.UUID, int]] = {}
        owners = [("position_id", p["id"]) for p in positions]
        owners += [("department_id", d["id"]) for d in rng.sample(departments, 5)]
        for column, owner in owners:
            profile_id = uuid.uuid4()
            profiles.append({"id": profile_id, "org_id": org_id, column: owner})
            chosen = rng.sample(skills, rng.randint(10, 20))
            targets[owner] = {}
            for skill_id, highest in chosen:
                level = rng.randint(max(1, highest // 2 - 1), highest - 1)
                targets[owner][skill_id] = level
                items.append(
                    {
                        "profile_id": profile_id,
                        "skill_id": skill_id,
                        "target_level": level,
                        "weight": rng.randint(1, 5),
                    }
                )
        session.execute(insert(SkillProfile), profiles)
        session.execute(insert(SkillProfileItem), items)

        # Department sizes vary as in a real firm: a few large units, several small ones.
        sizes = [rng.lognormvariate(0, 0.9) for _ in departments]
        hr_id = uuid.uuid4()
        persons = [{"id": hr_id, "email": "hr@northshore.example", "display_name": "HR admin"}]
        memberships: list[dict[str, Any]] = [
            {"id": uuid.uuid4(), "person_id": hr_id, "org_id": org_id, "role": Role.HR_ADMIN}
        ]
        evidence: list[dict[str, Any]] = []
        sources = [source for source, _, _ in SOURCES]
        weights = [weight for _, weight, _ in SOURCES]
        confidence = {source: span for source, _, span in SOURCES}
        for number in range(people):
            person_id = uuid.uuid4()
            home = rng.choices(departments, sizes)[0]
            roles = [p for p in positions if p["department_id"] == home["id"]]
            position = rng.choice(roles) if rng.random() > 0.05 else None
            persons.append(
                {
                    "id": person_id,
                    "email": f"person{number:05d}@northshore.example",
                    "display_name": f"Person {number:05d}",
                }
            )
            memberships.append(
                {
                    "id": uuid.uuid4(),
                    "person_id": person_id,
                    "org_id": org_id,
                    "role": Role.MANAGER if rng.random() < 0.08 else Role.LEARNER,
                    "department_id": home["id"],
                    "position_id": position["id"] if position else None,
                }
            )
            target = targets.get(position["id"]) if position else None
            target = target or targets.get(home["id"], {})
            ability = rng.gauss(0, 1)
            for skill_id, goal in target.items():
                if rng.random() >= 0.7:
                    continue
                true_level = goal + ability + rng.gauss(0, 1)
                kinds: set[EvidenceSource] = set()
                while len(kinds) < rng.choice((1, 1, 2, 2, 3)):
                    kinds.add(rng.choices(sources, weights)[0])
                for source in sorted(kinds):
                    low, high = confidence[source]
                    level = round(true_level + rng.gauss(0, 0.7))
                    evidence.append(
                        {
                            "id": uuid.uuid4(),
                            "person_id": person_id,
                            "skill_id": skill_id,
                            "level": min(max(level, 1), top[skill_id]),
                            "source": source,
                            "observed_at": now - timedelta(days=rng.uniform(0, 3 * 365)),
                            "confidence": round(rng.uniform(low, high), 2),
                            "org_id": org_id,
                            "details": {},
                        }
                    )
        session.execute(insert(Person), persons)
        session.execute(insert(Membership), memberships)
        for chunk in range(0, len(evidence), 20_000):
            session.execute(insert(Evidence), evidence[chunk : chunk + 20_000])
    with unit_of_work(factory) as session:
        # Importers and autovacuum would have refreshed the planner's statistics by now.
        session.execute(text("ANALYZE"))
    root = departments[0]
    return Built(
        org_id=org_id,
        subtree_root=root["id"],
        subtree_name=root["name"],
        actor=Actor(
            person_id=hr_id,
            email="hr@northshore.example",
            memberships=frozenset({(org_id, Role.HR_ADMIN)}),
        ),
        seconds=time.perf_counter() - start,
        departments=len(departments),
        people=people,
        skills=len(skills),
        profile_items=len(items),
        evidence=len(evidence),
    )


def digest(heatmap: Heatmap) -> str:
    """A fingerprint of every cell by department name and skill label (ids are random per
    build), so that a faster heatmap, or the other database, can be shown to say the same."""
    names = {d.id: d.name for d in heatmap.departments}
    labels = {s.id: s.preferred_label for s in heatmap.skills}
    lines = sorted(
        f"{names[dept]}|{labels[skill]}|{cell.targeted}|{cell.assessed}|{cell.below}|"
        f"{cell.mean_gap!r}"
        for (dept, skill), cell in heatmap.cells.items()
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:12]


def measure(
    factory: sessionmaker[Session], built: Built, kind: str, department_id: uuid.UUID | None
) -> Timing:
    def call() -> Heatmap:
        with factory() as session:
            return department_heatmap(
                session, built.actor, built.org_id, department_id=department_id
            )

    call()  # warm-up: imports, statement compilation, the database's own caches
    runs, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        heatmap = call()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with factory() as session:
        shown = [d.id for d in heatmap.departments]
        people = session.scalar(select(func.count()).where(Membership.department_id.in_(shown)))
    scope = f"{built.subtree_name} subtree" if department_id else "whole organisation"
    return Timing(
        database=kind,
        scope=scope,
        departments=len(heatmap.departments),
        people=people or 0,
        cells=len(heatmap.cells),
        runs=runs,
        cpu=cpu,
        peak_mib=peak / 2**20,
        digest=digest(heatmap),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--skills", type=int, default=50)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "CAIRN_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="admin URL of a PostgreSQL server; empty to measure SQLite only",
    )
    args = parser.parse_args()
    kinds = ["SQLite", "PostgreSQL"] if args.postgres else ["SQLite"]
    builds: list[tuple[str, Built]] = []
    timings: list[Timing] = []
    with tempfile.TemporaryDirectory(prefix="cairn-bench-") as tmp:
        for kind in kinds:
            with database(kind, args.postgres, Path(tmp)) as url:
                engine = make_engine(url)
                migrations.upgrade(engine)
                factory = make_session_factory(engine)
                built = build(factory, args.people, args.skills)
                builds.append((kind, built))
                timings.append(measure(factory, built, kind, None))
                timings.append(measure(factory, built, kind, built.subtree_root))
                engine.dispose()

    print("| Database | People | Skills | Profile lines | Evidence rows | Build s |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, built in builds:
        print(
            f"| {kind} | {built.people:,} | {built.skills} | {built.profile_items:,} "
            f"| {built.evidence:,} | {built.seconds:.1f} |"
        )
    print()
    print(f"department_heatmap, {RUNS} runs each after one warm-up, a fresh session per call\n")
    print(
        "| Database | Heatmap | Departments | People | Cells | median s | max s "
        "| median CPU s | Peak memory (MiB) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for t in timings:
        print(
            f"| {t.database} | {t.scope} | {t.departments} | {t.people:,} | {t.cells} "
            f"| {statistics.median(t.runs):.2f} | {max(t.runs):.2f} "
            f"| {statistics.median(t.cpu):.2f} | {t.peak_mib:.0f} |"
        )
    print()
    print("Cell digests: " + ", ".join(f"{t.database} {t.scope} {t.digest}" for t in timings))


if __name__ == "__main__":
    main()
