"""Simulation studies: a generated bank, simulees of known ability, their adaptive tests or
a fixed form, and how well the estimates recover the truth. One seed fixes everything.

The bank is a realistic one for a skills test: discriminations lognormal(0.2, 0.25), whose
middle 95% is 0.75 to 2.0, the range the item bank format gives authors (docs/
item-bank-format.md); difficulties N(0, 1); items dealt round-robin over the 21 digital
competences; 3PL items guess at about 0.23 (Beta(5, 17)); graded items have four categories
with thresholds 0.4 to 1.2 apart."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from cairn.assessment.cat import (
    Administration,
    CatSettings,
    ItemPool,
    Responder,
    administer,
    administer_form,
)
from cairn.assessment.enums import IrtModel
from cairn.assessment.irt import (
    FloatArray,
    IntArray,
    ItemParameters,
    information,
    probabilities,
)

DIGITAL_COMPETENCES: tuple[str, ...] = (
    *(f"1.{n}" for n in range(1, 4)),
    *(f"2.{n}" for n in range(1, 7)),
    *(f"3.{n}" for n in range(1, 5)),
    *(f"4.{n}" for n in range(1, 5)),
    *(f"5.{n}" for n in range(1, 5)),
)
"""The competences of the built-in digital framework, which items are dealt over."""
GRADED_CATEGORIES = 4
CHUNK = 2000
"""Simulees per batch: each batch holds every item's probabilities for each of them."""


@dataclass(frozen=True)
class SimulationResult:
    mean_length: float
    rmse: float
    bias: float
    """Mean of estimate - truth: EAP pulls extremes towards 0, which averages out over a
    N(0, 1) population."""
    examinees: int
    correlation: float
    seconds: float
    """Time to administer and score every test, the bank's preparation not included."""
    max_exposure: float
    """The largest share of simulees shown any one item."""


def generate_bank(
    items: int,
    model: IrtModel,
    rng: np.random.Generator,
    competences: tuple[str, ...] = DIGITAL_COMPETENCES,
) -> ItemPool:
    a = rng.lognormal(0.2, 0.25, items)
    b = rng.normal(0.0, 1.0, items)
    if model is IrtModel.TWO_PL:
        parameters = ItemParameters.two_pl(a, b)
    elif model is IrtModel.THREE_PL:
        parameters = ItemParameters.three_pl(a, b, rng.beta(5.0, 17.0, items))
    else:
        gaps = rng.uniform(0.4, 1.2, (items, GRADED_CATEGORIES - 2))
        steps = np.concatenate((np.zeros((items, 1)), np.cumsum(gaps, axis=1)), axis=1)
        parameters = ItemParameters.graded(a, b[:, None] + steps - steps.mean(axis=1)[:, None])
    keys = [f"sim-{index:05d}" for index in range(items)]
    return ItemPool(parameters, keys, [competences[i % len(competences)] for i in range(items)])


def responder(pool: ItemPool, theta: FloatArray, rng: np.random.Generator) -> Responder:
    """Simulees of ability ``theta`` answering as the model says, from mirt's probabilities."""
    cumulative = np.cumsum(probabilities(pool.parameters, theta), axis=2)

    def respond(rows: IntArray, items: IntArray) -> IntArray:
        draws = rng.random(rows.size)
        below = draws[:, None] > cumulative[rows, items, :-1]
        return np.asarray(below.sum(axis=1), dtype=np.intp)

    return respond


def best_fixed_form(pool: ItemPool, length: int) -> IntArray:
    """The ``length`` items most informative over the N(0, 1) population, most first: the
    best one form can do for everyone."""
    grid = pool.posterior
    expected = np.exp(grid.log_prior) @ information(pool.parameters, grid.nodes)
    return np.asarray(np.argsort(-expected)[:length], dtype=np.intp)


def run(
    pool: ItemPool,
    theta: FloatArray,
    rng: np.random.Generator,
    settings: CatSettings,
    form: IntArray | None = None,
) -> tuple[Administration, float]:
    """Tests for simulees of ability ``theta`` (adaptive, or ``form``), in batches of
    ``CHUNK``, and the seconds they took."""
    parts: list[Administration] = []
    started = time.perf_counter()
    for first in range(0, theta.size, CHUNK):
        chunk = theta[first : first + CHUNK]
        respond = responder(pool, chunk, rng)
        parts.append(
            administer(pool, settings, chunk.size, respond, rng)
            if form is None
            else administer_form(pool, form, chunk.size, respond)
        )
    seconds = time.perf_counter() - started
    width = max(part.items.shape[1] for part in parts)
    return (
        Administration(
            theta=np.concatenate([part.theta for part in parts]),
            se=np.concatenate([part.se for part in parts]),
            lengths=np.concatenate([part.lengths for part in parts]),
            items=np.concatenate(
                [
                    np.pad(
                        part.items, ((0, 0), (0, width - part.items.shape[1])), constant_values=-1
                    )
                    for part in parts
                ]
            ),
            reasons=tuple(reason for part in parts for reason in part.reasons),
        ),
        seconds,
    )


def summarise(
    pool: ItemPool, truth: FloatArray, administration: Administration, seconds: float
) -> SimulationResult:
    error = administration.theta - truth
    return SimulationResult(
        mean_length=float(administration.lengths.mean()),
        rmse=float(np.sqrt(np.mean(error**2))),
        bias=float(error.mean()),
        examinees=int(truth.size),
        correlation=float(np.corrcoef(administration.theta, truth)[0, 1]),
        seconds=seconds,
        max_exposure=float(administration.exposure(pool.n_items).max()),
    )


def simulate(
    *,
    items: int = 500,
    examinees: int = 1000,
    model: IrtModel = IrtModel.TWO_PL,
    seed: int = 0,
    fixed_form: bool = False,
    form_length: int = 30,
    settings: CatSettings | None = None,
) -> SimulationResult:
    """One simulation study: a bank of ``items``, ``examinees`` simulees θ ~ N(0, 1), each
    given the adaptive test (or the best fixed form of ``form_length`` items)."""
    if items < 1 or examinees < 2 or not 1 <= form_length <= items:
        raise ValueError("a study needs items, at least 2 simulees and a form within the bank")
    rng = np.random.default_rng(seed)
    pool = generate_bank(items, model, rng)
    truth = rng.normal(0.0, 1.0, examinees)
    form = best_fixed_form(pool, form_length) if fixed_form else None
    administration, seconds = run(pool, truth, rng, settings or CatSettings(), form)
    return summarise(pool, truth, administration, seconds)
