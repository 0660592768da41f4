"""Progress of a long job, reported by the service and shown by whichever face runs it
(a Rich bar in the CLI, a status page on the web) without the service knowing which."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, description: str, total: int | None) -> None:
        """Begin a step of ``total`` units (None when the size is not known)."""

    def advance(self, units: int = 1) -> None: ...


class NoProgress:
    """For callers that show nothing: tests, the demo seed, nested jobs."""

    def start(self, description: str, total: int | None) -> None:
        pass

    def advance(self, units: int = 1) -> None:
        pass
