"""The taxonomy API as an integrator meets it: skill search over ESCO (ranking, typing
mistakes, filters), the views of a skill, an occupation and a framework, the taxonomy:read
scope, problem details for bad filters, and organisations' own frameworks kept private."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from cairn.kit.actor import Scope
from cairn.taxonomy.models import Framework
from tests.api.test_api_contract import assert_problem, bearer
from tests.factories.auth import make_token
from tests.factories.orgs import make_member, make_org
from tests.factories.taxonomy import make_occupation, make_small_framework, needs


@pytest.fixture
def token(session: Session) -> str:
    return make_token(session, make_member(session, make_org(session)), [Scope.TAXONOMY_READ])


def search(http: httpx.Client, token: str, **params: Any) -> list[dict[str, Any]]:
    answer = http.get("/api/v1/skills", params=params, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def labels(items: list[dict[str, Any]]) -> list[str]:
    return [item["preferred_label"] for item in items]


# --- search ---------------------------------------------------------------------------


@pytest.mark.usefixtures("esco")
@pytest.mark.parametrize(
    ("query", "expected", "within"),
    [
        ("python programming", "Python (computer programming)", 3),
        ("spreadsheet", "use spreadsheets software", 3),
        ("pyhton", "Python (computer programming)", 3),
    ],
)
def test_search_finds_the_skill_people_mean(
    http: httpx.Client, token: str, query: str, expected: str, within: int
) -> None:
    assert expected in labels(search(http, token, q=query))[:within]


@pytest.mark.usefixtures("esco")
def test_a_search_result_says_what_and_where_it_is(http: httpx.Client, token: str) -> None:
    python = next(
        item
        for item in search(http, token, q="python programming", framework="esco")
        if item["preferred_label"] == "Python (computer programming)"
    )

    assert python["uri"].startswith("http://data.europa.eu/esco/skill/")
    assert "Python 3K" in python["alt_labels"]
    assert python["skill_type"] == "knowledge"
    assert python["framework"]["slug"] == "esco"
    assert python["framework"]["version"] == "v1.2.0"


@pytest.mark.usefixtures("esco")
def test_filters_by_type_and_collection_narrow_the_results(http: httpx.Client, token: str) -> None:
    everything = search(http, token, q="programming", limit=50)
    knowledge = search(http, token, q="programming", type="knowledge", limit=50)
    digital = search(http, token, q="data", collection="digital", limit=10)

    assert knowledge
    assert {item["skill_type"] for item in knowledge} == {"knowledge"}
    assert {item["skill_type"] for item in everything} > {"knowledge"}
    assert labels(digital) != labels(search(http, token, q="data", limit=10))
    for item in digital[:5]:
        skill = http.get(f"/api/v1/skills/{item['id']}", headers=bearer(token)).json()
        assert "digital" in [collection["slug"] for collection in skill["collections"]]


@pytest.mark.usefixtures("esco")
def test_groups_are_left_out_unless_asked_for(http: httpx.Client, token: str) -> None:
    assert not any(item["is_group"] for item in search(http, token, q="computer programming"))
    with_groups = search(http, token, q="computer programming", groups="true")
    assert any(item["is_group"] for item in with_groups)


def test_a_token_without_taxonomy_read_is_refused(http: httpx.Client, session: Session) -> None:
    token = make_token(session, make_member(session, make_org(session)), [Scope.ORGS_READ])

    for path in ("/api/v1/skills?q=python", "/api/v1/frameworks", "/api/v1/occupations?q=nurse"):
        answer = http.get(path, headers=bearer(token))
        body = assert_problem(answer, 403, "insufficient_scope")
        assert "taxonomy:read" in str(body["detail"])
        assert answer.headers["www-authenticate"] == 'Bearer error="insufficient_scope"'


@pytest.mark.parametrize(
    ("params", "pointer"),
    [
        ({"q": "python", "framework": "no-such-framework"}, "#/query/framework"),
        ({"q": "python", "collection": "no-such-collection"}, "#/query/collection"),
        ({"q": "python", "type": "wisdom"}, "#/query/type"),
        ({"q": "python", "limit": 0}, "#/query/limit"),
        ({"q": ""}, "#/query/q"),
        ({}, "#/query/q"),
    ],
)
def test_bad_filters_are_problems_that_point_at_the_parameter(
    http: httpx.Client, token: str, params: dict[str, Any], pointer: str
) -> None:
    answer = http.get("/api/v1/skills", params=params, headers=bearer(token))

    body = assert_problem(answer, 422, "invalid_input")
    assert [error["pointer"] for error in body["errors"]] == [pointer]  # type: ignore[attr-defined]


def test_an_unknown_framework_filter_on_occupations_points_at_it(
    http: httpx.Client, token: str
) -> None:
    answer = http.get(
        "/api/v1/occupations", params={"q": "nurse", "framework": "nope"}, headers=bearer(token)
    )

    body = assert_problem(answer, 422, "invalid_input")
    assert [error["pointer"] for error in body["errors"]] == ["#/query/framework"]  # type: ignore[attr-defined]


# --- skills and occupations -----------------------------------------------------------


def test_a_skill_view_has_its_hierarchy_relations_levels_and_occupations(
    http: httpx.Client, session: Session, token: str
) -> None:
    small = make_small_framework(session)

    skill = http.get(f"/api/v1/skills/{small.skill.id}", headers=bearer(token)).json()

    assert skill["preferred_label"] == "dress wounds"
    assert skill["alt_labels"] == ["apply wound dressings", "change dressings"]
    assert [s["preferred_label"] for s in skill["breadcrumb"]] == ["caring for people"]
    assert [s["preferred_label"] for s in skill["broader"]] == ["caring for people"]
    assert [(r["skill"]["preferred_label"], r["relation"]) for r in skill["related"]] == [
        ("prevent infection", "essential")
    ]
    assert [c["slug"] for c in skill["collections"]] == ["clinical"]
    assert [(level["rank"], level["label"]) for level in skill["levels"]] == [
        (1, "Beginner"),
        (2, "Practised"),
        (3, "Expert"),
    ]
    assert skill["levels"][1]["skill_descriptor"] == "Dresses simple wounds."
    assert skill["levels"][0]["skill_descriptor"] is None
    assert [
        (need["occupation"]["preferred_label"], need["relation"]) for need in skill["occupations"]
    ] == [("community nurse", "essential")]


def test_an_occupation_view_groups_skills_and_lists_tasks_and_crosswalks(
    http: httpx.Client, session: Session, token: str
) -> None:
    small = make_small_framework(session)

    occupation = http.get(
        f"/api/v1/occupations/{small.occupation.id}", headers=bearer(token)
    ).json()

    assert occupation["code"] == "2221.9"
    assert occupation["isco_code"] == "2221"
    assert occupation["alt_labels"] == ["district nurse"]
    assert [o["preferred_label"] for o in occupation["broader"]] == ["health professionals"]
    groups = {group["group"]: group for group in occupation["skill_groups"]}
    assert [
        need["skill"]["preferred_label"] for need in groups["caring for people"]["essential"]
    ] == ["dress wounds"]
    assert [need["skill"]["preferred_label"] for need in groups["Other skills"]["optional"]] == [
        "keep records"
    ]
    assert [(task["text"], task["core"]) for task in occupation["tasks"]] == [
        ("Visit patients.", True),
        ("Order supplies.", False),
    ]
    assert [(c["target_system"], c["target_code"]) for c in occupation["crosswalks"]] == [
        ("NOC 2021", "31301")
    ]


def test_onet_style_ratings_come_with_each_need(
    http: httpx.Client, session: Session, token: str
) -> None:
    small = make_small_framework(session)
    analyst = make_occupation(session, small.framework, "data analyst", code="15-2051.00")
    needs(session, analyst, small.other, None, importance=4.25, level=5.1)

    occupation = http.get(f"/api/v1/occupations/{analyst.id}", headers=bearer(token)).json()

    [group] = occupation["skill_groups"]
    [need] = group["optional"]
    assert (need["relation"], need["importance"], need["level"]) == (None, 4.25, 5.1)


@pytest.mark.usefixtures("esco")
def test_the_occupation_search_finds_titles_and_alternative_titles(
    http: httpx.Client, token: str
) -> None:
    answer = http.get(
        "/api/v1/occupations",
        params={"q": "application developer", "framework": "esco@v1.2.0"},
        headers=bearer(token),
    ).json()

    found = [item["preferred_label"] for item in answer["items"]]
    assert "ICT application developer" in found
    assert all(item["framework"]["slug"] == "esco" for item in answer["items"])


# --- frameworks -----------------------------------------------------------------------


def test_frameworks_are_listed_with_their_sizes_and_licence(
    http: httpx.Client, esco: Framework, token: str
) -> None:
    listed = http.get("/api/v1/frameworks", headers=bearer(token)).json()

    found = next(f for f in listed if f["id"] == str(esco.id))
    assert (found["slug"], found["version"], found["public"]) == ("esco", "v1.2.0", True)
    assert found["licence"].startswith("CC BY 4.0")
    assert found["publisher"] == "European Commission"
    assert found["counts"]["skills"] > 13_000
    assert found["counts"]["occupations"] > 3_000
    assert found["counts"]["collections"] == 6


def test_a_framework_has_its_scale_collections_and_top_groups(
    http: httpx.Client, esco: Framework, token: str
) -> None:
    framework = http.get(f"/api/v1/frameworks/{esco.id}", headers=bearer(token)).json()

    assert [level["rank"] for level in framework["scale"]["levels"]] == [1, 2, 3, 4, 5]
    assert "digital" in [c["slug"] for c in framework["collections"]]
    assert framework["top_groups"]
    assert framework["counts"]["hierarchy_links"] > 0


def test_a_frameworks_skills_and_occupations_come_in_pages(
    http: httpx.Client, esco: Framework, token: str
) -> None:
    base = f"/api/v1/frameworks/{esco.id}"
    first = http.get(f"{base}/skills", params={"per_page": 20}, headers=bearer(token)).json()
    second = http.get(
        f"{base}/skills", params={"per_page": 20, "page": 2}, headers=bearer(token)
    ).json()
    nurses = http.get(
        f"{base}/occupations", params={"q": "nurse", "per_page": 5}, headers=bearer(token)
    ).json()

    assert first["total"] > 13_000
    assert first["next_page"] == 2
    assert not {s["id"] for s in first["items"]} & {s["id"] for s in second["items"]}
    assert not any(s["is_group"] for s in first["items"])
    assert nurses["items"]
    assert all("nurse" in o["preferred_label"].lower() or o["alt_labels"] for o in nurses["items"])
    assert nurses["total"] > 5


def test_an_organisations_own_framework_stays_with_its_members(
    http: httpx.Client, session: Session
) -> None:
    owner = make_org(session)
    private = make_small_framework(session, title="Acme Care", owner_org_id=owner.id)
    member = make_token(session, make_member(session, owner), [Scope.TAXONOMY_READ])
    outsider = make_token(session, make_member(session, make_org(session)), [Scope.TAXONOMY_READ])
    skill_path = f"/api/v1/skills/{private.skill.id}"

    assert http.get(skill_path, headers=bearer(member)).status_code == 200
    assert_problem(http.get(skill_path, headers=bearer(outsider)), 404, "not_found")
    assert_problem(
        http.get(f"/api/v1/occupations/{private.occupation.id}", headers=bearer(outsider)),
        404,
        "not_found",
    )
    hidden = search(http, outsider, q="dress wounds", limit=100)
    assert str(private.skill.id) not in [item["id"] for item in hidden]
    assert str(private.skill.id) in [item["id"] for item in search(http, member, q="dress wounds")]
    listed = http.get("/api/v1/frameworks", headers=bearer(outsider)).json()
    assert str(private.framework.id) not in [f["id"] for f in listed]
    key = f"{private.framework.slug}@{private.framework.version}"
    answer = http.get(
        "/api/v1/skills", params={"q": "wounds", "framework": key}, headers=bearer(outsider)
    )
    assert_problem(answer, 422, "invalid_input")


def test_every_taxonomy_operation_is_documented(http: httpx.Client) -> None:
    document = http.get("/api/v1/openapi.json").json()
    operations = [
        (path, operation)
        for path, item in document["paths"].items()
        for operation in item.values()
        if "taxonomy" in operation.get("tags", [])
    ]

    assert {path for path, _ in operations} == {
        "/api/v1/frameworks",
        "/api/v1/frameworks/{framework_id}",
        "/api/v1/frameworks/{framework_id}/skills",
        "/api/v1/frameworks/{framework_id}/occupations",
        "/api/v1/skills",
        "/api/v1/skills/{skill_id}",
        "/api/v1/occupations",
        "/api/v1/occupations/{occupation_id}",
    }
    for path, operation in operations:
        assert operation["summary"], path
        assert "application/problem+json" in operation["responses"]["422"]["content"]
    page = http.get("/api/v1/docs").text
    assert "Search skills by words" in page
