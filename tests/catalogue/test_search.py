"""The public catalogue: anyone finds what is on offer by words and filters; drafts, versions
in review and retired ones never appear, and of a specification only its current edition."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import public
from cairn.catalogue.enums import Participation, VersionStatus
from cairn.catalogue.search import CatalogueQuery, filter_choices, search_catalogue
from cairn.catalogue.search_repository import Sort
from cairn.kit.actor import Role, Scope
from cairn.kit.errors import InsufficientScope, InvalidInput, NotFound
from cairn.kit.pagination import PageParams
from tests.factories.catalogue import SmallCatalogue, make_catalogue, make_published
from tests.factories.orgs import actor, make_member


@pytest.fixture
def catalogue(session: Session) -> SmallCatalogue:
    return make_catalogue(session)


def titles(session: Session, query: CatalogueQuery, per_page: int = 50) -> list[str]:
    results = search_catalogue(session, None, query, PageParams(per_page=per_page))
    return [entry.title for entry in results.page.items]


ON_OFFER = {"Wound care essentials", "Infection control", "Care records, second edition"}


def test_only_the_current_edition_of_published_specifications_is_found(
    session: Session, catalogue: SmallCatalogue
) -> None:
    assert set(titles(session, CatalogueQuery())) == ON_OFFER
    assert titles(session, CatalogueQuery(text="wound")) == ["Wound care essentials"]
    assert titles(session, CatalogueQuery(text="records")) == ["Care records, second edition"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (CatalogueQuery(text="HYGIENE"), ["Infection control"]),  # in the summary
        (CatalogueQuery(text="accurate records"), ["Care records, second edition"]),  # outcome
        (CatalogueQuery(text="wound hygiene"), []),  # every word must be somewhere
        (CatalogueQuery(text="100%_"), []),  # query syntax is plain characters
        (CatalogueQuery(text='"wound" -care* NEAR(!x)'), []),  # FTS5 and tsquery syntax too
        (CatalogueQuery(eqf_level=5), ["Infection control"]),
        (CatalogueQuery(region="québec"), ["Infection control"]),
        (
            CatalogueQuery(region="ca", language="en"),
            ["Care records, second edition", "Wound care essentials"],
        ),
        (CatalogueQuery(language="fr"), ["Infection control"]),  # fr finds fr-CA
        (CatalogueQuery(free=True), ["Wound care essentials"]),
        (CatalogueQuery(max_price_minor=15000), ["Infection control", "Wound care essentials"]),
        (CatalogueQuery(participation=Participation.ON_SITE), ["Care records, second edition"]),
    ],
    ids=lambda value: repr(value)[:60] if isinstance(value, CatalogueQuery) else "",
)
def test_each_filter_finds_exactly_its_matches(
    session: Session, catalogue: SmallCatalogue, query: CatalogueQuery, expected: list[str]
) -> None:
    assert sorted(titles(session, query)) == sorted(expected)


def test_skill_filter_by_uri_with_level_and_narrower_skills(
    session: Session, catalogue: SmallCatalogue
) -> None:
    wounds, group = catalogue.wounds.uri, catalogue.caring.uri
    assert titles(session, CatalogueQuery(skill=wounds)) == ["Wound care essentials"]
    assert titles(session, CatalogueQuery(skill=wounds, skill_level=2)) == ["Wound care essentials"]
    assert titles(session, CatalogueQuery(skill=wounds, skill_level=3)) == []
    assert titles(session, CatalogueQuery(skill=group)) == []
    assert sorted(titles(session, CatalogueQuery(skill=group, narrower=True))) == [
        "Infection control",
        "Wound care essentials",
    ]


def test_endorser_and_issuer_filters_count_co_issuers_and_unknown_names_match_nothing(
    session: Session, catalogue: SmallCatalogue
) -> None:
    endorsed = CatalogueQuery(endorsed_by=catalogue.employer.slug)
    assert titles(session, endorsed) == ["Wound care essentials"]
    assert titles(session, CatalogueQuery(issuer=catalogue.university.slug)) == [
        "Infection control"
    ]
    assert set(titles(session, CatalogueQuery(issuer=catalogue.college.slug))) == ON_OFFER
    assert titles(session, CatalogueQuery(issuer="no-such-organisation")) == []


def test_sorting_and_pages(session: Session, catalogue: SmallCatalogue) -> None:
    by_price = titles(session, CatalogueQuery(sort=Sort.PRICE))
    assert by_price == [
        "Wound care essentials",
        "Infection control",
        "Care records, second edition",
    ]
    assert titles(session, CatalogueQuery(sort=Sort.NEWEST))[0] == "Care records, second edition"
    pages = [
        search_catalogue(session, None, CatalogueQuery(), PageParams(page=n, per_page=2))
        for n in (1, 2)
    ]
    assert [p.page.total for p in pages] == [3, 3]
    seen = [e.title for p in pages for e in p.page.items]
    assert sorted(seen) == sorted(ON_OFFER)


def test_words_match_stems_prefixes_and_unaccented_letters_and_titles_rank_first(
    session: Session, catalogue: SmallCatalogue
) -> None:
    educator = actor(session, make_member(session, catalogue.college, Role.EDUCATOR))
    registrar = actor(session, make_member(session, catalogue.college, Role.ISSUER_ADMIN))
    make_published(
        session,
        educator,
        registrar,
        catalogue.college,
        slug="pressure-injuries",
        title="Pressure injuries",
        summary="Prévention des lésions de pression.",
        outcomes=[{"statement": "Dress a pressure wound."}],
    )
    # A word in the title counts more than the same word in an outcome only.
    assert titles(session, CatalogueQuery(text="wound")) == [
        "Wound care essentials",
        "Pressure injuries",
    ]
    assert titles(session, CatalogueQuery(text="injury")) == ["Pressure injuries"]
    assert titles(session, CatalogueQuery(text="prevention lesions")) == ["Pressure injuries"]
    assert titles(session, CatalogueQuery(text="PRÉV lési")) == ["Pressure injuries"]
    assert titles(session, CatalogueQuery(text="hyg")) == ["Infection control"]
    dressing = titles(session, CatalogueQuery(text="dressing", sort=Sort.NEWEST))
    assert dressing == ["Pressure injuries", "Wound care essentials"]


def test_facets_count_within_the_results(session: Session, catalogue: SmallCatalogue) -> None:
    facets = search_catalogue(session, None, CatalogueQuery(), PageParams()).facets
    assert dict(facets.eqf_level) == {4: 2, 5: 1}
    assert dict(facets.language) == {"en": 2, "fr-CA": 1}
    assert dict(facets.participation) == {
        Participation.ONLINE: 1,
        Participation.BLENDED: 1,
        Participation.ON_SITE: 1,
    }


def test_bad_filters_name_their_field(session: Session, catalogue: SmallCatalogue) -> None:
    with pytest.raises(InvalidInput) as raised:
        search_catalogue(session, None, CatalogueQuery(eqf_level=9, skill_level=2), PageParams())
    assert [e.field for e in raised.value.field_errors] == ["eqf_level", "skill_level"]


def test_a_token_needs_the_catalogue_read_scope(
    session: Session, catalogue: SmallCatalogue
) -> None:
    person = actor(session, make_member(session, catalogue.employer))
    reader = replace(person, scopes=frozenset({Scope.CATALOGUE_READ}))
    assert search_catalogue(session, reader, CatalogueQuery(), PageParams()).page.total == 3
    other = replace(person, scopes=frozenset({Scope.ORGS_READ}))
    with pytest.raises(InsufficientScope):
        search_catalogue(session, other, CatalogueQuery(), PageParams())


def test_filter_choices_list_only_what_is_on_offer(
    session: Session, catalogue: SmallCatalogue
) -> None:
    choices = filter_choices(session, None)
    assert [label for _, label in choices.skills] == ["dress wounds", "prevent infection"]
    assert [name for _, name in choices.issuers] == ["Lakeshore College"]
    assert [name for _, name in choices.endorsers] == ["Northwind Care"]


def test_a_public_page_shows_every_published_edition_and_nothing_else(
    session: Session, catalogue: SmallCatalogue
) -> None:
    slug = catalogue.college.slug
    records = public.published_specification(session, None, slug, "care-records")
    assert records.version.id == catalogue.records_v2.id
    assert [v.number for v in records.versions] == [2, 1]
    first = public.published_specification(session, None, slug, "care-records", 1)
    assert first.version.status is VersionStatus.RETIRED
    assert not first.on_offer
    wound = public.published_specification(session, None, slug, "wound-care-essentials")
    assert [
        (o.skill.preferred_label if o.skill else None, o.level_label) for o in wound.outcomes
    ] == [("dress wounds", "Practised")]
    assert [org.name for _, org in wound.endorsements] == ["Northwind Care"]
    retired = public.published_specification(session, None, slug, "retired-wounds")
    assert retired.version.id == catalogue.retired.id
    for hidden in ("draft-wounds", "review-wounds", "no-such-thing"):
        with pytest.raises(NotFound):
            public.published_specification(session, None, slug, hidden)
    with pytest.raises(NotFound):
        public.published_specification(session, None, slug, "care-records", 3)
    with pytest.raises(NotFound):  # the slug is the college's, not the university's
        public.published_specification(
            session, None, catalogue.university.slug, "infection-control"
        )
