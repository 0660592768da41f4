"""Read shapes of the public catalogue, as the API answers them."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from cairn.catalogue.enums import Participation
from cairn.kit.pagination import Page


class CatalogueEntryRead(BaseModel):
    """One micro-credential on offer: the current published version of a specification."""

    version_id: uuid.UUID
    issuer: str = Field(description="The issuing organisation's short name.")
    issuer_name: str
    slug: str
    number: int = Field(description="The version's number; 1 for the first edition.")
    title: str
    summary: str | None
    language: str
    region: str | None
    country: str | None
    eqf_level: int | None
    ects: float | None
    workload_hours: float | None
    participation: Participation | None
    price_minor: int | None = Field(description="In minor units (cents) of currency; 0 is free.")
    currency: str | None
    published_at: datetime | None
    page_url: str = Field(description="The public page, with every element of the version.")
    ctdl_url: str = Field(description="The same as CTDL JSON-LD for the Credential Registry.")


class FacetCount(BaseModel):
    value: str
    count: int


class CatalogueFacets(BaseModel):
    """How many results have each value, counted within the current results."""

    participation: list[FacetCount]
    language: list[FacetCount]
    eqf_level: list[FacetCount]


class CatalogueResults(Page[CatalogueEntryRead]):
    facets: CatalogueFacets
