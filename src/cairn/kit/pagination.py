"""Page-number pagination shared by every list in the API, the pages and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class PageParams:
    page: int = 1
    per_page: int = 50

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Paged(Generic[T]):
    items: list[T]
    total: int
    params: PageParams

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.params.per_page))


class Page(BaseModel, Generic[T]):
    """A page of results; ``next_page`` is null on the last page."""

    items: list[T]
    total: int = Field(description="Number of items across all pages.")
    page: int
    per_page: int
    pages: int
    next_page: int | None


def paginate(session: Session, query: Select[T], params: PageParams) -> Paged[T]:
    """Run ``query`` for one page; the count ignores its ordering."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = list(session.scalars(query.limit(params.per_page).offset(params.offset)))
    return Paged(items=items, total=total, params=params)
