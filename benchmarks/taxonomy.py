"""Taxonomy import time, peak memory and skill-search latency, on SQLite and PostgreSQL.

Each import runs through the real ``cairn taxonomy import`` command in its own process on a
fresh database, so its wall time and peak resident memory are its own. Search latency is
measured in-process over ESCO with a fixed list of queries (some misspelt), after one
warm-up query that builds the typo-correction vocabulary.

    .venv/bin/python benchmarks/taxonomy.py [--shared ../shared/data] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench_databases import postgres_database
from cairn import migrations
from cairn.kit.actor import Actor
from cairn.kit.db import make_engine, make_session_factory, unit_of_work
from cairn.taxonomy import service

CAIRN = str(Path(sys.executable).with_name("cairn"))
QUERIES = (
    "python programming",
    "spreadsheet",
    "customer service",
    "manage budgets",
    "welding",
    "machine learning",
    "teamwork",
    "wound care",
    "forklift",
    "project management",
    "data analysis",
    "negotiate contracts",
    "food safety",
    "pyhton",
    "spredsheet software",
    "custmer service",
    "communication",
    "cloud computing",
    "first aid",
    "social media marketing",
)
ROUNDS = 25


@dataclass(frozen=True)
class ImportResult:
    database: str
    what: str
    seconds: float
    peak_mib: float


@contextmanager
def database(kind: str, admin_url: str, workdir: Path) -> Iterator[str]:
    if kind == "SQLite":
        yield f"sqlite:///{workdir / f'bench-{uuid.uuid4().hex[:6]}.db'}"
        return
    with postgres_database(admin_url) as url:
        yield url


def timed_command(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed: {child.stderr.read().decode() if child.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss / 1024


def search_latencies(url: str) -> list[float]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    latencies: list[float] = []
    rng = random.Random(7)  # noqa: S311 - benchmark order, not security
    with unit_of_work(factory) as session:
        warm = service.SkillQuery(text="warm up", framework="esco")
        service.search_skills(session, Actor.operator(), warm)
        for _ in range(ROUNDS):
            for text in rng.sample(QUERIES, len(QUERIES)):
                query = service.SkillQuery(text=text, framework="esco", limit=10)
                start = time.perf_counter()
                service.search_skills(session, Actor.operator(), query)
                latencies.append((time.perf_counter() - start) * 1000)
    engine.dispose()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "CAIRN_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="admin URL of a PostgreSQL server; empty to measure SQLite only",
    )
    args = parser.parse_args()
    esco = [
        args.shared / "esco" / "v1.2.0",
        args.shared / "esco" / "v1.2.0-rebuilt" / "skills_en.csv.gz",
    ]
    onet = args.shared / "onet" / "29.2"
    imports: list[ImportResult] = []
    searches: dict[str, list[float]] = {}
    kinds = ["SQLite", "PostgreSQL"] if args.postgres else ["SQLite"]
    with tempfile.TemporaryDirectory(prefix="cairn-bench-") as tmp:
        for kind in kinds:
            with database(kind, args.postgres, Path(tmp)) as url:
                engine = make_engine(url)
                migrations.upgrade(engine)
                engine.dispose()
                env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
                env |= {"CAIRN_DATABASE_URL": url, "CAIRN_DATA_DIR": tmp, "NO_COLOR": "1"}
                for what, command in (
                    ("ESCO v1.2.0", ["esco", *map(str, esco)]),
                    ("ESCO v1.2.0 again (no changes)", ["esco", *map(str, esco)]),
                    ("O*NET 29.2", ["onet", str(onet)]),
                ):
                    seconds, peak = timed_command([CAIRN, "taxonomy", "import", *command], env)
                    imports.append(ImportResult(kind, what, seconds, peak))
                searches[kind] = search_latencies(url)

    print("| Database | Import | Seconds | Peak memory (MiB) |")
    print("|---|---|---:|---:|")
    for result in imports:
        print(
            f"| {result.database} | {result.what} | {result.seconds:.1f} | {result.peak_mib:.0f} |"
        )
    print()
    print(f"Skill search over ESCO: {len(QUERIES)} queries x {ROUNDS} rounds, limit 10\n")
    print("| Database | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|")
    for kind, latencies in searches.items():
        quantiles = statistics.quantiles(latencies, n=100)
        print(f"| {kind} | {quantiles[49]:.1f} | {quantiles[94]:.1f} | {max(latencies):.1f} |")


if __name__ == "__main__":
    main()
