"""The public catalogue on the web, for a visitor who has not signed in: search with the
filter form, read a micro-credential and its earlier editions, fetch its CTDL."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from tests.factories.catalogue import make_catalogue


def test_a_visitor_searches_and_reads_a_micro_credential(
    session: Session, http: httpx.Client
) -> None:
    catalogue = make_catalogue(session)
    session.commit()
    page = http.get("/catalogue")
    assert page.status_code == 200
    assert 'href="/catalogue" aria-current="page"' in page.text
    assert '<label for="skill">' in page.text
    assert "3 micro-credentials found" in page.text
    assert "Wound draft" not in page.text

    found = http.get("/catalogue", params={"q": "wound", "free": "yes", "language": "en"})
    assert "1 micro-credential found" in found.text
    address = f"/catalogue/{catalogue.college.slug}/wound-care-essentials"
    assert f'href="{address}"' in found.text

    wound = http.get(address).text
    assert "Assess a wound and choose a dressing." in wound
    assert "dress wounds" in wound
    assert "Practised (2)" in wound
    assert "Northwind Care" in wound
    assert "Our nurses need it." in wound
    assert "Pass or fail against a checklist." in wound
    assert f'href="{address}.jsonld"' in wound

    jsonld = http.get(f"{address}.jsonld")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert jsonld.json()["@graph"][0]["@type"] == "ceterms:MicroCredential"
    assert http.get(address, params={"format": "ctdl"}).json() == jsonld.json()


def test_earlier_editions_stay_readable_and_unpublished_ones_do_not_exist(
    session: Session, http: httpx.Client
) -> None:
    catalogue = make_catalogue(session)
    session.commit()
    records = f"/catalogue/{catalogue.college.slug}/care-records"
    current = http.get(records).text
    assert "Care records, second edition" in current
    assert f'href="{records}?version=1"' in current
    first = http.get(records, params={"version": 1}).text
    assert "This version is no longer offered." in first
    for missing in (
        f"/catalogue/{catalogue.college.slug}/draft-wounds",
        f"/catalogue/{catalogue.college.slug}/review-wounds",
        f"{records}?version=9",
        f"/catalogue/{catalogue.university.slug}/care-records",
    ):
        assert http.get(missing).status_code == 404, missing


def test_a_bad_filter_is_linked_to_its_field(session: Session, http: httpx.Client) -> None:
    make_catalogue(session)
    session.commit()
    page = http.get("/catalogue", params={"eqf_level": "nine", "participation": "moon"})
    assert page.status_code == 422
    assert 'href="#eqf_level"' in page.text
    assert 'href="#participation"' in page.text
