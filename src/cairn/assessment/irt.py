"""Item response theory: item parameters, response probabilities and information,
calibration from responses, ability estimates and the proficiency level they point to.

The estimation is mirt's (https://pypi.org/project/mirt/, decision 0015): calibration by
marginal maximum likelihood with EM, EAP scoring, trace lines and item information. This
module holds Cairn's types around it, the minimum data below which calibration is refused,
and the posterior on mirt's quadrature grid that an adaptive test updates one answer at a
time, since calling mirt's scorer once per answer of every simulee would be far too slow.

θ is on the logit scale of the item bank format (docs/item-bank-format.md):
P(correct | θ) = c + (1 - c) / (1 + e^(-a(θ - b))), with no 1.7 scaling constant."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, TypeAlias

import numpy as np
from mirt import fit_mirt
from mirt.estimation.priors import BetaPrior
from mirt.estimation.quadrature import GaussHermiteQuadrature
from mirt.results.fit_result import FitResult
from mirt.scoring import fscores
from mirt.utils.information import iteminfo, probtrace
from numpy.typing import ArrayLike, NDArray

from cairn.assessment.enums import IrtModel
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext

FloatArray: TypeAlias = NDArray[np.float64]
IntArray: TypeAlias = NDArray[np.intp]

MIRT_FAMILY: Mapping[IrtModel, Literal["2PL", "3PL", "GRM"]] = {
    IrtModel.TWO_PL: "2PL",
    IrtModel.THREE_PL: "3PL",
    IrtModel.GRM: "GRM",
}

QUADRATURE_POINTS = 61
"""Gauss-Hermite points for EAP. mirt's default of 49 is within 1e-4 of a fine grid for a
posterior SD of 0.3; 61 keeps that margin for the tighter posteriors of long tests."""
GUESSING_PRIOR = BetaPrior(5, 17)
"""The lower asymptote's prior in 3PL calibration, BILOG-MG's default for five-option items
(mean 0.23): without it guessing is barely identified at realistic sample sizes and drifts
to its bounds."""
MAX_CATEGORIES = 30
"""The most answer categories a graded item may have (rubric totals stay well below)."""
PLAUSIBLE_Z = 1.96
"""A reported level comes with the levels of θ ± 1.96 SE: a 95% plausible range."""


@dataclass(frozen=True, eq=False)
class ItemParameters:
    """The parameters of a set of items under one model, as arrays over the items, so that
    probabilities and information for a whole bank are one vectorised call."""

    model: IrtModel
    discrimination: FloatArray
    """a, one per item, above 0."""
    thresholds: FloatArray
    """(items, categories - 1). Dichotomous models: one column, the difficulty b. Graded
    response model: the rising boundaries between an item's categories, then NaN for the
    categories it does not have."""
    guessing: FloatArray
    """c, the lower asymptote: 0 except under the 3PL model."""

    def __post_init__(self) -> None:
        a = np.asarray(self.discrimination, dtype=np.float64)
        thresholds = np.asarray(self.thresholds, dtype=np.float64)
        c = np.asarray(self.guessing, dtype=np.float64)
        if thresholds.ndim == 1:
            thresholds = thresholds[:, None]
        if a.ndim != 1 or thresholds.ndim != 2 or c.shape != a.shape:
            raise ValueError("discrimination and guessing need one value per item")
        if thresholds.shape[0] != a.size or thresholds.shape[1] < 1:
            raise ValueError("thresholds need one row per item")
        if not self.model.polytomous and thresholds.shape[1] != 1:
            raise ValueError("a dichotomous item has one threshold, its difficulty")
        object.__setattr__(self, "discrimination", a)
        object.__setattr__(self, "thresholds", thresholds)
        object.__setattr__(self, "guessing", c)
        problems: list[FieldError] = []
        if not (np.isfinite(a).all() and (a > 0).all()):
            problems.append(
                FieldError("discrimination", lazy_gettext("Discrimination must be above 0."))
            )
        if not _ordered_with_padding(thresholds):
            problems.append(
                FieldError(
                    "thresholds",
                    lazy_gettext(
                        "Thresholds must be finite numbers that rise from each category to the next."
                    ),
                )
            )
        allowed_guessing = (c >= 0) & (c < 1) if self.model is IrtModel.THREE_PL else c == 0
        if not allowed_guessing.all():
            problems.append(
                FieldError(
                    "guessing",
                    lazy_gettext(
                        "Guessing must be from 0 to below 1, and only under the 3PL model."
                    ),
                )
            )
        if problems:
            raise InvalidInput(problems[0].message, problems)

    @classmethod
    def two_pl(cls, discrimination: ArrayLike, difficulty: ArrayLike) -> ItemParameters:
        a = np.asarray(discrimination, dtype=np.float64)
        return cls(IrtModel.TWO_PL, a, np.asarray(difficulty, dtype=np.float64), np.zeros_like(a))

    @classmethod
    def three_pl(
        cls, discrimination: ArrayLike, difficulty: ArrayLike, guessing: ArrayLike
    ) -> ItemParameters:
        return cls(
            IrtModel.THREE_PL,
            np.asarray(discrimination, dtype=np.float64),
            np.asarray(difficulty, dtype=np.float64),
            np.asarray(guessing, dtype=np.float64),
        )

    @classmethod
    def graded(
        cls, discrimination: ArrayLike, thresholds: Sequence[Sequence[float]] | FloatArray
    ) -> ItemParameters:
        """Items with as many categories as thresholds + 1; rows may differ in length."""
        a = np.asarray(discrimination, dtype=np.float64)
        rows = [np.asarray(row, dtype=np.float64) for row in thresholds]
        width = max((row.size for row in rows), default=1)
        padded = np.full((len(rows), width), np.nan)
        for index, row in enumerate(rows):
            padded[index, : row.size] = row
        return cls(IrtModel.GRM, a, padded, np.zeros_like(a))

    @property
    def n_items(self) -> int:
        return int(self.discrimination.size)

    @property
    def n_categories(self) -> IntArray:
        """Answer categories per item: 2 for dichotomous items."""
        return np.asarray(np.isfinite(self.thresholds).sum(axis=1) + 1, dtype=np.intp)

    @property
    def difficulty(self) -> FloatArray:
        """b of dichotomous items; the first threshold of graded ones."""
        return self.thresholds[:, 0]

    @cached_property
    def as_mirt(self) -> FitResult:
        """These parameters as a fitted mirt result, so that mirt's trace lines,
        information and scoring apply to parameters that did not come from mirt."""
        parameters: dict[str, Any] = {"discrimination": self.discrimination.tolist()}
        if self.model.polytomous:
            parameters["thresholds"] = np.nan_to_num(self.thresholds, nan=0.0).tolist()
        else:
            parameters["difficulty"] = self.difficulty.tolist()
        if self.model is IrtModel.THREE_PL:
            parameters["guessing"] = self.guessing.tolist()
        return FitResult.from_dict(
            {
                "model": {
                    "name": MIRT_FAMILY[self.model],
                    "n_items": self.n_items,
                    "n_factors": 1,
                    "item_names": [f"item_{index}" for index in range(self.n_items)],
                    "n_categories": self.n_categories.tolist() if self.model.polytomous else None,
                },
                "parameters": parameters,
                # Not a fit: only the parameters are used. from_dict requires the fields.
                "log_likelihood": 0.0,
                "aic": 0.0,
                "bic": 0.0,
                "n_parameters": 0,
                "n_observations": 0,
                "converged": True,
                "n_iterations": 0,
            }
        )


def _ordered_with_padding(thresholds: FloatArray) -> bool:
    """Each row: finite, strictly rising values, then only NaN."""
    finite = np.isfinite(thresholds)
    if np.isinf(thresholds).any() or not finite[:, 0].all():
        return False
    if (finite[:, 1:] & ~finite[:, :-1]).any():  # a value after the padding began
        return False
    steps = np.diff(thresholds, axis=1)
    return bool((steps[finite[:, 1:]] > 0).all())


def _theta(theta: ArrayLike) -> FloatArray:
    return np.atleast_1d(np.asarray(theta, dtype=np.float64)).ravel()


def probabilities(parameters: ItemParameters, theta: ArrayLike) -> FloatArray:
    """P(category k | θ): (thetas, items, categories), from mirt's trace lines. Dichotomous
    items have categories wrong (0) and right (1); graded items have 0 after their last."""
    thetas = _theta(theta)
    traces = np.asarray(probtrace(parameters.as_mirt.model, thetas), dtype=np.float64)
    if parameters.model.polytomous:
        return traces.reshape(thetas.size, parameters.n_items, -1)
    right = traces.reshape(thetas.size, parameters.n_items)
    return np.stack((1.0 - right, right), axis=-1)


def information(parameters: ItemParameters, theta: ArrayLike) -> FloatArray:
    """Fisher information of each item at each θ: (thetas, items), from mirt."""
    thetas = _theta(theta)
    values = np.asarray(iteminfo(parameters.as_mirt.model, thetas), dtype=np.float64)
    return values.reshape(thetas.size, parameters.n_items)


@dataclass(frozen=True, eq=False)
class Abilities:
    theta: FloatArray
    """EAP estimates under a N(0, 1) prior."""
    se: FloatArray
    """Posterior standard deviations, the standard errors reported with θ."""


def _checked(data: FloatArray, categories: IntArray) -> FloatArray:
    """Responses as persons x items, NaN where an item was not presented; every other value
    must be one of its item's categories."""
    if data.ndim != 2 or data.shape[1] != categories.size:
        message = lazy_gettext(
            "Responses need one row per person and one column per item (%(items)s).",
            items=categories.size,
        )
        raise InvalidInput(message, [FieldError("responses", message)])
    given = ~np.isnan(data)
    valid = (data == np.round(data)) & (data >= 0) & (data < categories)
    if not valid[given].all():
        message = lazy_gettext(
            "Each response must be the number of one of the item's categories, from 0, or empty."
        )
        raise InvalidInput(message, [FieldError("responses", message)])
    return data


