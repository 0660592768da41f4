"""Pydantic errors become one sentence per field, in the reader's language."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from cairn.kit.errors import FieldError
from cairn.kit.i18n import use_locale
from cairn.kit.validation import describe, field_errors, field_path
from cairn.orgs.schemas import (
    DepartmentCreate,
    EquityAttributesWrite,
    OrganisationCreate,
    PersonCreate,
)
from tests.kit.test_i18n import french


def errors_of(model: type[BaseModel], data: dict[str, Any]) -> list[FieldError]:
    with pytest.raises(ValidationError) as error:
        model.model_validate(data)
    return field_errors(error.value)


@pytest.mark.parametrize(
    ("model", "data", "expected"),
    [
        (
            PersonCreate,
            {"email": "not-an-address", "display_name": "Ann"},
            [("email", "Enter a valid e-mail address, like name@example.org.")],
        ),
        (
            PersonCreate,
            {"email": "ann@example.org"},
            [("display_name", "This field is required.")],
        ),
        (
            PersonCreate,
            {"email": "ann@example.org", "display_name": "Ann", "password": "short"},
            [("password", "Enter at least 12 characters.")],
        ),
        (
            OrganisationCreate,
            {"name": "Acme", "kind": "employer"},
            [("size_band", "An employer needs a size band.")],
        ),
        (
            OrganisationCreate,
            {"name": "Acme", "kind": "provider", "size_band": "small"},
            [("size_band", "Only employers have a size band.")],
        ),
        (
            OrganisationCreate,
            {"name": "Acme", "kind": "guild"},
            [("kind", "Choose one of the listed options.")],
        ),
        (
            OrganisationCreate,
            {"name": "Acme", "kind": "community", "slug": "Not A Slug"},
            [("slug", "Use lower-case letters, digits and hyphens only.")],
        ),
        (
            OrganisationCreate,
            {"name": "x" * 201, "kind": "community"},
            [("name", "Enter at most 200 characters.")],
        ),
        (
            DepartmentCreate,
            {"name": "Nursing", "parent_id": "12"},
            [("parent_id", "This is not a valid identifier.")],
        ),
        (
            EquityAttributesWrite,
            {"consent": False},
            [("consent", "Tick this box to continue.")],
        ),
    ],
)
def test_each_error_reads_as_a_sentence_about_its_field(
    model: type[BaseModel], data: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert [(e.field, e.message) for e in errors_of(model, data)] == expected


def test_every_failing_field_is_reported() -> None:
    found = errors_of(PersonCreate, {"password": "short"})

    assert [e.field for e in found] == ["email", "display_name", "password"]


def test_messages_are_in_the_readers_language() -> None:
    with use_locale("fr"):
        [too_short] = errors_of(
            PersonCreate, {"email": "a@example.org", "display_name": "A", "password": "x"}
        )
        [bad_email] = errors_of(PersonCreate, {"email": "nope", "display_name": "A"})

    assert too_short.message == french("Enter at least %(min_length)s characters.") % {
        "min_length": 12
    }
    assert bad_email.message == french("Enter a valid e-mail address, like name@example.org.")


def test_an_unlisted_error_keeps_pydantics_words() -> None:
    assert describe({"type": "date_from_datetime_inexact", "msg": "Dates only"}) == "Dates only"
    assert describe({"type": "value_error", "ctx": {"error": "a rule of our own"}}) == (
        "a rule of our own"
    )


@pytest.mark.parametrize(
    ("location", "path"),
    [
        (("body", "parent_id"), "parent_id"),
        (("query", "page"), "page"),
        (("form", "email"), "email"),
        (("body", "items", 0, "name"), "items.0.name"),
        (("body",), "__root__"),
    ],
)
def test_the_transport_is_dropped_from_field_paths(
    location: tuple[str | int, ...], path: str
) -> None:
    assert field_path(location) == path
