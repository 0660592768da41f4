"""Computerised adaptive tests, fixed forms and self-paced quizzes over one item pool, all
scored the same way: the EAP posterior of ``irt.PosteriorGrid`` (decision 0015).

An adaptive test picks each next item in three steps:

1. **Content balancing.** Every item measures one competence, and a test aims at target
   shares of them (equal over the pool's competences unless set). The next item comes from
   the competence furthest below target, ``target x (items given + 1) - items given in
   it``; with equal targets a test visits every competence once before any twice.
2. **Maximum information.** Among that competence's items not yet given, the most
   informative at the current EAP estimate (Fisher information from mirt, tabulated).
3. **Exposure control, randomesque** (Kingsbury & Zara 1989): one of the ``randomesque``
   most informative at random, so that the few best items are not shown to everyone and
   learnt. Chosen over Sympson-Hetter because it needs no exposure parameters fitted by
   rounds of simulation before each new bank can be used.

It stops when the standard error reaches ``se_target`` after at least ``min_length`` items,
at ``max_length`` items, or when no eligible item is left.

The same code runs one test a step at a time for a web session (``start``, ``next_item``,
``record``; ``CatState`` is plain JSON) and thousands at once for simulations
(``administer``), so that what a simulation shows is what a person gets."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from cairn.assessment.irt import FloatArray, IntArray, ItemParameters, PosteriorGrid, information
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext

INFORMATION_GRID: FloatArray = np.linspace(-4.0, 4.0, 161)
"""θ values where each pool's item information is tabulated once; selection reads the
nearest row. 0.05 apart, far finer than any estimate's standard error."""

BoolArray: TypeAlias = NDArray[np.bool_]
Responder: TypeAlias = Callable[[IntArray, IntArray], IntArray]
"""(examinees, the item each is shown) → the category each answers in."""


class StopReason(StrEnum):
    PRECISE = "se"
    """The standard error reached the target."""
    MAX_LENGTH = "max_length"
    POOL_EXHAUSTED = "pool_exhausted"
    FORM_COMPLETE = "form_complete"


def _invalid(name: str, message: Any) -> InvalidInput:
    return InvalidInput(message, [FieldError(name, message)])


@dataclass(frozen=True)
class CatSettings:
    se_target: float = 0.30
    """0.30 is a reliability of about 0.91 on a N(0, 1) population, enough to place people
    on an 8-level scale whose levels are 0.71 apart."""
    max_length: int = 30
    min_length: int = 5
    """No verdict on fewer items however lucky the answers: a level should rest on several
    competences."""
    randomesque: int = 5
    """Choose among this many most informative items; 1 turns exposure control off."""
    balance_content: bool = True
    content_targets: Mapping[str, float] | None = None
    """Competence code → relative share; None: equal shares over the pool's competences.
    Competences left out (or at 0) are never chosen."""

    def __post_init__(self) -> None:
        if not 0 < self.se_target < 1:
            raise _invalid(
                "se_target", lazy_gettext("The standard error target must be between 0 and 1.")
            )
        if self.min_length < 1:
            raise _invalid("min_length", lazy_gettext("Enter a number of at least %(ge)s.", ge=1))
        if self.max_length < self.min_length:
            raise _invalid(
                "max_length",
                lazy_gettext("Enter a number of at least %(ge)s.", ge=self.min_length),
            )
        if self.randomesque < 1:
            raise _invalid("randomesque", lazy_gettext("Enter a number of at least %(ge)s.", ge=1))
        if self.content_targets is not None and (
            any(not share >= 0 for share in self.content_targets.values())
            or not sum(self.content_targets.values()) > 0
        ):
            raise _invalid(
                "content_targets",
                lazy_gettext("Content targets must be 0 or more, with at least one above 0."),
            )