def estimate_ability(parameters: ItemParameters, responses: ArrayLike) -> Abilities:
    """EAP ability and its posterior SD for each row of ``responses`` (NaN = not given),
    by mirt's scorer on the same quadrature as ``PosteriorGrid``."""
    data = _checked(np.asarray(responses, dtype=np.float64), parameters.n_categories)
    scores = fscores(parameters.as_mirt, data, method="EAP", n_quadpts=QUADRATURE_POINTS)
    return Abilities(
        np.asarray(scores.theta, dtype=np.float64).reshape(-1),
        np.asarray(scores.standard_error, dtype=np.float64).reshape(-1),
    )


class PosteriorGrid:
    """Ability posteriors on mirt's Gauss-Hermite grid for a N(0, 1) prior, one row of log
    weights per examinee, so each answer adds one trace line and many tests advance in
    one array operation. The trace lines come from mirt once per bank; the EAP and posterior
    SD read off the grid are the ones ``estimate_ability`` gets from mirt (see the tests)."""

    def __init__(self, parameters: ItemParameters, points: int = QUADRATURE_POINTS) -> None:
        quadrature = GaussHermiteQuadrature(n_points=points)
        self.nodes: FloatArray = np.asarray(quadrature.nodes, dtype=np.float64).ravel()
        self.log_prior: FloatArray = np.log(np.asarray(quadrature.weights, dtype=np.float64))
        with np.errstate(divide="ignore"):  # a graded item's missing categories: log 0
            traces = np.log(probabilities(parameters, self.nodes))
        self.log_traces: FloatArray = np.ascontiguousarray(traces.transpose(1, 2, 0))
        """(items, categories, nodes)."""

    def start(self, examinees: int) -> FloatArray:
        return np.tile(self.log_prior, (examinees, 1))

    def add(
        self, log_posterior: FloatArray, rows: IntArray, items: IntArray, categories: IntArray
    ) -> None:
        """Each row's examinee answered ``items`` in ``categories``: in place."""
        log_posterior[rows] += self.log_traces[items, categories]

    def summarise(self, log_posterior: FloatArray) -> tuple[FloatArray, FloatArray]:
        """EAP and posterior SD of each row."""
        weights = np.exp(log_posterior - log_posterior.max(axis=1, keepdims=True))
        weights /= weights.sum(axis=1, keepdims=True)
        theta = weights @ self.nodes
        variance = weights @ self.nodes**2 - theta**2
        return theta, np.sqrt(np.maximum(variance, 0.0))

    def score(self, items: Sequence[int], categories: Sequence[int]) -> tuple[float, float]:
        """EAP and SD after one person's answers."""
        log_posterior = self.log_prior + self.log_traces[
            np.asarray(items, dtype=np.intp), np.asarray(categories, dtype=np.intp)
        ].sum(axis=0)
        theta, se = self.summarise(log_posterior[None, :])
        return float(theta[0]), float(se[0])


