"""Stacking evaluation time for a learner with 50 credentials against 1,000 rules.

The issue asks for exactly that figure. The catalogue is generated with a seeded RNG, so
every run builds the same one: 5 issuers with 80 published specifications each (ECTS 1-6,
a tenth without ECTS), 1,000 rules (40% all-of, 30% N-of, 30% credit total; about one in
six includes one or two earlier rules) and 100 equivalences between issuers. The learner
holds 50 of the specifications.

Three figures, each as median and 95th percentile over repeated runs:

- the pure evaluation, ``RuleSet.evaluate``, on a compiled rule set, and compiling it
  (cycle check and dependency order) from the 1,000 rules;
- ``stacking_service.what_counts`` on SQLite, each call in a fresh session as a request
  would make it: once right after the rules changed (reading every rule, equivalence and
  credit value, compiling, evaluating) and once reusing the compiled set (a fingerprint
  query, evaluating, reading the titles of the rules that count);
- ``stacking_service.create_rule`` with 1,000 rules already stored: the write-time check
  (published components, satisfiable, no cycle across every rule), rolled back each time.

    .venv/bin/python benchmarks/stacking.py [--rules 1000] [--held 50] [--runs 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import sessionmaker

from cairn import migrations
from cairn.catalogue import stacking_service
from cairn.catalogue.enums import Profile, VersionStatus
from cairn.catalogue.models import Specification, SpecificationVersion
from cairn.catalogue.stacking import Equivalence, Rule, RuleKind, RuleSet
from cairn.catalogue.stacking_models import Equivalence as EquivalenceRow
from cairn.catalogue.stacking_models import StackRule, StackRuleComponent
from cairn.catalogue.stacking_schemas import StackRuleCreate
from cairn.kit.actor import Actor, Role
from cairn.kit.clock import utcnow
from cairn.kit.db import make_engine, make_session_factory
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation

SEED = 2026
ISSUERS = 5
PER_ISSUER = 80


def generate(
    rng: random.Random, rule_count: int
) -> tuple[
    list[uuid.UUID],
    list[uuid.UUID],
    dict[uuid.UUID, uuid.UUID],
    dict[uuid.UUID, float | None],
    list[Rule],
    list[Equivalence],
]:
    """Issuers, specifications (→ issuer), credit values, rules and equivalences."""
    issuers = [uuid.uuid4() for _ in range(ISSUERS)]
    owner = {uuid.uuid4(): issuer for issuer in issuers for _ in range(PER_ISSUER)}
    specifications = list(owner)
    ects: dict[uuid.UUID, float | None] = {
        s: None if rng.random() < 0.1 else float(rng.randint(1, 6)) for s in specifications
    }
    rules: list[Rule] = []
    for number in range(rule_count):
        draw = rng.random()
        kind = (
            RuleKind.ALL_OF
            if draw < 0.4
            else RuleKind.N_OF
            if draw < 0.7
            else RuleKind.CREDIT_TOTAL
        )
        size = rng.randint(3, 6) if kind is RuleKind.ALL_OF else rng.randint(4, 10)
        components = tuple(rng.sample(specifications, size))
        nested = (
            tuple(r.id for r in rng.sample(rules, rng.randint(1, 2)))
            if rules and rng.random() < 1 / 6
            else ()
        )
        available = sum(ects[s] or 0.0 for s in components)
        rules.append(
            Rule(
                id=uuid.uuid4(),
                title=f"Rule {number + 1}",
                kind=kind,
                specification_ids=components,
                rule_ids=nested,
                n=rng.randint(2, min(4, size)) if kind is RuleKind.N_OF else None,
                credits_required=(
                    max(1.0, round(available * rng.uniform(0.4, 0.9)))
                    if kind is RuleKind.CREDIT_TOTAL
                    else None
                ),
            )
        )
    equivalences: list[Equivalence] = []
    seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
    while len(equivalences) < 100:
        ours, theirs = rng.sample(specifications, 2)
        if owner[ours] != owner[theirs] and (ours, theirs) not in seen:
            seen.add((ours, theirs))
            equivalences.append(Equivalence(ours, theirs))
    return issuers, specifications, owner, ects, rules, equivalences


def timed(call: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """Median and p95 in milliseconds, after one warm-up, and the last result."""
    result = call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, result


def build_database(
    factory: sessionmaker[Any],
    issuers: list[uuid.UUID],
    owner: dict[uuid.UUID, uuid.UUID],
    ects: dict[uuid.UUID, float | None],
    rules: list[Rule],
    equivalences: list[Equivalence],
) -> None:
    now = utcnow()
    with factory() as session:
        session.execute(
            insert(Organisation),
            [
                {"id": i, "name": f"Issuer {n}", "slug": f"issuer-{n}", "kind": OrgKind.PROVIDER}
                for n, i in enumerate(issuers, start=1)
            ],
        )
        session.execute(
            insert(Specification),
            [
                {"id": s, "owner_org_id": o, "slug": f"spec-{n}", "created_at": now}
                for n, (s, o) in enumerate(owner.items())
            ],
        )
        session.execute(
            insert(SpecificationVersion),
            [
                {
                    "id": uuid.uuid4(),
                    "specification_id": s,
                    "number": 1,
                    "status": VersionStatus.PUBLISHED,
                    "profile": Profile.EU_2022,
                    "title": f"Micro-credential {n}",
                    "language": "en",
                    "ects": ects[s],
                    "published_at": now,
                }
                for n, s in enumerate(owner)
            ],
        )
        session.execute(
            insert(StackRule),
            [
                {
                    "id": r.id,
                    "owner_org_id": owner[r.specification_ids[0]],
                    "slug": f"rule-{n}",
                    "title": r.title,
                    "kind": r.kind,
                    "n": r.n,
                    "credits_required": r.credits_required,
                    "program_name": f"Program {n}",
                    "created_at": now,
                    "updated_at": now,
                }
                for n, r in enumerate(rules)
            ],
        )
        session.execute(
            insert(StackRuleComponent),
            [
                {"id": uuid.uuid4(), "rule_id": r.id, "specification_id": s}
                for r in rules
                for s in r.specification_ids
            ]
            + [
                {"id": uuid.uuid4(), "rule_id": r.id, "nested_rule_id": nested}
                for r in rules
                for nested in r.rule_ids
            ],
        )
        session.execute(
            insert(EquivalenceRow),
            [
                {
                    "id": uuid.uuid4(),
                    "specification_id": e.specification_id,
                    "equivalent_specification_id": e.equivalent_id,
                    "created_at": now,
                }
                for e in equivalences
            ],
        )
        session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--held", type=int, default=50)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    rng = random.Random(SEED)  # noqa: S311 - repeatable test data, not security
    issuers, specifications, owner, ects, rules, equivalences = generate(rng, args.rules)
    held = rng.sample(specifications, args.held)
    components = sum(len(r.specification_ids) + len(r.rule_ids) for r in rules)
    print(
        f"{len(rules)} rules ({components} components, "
        f"{sum(1 for r in rules if r.rule_ids)} with nested rules), "
        f"{len(specifications)} specifications, {len(equivalences)} equivalences, "
        f"{len(held)} held"
    )
    rows: list[tuple[str, float, float]] = []

    compile_median, compile_p95, rule_set = timed(
        lambda: RuleSet(rules, equivalences, ects), args.runs
    )
    rows.append(("compile: RuleSet(1,000 rules)", compile_median, compile_p95))
    median, p95, progress = timed(lambda: rule_set.evaluate(held), args.runs)
    rows.append(("pure: RuleSet.evaluate", median, p95))
    satisfied = sum(1 for p in progress.values() if p.satisfied)
    counting = sum(1 for p in progress.values() if p.counts)

    with tempfile.TemporaryDirectory() as workdir:
        engine = make_engine(f"sqlite:///{Path(workdir) / 'stacking.db'}")
        migrations.upgrade(engine)
        factory = make_session_factory(engine)
        started = time.perf_counter()
        build_database(factory, issuers, owner, ects, rules, equivalences)
        print(f"database built in {time.perf_counter() - started:.1f} s")
        learner = Actor(person_id=uuid.uuid4(), email="learner@example.org")

        def through_service() -> list[stacking_service.Standing]:
            with factory() as session:
                return stacking_service.what_counts(session, learner, held)

        def after_a_change() -> list[stacking_service.Standing]:
            stacking_service._compiled.clear()  # as after any rule is written
            return through_service()

        service_runs = max(10, args.runs // 4)
        median, p95, _ = timed(after_a_change, service_runs)
        rows.append(("service: what_counts, rules just changed (reads, compiles)", median, p95))
        median, p95, standings = timed(through_service, service_runs)
        rows.append(("service: what_counts, compiled set reused", median, p95))
        if (len(standings), sum(1 for s in standings if s.satisfied)) != (counting, satisfied):
            raise SystemExit("the service and the pure evaluation disagree")

        designer = Actor(
            person_id=uuid.uuid4(),
            email="designer@example.org",
            memberships=frozenset({(issuers[0], Role.EDUCATOR)}),
        )
        ours = [s for s in specifications if owner[s] == issuers[0]]
        data = StackRuleCreate.model_validate(
            {
                "slug": "new-rule",
                "title": "New rule",
                "kind": "n_of",
                "n": 2,
                "program_name": "New program",
                "specification_ids": [str(s) for s in ours[:5]],
                "rule_ids": [str(rules[-1].id), str(rules[-2].id)],
            }
        )

        def write() -> None:
            with factory() as session:
                stacking_service.create_rule(session, designer, issuers[0], data)
                session.rollback()

        median, p95, _ = timed(write, service_runs)
        rows.append(("service: create_rule, 1,000 stored", median, p95))
        engine.dispose()

    print(f"{satisfied} rules satisfied, {counting} with something counting\n")
    print("| Step | median ms | p95 ms |\n|---|---:|---:|")
    for name, median, p95 in rows:
        print(f"| {name} | {median:.2f} | {p95:.2f} |")


if __name__ == "__main__":
    main()