class ItemPool:
    """Items ready to be tested: their keys, competences and parameters, with what mirt
    computes once per pool (item information on ``INFORMATION_GRID`` and trace lines on
    the scoring grid), so that each step of a test is array look-ups."""

    def __init__(
        self, parameters: ItemParameters, keys: Sequence[str], competences: Sequence[str]
    ) -> None:
        if len(keys) != parameters.n_items or len(competences) != parameters.n_items:
            raise ValueError("one key and one competence per item")
        self.parameters = parameters
        self.keys: tuple[str, ...] = tuple(keys)
        self.position: dict[str, int] = {key: index for index, key in enumerate(self.keys)}
        if len(self.position) != len(self.keys):
            raise ValueError("item keys must be unique")
        self.competences: tuple[str, ...] = tuple(sorted(set(competences)))
        code = {competence: index for index, competence in enumerate(self.competences)}
        self.competence_of: IntArray = np.array([code[c] for c in competences], dtype=np.intp)
        self.competence_sizes: IntArray = np.bincount(
            self.competence_of, minlength=len(self.competences)
        )
        self.posterior = PosteriorGrid(parameters)
        self.information_table: FloatArray = information(parameters, INFORMATION_GRID)

    @property
    def n_items(self) -> int:
        return self.parameters.n_items

    def information_at(self, theta: FloatArray) -> FloatArray:
        """(examinees, items): each item's information at each examinee's θ."""
        step = INFORMATION_GRID[1] - INFORMATION_GRID[0]
        rows = np.rint((theta - INFORMATION_GRID[0]) / step).astype(np.intp)
        table: FloatArray = self.information_table[np.clip(rows, 0, INFORMATION_GRID.size - 1)]
        return table

    def targets(self, settings: CatSettings) -> FloatArray | None:
        """Target shares over ``competences``, or None without content balancing."""
        if not settings.balance_content:
            return None
        if settings.content_targets is None:
            return np.full(len(self.competences), 1.0 / len(self.competences))
        unknown = set(settings.content_targets) - set(self.competences)
        if unknown:
            raise _invalid(
                "content_targets",
                lazy_gettext(
                    "No item measures %(competences)s.", competences=", ".join(sorted(unknown))
                ),
            )
        shares = np.array([settings.content_targets.get(c, 0.0) for c in self.competences])
        return np.asarray(shares / shares.sum(), dtype=np.float64)


def _eligible(
    pool: ItemPool,
    targets: FloatArray | None,
    given: BoolArray,
    counts: IntArray,
    lengths: IntArray,
) -> BoolArray:
    """(examinees, items): items not given, in the competences furthest below target."""
    eligible = ~given
    if targets is None:
        return eligible
    open_ = (pool.competence_sizes - counts > 0) & (targets > 0)
    deficit = np.where(open_, targets * (lengths + 1)[:, None] - counts, -np.inf)
    furthest: BoolArray = open_ & (deficit >= deficit.max(axis=1, keepdims=True) - 1e-9)
    return eligible & furthest[:, pool.competence_of]


def _select(
    pool: ItemPool,
    settings: CatSettings,
    targets: FloatArray | None,
    theta: FloatArray,
    given: BoolArray,
    counts: IntArray,
    lengths: IntArray,
    rng: np.random.Generator,
) -> IntArray:
    """The next item for each examinee, -1 where none is eligible."""
    eligible = _eligible(pool, targets, given, counts, lengths)
    score = np.where(eligible, pool.information_at(theta), -np.inf)
    k = min(settings.randomesque, pool.n_items)
    best = np.argpartition(-score, k - 1, axis=1)[:, :k]
    usable = np.isfinite(np.take_along_axis(score, best, axis=1))
    pick = np.argmax(np.where(usable, rng.random(best.shape), -1.0), axis=1)
    chosen = best[np.arange(best.shape[0]), pick]
    return np.where(usable.any(axis=1), chosen, -1)


def _finished(
    settings: CatSettings, lengths: IntArray, se: FloatArray
) -> tuple[BoolArray, BoolArray]:
    """(precise enough, at the maximum length) for each examinee."""
    precise = (lengths >= settings.min_length) & (se <= settings.se_target)
    return precise, lengths >= settings.max_length


@dataclass(frozen=True, eq=False)
class Administration:
    """Tests given to many examinees at once."""

    theta: FloatArray
    se: FloatArray
    lengths: IntArray
    items: IntArray
    """(examinees, longest test): item positions in order, -1 after each test's end."""
    reasons: tuple[StopReason, ...]

    def exposure(self, n_items: int) -> FloatArray:
        """The share of examinees who saw each item."""
        shown = np.bincount(self.items[self.items >= 0], minlength=n_items)
        return np.asarray(shown / self.theta.size, dtype=np.float64)


