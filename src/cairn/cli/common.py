"""What every command shares: one unit of work per command, and errors as one clear line."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from cairn.config import get_settings
from cairn.kit.db import make_engine, make_session_factory, unit_of_work
from cairn.kit.errors import DomainError
from cairn.kit.i18n import gettext
from cairn.kit.validation import field_errors

console = Console()
errors = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def transaction() -> Iterator[Session]:
    """The command's single transaction on the configured database."""
    engine = make_engine(get_settings().database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def fail(message: str) -> typer.Exit:
    label = gettext("error")
    # soft_wrap: one line however narrow the terminal, so scripts can read and grep it.
    errors.print(f"[bold red]{label}:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def option(field: str) -> str:
    """The command-line spelling of a field: ``size_band`` → ``--size-band``."""
    return "--" + field.replace("_", "-")


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn domain and validation errors into one line on stderr and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            details = "; ".join(
                f"{option(item.field)}: {item.message}" for item in error.field_errors
            )
            if details and all(str(i.message) == str(error.message) for i in error.field_errors):
                raise fail(details) from None  # the field's message already says it all
            raise fail(f"{error.message}" + (f" ({details})" if details else "")) from None
        except ValidationError as error:
            raise fail(
                "; ".join(f"{option(item.field)}: {item.message}" for item in field_errors(error))
            ) from None
        except (OperationalError, ProgrammingError) as error:
            # Missing tables or an unreachable server: a hint, not a traceback.
            reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
            raise fail(
                gettext(
                    "the database cannot be used (%(reason)s); if it is new, run 'cairn db upgrade'.",
                    reason=reason,
                )
            ) from None

    return wrapper
