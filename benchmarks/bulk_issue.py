"""Bulk issue of 10,000 credentials from a CSV file, as ``cairn bulk-issue run`` does it.

For each database and proof format, on a fresh database: the built-in digital framework,
a college with a published micro-credential like the demo's "Digital safety at work" (two
outcomes aligned to the framework, endorsed by an employer), and 10,000 learners already
on Cairn. The CSV gives every learner a date and a grade, one in four an evidence link and
one in ten an expiry date. Two figures per row, each in its own transaction:

- the dry run (``dry_run=True``): the file read and every row checked against the
  database, nothing issued;
- the real run: checked again, then every award recorded with its surveys, every
  credential signed, stored, put in the wallet and announced by mail, and committed;
  its wall time, and this process's CPU time (the database server's is not counted),
  which stays put when other work shares the machine.

    .venv/bin/python benchmarks/bulk_issue.py [--rows 10000] [--proof eddsa-rdfc-2022 ...]
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres]

``--database-url`` names a PostgreSQL server: a throwaway database is made there per run.
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import insert

from bench_databases import postgres_database
from cairn import migrations
from cairn.catalogue import service as catalogue_service
from cairn.catalogue.enums import AssessmentType, IdentityCheck, Participation, Profile
from cairn.catalogue.schemas import SpecificationCreate
from cairn.credentials import bulk_service
from cairn.credentials.bulk_csv import CsvFile
from cairn.credentials.bulk_service import BulkIssue
from cairn.credentials.issued_models import BatchStatus, ProofFormat
from cairn.kit.actor import Actor
from cairn.kit.db import make_engine, make_session_factory, unit_of_work
from cairn.kit.progress import NoProgress
from cairn.orgs.enums import OrgKind, SizeBand
from cairn.orgs.models import Organisation, Person
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.importers.builtin import load_digital_framework

SLUG = "digital-safety-at-work"
OUTCOMES = (
    ("4.1", 4, "Protect devices and accounts with strong, managed sign-ins."),
    ("4.2", 4, "Handle personal data as privacy law and policy require."),
)


@dataclass(frozen=True)
class Result:
    database: str
    proof: ProofFormat
    rows: int
    check: float
    issue: float
    issue_cpu: float
    """This process's CPU time for the real run: what it costs when the machine is shared."""


def make_issuer(url: str, rows: int) -> tuple[str, bytes]:
    """A migrated database with the issuer, its published micro-credential and ``rows``
    learners; returns the issuer's short name and the CSV file."""
    engine = make_engine(url)
    migrations.upgrade(engine)
    operator = Actor.operator()
    with unit_of_work(make_session_factory(engine)) as session:
        load_digital_framework(session, progress=NoProgress())
        framework = taxonomy_repository.find_framework(session, "cairn-digital")
        if framework is None:
            raise SystemExit("the digital framework did not load")
        college = Organisation(
            name="Lakeshore College", slug="lakeshore-college", kind=OrgKind.PROVIDER
        )
        employer = Organisation(
            name="Northwind Health Network",
            slug="northwind-health",
            kind=OrgKind.EMPLOYER,
            size_band=SizeBand.LARGE,
        )
        session.add_all([college, employer])
        session.flush()
        outcomes = []
        for code, level, statement in OUTCOMES:
            skill = taxonomy_repository.find_skill_by_code(session, framework.id, code)
            outcomes.append(
                {"statement": statement, "skill_id": skill and skill.id, "level": level}
            )
        version = catalogue_service.create_specification(
            session,
            operator,
            college.id,
            SpecificationCreate.model_validate(
                {
                    "slug": SLUG,
                    "title": "Digital safety at work",
                    "summary": "Keep devices, accounts and customer data safe in everyday work.",
                    "profile": Profile.ECAMPUS_ONTARIO,
                    "language": "en",
                    "country": "CA",
                    "region": "Ontario",
                    "workload_hours": 20,
                    "assessment_type": AssessmentType.ADAPTIVE_TEST,
                    "participation": Participation.ONLINE,
                    "identity_check": IdentityCheck.ONLINE_UNSUPERVISED_CHECKED,
                    "summative": True,
                    "quality_assurance": "Approved by the college's program quality committee.",
                    "stackability": "Counts toward the Digital Workplace certificate.",
                    "transcriptable": True,
                    "grading_scheme": "Pass or fail against a checklist.",
                    "outcomes": outcomes,
                }
            ),
        )
        catalogue_service.submit_for_review(session, operator, version.id)
        catalogue_service.endorse(
            session, operator, version.id, employer.id, "Built with our clinical educators."
        )
        catalogue_service.publish(session, operator, version.id)
        learners = [
            {
                "id": uuid.uuid4(),
                "email": f"learner{number:05d}@example.org",
                "display_name": f"Learner {number:05d}",
            }
            for number in range(rows)
        ]
        for start in range(0, rows, 1_000):
            session.execute(insert(Person), learners[start : start + 1_000])
    engine.dispose()
    return college.slug, learners_csv([str(row["email"]) for row in learners])