def administer(
    pool: ItemPool,
    settings: CatSettings,
    examinees: int,
    respond: Responder,
    rng: np.random.Generator,
) -> Administration:
    """Adaptive tests for ``examinees`` people at once, every step in array operations."""
    targets = pool.targets(settings)
    log_posterior = pool.posterior.start(examinees)
    theta, se = pool.posterior.summarise(log_posterior)
    given = np.zeros((examinees, pool.n_items), dtype=np.bool_)
    counts = np.zeros((examinees, len(pool.competences)), dtype=np.intp)
    lengths = np.zeros(examinees, dtype=np.intp)
    items = np.full((examinees, settings.max_length), -1, dtype=np.intp)
    reasons = [StopReason.POOL_EXHAUSTED] * examinees
    active = np.arange(examinees, dtype=np.intp)
    while active.size:
        chosen = _select(
            pool,
            settings,
            targets,
            theta[active],
            given[active],
            counts[active],
            lengths[active],
            rng,
        )
        rows, chosen = active[chosen >= 0], chosen[chosen >= 0]  # the others stay exhausted
        categories = respond(rows, chosen)
        given[rows, chosen] = True
        counts[rows, pool.competence_of[chosen]] += 1
        items[rows, lengths[rows]] = chosen
        lengths[rows] += 1
        pool.posterior.add(log_posterior, rows, chosen, categories)
        theta[rows], se[rows] = pool.posterior.summarise(log_posterior[rows])
        precise, full = _finished(settings, lengths[rows], se[rows])
        for row in rows[full]:
            reasons[row] = StopReason.MAX_LENGTH
        for row in rows[precise]:
            reasons[row] = StopReason.PRECISE
        active = rows[~(precise | full)]
    return Administration(theta, se, lengths, items, tuple(reasons))


def administer_form(
    pool: ItemPool, form: Sequence[int] | IntArray, examinees: int, respond: Responder
) -> Administration:
    """The same fixed form, in order, to ``examinees`` people at once."""
    order = np.asarray(form, dtype=np.intp)
    log_posterior = pool.posterior.start(examinees)
    everyone = np.arange(examinees, dtype=np.intp)
    for item in order:
        shown = np.full(examinees, item, dtype=np.intp)
        pool.posterior.add(log_posterior, everyone, shown, respond(everyone, shown))
    theta, se = pool.posterior.summarise(log_posterior)
    return Administration(
        theta,
        se,
        np.full(examinees, order.size, dtype=np.intp),
        np.tile(order, (examinees, 1)),
        (StopReason.FORM_COMPLETE,) * examinees,
    )


@dataclass(frozen=True)
class CatState:
    """Where one person's test stands, as kept between requests (``to_json``)."""

    items: tuple[str, ...] = ()
    responses: tuple[int, ...] = ()
    """The category of each answer, in the order of ``items``: 1 right, 0 wrong."""
    theta: float = 0.0
    se: float = 1.0
    competence_counts: Mapping[str, int] = field(default_factory=dict)
    form: tuple[str, ...] | None = None
    """A fixed form's items in order; None for an adaptive test."""
    stop_reason: StopReason | None = None

    @property
    def finished(self) -> bool:
        return self.stop_reason is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "items": list(self.items),
            "responses": list(self.responses),
            "theta": self.theta,
            "se": self.se,
            "competence_counts": dict(self.competence_counts),
            "form": None if self.form is None else list(self.form),
            "stop_reason": None if self.stop_reason is None else self.stop_reason.value,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CatState:
        form = data["form"]
        reason = data["stop_reason"]
        state = cls(
            items=tuple(str(key) for key in data["items"]),
            responses=tuple(int(response) for response in data["responses"]),
            theta=float(data["theta"]),
            se=float(data["se"]),
            competence_counts={str(k): int(v) for k, v in data["competence_counts"].items()},
            form=None if form is None else tuple(str(key) for key in form),
            stop_reason=None if reason is None else StopReason(reason),
        )
        if len(state.items) != len(state.responses):
            raise ValueError("one response per item")
        return state


