"""What every API module shares: pagination parameters and the page envelope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Query

from cairn.api.problems import Problem
from cairn.kit.pagination import MAX_PER_PAGE, Page, Paged, PageParams

T = TypeVar("T")
R = TypeVar("R")


def _page_params(
    page: Annotated[int, Query(ge=1, description="Page number, from 1.")] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="Items per page.")] = 50,
) -> PageParams:
    return PageParams(page=page, per_page=per_page)


PageQuery = Annotated[PageParams, Depends(_page_params)]


def to_page(paged: Paged[T], convert: Callable[[T], R]) -> Page[R]:
    return Page[R](
        items=[convert(item) for item in paged.items],
        total=paged.total,
        page=paged.params.page,
        per_page=paged.params.per_page,
        pages=paged.pages,
        next_page=paged.params.page + 1 if paged.params.page < paged.pages else None,
    )


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {
        "model": Problem,
        "content": {"application/problem+json": {}},
        "description": description,
    }
    for status, description in (
        (401, "No valid API token."),
        (403, "The token's person or scopes do not allow this."),
        (404, "Not found, or outside the caller's organisations."),
        (422, "Invalid input, with a pointer to each field at fault."),
    )
}