def learners_csv(emails: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ("email", "awarded_on", "grade", "evidence_url", "evidence_name", "valid_until")
    )
    first = date(2026, 1, 5)
    for number, email in enumerate(emails):
        writer.writerow(
            (
                email,
                (first + timedelta(days=number % 60)).isoformat(),
                "Pass" if number % 7 else "Merit",
                f"https://portfolio.example.org/{number}" if number % 4 == 0 else "",
                "Final project" if number % 8 == 0 else "",
                "2031-06-30" if number % 10 == 0 else "",
            )
        )
    return buffer.getvalue().encode()


def measure(url: str, database: str, proof: ProofFormat, rows: int) -> Result:
    org_slug, data = make_issuer(url, rows)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    operator = Actor.operator()
    timings = {}
    cpu = 0.0
    for dry_run in (True, False):
        started, cpu = time.perf_counter(), time.process_time()
        with unit_of_work(factory) as session:
            org = session.query(Organisation).filter_by(slug=org_slug).one()
            batch = bulk_service.issue_from_csv(
                session,
                operator,
                org.id,
                CsvFile("learners.csv", data),
                BulkIssue(SLUG, proof, dry_run=dry_run),
            )
            expected = BatchStatus.CHECKED if dry_run else BatchStatus.ISSUED
            if batch.status is not expected:
                raise SystemExit(f"{batch.status}: {batch.problems}")
        timings[dry_run] = time.perf_counter() - started
        cpu = time.process_time() - cpu
    engine.dispose()
    return Result(database, proof, rows, timings[True], timings[False], cpu)


@contextmanager
def database(kind: str, server_url: str | None, workdir: Path) -> Iterator[str]:
    if server_url is None:
        yield f"sqlite:///{workdir / f'bulk-{uuid.uuid4().hex[:6]}.db'}"
        return
    with postgres_database(server_url) as url:
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--proof",
        type=ProofFormat,
        nargs="+",
        default=[ProofFormat.EDDSA_RDFC_2022],
        help="proof formats to measure, each on its own fresh database",
    )
    parser.add_argument(
        "--database-url",
        help="admin URL of a PostgreSQL server to measure too (a throwaway database is made)",
    )
    args = parser.parse_args()
    console = Console(width=max(Console().width, 110))  # the table whole, even in a pipe
    servers: list[tuple[str, str | None]] = [("SQLite", None)]
    if args.database_url:
        servers.append(("PostgreSQL", args.database_url))
    results = []
    with tempfile.TemporaryDirectory(prefix="cairn-bench-") as tmp:
        for kind, server_url in servers:
            for proof in args.proof:
                with database(kind, server_url, Path(tmp)) as url:
                    results.append(measure(url, kind, proof, args.rows))
                console.print(f"{kind}, {proof}: done")
    table = Table(title=f"Bulk issue of {args.rows:,} credentials from CSV")
    for column in ("Database", "Proof", "Rows", "Dry run s", "Issue s", "Issue CPU s", "Rows/s"):
        table.add_column(column, justify="left" if column in ("Database", "Proof") else "right")
    for result in results:
        table.add_row(
            result.database,
            result.proof.value,
            f"{result.rows:,}",
            f"{result.check:.2f}",
            f"{result.issue:.2f}",
            f"{result.issue_cpu:.2f}",
            f"{result.rows / result.issue:,.0f}",
        )
    console.print(table)


if __name__ == "__main__":
    main()