def start(pool: ItemPool, *, form: Sequence[str] | None = None) -> CatState:
    """A new test: adaptive, or the fixed ``form`` in its order."""
    if form is not None:
        unknown = [key for key in form if key not in pool.position]
        if unknown or not form or len(set(form)) != len(form):
            raise _invalid(
                "form", lazy_gettext("A form lists items of the pool, each once, at least one.")
            )
    theta, se = pool.posterior.score([], [])
    return CatState(theta=theta, se=se, form=None if form is None else tuple(form))


def next_item(
    pool: ItemPool, settings: CatSettings, state: CatState, rng: np.random.Generator
) -> str | None:
    """The key of the item to show next; None once the test is over."""
    if state.finished:
        return None
    if state.form is not None:
        return state.form[len(state.items)]
    given, counts = _one(pool, state)
    chosen = _select(
        pool,
        settings,
        pool.targets(settings),
        np.array([state.theta]),
        given,
        counts,
        np.array([len(state.items)], dtype=np.intp),
        rng,
    )
    return None if chosen[0] < 0 else pool.keys[chosen[0]]


def record(
    pool: ItemPool, settings: CatSettings, state: CatState, key: str, category: int
) -> CatState:
    """The state after the answer ``category`` to item ``key``, scored and checked for the
    end of the test."""
    if state.finished:
        raise _invalid("item", lazy_gettext("The test is over."))
    allowed = state.form[len(state.items)] if state.form is not None else key
    if key != allowed or key not in pool.position or key in state.items:
        raise _invalid("item", lazy_gettext("This is not the item the test is waiting for."))
    position = pool.position[key]
    highest = int(pool.parameters.n_categories[position]) - 1
    if not 0 <= category <= highest:
        raise _invalid(
            "response", lazy_gettext("Answer with a category from 0 to %(high)s.", high=highest)
        )
    items, responses = (*state.items, key), (*state.responses, category)
    theta, se = pool.posterior.score([pool.position[k] for k in items], responses)
    competence = pool.competences[pool.competence_of[position]]
    counts = dict(state.competence_counts)
    counts[competence] = counts.get(competence, 0) + 1
    after = replace(
        state, items=items, responses=responses, theta=theta, se=se, competence_counts=counts
    )
    return replace(after, stop_reason=_stop_reason(pool, settings, after))


def _stop_reason(pool: ItemPool, settings: CatSettings, state: CatState) -> StopReason | None:
    if state.form is not None:
        return StopReason.FORM_COMPLETE if len(state.items) == len(state.form) else None
    lengths = np.array([len(state.items)], dtype=np.intp)
    precise, full = _finished(settings, lengths, np.array([state.se]))
    if precise[0]:
        return StopReason.PRECISE
    if full[0]:
        return StopReason.MAX_LENGTH
    given, counts = _one(pool, state)
    if not _eligible(pool, pool.targets(settings), given, counts, lengths).any():
        return StopReason.POOL_EXHAUSTED
    return None


def _one(pool: ItemPool, state: CatState) -> tuple[BoolArray, IntArray]:
    """One person's given items and competence counts as one-row arrays."""
    given = np.zeros((1, pool.n_items), dtype=np.bool_)
    given[0, [pool.position[key] for key in state.items]] = True
    counts = np.array(
        [[state.competence_counts.get(c, 0) for c in pool.competences]], dtype=np.intp
    )
    return given, counts


def score_answers(pool: ItemPool, answers: Mapping[str, int]) -> tuple[float, float]:
    """A self-paced quiz, scored once at the end: EAP and SE from whatever was answered,
    in any order (skipped items are simply absent)."""
    positions = [pool.position.get(key, -1) for key in answers]
    categories = list(answers.values())
    valid = [
        position >= 0 and 0 <= category < pool.parameters.n_categories[position]
        for position, category in zip(positions, categories, strict=True)
    ]
    if not all(valid):
        raise _invalid(
            "answers",
            lazy_gettext("Each answer must be to an item of the quiz, in one of its categories."),
        )
    return pool.posterior.score(positions, categories)