@dataclass(frozen=True)
class MinimumData:
    respondents: int
    """People with at least one response."""
    responses_per_item: int
    per_category: int
    """Responses in every category of every item (right and wrong for dichotomous items):
    without both sides a difficulty or threshold has no finite estimate."""


MINIMUM_DATA: Mapping[IrtModel, MinimumData] = {
    # 2PL: about 200 people give a and b standard errors near 0.2 for typical items
    # (De Ayala 2009, ch. 5; Drasgow 1989); below that a drifts to its bounds.
    IrtModel.TWO_PL: MinimumData(respondents=200, responses_per_item=100, per_category=10),
    # 3PL: the lower asymptote rests on the few low scorers; 1,000 people is the usual floor
    # (Hulin, Lissak & Drasgow 1982), even with a prior on guessing.
    IrtModel.THREE_PL: MinimumData(respondents=1000, responses_per_item=500, per_category=20),
    # GRM: each threshold needs people on both sides of it (Reise & Yu 1990 used 500).
    IrtModel.GRM: MinimumData(respondents=300, responses_per_item=150, per_category=10),
}
"""Below these, ``calibrate`` says how much more data it needs instead of estimating."""


@dataclass
class CalibrationNeedsMoreData(InvalidInput):
    """Too little data for stable estimates; the numbers say how much more is needed."""

    more_respondents: int = 0
    more_responses: dict[str, int] = field(default_factory=dict)
    """Item key → further responses it needs (including enough in every category, at the
    rate each category has been chosen so far)."""


