"""Scoring rules for every item type, as an assessor or a learner relies on them."""

from __future__ import annotations

from typing import Any

import pytest

from cairn.assessment.enums import ItemType
from cairn.assessment.scoring import Score, score
from cairn.kit.errors import InvalidInput

CHOICES = {"options": [{"id": k} for k in "abcde"]}


@pytest.mark.parametrize(
    ("item_type", "content", "answer", "expected"),
    [
        (ItemType.SINGLE_CHOICE, {**CHOICES, "correct": ["b"]}, {"choice": "b"}, Score(1, 1, True)),
        (
            ItemType.SINGLE_CHOICE,
            {**CHOICES, "correct": ["b"]},
            {"choice": "a"},
            Score(0, 1, False),
        ),
        (
            ItemType.MULTIPLE_CHOICE,
            {**CHOICES, "correct": ["a", "c"], "scoring": "all_or_nothing"},
            {"choices": ["c", "a"]},
            Score(1, 1, True),
        ),
        (
            ItemType.MULTIPLE_CHOICE,
            {**CHOICES, "correct": ["a", "c"], "scoring": "all_or_nothing"},
            {"choices": ["a"]},
            Score(0, 1, False),
        ),
        (
            ItemType.MULTIPLE_CHOICE,
            {**CHOICES, "correct": ["a", "c", "d"], "scoring": "partial"},
            {"choices": ["a", "c", "e"]},
            Score(1 / 3, 1, False),  # two right, one wrong: (2 - 1) / 3
        ),
        (
            ItemType.MULTIPLE_CHOICE,
            {**CHOICES, "correct": ["a"], "scoring": "partial"},
            {"choices": ["b", "c"]},
            Score(0, 1, False),  # never below zero
        ),
        (ItemType.TRUE_FALSE, {"correct": False}, {"value": False}, Score(1, 1, True)),
        (
            ItemType.ORDERED,
            {"correct_order": ["a", "b", "c"], "scoring": "exact"},
            {"order": ["a", "c", "b"]},
            Score(0, 1, False),
        ),
        (
            ItemType.ORDERED,
            {"correct_order": ["a", "b", "c"], "scoring": "partial"},
            {"order": ["a", "c", "b"]},
            Score(2 / 3, 1, False),  # a<b and a<c kept, b<c swapped
        ),
        (ItemType.NUMERIC, {"answer": 25, "tolerance": 0.5}, {"value": 25.4}, Score(1, 1, True)),
        (ItemType.NUMERIC, {"answer": 25, "tolerance": 0.5}, {"value": 26}, Score(0, 1, False)),
        (
            ItemType.LIKERT_SELF_REPORT,
            {"scale": ["1", "2", "3", "4", "5"]},
            {"rating": 4},
            Score(3, 4, None, category=3),
        ),
        (
            ItemType.SCENARIO,
            {
                "rubric": [
                    {
                        "criterion": "safety",
                        "levels": [{"points": 0}, {"points": 1}, {"points": 2}],
                    },
                    {"criterion": "clarity", "levels": [{"points": 0}, {"points": 3}]},
                ],
                "max_points": 5,
            },
            {"criteria": [2, 0]},
            Score(2, 5, False, category=2),
        ),
    ],
)
def test_each_item_type_scores_as_documented(
    item_type: ItemType, content: dict[str, Any], answer: dict[str, Any], expected: Score
) -> None:
    result = score(item_type, content, answer)
    assert result.points == pytest.approx(expected.points)
    assert (result.max_points, result.correct, result.category) == (
        expected.max_points,
        expected.correct,
        expected.category,
    )


@pytest.mark.parametrize(
    ("item_type", "content", "answer"),
    [
        (ItemType.SINGLE_CHOICE, {**CHOICES, "correct": ["b"]}, {"choice": "z"}),
        (ItemType.MULTIPLE_CHOICE, {**CHOICES, "correct": ["b"]}, {"choices": "b"}),
        (ItemType.MULTIPLE_CHOICE, {**CHOICES, "correct": ["b"]}, {"choices": []}),
        (ItemType.TRUE_FALSE, {"correct": True}, {"value": "yes"}),
        (ItemType.ORDERED, {"correct_order": ["a", "b"]}, {"order": ["a", "a"]}),
        (ItemType.NUMERIC, {"answer": 1}, {"value": float("nan")}),
        (ItemType.NUMERIC, {"answer": 1}, {"value": True}),
        (ItemType.LIKERT_SELF_REPORT, {"scale": ["1", "2", "3"]}, {"rating": 4}),
        (
            ItemType.SCENARIO,
            {
                "rubric": [{"criterion": "safety", "levels": [{"points": 0}, {"points": 2}]}],
                "max_points": 2,
            },
            {"criteria": [1]},
        ),
    ],
)
def test_a_malformed_answer_is_refused_naming_the_answer(
    item_type: ItemType, content: dict[str, Any], answer: dict[str, Any]
) -> None:
    with pytest.raises(InvalidInput) as failure:
        score(item_type, content, answer)
    assert [error.field for error in failure.value.field_errors] == ["answer"]
