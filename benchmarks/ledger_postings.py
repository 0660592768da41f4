"""Ledger postings under concurrent load, then the audit over everything they wrote.

On a fresh PostgreSQL database: ``--programs`` programs sharing ``--learners`` learners, each
learner granted credit up front. Then ``--clients`` client processes (as a web server's
workers would be: threads in one interpreter would measure its lock, not the ledger), each
with its own connection and one transaction per posting, post ``--postings`` postings in a realistic mix: grants (15%),
holds (45%) and, of the holds still open, captures (25%) and releases (15%). One learner in
ten of the operations is one of ten "hot" learners, so their credit accounts are fought
over; every hold, capture and release also locks its program's HELD account. Refusals
(overdrafts) count as postings answered. Reported: postings/s, p50 and p95 latency per
posting (its whole transaction), then ``audit_ledger`` over the whole ledger: its time and
its violations (there must be none).

    .venv/bin/python benchmarks/ledger_postings.py [--postings 20000] [--clients 16]
        [--learners 1000] [--programs 4]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

The URL (or ``CAIRN_BENCH_DATABASE_URL``) names a server: a throwaway database is made there.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from bench_databases import postgres_database
from cairn import migrations
from cairn.accounts import holds, ledger
from cairn.accounts.audit import audit_ledger
from cairn.accounts.enums import ParticipantStatus, ProgramStatus
from cairn.accounts.ledger import PostedBy
from cairn.accounts.ledger_models import Hold
from cairn.accounts.models import Participant, Program
from cairn.kit.db import make_engine, make_session_factory, unit_of_work
from cairn.kit.errors import DomainError
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation, Person

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BY = PostedBy(None, "benchmark")
DAY = date(2026, 3, 2)
HOT = 10


@dataclass
class Setup:
    programs: list[Program]
    learners: list[tuple[uuid.UUID, uuid.UUID, int]]
    """(person id, participant id, program index)."""


@dataclass
class Shared:
    """One client's state: the holds it placed and may settle, its latencies and outcomes."""

    open_holds: list[Hold] = field(default_factory=list)
    """As placed: a settlement merges its hold without loading it, as postings do programs."""
    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)


def prepare(factory: sessionmaker[Session], learners: int, programs: int) -> Setup:
    with unit_of_work(factory) as session:
        org = Organisation(name="Bench authority", slug="bench", kind=OrgKind.PROGRAM_AUTHORITY)
        session.add(org)
        session.flush()
        made = [
            Program(
                org_id=org.id,
                slug=f"bench-{number}",
                name=f"Bench program {number}",
                status=ProgramStatus.OPEN,
                currency="SGD",
                rules={
                    "currency": "SGD",
                    "tiers": [{"code": "base", "name": "Base"}],
                    "deduction_order": ["base"],
                },
            )
            for number in range(programs)
        ]
        session.add_all(made)
        people: list[dict[str, Any]] = [
            {"id": uuid.uuid4(), "email": f"learner{n}@bench.example", "display_name": f"L{n}"}
            for n in range(learners)
        ]
        session.execute(insert(Person), people)
        learners_made = [
            (person["id"], uuid.uuid4(), n % programs) for n, person in enumerate(people)
        ]
        session.flush()
        session.execute(
            insert(Participant),
            [
                {
                    "id": participant_id,
                    "program_id": made[index].id,
                    "person_id": person_id,
                    "status": ParticipantStatus.ACTIVE,
                    "joined_on": DAY,
                }
                for person_id, participant_id, index in learners_made
            ],
        )
        setup = Setup(made, learners_made)
        for person_id, participant_id, index in setup.learners:
            ledger.grant(
                session,
                program=made[index],
                person_id=person_id,
                tier="base",
                amount_minor=200_000,
                grant_key="welcome",
                granted_on=DAY,
                expires_on=None,
                by=BY,
                reason="Welcome credit",
                participant_id=participant_id,
            )
        session.expunge_all()
    return setup


