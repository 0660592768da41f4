"""What goes wrong with a pathway, in the learner's words."""

from __future__ import annotations

from typing import ClassVar

from cairn.kit.errors import Conflict, InvalidInput
from cairn.kit.i18n import LazyString, lazy_gettext


class NoPlan(InvalidInput):
    """A pathway is saved or re-planned only when a plan exists; the message lists every
    blocker so the learner sees what to change."""

    code = "pathway_infeasible"
    meaning: ClassVar[LazyString] = lazy_gettext(
        "No plan meets the learner's constraints; the message says what blocks it."
    )


class PathwayClosed(Conflict):
    """An archived or achieved pathway is kept as it was."""

    code = "pathway_closed"
    meaning: ClassVar[LazyString] = lazy_gettext(
        "The pathway is archived or achieved and is no longer re-planned."
    )
