"""Skills in demand for the faces: as the API's read shape (the CLI's JSON too), and as a
spreadsheet of the table the page shows, one row per skill with a column per period."""

from __future__ import annotations

import csv
import io

from cairn.catalogue.demand_schemas import DemandRead, SkillDemandRead
from cairn.catalogue.demand_service import DemandReport

FIXED = ("skill", "skill_uri", "postings", "needs", "needed_headcount", "role_profiles")


def to_read(report: DemandReport) -> DemandRead:
    return DemandRead(
        period=report.period,
        periods=report.periods,
        region=report.region,
        since=report.since,
        postings_total=report.postings_total,
        skills=[SkillDemandRead.model_validate(row, from_attributes=True) for row in report.skills],
    )


def to_csv(report: DemandReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*FIXED, *report.periods])
    for row in report.skills:
        writer.writerow(
            [
                row.skill_label,
                row.skill_uri,
                row.postings,
                row.needs,
                row.needed_headcount,
                row.role_profiles,
                *(row.by_period.get(period, 0) for period in report.periods),
            ]
        )
    return buffer.getvalue()
