"""Pydantic validation errors in words people read, in their language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from cairn.kit.errors import FieldError
from cairn.kit.i18n import LazyString, gettext, lazy_gettext

MESSAGES: dict[str, LazyString] = {
    "missing": lazy_gettext("This field is required."),
    "string_too_short": lazy_gettext("Enter at least %(min_length)s characters."),
    "string_too_long": lazy_gettext("Enter at most %(max_length)s characters."),
    "string_pattern_mismatch": lazy_gettext("Use lower-case letters, digits and hyphens only."),
    "enum": lazy_gettext("Choose one of the listed options."),
    "literal_error": lazy_gettext("Choose one of the listed options."),
    "uuid_parsing": lazy_gettext("This is not a valid identifier."),
    "uuid_type": lazy_gettext("This is not a valid identifier."),
    "int_parsing": lazy_gettext("Enter a whole number."),
    "greater_than_equal": lazy_gettext("Enter a number of at least %(ge)s."),
    "less_than_equal": lazy_gettext("Enter a number of at most %(le)s."),
    "bool_parsing": lazy_gettext("Answer yes or no."),
    "json_invalid": lazy_gettext("The request body is not valid JSON."),
    "model_attributes_type": lazy_gettext("Send a JSON object."),
    "dict_type": lazy_gettext("Send a JSON object."),
    "extra_forbidden": lazy_gettext("This field is not expected."),
    "union_tag_invalid": lazy_gettext("Choose one of %(expected_tags)s."),
}
ENDS_BEFORE_STARTS = "ends before it starts"
EMAIL_MESSAGE = lazy_gettext("Enter a valid e-mail address, like name@example.org.")
VALUE_ERRORS: dict[str, LazyString] = {
    "an employer needs a size band": lazy_gettext("An employer needs a size band."),
    "only employers have a size band": lazy_gettext("Only employers have a size band."),
    ENDS_BEFORE_STARTS: lazy_gettext("The end date is before the start date."),
}


def describe(error: Mapping[str, Any]) -> str:
    """One translated sentence for one pydantic error."""
    kind = str(error.get("type", ""))
    context = dict(error.get("ctx") or {})
    if kind == "value_error":
        raw = str(context.get("error", error.get("msg", "")))
        if "email" in raw.lower() or "@" in raw:
            return str(EMAIL_MESSAGE)
        known = VALUE_ERRORS.get(raw)
        return str(known) if known is not None else raw
    if kind == "literal_error" and "True" in str(context.get("expected", "")):
        return gettext("Tick this box to continue.")
    message = MESSAGES.get(kind)
    if message is None:
        return str(error.get("msg", gettext("This value is not valid.")))
    text = gettext(message.message)
    try:
        return text % context
    except (KeyError, TypeError, ValueError):
        return text


def field_path(location: Sequence[str | int]) -> str:
    """``("body", "parent_id")`` → ``parent_id``; the transport part is dropped."""
    parts = [str(part) for part in location if part not in ("body", "query", "path", "form")]
    return ".".join(parts) or "__root__"


def field_errors(error: ValidationError) -> list[FieldError]:
    return [FieldError(field_path(item["loc"]), describe(item)) for item in error.errors()]
