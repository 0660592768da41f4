"""Item response theory as a psychometrician checks it: the formulas against hand-worked
values, calibration against parameters it should recover, refusal when data are too few,
and ability estimates and levels."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from cairn.assessment.enums import IrtModel
from cairn.assessment.irt import (
    DIGITAL_CUT_SCORES,
    MINIMUM_DATA,
    CalibrationNeedsMoreData,
    FloatArray,
    ItemParameters,
    PosteriorGrid,
    calibrate,
    estimate_ability,
    even_cut_scores,
    information,
    probabilities,
    proficiency_level,
)
from cairn.kit.errors import InvalidInput


def answers(parameters: ItemParameters, theta: FloatArray, seed: int) -> FloatArray:
    """Simulated responses, persons x items, as floats."""
    rng = np.random.default_rng(seed)
    cumulative = np.cumsum(probabilities(parameters, theta), axis=2)[:, :, :-1]
    draws = rng.random((theta.size, parameters.n_items))
    return np.asarray((draws[:, :, None] > cumulative).sum(axis=2), dtype=np.float64)


def test_2pl_probability_and_information_match_the_hand_worked_values() -> None:
    item = ItemParameters.two_pl([1.5], [0.5])
    # At θ = b: P = 1/2, I = a² P Q = 2.25 / 4.
    assert probabilities(item, 0.5)[0, 0, 1] == pytest.approx(0.5)
    assert information(item, 0.5)[0, 0] == pytest.approx(0.5625)
    # At θ = 1.5: P = 1 / (1 + e^-1.5) = 0.817574, I = 2.25 x 0.817574 x 0.182426.
    assert probabilities(item, 1.5)[0, 0] == pytest.approx([0.182426, 0.817574], abs=1e-6)
    assert information(item, 1.5)[0, 0] == pytest.approx(0.335580, abs=1e-6)


def test_3pl_probability_and_information_match_the_hand_worked_values() -> None:
    item = ItemParameters.three_pl([1.2], [0.0], [0.2])
    # P = c + (1 - c) / (1 + e^-1.2) = 0.814820; I = a² ((P - c)/(1 - c))² (1 - P)/P.
    assert probabilities(item, 1.0)[0, 0, 1] == pytest.approx(0.814820, abs=1e-6)
    assert information(item, 1.0)[0, 0] == pytest.approx(0.193291, abs=1e-6)
    # Guessing costs information: the same item without it gives a² P Q = 1.44/4 at b.
    assert information(item, 0.0)[0, 0] < 0.36


def test_graded_category_probabilities_and_information_match_the_hand_worked_values() -> None:
    item = ItemParameters.graded([1.3], [[-1.0, 0.5]])
    # P*(k) = 1 / (1 + e^(-a(θ - b_k))); P(k) = P*(k) - P*(k + 1), at θ = 0.
    assert probabilities(item, 0.0)[0, 0] == pytest.approx([0.214165, 0.442845, 0.342990], abs=1e-6)
    # I = Σ (P*'(k) - P*'(k + 1))² / P(k), with P*' = a P* (1 - P*).
    assert information(item, 0.0)[0, 0] == pytest.approx(0.486145, abs=1e-6)


def test_graded_items_may_have_different_numbers_of_categories() -> None:
    items = ItemParameters.graded([1.0, 1.0], [[0.0], [-1.0, 0.0, 1.0]])
    assert items.n_categories.tolist() == [2, 4]
    traces = probabilities(items, [-0.3, 0.4])
    assert traces.shape == (2, 2, 4)
    assert traces.sum(axis=2) == pytest.approx(np.ones((2, 2)))
    assert traces[:, 0, 2:] == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: ItemParameters.two_pl([0.0], [0.0]), "discrimination"),
        (lambda: ItemParameters.graded([1.0], [[0.5, 0.2]]), "thresholds"),
        (lambda: ItemParameters.graded([1.0], [[0.5, 0.5]]), "thresholds"),
        (lambda: ItemParameters.two_pl([1.0], [math.inf]), "thresholds"),
        (lambda: ItemParameters.three_pl([1.0], [0.0], [1.0]), "guessing"),
        (
            lambda: ItemParameters(IrtModel.TWO_PL, np.ones(1), np.zeros(1), np.full(1, 0.1)),
            "guessing",
        ),
    ],
)
def test_parameters_that_make_no_sense_are_refused(
    build: Callable[[], ItemParameters], field: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        build()
    assert [error.field for error in raised.value.field_errors] == [field]


def test_2pl_calibration_recovers_the_parameters_that_generated_the_data() -> None:
    rng = np.random.default_rng(11)
    truth = ItemParameters.two_pl(rng.lognormal(0.2, 0.25, 30), rng.normal(0, 1, 30))
    data = answers(truth, rng.normal(0, 1, 1000), seed=12)
    data[rng.random(data.shape) < 0.2] = np.nan  # not everyone saw every item

    calibration = calibrate(data, IrtModel.TWO_PL)

    estimated = calibration.parameters
    assert calibration.converged
    assert calibration.respondents == 1000
    assert np.corrcoef(estimated.discrimination, truth.discrimination)[0, 1] >= 0.85
    assert np.corrcoef(estimated.difficulty, truth.difficulty)[0, 1] >= 0.98
    assert np.abs(estimated.difficulty - truth.difficulty).mean() <= 0.15
    errors = calibration.standard_errors
    assert ((errors.discrimination > 0.03) & (errors.discrimination < 0.3)).all()
    assert ((errors.thresholds > 0.03) & (errors.thresholds < 0.3)).all()
    assert np.isnan(errors.guessing).all()
    # The errors are honest: most estimates lie within 2 SE of the truth.
    within = np.abs(estimated.difficulty - truth.difficulty) <= 2 * errors.thresholds[:, 0]
    assert within.mean() >= 0.8


def test_3pl_calibration_recovers_difficulty_and_keeps_guessing_plausible() -> None:
    rng = np.random.default_rng(21)
    truth = ItemParameters.three_pl(
        rng.lognormal(0.2, 0.25, 20), rng.normal(0, 1, 20), rng.beta(5, 17, 20)
    )
    data = answers(truth, rng.normal(0, 1, 1200), seed=22)

    calibration = calibrate(data, IrtModel.THREE_PL)

    estimated = calibration.parameters
    assert np.corrcoef(estimated.difficulty, truth.difficulty)[0, 1] >= 0.9
    assert np.corrcoef(estimated.discrimination, truth.discrimination)[0, 1] >= 0.5
    assert np.abs(estimated.guessing - truth.guessing).mean() <= 0.1
    assert (calibration.standard_errors.guessing > 0).all()


def test_graded_calibration_recovers_ordered_thresholds() -> None:
    rng = np.random.default_rng(31)
    centres = rng.normal(0, 1, 20)
    thresholds = centres[:, None] + np.array([-0.9, 0.0, 0.9]) + rng.normal(0, 0.1, (20, 3))
    truth = ItemParameters.graded(rng.lognormal(0.2, 0.25, 20), thresholds)
    data = answers(truth, rng.normal(0, 1, 1000), seed=32)

    calibration = calibrate(data, IrtModel.GRM)

    estimated = calibration.parameters.thresholds
    assert estimated.shape == (20, 3)
    assert (np.diff(estimated, axis=1) > 0).all()
    assert np.corrcoef(estimated.ravel(), thresholds.ravel())[0, 1] >= 0.97
    assert np.corrcoef(calibration.parameters.discrimination, truth.discrimination)[0, 1] >= 0.8


def test_too_few_respondents_are_refused_with_how_many_more() -> None:
    rng = np.random.default_rng(41)
    truth = ItemParameters.two_pl(np.ones(5), np.zeros(5))
    data = answers(truth, rng.normal(0, 1, 150), seed=42)

    with pytest.raises(CalibrationNeedsMoreData) as raised:
        calibrate(data, IrtModel.TWO_PL)

    assert raised.value.more_respondents == 50
    assert raised.value.more_responses == {}
    assert "200 respondents, 50 more" in str(raised.value)
    assert isinstance(raised.value, InvalidInput)


def test_items_short_of_responses_or_of_wrong_answers_say_how_many_more() -> None:
    data = np.zeros((300, 3))
    data[::2] = 1.0  # half right: enough of both
    data[30:, 1] = np.nan  # "rare" was shown to 30 people only
    data[:, 2] = 1.0
    data[:5, 2] = 0.0  # "easy": 295 right, 5 wrong

    with pytest.raises(CalibrationNeedsMoreData) as raised:
        calibrate(data, IrtModel.TWO_PL, item_keys=["fine", "rare", "easy"])

    # rare: 100 responses needed, 30 so far. easy: wrong answers come at (5 + 0.5) / (300 + 1)
    # (smoothed), so 10 of them need 10 / (5.5 / 301) = 547.3 responses: 248 more.
    assert raised.value.more_respondents == 0
    assert raised.value.more_responses == {"rare": 70, "easy": 248}
    assert "2 items are short (by up to 248 responses)" in str(raised.value)
    assert [error.field for error in raised.value.field_errors] == [
        "responses.rare",
        "responses.easy",
    ]


def test_a_graded_category_nobody_chose_needs_more_responses() -> None:
    rng = np.random.default_rng(51)
    data = rng.integers(0, 3, (400, 2)).astype(np.float64)  # category 3 never chosen

    with pytest.raises(CalibrationNeedsMoreData) as raised:
        calibrate(data, IrtModel.GRM, n_categories=4)

    assert set(raised.value.more_responses) == {"0", "1"}
    assert min(raised.value.more_responses.values()) > 1000


def test_3pl_asks_for_more_data_than_2pl() -> None:
    assert MINIMUM_DATA[IrtModel.THREE_PL].respondents > MINIMUM_DATA[IrtModel.TWO_PL].respondents
    rng = np.random.default_rng(52)
    data = answers(ItemParameters.two_pl(np.ones(3), np.zeros(3)), rng.normal(0, 1, 400), seed=53)
    calibrate(data, IrtModel.TWO_PL)  # enough for 2PL
    with pytest.raises(CalibrationNeedsMoreData) as raised:
        calibrate(data, IrtModel.THREE_PL)
    assert raised.value.more_respondents == 600


@pytest.mark.parametrize("bad", [[[0.0, 2.0]], [[0.5, 1.0]], [[-1.0, 0.0]], [0.0, 1.0]])
def test_responses_outside_the_categories_are_refused(bad: list[float]) -> None:
    with pytest.raises(InvalidInput):
        estimate_ability(ItemParameters.two_pl([1.0, 1.0], [0.0, 0.0]), bad)


def test_the_posterior_grid_gives_mirts_eap_estimates() -> None:
    rng = np.random.default_rng(61)
    parameters = ItemParameters.three_pl(
        rng.lognormal(0.2, 0.25, 40), rng.normal(0, 1, 40), rng.beta(5, 17, 40)
    )
    data = answers(parameters, rng.normal(0, 1, 100), seed=62)
    data[rng.random(data.shape) < 0.6] = np.nan

    mirt = estimate_ability(parameters, data)

    grid = PosteriorGrid(parameters)
    for row, theta, se in zip(data, mirt.theta, mirt.se, strict=True):
        given = np.flatnonzero(~np.isnan(row))
        assert grid.score(given.tolist(), row[given].astype(int).tolist()) == pytest.approx(
            (theta, se), abs=1e-9
        )


def test_eap_with_no_answers_is_the_prior() -> None:
    parameters = ItemParameters.two_pl([1.0], [0.0])
    assert PosteriorGrid(parameters).score([], []) == pytest.approx((0.0, 1.0), abs=1e-9)
    abilities = estimate_ability(parameters, [[np.nan]])
    assert (abilities.theta[0], abilities.se[0]) == pytest.approx((0.0, 1.0), abs=1e-6)


def test_digital_cut_scores_sit_halfway_between_the_seeded_level_centres() -> None:
    # Level centres -2.5, -1.79, ..., 2.5 (docs/item-bank-format.md), 5/7 apart.
    centres_apart = 5 / 7
    cuts = DIGITAL_CUT_SCORES
    assert cuts == pytest.approx([-2.5 + (k - 0.5) * centres_apart for k in range(1, 8)])
    assert even_cut_scores(3, -1.0, 1.0) == pytest.approx((-0.5, 0.5))


@pytest.mark.parametrize(
    ("theta", "se", "level", "lowest", "highest"),
    [
        (0.36, 0.30, 5, 4, 6),  # the level-5 centre; ±0.59 reaches levels 4 and 6
        (0.36, 0.05, 5, 5, 5),
        (-3.5, 0.3, 1, 1, 1),
        (3.5, 0.3, 8, 8, 8),
        (0.0, 0.0, 5, 5, 5),  # exactly on a cut: the upper level
        (-0.1, 1.0, 4, 2, 7),
    ],
)
def test_ability_maps_to_a_level_with_a_plausible_range(
    theta: float, se: float, level: int, lowest: int, highest: int
) -> None:
    proficiency = proficiency_level(theta, se, DIGITAL_CUT_SCORES)
    assert (proficiency.level, proficiency.lowest, proficiency.highest) == (
        level,
        lowest,
        highest,
    )


def test_cut_scores_must_rise() -> None:
    with pytest.raises(ValueError, match="rise"):
        proficiency_level(0.0, 0.3, [0.5, 0.0])
