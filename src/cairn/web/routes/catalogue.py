"""The public catalogue on the web: search the micro-credentials on offer with filters, read
one with every element, and fetch it as CTDL JSON-LD. No sign-in is needed."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from cairn.auth.dependencies import DbSession, OptionalWebActor
from cairn.catalogue import ctdl, public
from cairn.catalogue.enums import Participation, label
from cairn.catalogue.search import EQF_LEVELS, CatalogueQuery, filter_choices, search_catalogue
from cairn.catalogue.search_repository import Sort
from cairn.config import get_settings
from cairn.kit.errors import DomainError
from cairn.kit.i18n import LazyString, gettext, lazy_gettext
from cairn.kit.pagination import PageParams
from cairn.web.forms import errors_of
from cairn.web.templating import render

router = APIRouter()
PER_PAGE = 20
Text = Annotated[str, Query(max_length=200)]
Short = Annotated[str, Query(max_length=80)]
Number = Annotated[int | None, Query(ge=1)]
VersionNumber = Annotated[int | None, Query(alias="version", ge=1)]

FILTERS = (
    "q",
    "skill",
    "narrower",
    "skill_level",
    "eqf_level",
    "region",
    "language",
    "max_price",
    "free",
    "participation",
    "endorsed_by",
    "issuer",
    "sort",
)
"""The search form's fields, in the order they travel in links."""
SORTS: dict[Sort, LazyString] = {
    Sort.RELEVANCE: lazy_gettext("Best match"),
    Sort.NEWEST: lazy_gettext("Newest first"),
    Sort.PRICE: lazy_gettext("Lowest price first"),
}
CHOOSE = lazy_gettext("Choose one of the listed options.")
WHOLE = lazy_gettext("Enter a whole number.")


def _number(values: dict[str, str], name: str, errors: dict[str, str]) -> int | None:
    text = values.get(name, "").strip()
    if not text:
        return None
    if not text.isdigit():
        errors[name] = str(WHOLE)
        return None
    return int(text)


E = TypeVar("E", Participation, Sort)


def _choice(values: dict[str, str], name: str, kind: type[E], errors: dict[str, str]) -> E | None:
    text = values.get(name, "")
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        errors[name] = str(CHOOSE)
        return None


def _query(values: dict[str, str], errors: dict[str, str]) -> CatalogueQuery:
    price = _number(values, "max_price", errors)
    return CatalogueQuery(
        text=values.get("q", ""),
        skill=values.get("skill") or None,
        narrower=values.get("narrower") == "yes",
        skill_level=_number(values, "skill_level", errors),
        eqf_level=_number(values, "eqf_level", errors),
        region=values.get("region") or None,
        language=values.get("language") or None,
        max_price_minor=None if price is None else price * 100,
        free=values.get("free") == "yes",
        participation=_choice(values, "participation", Participation, errors),
        endorsed_by=values.get("endorsed_by") or None,
        issuer=values.get("issuer") or None,
        sort=_choice(values, "sort", Sort, errors) or Sort.RELEVANCE,
    )


def _linker(values: dict[str, str]) -> Callable[..., str]:
    """Builds the query string of a link that keeps the search and changes some fields."""

    def link(**changes: object) -> str:
        merged = {**values, **{k: str(v) for k, v in changes.items()}}
        return urlencode({k: merged[k] for k in FILTERS if merged.get(k)})

    return link


@router.get("/catalogue")
def search_page(
    request: Request,
    session: DbSession,
    actor: OptionalWebActor,
    q: Text = "",
    skill: Annotated[str, Query(max_length=500)] = "",
    narrower: Short = "",
    skill_level: Short = "",
    eqf_level: Short = "",
    region: Short = "",
    language: Short = "",
    max_price: Short = "",
    free: Short = "",
    participation: Short = "",
    endorsed_by: Short = "",
    issuer: Short = "",
    sort: Short = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> Response:
    values = {
        "q": q,
        "skill": skill,
        "narrower": narrower,
        "skill_level": skill_level,
        "eqf_level": eqf_level,
        "region": region,
        "language": language,
        "max_price": max_price,
        "free": free,
        "participation": participation,
        "endorsed_by": endorsed_by,
        "issuer": issuer,
        "sort": sort,
    }
    errors: dict[str, str] = {}
    query = _query(values, errors)
    results = None
    if not errors:
        try:
            results = search_catalogue(
                session, actor, query, PageParams(page=page, per_page=PER_PAGE)
            )
        except DomainError as error:
            errors.update(errors_of(error))
    choices = filter_choices(session, actor)
    link = _linker(values)
    context = {
        "q": q,
        "values": values,
        "errors": errors,
        "results": results,
        "link": link,
        "paging": "&" + link() if link() else "",
        "spec_label": label,
        "skill_options": choices.skills,
        "issuer_options": choices.issuers,
        "endorser_options": choices.endorsers,
        "eqf_options": [(str(n), gettext("EQF level %(level)s", level=n)) for n in EQF_LEVELS],
        "participation_options": [(p.value, label(p)) for p in Participation],
        "sort_options": [(s.value, str(text)) for s, text in SORTS.items()],
    }
    return render(
        request,
        "catalogue/search.html",
        context,
        actor=actor,
        status_code=422 if errors else 200,
    )


@router.get("/catalogue/{org_slug}/{spec_slug}.jsonld")
def ctdl_document(
    session: DbSession,
    actor: OptionalWebActor,
    org_slug: str,
    spec_slug: str,
    version: VersionNumber = None,
) -> Response:
    view = public.published_specification(session, actor, org_slug, spec_slug, version)
    return _jsonld(view)


def _jsonld(view: public.PublicSpecification) -> Response:
    document = ctdl.document([view], get_settings().base_url)
    return Response(json.dumps(document, ensure_ascii=False, indent=2), media_type=ctdl.MEDIA_TYPE)


@router.get("/catalogue/{org_slug}/{spec_slug}")
def specification_page(
    request: Request,
    session: DbSession,
    actor: OptionalWebActor,
    org_slug: str,
    spec_slug: str,
    version: VersionNumber = None,
    format: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    view = public.published_specification(session, actor, org_slug, spec_slug, version)
    if format == "ctdl":
        return _jsonld(view)
    base = f"/catalogue/{org_slug}/{spec_slug}"
    context = {
        "view": view,
        "version": view.version,
        "base": base,
        "ctdl_href": f"{base}.jsonld"
        + (f"?version={view.version.number}" if version is not None else ""),
        "spec_label": label,
    }
    return render(request, "catalogue/specification.html", context, actor=actor)
