from enum import StrEnum

from cairn.kit.i18n import LazyString, lazy_gettext


class PathwayStatus(StrEnum):
    ACTIVE = "active"
    """The learner is following it."""
    ACHIEVED = "achieved"
    """Every gap it was planned to close is closed."""
    ARCHIVED = "archived"


class StepStatus(StrEnum):
    PLANNED = "planned"
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    DROPPED = "dropped"
    """Left behind by a re-plan, or withdrawn from."""


class Objective(StrEnum):
    """What a plan minimises first; the other comes second."""

    COST = "cost"
    TIME = "time"


LABELS: dict[str, LazyString] = {
    PathwayStatus.ACTIVE: lazy_gettext("Following"),
    PathwayStatus.ACHIEVED: lazy_gettext("Achieved"),
    PathwayStatus.ARCHIVED: lazy_gettext("Archived"),
    StepStatus.PLANNED: lazy_gettext("Planned"),
    StepStatus.ENROLLED: lazy_gettext("Enrolled"),
    StepStatus.COMPLETED: lazy_gettext("Completed"),
    StepStatus.DROPPED: lazy_gettext("Dropped"),
    Objective.COST: lazy_gettext("Lowest cost to me"),
    Objective.TIME: lazy_gettext("Soonest finish"),
}


def label(value: str) -> str:
    """The translated label of an enum value, for pages and the CLI."""
    text = LABELS.get(value)
    return str(text) if text is not None else value
