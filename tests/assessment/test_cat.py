"""Adaptive tests, fixed forms and quizzes: they recover known abilities, balance content,
limit exposure, stop when they should, and a web session gets what a simulation shows."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cairn.assessment import simulation
from cairn.assessment.cat import (
    Administration,
    CatSettings,
    CatState,
    ItemPool,
    Responder,
    StopReason,
    administer,
    administer_form,
    next_item,
    record,
    score_answers,
    start,
)
from cairn.assessment.enums import IrtModel
from cairn.assessment.irt import FloatArray, IntArray, ItemParameters, estimate_ability
from cairn.kit.errors import InvalidInput


@pytest.fixture(scope="module")
def pool() -> ItemPool:
    return simulation.generate_bank(500, IrtModel.TWO_PL, np.random.default_rng(5))


def study(
    pool: ItemPool, settings: CatSettings, examinees: int = 1000, seed: int = 6
) -> tuple[FloatArray, Administration]:
    rng = np.random.default_rng(seed)
    truth = rng.normal(0, 1, examinees)
    administration, _ = simulation.run(pool, truth, rng, settings)
    return truth, administration


def test_the_adaptive_test_recovers_known_abilities_in_few_items() -> None:
    result = simulation.simulate(items=500, examinees=1000, model=IrtModel.TWO_PL, seed=7)

    assert result.correlation >= 0.9
    assert result.rmse <= 0.35
    assert result.mean_length <= 20
    assert abs(result.bias) <= 0.05


@pytest.mark.parametrize("model", [IrtModel.THREE_PL, IrtModel.GRM])
def test_3pl_and_graded_banks_are_tested_adaptively_too(model: IrtModel) -> None:
    result = simulation.simulate(items=300, examinees=300, model=model, seed=8)
    assert result.correlation >= 0.9
    assert result.rmse <= 0.4


def test_a_fixed_form_of_the_same_length_measures_worse(pool: ItemPool) -> None:
    rng = np.random.default_rng(9)
    truth = rng.normal(0, 1, 1000)
    cat, _ = simulation.run(pool, truth, rng, CatSettings())
    length = round(float(cat.lengths.mean()))
    form = simulation.best_fixed_form(pool, length)
    fixed, _ = simulation.run(pool, truth, rng, CatSettings(), form)

    def rmse(estimates: FloatArray, among: slice | np.ndarray = slice(None)) -> float:
        return float(np.sqrt(np.mean((estimates[among] - truth[among]) ** 2)))

    assert rmse(fixed.theta) > rmse(cat.theta) + 0.02
    extreme = np.abs(truth) > 1.5  # where one form cannot suit everyone
    assert rmse(fixed.theta, extreme) > rmse(cat.theta, extreme) + 0.05


def test_equal_targets_visit_every_competence_before_any_twice(pool: ItemPool) -> None:
    _, administration = study(pool, CatSettings(se_target=0.05, max_length=30), examinees=200)

    competences = pool.competence_of[administration.items]
    for row in competences:
        counts = np.bincount(row, minlength=len(pool.competences))
        assert counts.max() - counts.min() <= 1


def test_content_targets_are_kept(pool: ItemPool) -> None:
    targets = {"1.1": 0.5, "2.1": 0.3, "3.1": 0.2}
    settings = CatSettings(se_target=0.05, max_length=20, content_targets=targets)

    _, administration = study(pool, settings, examinees=200)

    assert (administration.lengths == 20).all()
    shown = [pool.competences[c] for c in pool.competence_of[administration.items].ravel()]
    for competence, share in targets.items():
        assert shown.count(competence) / len(shown) == pytest.approx(share, abs=0.01)
    assert set(shown) == set(targets)


def test_unknown_content_targets_are_refused(pool: ItemPool) -> None:
    with pytest.raises(InvalidInput):
        pool.targets(CatSettings(content_targets={"9.9": 1.0}))


def test_randomesque_selection_limits_exposure(pool: ItemPool) -> None:
    _, uncontrolled = study(pool, CatSettings(randomesque=1), examinees=500)
    _, controlled = study(pool, CatSettings(randomesque=5), examinees=500)

    # Without control everyone starts on the same item.
    assert uncontrolled.exposure(pool.n_items).max() == 1.0
    assert controlled.exposure(pool.n_items).max() <= 0.8
    assert (controlled.exposure(pool.n_items) > 0).sum() > (
        uncontrolled.exposure(pool.n_items) > 0
    ).sum()


def test_tests_stop_on_precision_or_length(pool: ItemPool) -> None:
    settings = CatSettings(se_target=0.3, max_length=18, min_length=5)
    _, administration = study(pool, settings, examinees=300)

    reasons = np.array(administration.reasons)
    precise = reasons == StopReason.PRECISE
    assert precise.any()
    assert (reasons[~precise] == StopReason.MAX_LENGTH).all()
    assert (administration.se[precise] <= 0.3).all()
    assert (administration.lengths[~precise] == 18).all()
    assert (administration.lengths <= 18).all()


def test_the_minimum_length_holds_even_when_precision_comes_early(pool: ItemPool) -> None:
    _, administration = study(pool, CatSettings(se_target=0.9, min_length=8), examinees=100)
    assert (administration.lengths == 8).all()


def test_a_small_pool_runs_out() -> None:
    rng = np.random.default_rng(10)
    small = simulation.generate_bank(5, IrtModel.TWO_PL, rng, competences=("a", "b"))
    truth = rng.normal(0, 1, 20)
    administration, _ = simulation.run(small, truth, rng, CatSettings(se_target=0.1))

    assert (administration.lengths == 5).all()
    assert set(administration.reasons) == {StopReason.POOL_EXHAUSTED}


def correct_below(pool: ItemPool, theta: float) -> Responder:
    """A deterministic examinee: right exactly when the item is easier than ``theta``."""

    def respond(rows: IntArray, items: IntArray) -> IntArray:
        return np.asarray(pool.parameters.difficulty[items] < theta, dtype=np.intp)

    return respond


def test_a_session_step_by_step_gets_what_the_batch_simulation_gives(pool: ItemPool) -> None:
    settings = CatSettings()
    respond = correct_below(pool, 0.8)
    batch = administer(pool, settings, 1, respond, np.random.default_rng(3))

    rng = np.random.default_rng(3)
    state = start(pool)
    while (key := next_item(pool, settings, state, rng)) is not None:
        position = pool.position[key]
        answer = int(respond(np.array([0]), np.array([position]))[0])
        state = record(pool, settings, state, key, answer)

    assert [pool.position[key] for key in state.items] == batch.items[
        0, : batch.lengths[0]
    ].tolist()
    assert (state.theta, state.se) == pytest.approx((batch.theta[0], batch.se[0]))
    assert state.stop_reason is batch.reasons[0]
    assert sum(state.competence_counts.values()) == len(state.items)


def test_the_state_round_trips_through_json(pool: ItemPool) -> None:
    settings = CatSettings()
    rng = np.random.default_rng(4)
    state = start(pool)
    for answer in (1, 0, 1):
        key = next_item(pool, settings, state, rng)
        assert key is not None
        state = record(pool, settings, state, key, answer)

    restored = CatState.from_json(json.loads(json.dumps(state.to_json())))

    assert restored == state
    assert next_item(pool, settings, restored, np.random.default_rng(5)) == next_item(
        pool, settings, state, np.random.default_rng(5)
    )


def test_a_finished_state_round_trips_with_its_reason(pool: ItemPool) -> None:
    state = CatState(items=("a",), responses=(1,), stop_reason=StopReason.MAX_LENGTH)
    assert CatState.from_json(json.loads(json.dumps(state.to_json()))) == state


def test_answers_out_of_turn_or_range_are_refused(pool: ItemPool) -> None:
    settings = CatSettings(max_length=5)
    state = start(pool)
    key = pool.keys[0]
    state = record(pool, settings, state, key, 1)
    with pytest.raises(InvalidInput):
        record(pool, settings, state, key, 1)  # already answered
    with pytest.raises(InvalidInput):
        record(pool, settings, state, "no-such-item", 1)
    with pytest.raises(InvalidInput):
        record(pool, settings, state, pool.keys[1], 2)  # a dichotomous item has 0 and 1
    for other in pool.keys[1:5]:
        state = record(pool, settings, state, other, 0)
    assert state.stop_reason is StopReason.MAX_LENGTH
    assert next_item(pool, settings, state, np.random.default_rng()) is None
    with pytest.raises(InvalidInput):
        record(pool, settings, state, pool.keys[6], 0)


def test_a_fixed_form_is_given_in_order_and_scored_like_mirt(pool: ItemPool) -> None:
    form = list(pool.keys[10:22])
    settings = CatSettings()
    rng = np.random.default_rng(6)
    answers = [1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 0]
    state = start(pool, form=form)
    for expected, answer in zip(form, answers, strict=True):
        assert next_item(pool, settings, state, rng) == expected
        state = record(pool, settings, state, expected, answer)

    assert state.stop_reason is StopReason.FORM_COMPLETE
    row = np.full((1, pool.n_items), np.nan)
    row[0, 10:22] = answers
    mirt = estimate_ability(pool.parameters, row)
    assert (state.theta, state.se) == pytest.approx((mirt.theta[0], mirt.se[0]), abs=1e-9)
    with pytest.raises(InvalidInput):
        start(pool, form=["no-such-item"])


def test_a_fixed_form_in_batch_matches_the_same_form_step_by_step(pool: ItemPool) -> None:
    form = simulation.best_fixed_form(pool, 15)
    respond = correct_below(pool, -0.4)
    batch = administer_form(pool, form, 1, respond)

    state = start(pool, form=[pool.keys[i] for i in form])
    for position in form:
        answer = int(respond(np.array([0]), np.array([position]))[0])
        state = record(pool, CatSettings(), state, pool.keys[position], answer)

    assert (state.theta, state.se) == pytest.approx((batch.theta[0], batch.se[0]))


def test_a_self_paced_quiz_is_scored_at_the_end_whatever_the_order(pool: ItemPool) -> None:
    answers = {pool.keys[3]: 1, pool.keys[1]: 0, pool.keys[7]: 1}
    row = np.full((1, pool.n_items), np.nan)
    row[0, [3, 1, 7]] = [1, 0, 1]

    theta, se = score_answers(pool, answers)

    mirt = estimate_ability(pool.parameters, row)
    assert (theta, se) == pytest.approx((mirt.theta[0], mirt.se[0]), abs=1e-9)
    assert score_answers(pool, dict(reversed(list(answers.items())))) == pytest.approx((theta, se))
    with pytest.raises(InvalidInput):
        score_answers(pool, {pool.keys[3]: 3})


def test_graded_items_take_any_of_their_categories() -> None:
    parameters = ItemParameters.graded([1.2, 0.9], [[-1.0, 0.0, 1.0], [0.5]])
    quiz = ItemPool(parameters, ["rating", "yes-no"], ["1.1", "1.2"])
    theta_high, _ = score_answers(quiz, {"rating": 3, "yes-no": 1})
    theta_low, _ = score_answers(quiz, {"rating": 0, "yes-no": 0})
    assert theta_high > 0.5 > -0.5 > theta_low
    with pytest.raises(InvalidInput):
        score_answers(quiz, {"yes-no": 2})


@pytest.mark.parametrize(
    "settings",
    [
        {"se_target": 0.0},
        {"min_length": 0},
        {"min_length": 10, "max_length": 5},
        {"randomesque": 0},
        {"content_targets": {"1.1": -1.0}},
        {"content_targets": {"1.1": 0.0}},
    ],
)
def test_settings_that_cannot_work_are_refused(settings: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        CatSettings(**settings)  # type: ignore[arg-type]


def test_our_cat_is_as_accurate_as_catsim_on_the_same_bank_and_simulees(pool: ItemPool) -> None:
    catsim_simulation = pytest.importorskip(
        "catsim.simulation", reason="catsim (the dev extra) runs the published CAT to compare"
    )
    from catsim.estimation import NumericalSearchEstimator
    from catsim.initialization import FixedPointInitializer
    from catsim.item_bank import ItemBank
    from catsim.selection import MaxInfoSelector
    from catsim.stopping import MinErrorStopper

    rng = np.random.default_rng(12)
    truth = rng.normal(0, 1, 200)
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
    simulator = catsim_simulation.Simulator(bank, truth, seed=12)
    simulator.simulate(
        FixedPointInitializer(0.0),
        MaxInfoSelector(),
        NumericalSearchEstimator(),
        MinErrorStopper(0.3, max_items=30),
    )
    # Ours as catsim runs it: pure maximum information, no content or exposure rules.
    ours, _ = simulation.run(pool, truth, rng, CatSettings(balance_content=False, randomesque=1))

    ours_rmse = float(np.sqrt(np.mean((ours.theta - truth) ** 2)))
    assert abs(ours_rmse - simulator.rmse) <= 0.06
    assert ours.lengths.mean() <= np.mean([len(i) for i in simulator.administered_items]) + 2
