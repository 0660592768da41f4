"""The heatmap as rows, for CSV and JSON: one row per department and skill."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from cairn.profiles.heatmap import Heatmap

COLUMNS = (
    "department",
    "skill",
    "skill_uri",
    "targeted",
    "assessed",
    "below",
    "share_below",
    "mean_gap",
)


def rows(heatmap: Heatmap) -> list[dict[str, Any]]:
    """Suppressed cells keep their counts of people targeted and assessed, not the gap."""
    found = []
    for department in heatmap.departments:
        for skill in heatmap.skills:
            cell = heatmap.cells.get((department.id, skill.id))
            if cell is None:
                continue
            found.append(
                {
                    "department": department.name,
                    "skill": skill.preferred_label,
                    "skill_uri": skill.uri,
                    "targeted": cell.targeted,
                    "assessed": cell.assessed,
                    "below": cell.below,
                    "share_below": None if cell.share_below is None else round(cell.share_below, 3),
                    "mean_gap": None if cell.mean_gap is None else round(cell.mean_gap, 2),
                }
            )
    return found


def to_csv(heatmap: Heatmap) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(heatmap))
    return buffer.getvalue()


def to_json(heatmap: Heatmap) -> str:
    return json.dumps(
        {"min_cell": heatmap.min_cell, "cells": rows(heatmap)}, ensure_ascii=False, indent=2
    )
