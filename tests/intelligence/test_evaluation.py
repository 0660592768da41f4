"""The benchmark metrics on hand-made examples whose answers are worked out by hand, and
the refusals of files that are not in the benchmark's format."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from cairn.intelligence import evaluation
from cairn.intelligence.errors import EvaluationFileError
from cairn.intelligence.evaluation import Query


def test_r_precision_divides_by_what_could_be_found() -> None:
    ranked = ["a", "x", "b", "y", "z", "c"]
    assert evaluation.r_precision_at(ranked, frozenset({"a", "b"}), 5) == 1.0
    # three gold, two in the top five: 2 / min(5, 3)
    assert evaluation.r_precision_at(ranked, frozenset({"a", "b", "c"}), 5) == pytest.approx(2 / 3)
    # seven gold, two in the top five: 2 / min(5, 7)
    gold = frozenset({"a", "b", "c", "d", "e", "f", "g"})
    assert evaluation.r_precision_at(ranked, gold, 5) == pytest.approx(2 / 5)
    assert evaluation.r_precision_at(ranked, frozenset({"q"}), 5) == 0.0


def test_reciprocal_rank_is_one_over_the_first_hit() -> None:
    assert evaluation.reciprocal_rank(["x", "y", "a"], frozenset({"a", "y"})) == 0.5
    assert evaluation.reciprocal_rank(["x"], frozenset({"a"})) == 0.0


def test_evaluate_averages_over_queries() -> None:
    candidates = ["cook meals", "drive a forklift", "use Excel", "speak French"]
    # Fixed scores per query: the ranking each gives is written beside it.
    table: dict[str, npt.NDArray[np.float32]] = {
        "q1": np.array([0.9, 0.1, 0.5, 0.0], np.float32),  # cook, Excel, forklift, French
        "q2": np.array([0.1, 0.2, 0.3, 0.4], np.float32),  # French, Excel, forklift, cook
    }
    queries = [
        Query("q1", frozenset({"cook meals"})),  # rank 1: RP@5 1, RR 1
        Query("q2", frozenset({"drive a forklift", "cook meals"})),  # ranks 3 and 4: RP@5 1, RR 1/3
    ]
    report = evaluation.evaluate(
        queries, candidates, table.__getitem__, cutoffs=(1, 5), metric=evaluation.r_precision_at
    )
    assert report.queries == 2
    assert report.at[5] == pytest.approx(1.0)
    assert report.at[1] == pytest.approx(0.5)  # q1 hits at 1, q2 does not
    assert report.mrr == pytest.approx((1 + 1 / 3) / 2)


def test_decorte_rows_are_grouped_by_sentence_and_unusable_labels_dropped(tmp_path: Path) -> None:
    file = tmp_path / "dev.csv"
    file.write_text(
        "sentence,span,sub_span,label\n"
        "Cook and drive,cook,,cook meals\n"
        "Cook and drive,drive,,drive a forklift\n"
        "Be smart,smart,,LABEL NOT PRESENT\n"
        "Be keen,keen,,UNDERSPECIFIED\n",
        encoding="utf-8",
    )
    assert evaluation.read_sentence_skills(file) == [
        Query("Cook and drive", frozenset({"cook meals", "drive a forklift"}))
    ]


def test_a_file_with_wrong_columns_is_refused_naming_file_line_and_columns(tmp_path: Path) -> None:
    file = tmp_path / "wrong.csv"
    file.write_text("text,skill\nCook,cook meals\n", encoding="utf-8")
    with pytest.raises(EvaluationFileError) as refused:
        evaluation.read_sentence_skills(file)
    message = str(refused.value)
    assert f"{file}:1" in message
    assert "sentence, label" in message
    with pytest.raises(EvaluationFileError, match="vacancyTitle"):
        evaluation.read_titles(file)


def test_an_empty_cell_is_named_by_line(tmp_path: Path) -> None:
    file = tmp_path / "titles.csv"
    file.write_text("vacancyTitle,conceptUri\nCook,http://x/1\n,http://x/2\n", encoding="utf-8")
    with pytest.raises(EvaluationFileError, match=r"titles\.csv:3: column vacancyTitle"):
        evaluation.read_titles(file)


def test_binary_and_empty_label_files_are_refused(tmp_path: Path) -> None:
    binary = tmp_path / "labels.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(EvaluationFileError, match="not UTF-8"):
        evaluation.read_labels(binary)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(EvaluationFileError, match="no labels"):
        evaluation.read_labels(empty)