@dataclass(frozen=True, eq=False)
class ParameterErrors:
    """Standard errors laid out like ``ItemParameters``; NaN where a parameter is absent."""

    discrimination: FloatArray
    thresholds: FloatArray
    guessing: FloatArray


@dataclass(frozen=True, eq=False)
class Calibration:
    parameters: ItemParameters
    standard_errors: ParameterErrors
    """From the observed information of the marginal likelihood (Oakes' method, mirt's)."""
    respondents: int
    log_likelihood: float
    aic: float
    bic: float
    converged: bool
    iterations: int


def calibrate(
    responses: ArrayLike,
    model: IrtModel,
    *,
    n_categories: int | Sequence[int] | None = None,
    item_keys: Sequence[str] | None = None,
) -> Calibration:
    """Item parameters estimated from persons x items responses (NaN = not presented) by
    mirt's EM. Refused with ``CalibrationNeedsMoreData`` below ``MINIMUM_DATA``.

    ``n_categories``: for the graded response model, the categories of each item (so that a
    category nobody chose counts as missing data); by default the highest one observed."""
    data = np.asarray(responses, dtype=np.float64)
    if data.ndim == 2:
        data = data[~np.isnan(data).all(axis=1)]  # people shown nothing say nothing
    categories = _categories(data, model, n_categories)
    data = _checked(data, categories)
    keys = list(item_keys) if item_keys is not None else [str(i) for i in range(data.shape[1])]
    if len(keys) != data.shape[1]:
        raise ValueError("item_keys needs one key per column")
    _require_enough(data, model, categories, keys)
    result = fit_mirt(
        data,
        model=MIRT_FAMILY[model],
        n_categories=categories.tolist() if model.polytomous else None,
        item_names=keys,
        priors={"guessing": GUESSING_PRIOR} if model is IrtModel.THREE_PL else None,
    )
    return _calibration(result, model, categories, respondents=data.shape[0])


