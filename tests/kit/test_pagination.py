"""Page-number pagination: the right slice, and a total that ignores the page."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.kit.pagination import Paged, PageParams, paginate
from cairn.orgs.models import Organisation
from tests.factories.orgs import make_org


@pytest.fixture
def region(session: Session) -> str:
    """Five organisations named A to E in a region of their own."""
    name = f"Region {uuid.uuid4().hex[:8]}"
    for letter in "DBEAC":
        make_org(session, name=f"Org {letter}", region=name)
    return name


def page_of(session: Session, region: str, params: PageParams) -> Paged[Organisation]:
    query = select(Organisation).where(Organisation.region == region).order_by(Organisation.name)
    return paginate(session, query, params)


@pytest.mark.parametrize(
    ("page", "names"),
    [(1, ["Org A", "Org B"]), (2, ["Org C", "Org D"]), (3, ["Org E"]), (4, [])],
)
def test_each_page_holds_its_slice_of_the_ordered_results(
    session: Session, region: str, page: int, names: list[str]
) -> None:
    result = page_of(session, region, PageParams(page=page, per_page=2))

    assert [org.name for org in result.items] == names
    assert (result.total, result.pages) == (5, 3)


def test_one_page_holds_everything_when_it_fits(session: Session, region: str) -> None:
    result = page_of(session, region, PageParams())

    assert len(result.items) == result.total == 5
    assert result.pages == 1


def test_an_empty_result_still_has_one_page(session: Session) -> None:
    result = page_of(session, "nowhere", PageParams(per_page=10))

    assert (result.items, result.total, result.pages) == ([], 0, 1)


def test_offset_follows_page_and_size() -> None:
    assert PageParams(page=1, per_page=50).offset == 0
    assert PageParams(page=3, per_page=20).offset == 40
