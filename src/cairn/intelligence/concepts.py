"""What the linker ranks: a framework's skills or occupations, or the labels of a file."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    key: str
    """How the caller finds the concept again: a skill's id, an occupation's URI, a label."""
    label: str
    alt_labels: tuple[str, ...] = ()
    uri: str = ""


def fingerprint(concepts: Sequence[Concept], embedder_name: str) -> str:
    """Changes whenever a label, an alternative label or the model changes, so stored
    vectors are never used for texts they were not computed from."""
    digest = hashlib.sha256(embedder_name.encode())
    for concept in concepts:
        digest.update(b"\x1e" + concept.key.encode() + b"\x1f" + concept.label.encode())
        for alt in concept.alt_labels:
            digest.update(b"\x1f" + alt.encode())
    return digest.hexdigest()