def _categories(
    data: FloatArray, model: IrtModel, n_categories: int | Sequence[int] | None
) -> IntArray:
    columns = data.shape[1] if data.ndim == 2 else 0
    if not model.polytomous or data.ndim != 2:
        return np.full(columns, 2, dtype=np.intp)
    if n_categories is None:
        highest = np.nan_to_num(np.nanmax(data, axis=0, initial=1.0), nan=1.0)
        # A capped count makes a stray huge code an invalid response, not a huge item.
        return np.asarray(np.clip(highest, 1, MAX_CATEGORIES - 1) + 1, dtype=np.intp)
    counts = np.broadcast_to(np.asarray(n_categories, dtype=np.intp), (columns,))
    if (counts < 2).any():
        raise ValueError("an item needs at least 2 categories")
    return np.array(counts)


def _require_enough(
    data: FloatArray, model: IrtModel, categories: IntArray, keys: Sequence[str]
) -> None:
    minimum = MINIMUM_DATA[model]
    respondents = data.shape[0]
    more_respondents = max(minimum.respondents - respondents, 0)
    more_responses: dict[str, int] = {}
    answered_by: dict[str, int] = {}
    for column, key in enumerate(keys):
        answered = data[~np.isnan(data[:, column]), column]
        counts = np.bincount(answered.astype(np.intp), minlength=int(categories[column]))
        needed = minimum.responses_per_item
        if (counts < minimum.per_category).any():
            # Enough responses for ``per_category`` in each category at its rate so far,
            # smoothed so that a category nobody chose yet still gives a finite figure.
            rates = (counts + 0.5) / (answered.size + 0.5 * counts.size)
            needed = max(needed, math.ceil(float(np.max(minimum.per_category / rates))))
        if needed > answered.size:
            more_responses[key] = needed - answered.size
            answered_by[key] = answered.size
    if not more_respondents and not more_responses:
        return
    problems = [
        FieldError(
            f"responses.{key}",
            lazy_gettext(
                "%(more)s more responses needed (%(have)s so far).",
                more=more,
                have=answered_by[key],
            ),
        )
        for key, more in more_responses.items()
    ]
    if more_respondents:
        problems.insert(
            0,
            FieldError(
                "responses",
                lazy_gettext(
                    "%(more)s more respondents needed (%(have)s so far).",
                    more=more_respondents,
                    have=respondents,
                ),
            ),
        )
    figures = {
        "model": MIRT_FAMILY[model],
        "respondents": minimum.respondents,
        "responses": minimum.responses_per_item,
        "per_category": minimum.per_category,
        "more_respondents": more_respondents,
        "items": len(more_responses),
        "most": max(more_responses.values(), default=0),
    }
    if not more_responses:
        message = lazy_gettext(
            "Too little data to calibrate with the %(model)s model: it needs %(respondents)s "
            "respondents, %(more_respondents)s more than now.",
            **figures,
        )
    elif not more_respondents:
        message = lazy_gettext(
            "Too little data to calibrate with the %(model)s model: it needs %(responses)s "
            "responses to each item, %(per_category)s in each category, and %(items)s items "
            "are short (by up to %(most)s responses).",
            **figures,
        )
    else:
        message = lazy_gettext(
            "Too little data to calibrate with the %(model)s model: it needs %(respondents)s "
            "respondents (%(more_respondents)s more) and %(responses)s responses to each item, "
            "%(per_category)s in each category (%(items)s items short, by up to %(most)s).",
            **figures,
        )
    raise CalibrationNeedsMoreData(
        message, problems, more_respondents=more_respondents, more_responses=more_responses
    )