def one_posting(session: Session, setup: Setup, shared: Shared, rng: random.Random) -> str:
    learner = rng.randrange(HOT) if rng.random() < 0.1 else rng.randrange(len(setup.learners))
    person_id, participant_id, index = setup.learners[learner]
    program = session.merge(setup.programs[index], load=False)
    roll = rng.random()
    if roll >= 0.6:
        placed = (
            shared.open_holds.pop(rng.randrange(len(shared.open_holds)))
            if shared.open_holds
            else None
        )
        if placed is not None:
            hold = session.merge(placed, load=False)
            settle = holds.capture if roll < 0.85 else holds.release
            settle(session, hold, by=BY, reason="Settled")
            return "capture" if settle is holds.capture else "release"
    if roll < 0.15:
        ledger.grant(
            session,
            program=program,
            person_id=person_id,
            tier="base",
            amount_minor=rng.randrange(1_000, 20_000),
            grant_key=f"top-up-{uuid.uuid4()}",
            granted_on=DAY,
            expires_on=None,
            by=BY,
            reason="Top-up",
            participant_id=participant_id,
        )
        return "grant"
    credit = ledger.credit_account(session, program, person_id, "base")
    hold = holds.place_hold(
        session,
        program=program,
        person_id=person_id,
        enrolment_id=uuid.uuid4(),
        by=BY,
        idempotency_key=f"enrol-{uuid.uuid4()}",
        reason="Enrolled",
        sources=[(credit, rng.randrange(2_000, 30_000))],
        budget_minor=None,
    )
    session.info["placed"] = hold
    return "hold"


def client(
    url: str, setup: Setup, total: int, seed: int, start: Barrier, results: Queue[Shared]
) -> None:
    """One client process: its own engine and connection, ``total`` postings, started with
    the others once all are connected (so that start-up is not timed)."""
    engine = make_engine(url, pool_size=1, max_overflow=0)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:  # connect and warm up before the start
        session.merge(setup.programs[0], load=False)
    start.wait()
    rng = random.Random(seed)  # noqa: S311 - a repeatable load, not security
    shared = Shared()
    for _ in range(total):
        started = time.perf_counter()
        placed = None
        try:
            with unit_of_work(factory) as session:
                outcome = one_posting(session, setup, shared, rng)
                placed = session.info.pop("placed", None)
        except DomainError as error:
            outcome = f"refused ({error.code})"
        shared.latencies.append(time.perf_counter() - started)
        shared.outcomes[outcome] += 1
        if placed is not None:
            shared.open_holds.append(placed)
    engine.dispose()
    results.put(shared)


def run(url: str, postings: int, clients: int, learners: int, programs: int) -> None:
    console = Console()
    with postgres_database(url) as database_url:
        engine = make_engine(database_url)
        migrations.upgrade(engine)
        factory = make_session_factory(engine)
        setup = prepare(factory, learners, programs)
        engine.dispose()
        results: Queue[Shared] = multiprocessing.Queue()
        start = multiprocessing.Barrier(clients + 1)
        processes = [
            multiprocessing.Process(
                target=client,
                args=(database_url, setup, postings // clients, seed, start, results),
            )
            for seed in range(clients)
        ]
        for process in processes:
            process.start()
        start.wait()
        started = time.perf_counter()
        shared = Shared()
        for _ in processes:
            done = results.get()
            shared.latencies.extend(done.latencies)
            shared.outcomes.update(done.outcomes)
        elapsed = time.perf_counter() - started
        for process in processes:
            process.join()
        engine = make_engine(database_url)
        factory = make_session_factory(engine)
        audit_started = time.perf_counter()
        with unit_of_work(factory) as session:
            report = audit_ledger(session)
        audit_time = time.perf_counter() - audit_started
        engine.dispose()
    cuts = statistics.quantiles(shared.latencies, n=100)
    table = Table(
        title=f"Ledger postings: {clients} clients, {learners:,} learners, {programs} programs"
    )
    table.add_column("figure")
    table.add_column("value", justify="right")
    for label, value in (
        ("postings", f"{len(shared.latencies):,}"),
        ("postings/s", f"{len(shared.latencies) / elapsed:,.0f}"),
        ("p50 latency", f"{cuts[49] * 1000:.1f} ms"),
        ("p95 latency", f"{cuts[94] * 1000:.1f} ms"),
        *((f"  {kind}", f"{count:,}") for kind, count in sorted(shared.outcomes.items())),
        ("audit: entries checked", f"{report.entries_checked:,}"),
        ("audit: transfers checked", f"{report.transfers_checked:,}"),
        ("audit time", f"{audit_time:.2f} s"),
        ("audit violations", str(len(report.violations))),
    ):
        table.add_row(label, value)
    console.print(table)
    if report.violations:
        for violation in report.violations[:20]:
            console.print(violation.message)
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--learners", type=int, default=1_000)
    parser.add_argument("--programs", type=int, default=4)
    parser.add_argument(
        "--database-url", default=os.environ.get("CAIRN_BENCH_DATABASE_URL", DEFAULT_URL)
    )
    args = parser.parse_args()
    run(args.database_url, args.postings, args.clients, args.learners, args.programs)


if __name__ == "__main__":
    main()
