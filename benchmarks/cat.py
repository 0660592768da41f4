"""Adaptive testing and calibration: accuracy, test length and time.

On one simulated 500-item 2PL bank and 1,000 simulees θ ~ N(0, 1), side by side: Cairn's
CAT as it runs for people (content balancing over 21 competences, randomesque exposure
control), Cairn's CAT as pure maximum information, two published CAT packages given the
same bank and simulees (catsim; mirt's own CATEngine), and fixed forms of several lengths
(the bank's most informative form over the population, and a form drawn at random as an
unoptimised linear test would be). Then the time for 1,000 simulated tests and for
calibrating 5,000 x 100 responses.

    .venv/bin/python benchmarks/cat.py [--seed 1] [--examinees 1000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from catsim.estimation import NumericalSearchEstimator
from catsim.initialization import FixedPointInitializer
from catsim.item_bank import ItemBank
from catsim.selection import MaxInfoSelector
from catsim.simulation import Simulator
from catsim.stopping import MinErrorStopper
from mirt.cat.engine import CATEngine

from cairn.assessment import simulation
from cairn.assessment.cat import CatSettings, ItemPool
from cairn.assessment.enums import IrtModel
from cairn.assessment.irt import FloatArray, IntArray, ItemParameters, calibrate, probabilities

SE_TARGET = 0.30
MAX_LENGTH = 30
FORM_LENGTHS = (19, 30, 60, 89)


@dataclass(frozen=True)
class Row:
    design: str
    mean_length: float
    rmse: float
    bias: float
    rmse_extremes: float
    """RMSE among simulees with |θ| > 1.5, where one form cannot suit everyone."""
    max_exposure: float | None
    seconds: float

    def markdown(self) -> str:
        exposure = "" if self.max_exposure is None else f"{self.max_exposure:.2f}"
        return (
            f"| {self.design} | {self.mean_length:.1f} | {self.rmse:.3f} | {self.bias:+.3f} | "
            f"{self.rmse_extremes:.3f} | {exposure} | {self.seconds:.2f} |"
        )


def row(
    design: str,
    truth: FloatArray,
    estimates: FloatArray,
    lengths: FloatArray | IntArray,
    exposure: float | None,
    seconds: float,
) -> Row:
    error = estimates - truth
    extremes = np.abs(truth) > 1.5
    return Row(
        design,
        float(np.mean(lengths)),
        float(np.sqrt(np.mean(error**2))),
        float(error.mean()),
        float(np.sqrt(np.mean(error[extremes] ** 2))),
        exposure,
        seconds,
    )


def cairn_cat(
    design: str, pool: ItemPool, truth: FloatArray, settings: CatSettings, seed: int, repeats: int
) -> Row:
    """The median time of ``repeats`` runs; figures from the first."""
    runs = [
        simulation.run(pool, truth, np.random.default_rng(seed), settings) for _ in range(repeats)
    ]
    administration = runs[0][0]
    return row(
        design,
        truth,
        administration.theta,
        administration.lengths,
        float(administration.exposure(pool.n_items).max()),
        statistics.median(seconds for _, seconds in runs),
    )


def fixed_form(design: str, pool: ItemPool, truth: FloatArray, form: IntArray, seed: int) -> Row:
    administration, seconds = simulation.run(
        pool, truth, np.random.default_rng(seed), CatSettings(), form
    )
    return row(design, truth, administration.theta, administration.lengths, 1.0, seconds)


def items_to_match(
    pool: ItemPool,
    truth: FloatArray,
    form_of: Callable[[int], IntArray],
    rmse: float,
    seed: int,
) -> int:
    """The shortest form (by ``form_of``) whose RMSE is at most ``rmse``."""
    for length in range(5, pool.n_items + 1):
        if fixed_form("", pool, truth, form_of(length), seed).rmse <= rmse:
            return length
    return pool.n_items


def catsim_cat(pool: ItemPool, truth: FloatArray, seed: int) -> Row:
    """catsim 0.21: maximum information, ML estimates by bounded search (Dodd's heuristic
    while all answers agree), stop at SE (from test information) 0.30 or 30 items."""
    parameters = pool.parameters
    bank = ItemBank(
        np.column_stack(
            (
                parameters.discrimination,
                parameters.difficulty,
                np.zeros(pool.n_items),
                np.ones(pool.n_items),
            )
        )
    )
    simulator = Simulator(bank, truth, seed=seed)
    started = time.perf_counter()
    simulator.simulate(
        FixedPointInitializer(0.0),
        MaxInfoSelector(),
        NumericalSearchEstimator(),
        MinErrorStopper(SE_TARGET, max_items=MAX_LENGTH),
    )
    seconds = time.perf_counter() - started
    lengths = np.array([len(items) for items in simulator.administered_items])
    exposure = (
        np.bincount(
            np.concatenate(
                [np.asarray(items, dtype=np.intp) for items in simulator.administered_items]
            ),
            minlength=pool.n_items,
        ).max()
        / truth.size
    )
    return row(
        "catsim 0.21 (max. information, ML)",
        truth,
        np.asarray(simulator.latest_estimations),
        lengths,
        float(exposure),
        seconds,
    )


def mirt_cat(pool: ItemPool, truth: FloatArray, seed: int) -> Row:
    """mirt's CATEngine: maximum information, EAP, stop at SE 0.30 or 30 items (its native
    batch path, which allows no content or exposure rules)."""
    engine = CATEngine(
        pool.parameters.as_mirt.model, se_threshold=SE_TARGET, max_items=MAX_LENGTH, seed=seed
    )
    started = time.perf_counter()
    results = engine.run_batch_simulation(truth)
    seconds = time.perf_counter() - started
    items = np.concatenate([np.asarray(r.items_administered, dtype=np.intp) for r in results])
    return row(
        "mirt 1.2 CATEngine (max. information, EAP)",
        truth,
        np.array([float(np.ravel(r.theta)[0]) for r in results]),
        np.array([r.n_items_administered for r in results]),
        float(np.bincount(items, minlength=pool.n_items).max() / truth.size),
        seconds,
    )


def calibration_seconds(seed: int, repeats: int) -> tuple[float, float]:
    """(first call in the process, median of the next ``repeats``) for 5,000 x 100 2PL."""
    rng = np.random.default_rng(seed)
    truth = ItemParameters.two_pl(rng.lognormal(0.2, 0.25, 100), rng.normal(0, 1, 100))
    right = probabilities(truth, rng.normal(0, 1, 5000))[:, :, 1]
    data = np.asarray(rng.random(right.shape) < right, dtype=np.float64)
    times = []
    for _ in range(repeats + 1):
        started = time.perf_counter()
        calibration = calibrate(data, IrtModel.TWO_PL)
        times.append(time.perf_counter() - started)
    recovered = np.corrcoef(calibration.parameters.difficulty, truth.difficulty)[0, 1]
    print(f"calibration: converged={calibration.converged}, r(b, true b)={recovered:.3f}")
    return times[0], statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--examinees", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    # First, so that its first call is the cold one a fresh process pays.
    first, warm = calibration_seconds(args.seed, repeats=3)

    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    pool = simulation.generate_bank(500, IrtModel.TWO_PL, rng)
    preparation = time.perf_counter() - started
    truth = rng.normal(0, 1, args.examinees)
    seed = args.seed + 1

    rows = [
        cairn_cat(
            "Cairn CAT (content balancing, randomesque 5)",
            pool,
            truth,
            CatSettings(se_target=SE_TARGET, max_length=MAX_LENGTH),
            seed,
            args.repeats,
        ),
        cairn_cat(
            "Cairn CAT (max. information only)",
            pool,
            truth,
            CatSettings(
                se_target=SE_TARGET, max_length=MAX_LENGTH, balance_content=False, randomesque=1
            ),
            seed,
            args.repeats,
        ),
        catsim_cat(pool, truth, seed),
        mirt_cat(pool, truth, seed),
    ]
    random_forms = np.random.default_rng(seed).permutation(pool.n_items)
    for length in FORM_LENGTHS:
        rows.append(
            fixed_form(
                f"Fixed form, best {length} items",
                pool,
                truth,
                simulation.best_fixed_form(pool, length),
                seed,
            )
        )
    for length in FORM_LENGTHS:
        rows.append(
            fixed_form(
                f"Fixed form, random {length} items", pool, truth, random_forms[:length], seed
            )
        )

    print(f"\nBank preparation (mirt trace lines and information tables): {preparation:.3f} s\n")
    print(
        "| Design | Mean length | RMSE | Bias | RMSE, abs(θ) > 1.5 | Highest exposure | Seconds |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for result in rows:
        print(result.markdown())
    target = rows[0].rmse
    for kind, form_of in (
        ("best", lambda length: simulation.best_fixed_form(pool, length)),
        ("random", lambda length: random_forms[:length]),
    ):
        needed = items_to_match(pool, truth, form_of, target, seed)
        print(f"\nA {kind} fixed form needs {needed} items for Cairn's CAT RMSE of {target:.3f}.")
    print(f"\nCalibrating 5,000 x 100 2PL responses: {first:.2f} s first, {warm:.2f} s after")


if __name__ == "__main__":
    main()
