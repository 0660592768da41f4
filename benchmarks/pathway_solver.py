"""Pathway solve time on catalogues of 500 and 5,000 micro-credentials, and how much
dearer the heuristic's plans are than the optimum.

The issue asks for p95 under 250 ms at 5,000. Catalogues and learners come from a seeded
RNG, so every run builds the same ones:

- skills in domains of 20 (200 skills for 500 credentials, 400 for 5,000); a credential
  covers 1-4 skills of one domain, costs 200-3,000 dollars (log-uniform), takes 10-120
  hours at 4-10 hours a week, and has 2-6 offerings over 18 months (prices within 10 %);
  three in ten are advanced, requiring one or two introductory credentials of their domain;
  credits are hours / 25 (ECTS-like);
- a public program funds seven in ten credentials: 70 % subsidy (90 % from age 40), a base
  credit tier (0-500 dollars left, up to 500 an item) and, from 40, a mid-career tier of
  4,000 dollars; half the learners' employers match 50 % of the co-pay on four in ten
  credentials, up to 1,000-3,000 dollars;
- each learner wants 3-10 skills of one or two neighbouring domains, holds up to 3
  credentials, and has (mostly) a budget of 500-5,000 dollars, 5-20 hours a week and a
  deadline 6-18 months out; one in five must also stack two of a set of specifications;
  one in five puts time first.

Per problem: ``solve`` with its default 0.2 s limit (the solve time includes pre-filtering,
the heuristic bound, the integer program and funding the plan; infeasible ones include the
diagnosis) and ``heuristic`` alone; every plan is checked with ``check_plan``. "Heuristic
found" is the share of feasible problems it finds a plan for; its extra cost is over
problems where the optimum is proven, both found a plan, cost comes first and the optimum
is above zero.

    .venv/bin/python benchmarks/pathway_solver.py [--sizes 500 5000] [--learners 200]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta

from cairn.pathways.heuristic import heuristic
from cairn.pathways.problem import (
    Candidate,
    Constraints,
    CreditPool,
    Infeasible,
    MatchingPool,
    Objective,
    Problem,
    RequirementGroup,
    check_plan,
)
from cairn.pathways.solver import solve

SEED = 2027
DOMAIN_SIZE = 20
CATALOGUE_START = date(2027, 1, 4)
HORIZON_DAYS = 540
BASE_POOL = "public/base"
MID_POOL = "public/mid-career"
MATCHING_POOL = "employer/match"


@dataclass(frozen=True)
class Offering:
    id: str
    specification_id: str
    domain: int
    covers: frozenset[str]
    price_minor: int
    hours: float
    starts_on: date
    ends_on: date
    weekly_hours: float
    credits: float
    requires: tuple[frozenset[str], ...]
    public: bool
    employer: bool


def build_catalogue(rng: random.Random, credentials: int) -> tuple[list[Offering], int]:
    """The offerings, and how many skills there are."""
    skills = 200 if credentials <= 500 else 400
    domains = skills // DOMAIN_SIZE
    introductory: dict[int, list[str]] = {d: [] for d in range(domains)}
    offerings: list[Offering] = []
    for number in range(credentials):
        spec = f"mc-{number}"
        domain = rng.randrange(domains)
        covers = frozenset(
            f"skill-{domain * DOMAIN_SIZE + s}"
            for s in rng.sample(range(DOMAIN_SIZE), rng.randint(1, 4))
        )
        requires: tuple[frozenset[str], ...] = ()
        if introductory[domain] and rng.random() < 0.3:
            clause = rng.sample(
                introductory[domain], min(len(introductory[domain]), rng.randint(1, 2))
            )
            requires = (frozenset(clause),)
        else:
            introductory[domain].append(spec)
        price = round(math.exp(rng.uniform(math.log(20_000), math.log(300_000))))
        hours = float(rng.randint(10, 120))
        weeks = max(1, math.ceil(hours / rng.uniform(4, 10)))
        public = rng.random() < 0.7
        employer = rng.random() < 0.4
        for run in range(rng.randint(2, 6)):
            starts = CATALOGUE_START + timedelta(days=rng.randrange(HORIZON_DAYS))
            offerings.append(
                Offering(
                    id=f"{spec}/{run}",
                    specification_id=spec,
                    domain=domain,
                    covers=covers,
                    price_minor=round(price * rng.uniform(0.9, 1.1)),
                    hours=hours,
                    starts_on=starts,
                    ends_on=starts + timedelta(days=weeks * 7 - 3),
                    weekly_hours=round(hours / weeks, 2),
                    credits=round(hours / 25 * 2) / 2,
                    requires=requires,
                    public=public,
                    employer=employer,
                )
            )
    return offerings, skills


def candidates_for(
    offerings: list[Offering], *, mid_career: bool, matched: bool
) -> tuple[Candidate, ...]:
    """The offerings as one kind of learner sees them: net of subsidy, with their pools."""
    subsidy_bp = 9_000 if mid_career else 7_000
    result = []
    for o in offerings:
        net = o.price_minor - o.price_minor * subsidy_bp // 10_000 if o.public else o.price_minor
        pools: tuple[tuple[str, int], ...] = ()
        if o.public:
            pools = ((BASE_POOL, 50_000), (MID_POOL, net)) if mid_career else ((BASE_POOL, 50_000),)
        result.append(
            Candidate(
                id=o.id,
                specification_id=o.specification_id,
                covers=o.covers,
                net_price_minor=net,
                hours=o.hours,
                starts_on=o.starts_on,
                ends_on=o.ends_on,
                weekly_hours=o.weekly_hours,
                credits=o.credits,
                requires=o.requires,
                pools=pools,
                matching=(MATCHING_POOL,) if matched and o.employer else (),
            )
        )
    return tuple(result)


def build_learners(
    rng: random.Random, offerings: list[Offering], skills: int, count: int
) -> list[Problem]:
    views = {
        (mid, matched): candidates_for(offerings, mid_career=mid, matched=matched)
        for mid in (False, True)
        for matched in (False, True)
    }
    by_domain: dict[int, list[str]] = {}
    for o in offerings:
        by_domain.setdefault(o.domain, []).append(o.specification_id)
    domains = skills // DOMAIN_SIZE
    problems = []
    for _ in range(count):
        mid, matched = rng.random() < 0.4, rng.random() < 0.5
        domain = rng.randrange(domains)
        pool = [
            f"skill-{d % domains * DOMAIN_SIZE + s}"
            for d in (domain, domain + 1)
            for s in range(DOMAIN_SIZE)
        ]
        gaps = frozenset(rng.sample(pool[: DOMAIN_SIZE + 8], rng.randint(3, 10)))
        specs = sorted(set(by_domain.get(domain, [])))
        held = frozenset(rng.sample(specs, min(len(specs), rng.randint(0, 3))))
        requirements: tuple[RequirementGroup, ...] = ()
        if rng.random() < 0.2 and len(specs) >= 6:
            members = frozenset(rng.sample(specs, rng.randint(4, 6)))
            requirements = (RequirementGroup("stack", members, 2, rng.choice([None, 4.0])),)
        earliest = CATALOGUE_START + timedelta(days=rng.randint(0, 60))
        credit_pools = [CreditPool(BASE_POOL, rng.randint(0, 50_000), 0)]
        if mid:
            credit_pools.append(CreditPool(MID_POOL, 400_000, 1))
        matching = (MatchingPool(MATCHING_POOL, 5_000, rng.randint(100_000, 300_000)),)
        objective: Objective = "time" if rng.random() < 0.2 else "cost"
        problems.append(
            Problem(
                gaps=gaps,
                candidates=views[(mid, matched)],
                held_specifications=held,
                requirements=requirements,
                credit_pools=tuple(credit_pools),
                matching_pools=matching if matched else (),
                constraints=Constraints(
                    budget_minor=None if rng.random() < 0.2 else rng.randint(50_000, 500_000),
                    hours_per_week=None if rng.random() < 0.2 else float(rng.randint(5, 20)),
                    deadline=(
                        None
                        if rng.random() < 0.2
                        else earliest + timedelta(days=rng.randint(180, 540))
                    ),
                    earliest_start=earliest,
                ),
                objective=objective,
            )
        )
    return problems


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(size: int, learners: int) -> dict[str, str]:
    rng = random.Random(SEED + size)  # noqa: S311 - repeatable benchmark data, not security
    offerings, skills = build_catalogue(rng, size)
    problems = build_learners(rng, offerings, skills, learners)
    solve(problems[0])  # warm-up: imports and HiGHS's first call
    times: list[float] = []
    heuristic_times: list[float] = []
    optimal = infeasible = found = 0
    extra: list[float] = []
    for problem in problems:
        started = time.perf_counter()
        result = solve(problem)
        times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        fallback = heuristic(problem)
        heuristic_times.append((time.perf_counter() - started) * 1000)
        if isinstance(result, Infeasible):
            infeasible += 1
            continue
        violations = check_plan(problem, result)
        if violations:
            raise SystemExit(f"infeasible plan returned: {violations}")
        if fallback is not None and check_plan(problem, fallback):
            raise SystemExit("the heuristic returned an infeasible plan")
        found += fallback is not None
        if result.proven_optimal:
            optimal += 1
            if fallback is not None and problem.objective == "cost":
                best = result.out_of_pocket_minor
                if best > 0:
                    extra.append(100 * (fallback.out_of_pocket_minor - best) / best)
    candidates = len(offerings)
    feasible = learners - infeasible
    return {
        "Credentials": f"{size:,}",
        "Offerings": f"{candidates:,}",
        "Feasible": f"{feasible}/{learners}",
        "p50 ms": f"{statistics.median(times):.1f}",
        "p95 ms": f"{percentile(times, 0.95):.1f}",
        "max ms": f"{max(times):.1f}",
        "Proven optimal": f"{100 * optimal / max(feasible, 1):.1f} %",
        "Heuristic p50 ms": f"{statistics.median(heuristic_times):.1f}",
        "Heuristic found": f"{100 * found / max(feasible, 1):.1f} %",
        "Heuristic extra cost mean / p95": (
            f"{statistics.fmean(extra):.1f} % / {percentile(extra, 0.95):.1f} % (n={len(extra)})"
            if extra
            else "n/a"
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--learners", type=int, default=200)
    arguments = parser.parse_args()
    rows = [measure(size, arguments.learners) for size in arguments.sizes]
    headers = list(rows[0])
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(headers))) + "|")
    for row in rows:
        print("| " + " | ".join(row[h] for h in headers) + " |")


if __name__ == "__main__":
    main()
