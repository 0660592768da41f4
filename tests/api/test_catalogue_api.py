"""GET /api/v1/catalogue: public data without a token; a token sent must be valid and
hold catalogue:read."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from tests.factories.auth import make_token
from tests.factories.catalogue import make_catalogue
from tests.factories.orgs import make_member


def test_anyone_searches_with_filters_and_facets(session: Session, http: httpx.Client) -> None:
    catalogue = make_catalogue(session)
    session.commit()
    everything = http.get("/api/v1/catalogue", params={"sort": "price", "per_page": 2})
    assert everything.status_code == 200
    body = everything.json()
    assert (body["total"], body["pages"], body["next_page"]) == (3, 2, 2)
    assert [i["title"] for i in body["items"]] == ["Wound care essentials", "Infection control"]
    assert {"value": "5", "count": 1} in body["facets"]["eqf_level"]
    first = body["items"][0]
    assert first["issuer"] == catalogue.college.slug
    assert first["ctdl_url"].endswith(
        f"/catalogue/{catalogue.college.slug}/wound-care-essentials.jsonld"
    )

    skill = http.get(
        "/api/v1/catalogue",
        params={"skill": catalogue.caring.uri, "narrower": "true", "eqf_level": 5},
    ).json()
    assert [i["title"] for i in skill["items"]] == ["Infection control"]
    assert http.get("/api/v1/catalogue", params={"eqf_level": 9}).status_code == 422


def test_a_token_is_optional_but_checked(session: Session, http: httpx.Client) -> None:
    catalogue = make_catalogue(session)
    person = make_member(session, catalogue.employer, Role.LEARNER)
    reader = make_token(session, person, [Scope.CATALOGUE_READ])
    other = make_token(session, person, [Scope.ORGS_READ], name="other")
    session.commit()

    def call(token: str) -> httpx.Response:
        return http.get("/api/v1/catalogue", headers={"Authorization": f"Bearer {token}"})

    assert call(reader).json()["total"] == 3
    assert call(other).status_code == 403
    assert call("not-a-token").status_code == 401
