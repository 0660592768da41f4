"""Importing 10,000 job postings, linked to ESCO by the exact linker, and reading the skills
in demand back.

The postings are generated with a seeded RNG from ESCO's own labels, so every run imports
the same file: each posting has about 120 words of filler text with 3 to 8 skill labels
(preferred or alternative) and one in ten lists two skills by URI. Three figures per
database, each from a fresh database:

- preparing the exact linker for ESCO (reading 13,600 skills and their 97,000 labels,
  building the word trie);
- ``demand_service.import_postings`` end to end (parsing the CSV, linking, inserting),
  and postings per second;
- ``demand_service.skills_in_demand`` by quarter over the imported postings.

    .venv/bin/python benchmarks/demand_import.py [--postings 10000] [--postgres URL]

ESCO v1.2.0 is read from ../shared/data (or CAIRN_SHARED_DATA), as the tests read it.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from bench_databases import postgres_database
from cairn import migrations
from cairn.catalogue import demand_service
from cairn.catalogue.demand_import import PostingsFile
from cairn.catalogue.skill_linking import exact_linker
from cairn.kit.actor import Actor
from cairn.kit.db import make_engine, make_session_factory, unit_of_work
from cairn.kit.progress import NoProgress
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.importers.esco import import_esco

SEED = 2026
FILLER = (
    "we",
    "are",
    "looking",
    "for",
    "a",
    "motivated",
    "team",
    "member",
    "to",
    "join",
    "our",
    "busy",
    "site",
    "the",
    "role",
    "offers",
    "competitive",
    "pay",
    "benefits",
    "and",
    "training",
    "you",
    "will",
    "work",
    "closely",
    "with",
    "colleagues",
    "report",
    "shift",
    "lead",
    "applicants",
    "should",
    "be",
    "reliable",
    "punctual",
    "ready",
    "learn",
)
REGIONS = ("Greater Toronto Area", "City of Hamilton", "Sudbury", "Renfrew County", "Ottawa")


def esco_paths() -> list[Path]:
    base = Path(os.environ.get("CAIRN_SHARED_DATA", Path(__file__).parents[2] / "shared" / "data"))
    return [base / "esco" / "v1.2.0", base / "esco" / "v1.2.0-rebuilt" / "skills_en.csv.gz"]


def generate(count: int, labels: list[str], uris: list[str]) -> bytes:
    rng = random.Random(SEED)  # noqa: S311 - benchmark data, not security
    start = date(2025, 7, 1)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("title", "text", "region", "date", "id", "skills"))
    for number in range(count):
        words = [rng.choice(FILLER) for _ in range(120)]
        for label in rng.sample(labels, rng.randint(3, 8)):
            words.insert(rng.randrange(len(words)), label)
        listed = ";".join(rng.sample(uris, 2)) if number % 10 == 0 else ""
        writer.writerow(
            (
                f"Job {number}",
                " ".join(words),
                rng.choice(REGIONS),
                (start + timedelta(days=rng.randrange(365))).isoformat(),
                f"job-{number}",
                listed,
            )
        )
    return buffer.getvalue().encode()


@contextmanager
def database(kind: str, admin_url: str, workdir: Path) -> Iterator[str]:
    if kind == "SQLite":
        yield f"sqlite:///{workdir / f'demand-{uuid.uuid4().hex[:6]}.db'}"
        return
    with postgres_database(admin_url) as url:
        yield url


def measure(url: str, count: int) -> dict[str, float]:
    engine = make_engine(url)
    migrations.upgrade(engine)
    factory = make_session_factory(engine)
    operator = Actor.operator()
    with unit_of_work(factory) as session:
        import_esco(session, esco_paths(), version=None, progress=NoProgress())
    with unit_of_work(factory) as session:
        esco = taxonomy_repository.find_framework(session, "esco")
        if esco is None:
            raise SystemExit("ESCO did not load")
        started = time.perf_counter()
        linker = exact_linker(session, esco)
        prepare = time.perf_counter() - started
        skills = [
            s for s in taxonomy_repository.framework_skills(session, esco.id) if not s.is_group
        ]
        labels = [s.preferred_label for s in skills] + [
            label for s in skills for label in s.alt_label_list[:1]
        ]
        data = generate(count, labels, [s.uri for s in skills])
    del linker
    with unit_of_work(factory) as session:
        started = time.perf_counter()
        imported = demand_service.import_postings(
            session,
            operator,
            source="Benchmark",
            postings=PostingsFile("postings.csv", data),
            framework="esco",
        )
        session.flush()
    seconds = time.perf_counter() - started
    with unit_of_work(factory) as session:
        started = time.perf_counter()
        report = demand_service.skills_in_demand(session, operator, limit=50)
        read = time.perf_counter() - started
    engine.dispose()
    return {
        "prepare": prepare,
        "import": seconds,
        "rate": count / seconds,
        "mentions": imported.batch.mentions,
        "skills": imported.skills,
        "read": read,
        "periods": len(report.periods),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "CAIRN_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="admin URL of a PostgreSQL server; empty to measure SQLite only",
    )
    args = parser.parse_args()
    kinds = ["SQLite", "PostgreSQL"] if args.postgres else ["SQLite"]
    print(
        "| Database | Postings | Mentions | Distinct skills | Prepare linker s "
        "| Import s | Postings/s | skills_in_demand s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="cairn-bench-") as tmp:
        for kind in kinds:
            with database(kind, args.postgres, Path(tmp)) as url:
                m = measure(url, args.postings)
            print(
                f"| {kind} | {args.postings:,} | {int(m['mentions']):,} | {int(m['skills']):,} "
                f"| {m['prepare']:.2f} | {m['import']:.2f} | {m['rate']:,.0f} | {m['read']:.2f} |"
            )


if __name__ == "__main__":
    main()
