"""The public catalogue: anyone finds the micro-credentials on offer, by words and by skill,
level, region, language, price, form of participation, endorser and issuer.

Only the version on offer of each specification is found: publishing retires the previous
one (decision 0023), so "published" is "latest published". No sign-in is needed; an API
token, when one is sent, must carry ``catalogue:read`` like any other catalogue read."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.orm import Session

from cairn.catalogue import search_repository as repo
from cairn.catalogue.enums import Participation
from cairn.catalogue.search_repository import CatalogueFilter, Entry, Sort
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import lazy_gettext
from cairn.kit.pagination import Paged, PageParams
from cairn.orgs import repository as orgs_repository
from cairn.taxonomy.search import words_of

EQF_LEVELS = range(1, 9)
SKILL_CHOICES = 200
"""The skill filter offers the skills most published outcomes align to, up to this many."""

T = TypeVar("T")


@dataclass(frozen=True)
class CatalogueQuery:
    text: str = ""
    skill: str | None = None
    """A skill's URI: it matches the skill in every version of its framework."""
    narrower: bool = False
    """Outcomes aligned to a narrower skill count too."""
    skill_level: int | None = None
    """At least this proficiency rank on the skill's scale; needs ``skill``."""
    eqf_level: int | None = None
    region: str | None = None
    """A region's name or a two-letter country code."""
    language: str | None = None
    """A language code; "en" also finds "en-CA"."""
    max_price_minor: int | None = None
    free: bool = False
    participation: Participation | None = None
    endorsed_by: str | None = None
    """An organisation's short name (slug)."""
    issuer: str | None = None
    sort: Sort = Sort.RELEVANCE


@dataclass(frozen=True)
class Facets:
    """How many results fall under each value: counted within the current results."""

    participation: list[tuple[Participation, int]] = field(default_factory=list)
    language: list[tuple[str, int]] = field(default_factory=list)
    eqf_level: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class CatalogueResults:
    page: Paged[Entry]
    facets: Facets


@dataclass(frozen=True)
class FilterChoices:
    """What the search form offers in its lists."""

    skills: list[tuple[str, str]]
    issuers: list[tuple[str, str]]
    endorsers: list[tuple[str, str]]


def _check(query: CatalogueQuery) -> None:
    problems: list[FieldError] = []
    if query.eqf_level is not None and query.eqf_level not in EQF_LEVELS:
        problems.append(FieldError("eqf_level", lazy_gettext("EQF levels go from 1 to 8.")))
    if query.skill_level is not None and (query.skill_level < 1 or not query.skill):
        problems.append(
            FieldError(
                "skill_level",
                lazy_gettext("A level counts from 1, and needs a skill to be a level of."),
            )
        )
    if query.max_price_minor is not None and query.max_price_minor < 0:
        problems.append(FieldError("max_price", lazy_gettext("A price cannot be negative.")))
    if problems:
        raise InvalidInput(problems[0].message, problems)


def _allow(actor: Actor | None) -> None:
    if actor is not None:
        require_scope(actor, Scope.CATALOGUE_READ)


def search_catalogue(
    session: Session,
    actor: Actor | None,
    query: CatalogueQuery,
    params: PageParams,
    *,
    with_facets: bool = True,
) -> CatalogueResults:
    """Published versions matching every word and filter, a page at a time. An endorser or
    issuer that has no published offer matches nothing, whether or not it exists."""
    _allow(actor)
    _check(query)
    org_ids: dict[str, uuid.UUID] = {}
    for name, slug in (("endorsed_by", query.endorsed_by), ("issuer", query.issuer)):
        if slug:
            org = orgs_repository.get_organisation_by_slug(session, slug.strip().lower())
            if org is None:
                return CatalogueResults(Paged([], 0, params), Facets())
            org_ids[name] = org.id
    filters = CatalogueFilter(
        words=words_of(query.text),
        skill_uri=query.skill.strip() if query.skill else None,
        narrower=query.narrower,
        min_skill_level=query.skill_level,
        eqf_level=query.eqf_level,
        region=query.region.strip() or None if query.region else None,
        language=query.language.strip() or None if query.language else None,
        max_price_minor=0 if query.free else query.max_price_minor,
        participation=query.participation,
        endorser_id=org_ids.get("endorsed_by"),
        issuer_id=org_ids.get("issuer"),
    )
    counts = repo.tally(session, filters)
    total = sum(n for *_, n in counts)
    ids = (
        repo.page_ids(session, filters, query.sort, limit=params.per_page, offset=params.offset)
        if total > params.offset
        else []
    )
    page = Paged(repo.entries(session, ids), total, params)
    return CatalogueResults(page, _facets(counts) if with_facets else Facets())


def _counted(pairs: list[tuple[T | None, int]]) -> list[tuple[T, int]]:
    tally: Counter[T] = Counter()
    for value, n in pairs:
        if value is not None:
            tally[value] += n
    return sorted(tally.items(), key=lambda item: (-item[1], str(item[0])))


def _facets(counts: list[tuple[Participation | None, str, int | None, int]]) -> Facets:
    return Facets(
        participation=_counted([(participation, n) for participation, _, _, n in counts]),
        language=_counted([(language, n) for _, language, _, n in counts]),
        eqf_level=_counted([(eqf, n) for _, _, eqf, n in counts]),
    )


def filter_choices(session: Session, actor: Actor | None) -> FilterChoices:
    _allow(actor)
    return FilterChoices(
        skills=repo.aligned_skills(session, SKILL_CHOICES),
        issuers=[(org.slug, org.name) for org in repo.issuing_organisations(session)],
        endorsers=[(org.slug, org.name) for org in repo.endorsing_organisations(session)],
    )
