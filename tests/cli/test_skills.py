"""``cairn skills extract``, ``titles`` and ``index`` run for real: a framework without
embeddings is refused with the command that builds them, ``index`` builds them, and then
skills are found in an argument, a file or standard input, as a table or as JSON."""

from __future__ import annotations

import json
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.cli import database, error_lines, run_cairn
from tests.factories.intelligence import OCCUPATIONS, SKILLS
from tests.factories.taxonomy import make_framework, make_occupation, make_skill

AD = "- Drive a forklift safely\n- Keep stock lists in Excel\n- Serve customers at the counter"
FRAMEWORK = ("--framework", "everyday")


@dataclass(frozen=True)
class Install:
    data_dir: Path
    before_index: subprocess.CompletedProcess[str]
    index: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory) -> Install:
    """A fresh install holding one small framework, refused once before its embeddings
    are built and then indexed."""
    data_dir = tmp_path_factory.mktemp("skills")
    assert run_cairn(data_dir, "db", "upgrade").returncode == 0
    with database(data_dir) as engine, Session(engine) as session:
        framework = make_framework(session, slug="everyday", title="Everyday skills")
        for label, alts in SKILLS.items():
            make_skill(session, framework, label, alt_labels=alts)
        for label, alts in OCCUPATIONS.items():
            make_occupation(session, framework, label, alt_labels=alts)
        session.commit()
    before = extract(data_dir)
    index = run_cairn(data_dir, "skills", "index", *FRAMEWORK)
    return Install(data_dir, before, index)


def extract(data_dir: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """The ad starts with a dash, so it comes after ``--``, as a person would type it."""
    return run_cairn(data_dir, "skills", "extract", *FRAMEWORK, *options, "--", AD)


def as_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def words(text: str) -> str:
    """The output with Rich's line wrapping undone."""
    return " ".join(text.split())


def test_missing_embeddings_name_the_command_that_builds_them(install: Install) -> None:
    assert install.before_index.returncode == 1
    assert install.before_index.stdout == ""
    (line,) = error_lines(install.before_index.stderr)
    assert "have no embeddings" in line
    assert line.endswith("cairn skills index --framework everyday@1.0")


def test_index_builds_the_skills_and_occupations_embeddings(install: Install) -> None:
    assert install.index.returncode == 0, install.index.stderr
    said = words(install.index.stdout)
    assert "for the 15 skills of Everyday skills 1.0" in said
    assert "for the 5 occupations of Everyday skills 1.0" in said


def test_extract_answers_json_with_the_words_each_skill_was_found_in(install: Install) -> None:
    found = as_json(extract(install.data_dir, "--top", "3", "--json"))

    assert found["framework"] == {"slug": "everyday", "version": "1.0", "title": "Everyday skills"}
    assert found["model"]
    assert {item["label"] for item in found["results"]} <= {
        "forklift operation",
        "customer service",
        "communicate with customers",
        "use spreadsheets software",
    }
    scores = [item["score"] for item in found["results"]]
    assert scores == sorted(scores, reverse=True)
    assert len(found["results"]) == 3
    for item in found["results"]:
        assert AD[item["start"] : item["end"]] == item["quote"]
        assert uuid.UUID(item["id"])
        assert item["uri"].startswith("http")
        assert item["matched_label"]
        assert isinstance(item["score"], float)


def test_a_file_or_standard_input_gives_the_same_answer(install: Install, tmp_path: Path) -> None:
    ad = tmp_path / "ad.txt"
    ad.write_bytes(b"\xef\xbb\xbf" + AD.encode())  # a byte-order mark is not part of the text
    argument = extract(install.data_dir, "--json")
    from_file = run_cairn(
        install.data_dir, "skills", "extract", "--file", str(ad), *FRAMEWORK, "--json"
    )
    from_stdin = run_cairn(
        install.data_dir, "skills", "extract", "-", *FRAMEWORK, "--json", input=AD
    )

    labels = {item["label"] for item in as_json(argument)["results"]}
    assert {"forklift operation", "use spreadsheets software", "customer service"} <= labels
    assert as_json(from_file) == as_json(argument)
    assert as_json(from_stdin) == as_json(argument)


def test_the_table_shows_labels_scores_and_quotes(install: Install) -> None:
    result = extract(install.data_dir)

    assert result.returncode == 0, result.stderr
    said = words(result.stdout)
    assert "Skills found (Everyday skills 1.0)" in said
    assert "forklift operation" in said
    assert "Drive a forklift" in said


def test_titles_finds_occupations_through_alternative_titles(install: Install) -> None:
    found = as_json(
        run_cairn(install.data_dir, "skills", "titles", "Staff nurse", *FRAMEWORK, "--json")
    )

    first = found["results"][0]
    assert (first["label"], first["matched_label"]) == ("registered nurse", "staff nurse")
    assert first["quote"] == "Staff nurse"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("extract", "  \n ", *FRAMEWORK), "error: The text is empty: give a sentence or more"),
        (("extract", *FRAMEWORK), "error: give the text as an argument or --file FILE"),
        (("titles", "!!!", *FRAMEWORK), "error: Give a job title of 1 to 500 characters."),
        (("extract", "--top", "0", *FRAMEWORK, "--", AD), "error: --top: Ask for between 1 and"),
    ],
)
def test_bad_input_is_one_line_naming_what_to_fix(
    install: Install, args: tuple[str, ...], message: str
) -> None:
    result = run_cairn(install.data_dir, "skills", *args)

    assert result.returncode == 1
    assert result.stdout == ""
    (line,) = error_lines(result.stderr)
    assert line.startswith(message), line


def test_a_file_that_is_not_text_is_refused(install: Install, tmp_path: Path) -> None:
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7\n\xff\xfe\x00\x01")
    not_utf8 = run_cairn(install.data_dir, "skills", "extract", "--file", str(binary))
    missing = run_cairn(install.data_dir, "skills", "extract", "--file", str(tmp_path / "no.txt"))

    assert error_lines(not_utf8.stderr) == [f"error: {binary} is not UTF-8 text"]
    (line,) = error_lines(missing.stderr)
    assert line.startswith(f"error: {tmp_path / 'no.txt'}: ")
    assert {not_utf8.returncode, missing.returncode} == {1}
