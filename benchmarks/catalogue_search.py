"""Public catalogue search latency with 20,000 published specifications.

The catalogue is generated from a seeded RNG, the same every run: 100 issuers, a skills
framework of 40 groups with 10 skills each, and ``--specifications`` published versions
(plus a tenth as many drafts, which search must skip) with 2-5 learning outcomes each,
most aligned to a skill at a level; titles, summaries and outcomes are drawn from a small
vocabulary so that words match hundreds to thousands of rows, as real ones do. A tenth of
the versions are endorsed by one of 20 employers. Rows go in with bulk ``INSERT``s, then
``ANALYZE``.

Each query of the mix runs through ``search.search_catalogue`` (count, one page of 20,
three facet counts) in a fresh session, as a request would; median and 95th percentile
over ``--rounds`` rounds after one warm-up round.

    .venv/bin/python benchmarks/catalogue_search.py [--specifications 20000] [--rounds 20]
        [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session, sessionmaker

from bench_databases import postgres_database
from cairn import migrations
from cairn.catalogue.enums import Participation, Profile, VersionStatus
from cairn.catalogue.models import (
    Endorsement,
    LearningOutcome,
    Specification,
    SpecificationVersion,
)
from cairn.catalogue.search import CatalogueQuery, search_catalogue
from cairn.catalogue.search_repository import Sort
from cairn.kit.clock import utcnow
from cairn.kit.db import make_engine, make_session_factory
from cairn.kit.pagination import PageParams
from cairn.orgs.enums import OrgKind, SizeBand
from cairn.orgs.models import Organisation
from cairn.taxonomy.models import Framework, Skill, SkillBroader

SEED = 2026
ISSUERS, EMPLOYERS, GROUPS, PER_GROUP = 100, 20, 40, 10
TOPICS = [
    "wound",
    "care",
    "infection",
    "control",
    "medication",
    "safety",
    "patient",
    "records",
    "data",
    "analysis",
    "spreadsheets",
    "cloud",
    "security",
    "welding",
    "electrical",
    "wiring",
    "carpentry",
    "plumbing",
    "bookkeeping",
    "payroll",
    "customer",
    "service",
    "project",
    "planning",
    "leadership",
    "coaching",
    "food",
    "safety",
    "logistics",
    "forklift",
    "operation",
    "first",
    "aid",
    "accessibility",
    "design",
    "web",
    "development",
    "python",
    "programming",
    "machine",
    "learning",
    "marketing",
    "sales",
    "negotiation",
    "sustainability",
    "energy",
    "audits",
]
VERBS = [
    "apply",
    "assess",
    "plan",
    "document",
    "explain",
    "choose",
    "measure",
    "maintain",
    "review",
    "design",
]
REGIONS = ["Ontario", "Québec", "Bavaria", "Catalonia", "Flanders", "Lombardy", "Scotland"]
LANGUAGES = ["en", "en", "en", "fr", "fr-CA", "de", "es"]


@dataclass(frozen=True)
class Built:
    seconds: float
    specifications: int
    outcomes: int
    skill_uris: list[str]
    group_uris: list[str]
    issuer_slugs: list[str]
    employer_slugs: list[str]


def _phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(TOPICS) for _ in range(words))


def build(factory: sessionmaker[Session], count: int) -> Built:
    rng = random.Random(SEED)  # noqa: S311 - repeatable test data, not security
    started = time.perf_counter()
    now = utcnow()
    issuers = [uuid.uuid4() for _ in range(ISSUERS)]
    employers = [uuid.uuid4() for _ in range(EMPLOYERS)]
    framework_id = uuid.uuid4()
    groups = [(uuid.uuid4(), f"https://bench.example/group/{g}") for g in range(GROUPS)]
    skills = [
        (uuid.uuid4(), f"https://bench.example/skill/{g}-{s}", group_id)
        for g, (group_id, _) in enumerate(groups)
        for s in range(PER_GROUP)
    ]
    specs: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    outcomes: list[dict[str, Any]] = []
    endorsements: list[dict[str, Any]] = []
    drafts = count // 10
    for n in range(count + drafts):
        spec_id, version_id = uuid.uuid4(), uuid.uuid4()
        price = rng.choice([0, 0, 5000, 15000, 30000, 60000, None])
        specs.append(
            {
                "id": spec_id,
                "owner_org_id": rng.choice(issuers),
                "slug": f"spec-{n}",
                "created_at": now,
            }
        )
        versions.append(
            {
                "id": version_id,
                "specification_id": spec_id,
                "number": 1,
                "status": VersionStatus.PUBLISHED if n < count else VersionStatus.DRAFT,
                "profile": Profile.EU_2022,
                "title": _phrase(rng, 3).capitalize(),
                "summary": _phrase(rng, 12),
                "language": rng.choice(LANGUAGES),
                "country": "CA",
                "region": rng.choice(REGIONS),
                "workload_hours": float(rng.randint(10, 120)),
                "ects": float(rng.randint(1, 6)),
                "eqf_level": rng.randint(3, 7),
                "participation": rng.choice(list(Participation)),
                "price_minor": price,
                "currency": None if price is None else "CAD",
                "summative": True,
                "transcriptable": False,
                "published_at": now if n < count else None,
                "created_at": now,
                "updated_at": now,
            }
        )
        version, statements = versions[-1], []
        for position in range(1, rng.randint(2, 5) + 1):
            skill = rng.choice(skills) if rng.random() < 0.8 else None
            statements.append(f"{rng.choice(VERBS).capitalize()} {_phrase(rng, 4)}.")
            outcomes.append(
                {
                    "id": uuid.uuid4(),
                    "version_id": version_id,
                    "position": position,
                    "statement": statements[-1],
                    "skill_id": skill[0] if skill else None,
                    "level": rng.randint(1, 5) if skill else None,
                }
            )
        # What the service writes; the bulk INSERT bypasses it.
        version["search_text"] = "\n".join([version["title"], version["summary"], *statements])
        if n < count and rng.random() < 0.1:
            endorsements.append(
                {
                    "id": uuid.uuid4(),
                    "version_id": version_id,
                    "org_id": rng.choice(employers),
                    "endorsed_at": now,
                }
            )
    with factory() as session:
        session.execute(
            insert(Organisation),
            [
                {"id": i, "name": f"Issuer {n}", "slug": f"issuer-{n}", "kind": OrgKind.PROVIDER}
                for n, i in enumerate(issuers)
            ]
            + [
                {
                    "id": i,
                    "name": f"Employer {n}",
                    "slug": f"employer-{n}",
                    "kind": OrgKind.EMPLOYER,
                    "size_band": SizeBand.LARGE,
                }
                for n, i in enumerate(employers)
            ],
        )
        session.execute(
            insert(Framework),
            [{"id": framework_id, "slug": "bench", "version": "1", "title": "Bench skills"}],
        )
        session.execute(
            insert(Skill),
            [
                {
                    "id": i,
                    "framework_id": framework_id,
                    "uri": uri,
                    "preferred_label": f"group {n}",
                    "alt_labels": "",
                    "is_group": True,
                }
                for n, (i, uri) in enumerate(groups)
            ]
            + [
                {
                    "id": i,
                    "framework_id": framework_id,
                    "uri": uri,
                    "preferred_label": f"skill {uri.rsplit('/', 1)[1]}",
                    "alt_labels": "",
                    "is_group": False,
                }
                for i, uri, _ in skills
            ],
        )
        session.execute(
            insert(SkillBroader), [{"skill_id": i, "broader_id": g} for i, _, g in skills]
        )
        for model, rows in (
            (Specification, specs),
            (SpecificationVersion, versions),
            (LearningOutcome, outcomes),
            (Endorsement, endorsements),
        ):
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])
        session.commit()
        session.execute(text("ANALYZE"))
        session.commit()
    return Built(
        seconds=time.perf_counter() - started,
        specifications=count,
        outcomes=len(outcomes),
        skill_uris=[uri for _, uri, _ in skills],
        group_uris=[uri for _, uri in groups],
        issuer_slugs=[f"issuer-{n}" for n in range(ISSUERS)],
        employer_slugs=[f"employer-{n}" for n in range(EMPLOYERS)],
    )


def queries(built: Built) -> list[tuple[str, CatalogueQuery]]:
    """The mix: no filter, words, each filter alone, and a few combined."""
    return [
        ("everything, newest first", CatalogueQuery(sort=Sort.NEWEST)),
        ("one word", CatalogueQuery(text="welding")),
        ("two words", CatalogueQuery(text="wound care")),
        ("word in outcomes only", CatalogueQuery(text="maintain")),
        ("no match", CatalogueQuery(text="zeppelin")),
        ("skill", CatalogueQuery(skill=built.skill_uris[17])),
        ("skill group, narrower", CatalogueQuery(skill=built.group_uris[3], narrower=True)),
        ("skill at level 4+", CatalogueQuery(skill=built.skill_uris[42], skill_level=4)),
        ("EQF level", CatalogueQuery(eqf_level=5)),
        ("region + language", CatalogueQuery(region="Ontario", language="fr")),
        ("free, online", CatalogueQuery(free=True, participation=Participation.ONLINE)),
        ("max price, by price", CatalogueQuery(max_price_minor=15000, sort=Sort.PRICE)),
        ("endorsed by", CatalogueQuery(endorsed_by=built.employer_slugs[4])),
        ("issuer", CatalogueQuery(issuer=built.issuer_slugs[7])),
        (
            "words + skill group + EQF + price",
            CatalogueQuery(
                text="safety",
                skill=built.group_uris[5],
                narrower=True,
                eqf_level=4,
                max_price_minor=30000,
            ),
        ),
    ]


def measure(
    factory: sessionmaker[Session], built: Built, rounds: int
) -> dict[str, tuple[list[float], int]]:
    mix = queries(built)
    samples: dict[str, list[float]] = {name: [] for name, _ in mix}
    totals: dict[str, int] = {}
    for round_number in range(rounds + 1):
        for name, query in mix:
            with factory() as session:
                started = time.perf_counter()
                result = search_catalogue(session, None, query, PageParams(per_page=20))
                elapsed = (time.perf_counter() - started) * 1000
            totals[name] = result.page.total
            if round_number:
                samples[name].append(elapsed)
    return {name: (samples[name], totals[name]) for name, _ in mix}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


@contextmanager
def database(kind: str, admin_url: str, workdir: Path) -> Iterator[str]:
    if kind == "SQLite":
        yield f"sqlite:///{workdir / f'catalogue-{uuid.uuid4().hex[:6]}.db'}"
        return
    with postgres_database(admin_url) as url:
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--specifications", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "CAIRN_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="admin URL of a PostgreSQL server; empty to measure SQLite only",
    )
    args = parser.parse_args()
    kinds = ["SQLite", "PostgreSQL"] if args.postgres else ["SQLite"]
    results: list[tuple[str, Built, dict[str, tuple[list[float], int]]]] = []
    with tempfile.TemporaryDirectory(prefix="cairn-bench-") as tmp:
        for kind in kinds:
            with database(kind, args.postgres, Path(tmp)) as url:
                engine = make_engine(url)
                migrations.upgrade(engine)
                factory = make_session_factory(engine)
                built = build(factory, args.specifications)
                results.append((kind, built, measure(factory, built, args.rounds)))
                engine.dispose()
    for kind, built, timings in results:
        print(
            f"{kind}: {built.specifications:,} published (+{built.specifications // 10:,} drafts),"
            f" {built.outcomes:,} outcomes, built in {built.seconds:.1f} s\n"
        )
        print("| Query | Results | p50 ms | p95 ms |")
        print("|---|---:|---:|---:|")
        every: list[float] = []
        for name, (samples, total) in timings.items():
            every += samples
            print(f"| {name} | {total:,} | {statistics.median(samples):.1f} | {p95(samples):.1f} |")
        print(f"| **all queries** | | {statistics.median(every):.1f} | {p95(every):.1f} |\n")


if __name__ == "__main__":
    main()
