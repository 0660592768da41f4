"""The public catalogue: micro-credentials on offer, searched by words and filters. Anyone
may call it; a token, when one is sent, must be valid and hold ``catalogue:read``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from cairn.api.v1.common import ERROR_RESPONSES, PageQuery, to_page
from cairn.auth import service as auth_service
from cairn.auth.dependencies import DbSession
from cairn.catalogue.enums import Participation
from cairn.catalogue.search import CatalogueQuery, search_catalogue
from cairn.catalogue.search_repository import Entry, Sort
from cairn.catalogue.search_schemas import (
    CatalogueEntryRead,
    CatalogueFacets,
    CatalogueResults,
    FacetCount,
)
from cairn.config import get_settings
from cairn.kit.actor import Actor
from cairn.kit.errors import NotAuthenticated
from cairn.kit.i18n import lazy_gettext

router = APIRouter(tags=["catalogue"], responses=ERROR_RESPONSES)

_optional_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="apiToken",
    description="A Cairn API token, created under My profile or with `cairn tokens create`.",
)


def _optional_api_actor(
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_optional_bearer)],
) -> Actor | None:
    """Nobody without a token; a token that is sent must be valid."""
    if credentials is None:
        return None
    actor = auth_service.token_actor(session, credentials.credentials)
    if actor is None:
        raise NotAuthenticated(
            lazy_gettext("Send a valid API token as 'Authorization: Bearer <token>'.")
        )
    return actor


def entry_read(entry: Entry) -> CatalogueEntryRead:
    page = f"{get_settings().base_url.rstrip('/')}/catalogue/{entry.org_slug}/{entry.slug}"
    return CatalogueEntryRead(
        version_id=entry.version_id,
        issuer=entry.org_slug,
        issuer_name=entry.org_name,
        slug=entry.slug,
        number=entry.number,
        title=entry.title,
        summary=entry.summary,
        language=entry.language,
        region=entry.region,
        country=entry.country,
        eqf_level=entry.eqf_level,
        ects=entry.ects,
        workload_hours=entry.workload_hours,
        participation=entry.participation,
        price_minor=entry.price_minor,
        currency=entry.currency,
        published_at=entry.published_at,
        page_url=page,
        ctdl_url=f"{page}.jsonld",
    )


@router.get(
    "/catalogue",
    response_model=CatalogueResults,
    summary="Search the micro-credentials on offer; no token needed",
)
def search(
    session: DbSession,
    actor: Annotated[Actor | None, Depends(_optional_api_actor)],
    params: PageQuery,
    q: Annotated[
        str, Query(max_length=200, description="Words in the title, summary or outcomes.")
    ] = "",
    skill: Annotated[
        str | None, Query(max_length=500, description="A skill's URI an outcome aligns to.")
    ] = None,
    narrower: Annotated[bool, Query(description="Narrower skills of the skill count too.")] = False,
    skill_level: Annotated[
        int | None, Query(ge=1, le=20, description="At least this level of the skill.")
    ] = None,
    eqf_level: Annotated[int | None, Query(ge=1, le=8, description="EQF level.")] = None,
    region: Annotated[
        str | None, Query(max_length=120, description="A region, or a two-letter country code.")
    ] = None,
    language: Annotated[
        str | None, Query(max_length=16, description='A language code; "en" finds "en-CA".')
    ] = None,
    max_price: Annotated[
        int | None, Query(ge=0, description="Highest price, in minor units (cents).")
    ] = None,
    free: Annotated[bool, Query(description="Only free ones.")] = False,
    participation: Annotated[
        Participation | None, Query(description="Form of participation.")
    ] = None,
    endorsed_by: Annotated[
        str | None, Query(max_length=80, description="An endorsing organisation's short name.")
    ] = None,
    issuer: Annotated[
        str | None, Query(max_length=80, description="An issuing organisation's short name.")
    ] = None,
    sort: Annotated[
        Sort, Query(description="relevance (with words), newest or price.")
    ] = Sort.RELEVANCE,
) -> CatalogueResults:
    query = CatalogueQuery(
        text=q,
        skill=skill,
        narrower=narrower,
        skill_level=skill_level,
        eqf_level=eqf_level,
        region=region,
        language=language,
        max_price_minor=max_price,
        free=free,
        participation=participation,
        endorsed_by=endorsed_by,
        issuer=issuer,
        sort=sort,
    )
    results = search_catalogue(session, actor, query, params)
    page = to_page(results.page, entry_read)

    def counts(rows: list[tuple[object, int]]) -> list[FacetCount]:
        return [FacetCount(value=str(value), count=n) for value, n in rows]

    return CatalogueResults(
        items=page.items,
        total=page.total,
        page=page.page,
        per_page=page.per_page,
        pages=page.pages,
        next_page=page.next_page,
        facets=CatalogueFacets(
            participation=counts(list(results.facets.participation)),
            language=counts(list(results.facets.language)),
            eqf_level=counts(list(results.facets.eqf_level)),
        ),
    )
