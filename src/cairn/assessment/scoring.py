"""Scoring one answer to one item. Pure functions, so the web test, the API, imports and
simulations all score the same way.

Machine-scored items give a dichotomous result (``correct``) for IRT where the scoring is
all-or-nothing or exact, and a share of the points where it is partial; a self-report gives
a rating category and no right or wrong; a scenario is scored by an assessor against its
rubric and gives a points total (a category for the graded response model)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from cairn.assessment.enums import ItemType, Scoring
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext


@dataclass(frozen=True)
class Score:
    points: float
    max_points: float
    correct: bool | None
    """Right or wrong, for dichotomous IRT; None for self-reports."""
    category: int | None = None
    """The ordered category (0 = lowest) for polytomous items: ratings and rubric totals."""


def score(item_type: ItemType, content: Mapping[str, Any], answer: Mapping[str, Any]) -> Score:
    """The score of ``answer`` (shape per type, see docs/item-bank-format.md)."""
    scorer = _SCORERS[item_type]
    return scorer(content, answer)


def _invalid(reason: str | Any) -> InvalidInput:
    return InvalidInput(reason, [FieldError("answer", reason)])


def _options(content: Mapping[str, Any]) -> set[str]:
    return {str(option["id"]) for option in content.get("options", [])}


def _single_choice(content: Mapping[str, Any], answer: Mapping[str, Any]) -> Score:
    choice = answer.get("choice")
    if not isinstance(choice, str) or choice not in _options(content):
        raise _invalid(lazy_gettext("Choose one of the options."))
    correct = choice in set(content["correct"])
    return Score(1.0 if correct else 0.0, 1.0, correct)


def _multiple_choice(content: Mapping[str, Any], answer: Mapping[str, Any]) -> Score:
    choices = answer.get("choices")
    options = _options(content)
    if not isinstance(choices, list) or not all(c in options for c in choices):
        raise _invalid(lazy_gettext("Choose among the options."))
    if not choices:  # every item has at least one right option: none chosen is a slip
        raise _invalid(lazy_gettext("Choose at least one of the options."))
    chosen, key = set(choices), set(content["correct"])
    if content.get("scoring", Scoring.ALL_OR_NOTHING) == Scoring.PARTIAL:
        # Each right choice earns a share, each wrong choice takes one away, never below 0.
        earned = max(0.0, (len(chosen & key) - len(chosen - key)) / len(key))
        return Score(earned, 1.0, earned == 1.0)
    correct = chosen == key
    return Score(1.0 if correct else 0.0, 1.0, correct)


def _true_false(content: Mapping[str, Any], answer: Mapping[str, Any]) -> Score:
    value = answer.get("value")
    if not isinstance(value, bool):
        raise _invalid(lazy_gettext("Answer true or false."))
    correct = value is bool(content["correct"])
    return Score(1.0 if correct else 0.0, 1.0, correct)


def _ordered(content: Mapping[str, Any], answer: Mapping[str, Any]) -> Score:
    order = answer.get("order")
    key: Sequence[str] = content["correct_order"]
    if not isinstance(order, list) or sorted(order) != sorted(key):
        raise _invalid(lazy_gettext("Put every step in order, each once."))
    if content.get("scoring", Scoring.EXACT) == Scoring.PARTIAL:
        # The share of pairs of steps in the right relative order (Kendall's agreement).
        position = {step: index for index, step in enumerate(order)}
        pairs = list(combinations(key, 2))
        agreeing = sum(1 for first, second in pairs if position[first] < position[second])
        earned = agreeing / len(pairs)
        return Score(earned, 1.0, earned == 1.0)
    correct = list(order) == list(key)
    return Score(1.0 if correct else 0.0, 1.0, correct)


def _numeric(content: Mapping[str, Any], answer: Mapping[str, Any]) -> Score:
    value = answer.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _invalid(lazy_gettext("Enter a number."))
    correct = abs(float(value) - float(content["answer"])) <= float(content.get("tolerance", 0))
    return Score(1.0 if correct else 0.0, 1.0, correct)


def _likert(content: Mapping[str, Any], answer: Mapping[str, Any]) -> Score:
    points = len(content["scale"])
    rating = answer.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= points:
        raise _invalid(lazy_gettext("Choose a rating from 1 to %(max)s.", max=points))
    return Score(float(rating - 1), float(points - 1), None, category=rating - 1)


def _scenario(content: Mapping[str, Any], answer: Mapping[str, Any]) -> Score:
    rubric: Sequence[Mapping[str, Any]] = content["rubric"]
    given = answer.get("criteria")
    if not isinstance(given, list) or len(given) != len(rubric):
        raise _invalid(lazy_gettext("Score every criterion of the rubric."))
    total = 0
    for criterion, points in zip(rubric, given, strict=True):
        allowed = {level["points"] for level in criterion["levels"]}
        if isinstance(points, bool) or points not in allowed:
            raise _invalid(
                lazy_gettext(
                    "%(points)s is not a level of “%(criterion)s”.",
                    points=points,
                    criterion=criterion["criterion"],
                )
            )
        total += int(points)
    maximum = int(content["max_points"])
    return Score(float(total), float(maximum), total == maximum, category=total)


_SCORERS = {
    ItemType.SINGLE_CHOICE: _single_choice,
    ItemType.MULTIPLE_CHOICE: _multiple_choice,
    ItemType.TRUE_FALSE: _true_false,
    ItemType.ORDERED: _ordered,
    ItemType.NUMERIC: _numeric,
    ItemType.LIKERT_SELF_REPORT: _likert,
    ItemType.SCENARIO: _scenario,
}