def _calibration(
    result: FitResult, model: IrtModel, categories: IntArray, *, respondents: int
) -> Calibration:
    estimates = {k: np.asarray(v, dtype=np.float64) for k, v in result.model.parameters.items()}
    errors = {k: np.asarray(v, dtype=np.float64) for k, v in result.standard_errors.items()}
    n_items = categories.size

    def error(name: str, like: FloatArray) -> FloatArray:
        return errors.get(name, np.full_like(like, np.nan)).reshape(like.shape)

    a = estimates["discrimination"]
    if model.polytomous:
        thresholds = estimates["thresholds"].reshape(n_items, -1).copy()
        padding = np.arange(thresholds.shape[1])[None, :] >= (categories - 1)[:, None]
        thresholds[padding] = np.nan
        threshold_errors = error("thresholds", thresholds)
        threshold_errors[padding] = np.nan
        parameters = ItemParameters(model, a, thresholds, np.zeros(n_items))
    else:
        b = estimates["difficulty"]
        c = estimates.get("guessing", np.zeros(n_items))
        parameters = ItemParameters(model, a, b, c)
        threshold_errors = error("difficulty", b)[:, None]
    return Calibration(
        parameters=parameters,
        standard_errors=ParameterErrors(
            error("discrimination", a),
            threshold_errors,
            error("guessing", a) if model is IrtModel.THREE_PL else np.full(n_items, np.nan),
        ),
        respondents=respondents,
        log_likelihood=float(result.log_likelihood),
        aic=float(result.aic),
        bic=float(result.bic),
        converged=bool(result.converged),
        iterations=int(result.n_iterations),
    )


@dataclass(frozen=True)
class Proficiency:
    level: int
    """The rank on the framework's scale (1 = lowest) that θ falls in."""
    lowest: int
    highest: int
    """The levels of θ - 1.96 SE and θ + 1.96 SE: where the person plausibly is."""
    theta: float
    se: float


def even_cut_scores(levels: int, lowest: float = -2.5, highest: float = 2.5) -> tuple[float, ...]:
    """Cut scores for ``levels`` levels whose centres run evenly from ``lowest`` to
    ``highest``, as items are seeded (docs/item-bank-format.md): halfway between centres."""
    if levels < 2:
        raise ValueError("a scale needs at least 2 levels")
    step = (highest - lowest) / (levels - 1)
    return tuple(lowest + (rank - 0.5) * step for rank in range(1, levels))


DIGITAL_CUT_SCORES = even_cut_scores(8)
"""The 8-level digital scale: level 1 below -2.14, level 5 from 0 to 0.71, level 8 above 2.14."""


def proficiency_level(theta: float, se: float, cut_scores: Sequence[float]) -> Proficiency:
    """The level θ falls in (a θ exactly on a cut score is in the upper level), with the
    levels of its 95% plausible range."""
    cuts = np.asarray(cut_scores, dtype=np.float64)
    if cuts.ndim != 1 or not np.isfinite(cuts).all() or (np.diff(cuts) <= 0).any():
        raise ValueError("cut scores must rise strictly")
    if not (math.isfinite(theta) and math.isfinite(se) and se >= 0):
        raise ValueError("theta must be finite and se finite and non-negative")

    def level(value: float) -> int:
        return int(np.searchsorted(cuts, value, side="right")) + 1

    return Proficiency(
        level=level(theta),
        lowest=level(theta - PLAUSIBLE_Z * se),
        highest=level(theta + PLAUSIBLE_Z * se),
        theta=theta,
        se=se,
    )
