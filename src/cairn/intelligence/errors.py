"""What skill intelligence refuses, each named so a person can put it right.

They keep their parents' problem codes (``invalid_input``, ``conflict``), which the API
reference lists; the message says what is wrong and how to put it right."""

from __future__ import annotations

from cairn.kit.errors import Conflict, InvalidInput


class EmptyText(InvalidInput):
    """No words to read: empty, only punctuation, binary, or too long."""


class UnknownEmbedder(InvalidInput):
    """The embedding model named in the settings is not known or not installed."""


class EmbeddingsMissing(Conflict):
    """The framework is there but its vectors were never computed for this model."""


class EvaluationFileError(InvalidInput):
    """The evaluation file cannot be read as its task needs it."""
