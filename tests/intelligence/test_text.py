"""How text is cut before linking: list items and sentences apart, words with their
punctuation, and word windows that never start or end on a function word."""

from __future__ import annotations

from cairn.intelligence.text import Piece, sentences, windows, words


def _texts(text: str, pieces: list[Piece]) -> list[str]:
    return [text[piece.start : piece.end] for piece in pieces]


def test_sentences_split_at_punctuation_lines_and_bullets() -> None:
    text = "We hire cooks. You will plan menus.\n- Keep stock\n• Serve guests; smile"
    assert _texts(text, sentences(text)) == [
        "We hire cooks.",
        "You will plan menus.",
        "Keep stock",
        "Serve guests; smile",
    ]


def test_words_keep_programming_names_whole() -> None:
    text = "Node.js, C++ and C# on a full-stack team"
    assert _texts(text, words(text, Piece(0, len(text)))) == [
        "Node.js",
        "C++",
        "and",
        "C#",
        "on",
        "a",
        "full-stack",
        "team",
    ]


def test_windows_skip_function_words_at_their_edges() -> None:
    text = "use of spreadsheets"
    found = _texts(text, windows(text, words(text, Piece(0, len(text))), 3))
    assert found == ["use", "spreadsheets", "use of spreadsheets"]
