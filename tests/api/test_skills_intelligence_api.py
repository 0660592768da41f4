"""Skills in a text and occupations for a job title through the API: the answer's shape,
refusals that point at the field, an organisation's own framework kept private (refused
exactly like an unknown one), missing embeddings, and the taxonomy:read scope."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Scope
from tests.api.test_api_contract import assert_problem, bearer
from tests.factories.auth import make_token
from tests.factories.intelligence import make_linkable_framework
from tests.factories.orgs import make_member, make_org
from tests.factories.taxonomy import make_framework, make_skill

AD = "- Drive a forklift safely\n- Keep stock lists in Excel\n- Serve customers at the counter"


def reader(session: Session, scopes: list[Scope] | None = None) -> dict[str, str]:
    person = make_member(session, make_org(session))
    return bearer(make_token(session, person, scopes or [Scope.TAXONOMY_READ]))


def test_a_text_answers_its_skills_with_the_words_they_were_found_in(
    http: httpx.Client, session: Session
) -> None:
    linkable = make_linkable_framework(session)
    framework = linkable.framework
    headers = reader(session)
    session.commit()

    answer = http.post(
        "/api/v1/skills/extract",
        json={"text": AD, "framework": framework.slug, "top": 5},
        headers=headers,
    )

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["framework"] == {
        "id": str(framework.id),
        "slug": framework.slug,
        "version": framework.version,
        "title": "Everyday skills",
    }
    assert body["model"]
    results = body["results"]
    assert 1 <= len(results) <= 5
    by_label = {item["label"]: item for item in results}
    assert {"forklift operation", "use spreadsheets software", "customer service"} <= set(by_label)
    excel = by_label["use spreadsheets software"]
    assert excel["id"] == str(linkable.skill_id("use spreadsheets software"))
    assert excel["uri"] == linkable.skills["use spreadsheets software"].uri
    assert AD[excel["start"] : excel["end"]] == excel["quote"]
    assert "Excel" in excel["quote"]
    assert excel["matched_label"]
    scores = [item["score"] for item in results]
    assert scores == sorted(scores, reverse=True)


def test_a_job_title_answers_its_occupations(http: httpx.Client, session: Session) -> None:
    linkable = make_linkable_framework(session)
    headers = reader(session)
    session.commit()

    answer = http.post(
        "/api/v1/occupations/match",
        json={"title": "Staff nurse", "framework": linkable.framework.slug},
        headers=headers,
    )

    assert answer.status_code == 200, answer.text
    first = answer.json()["results"][0]
    assert first["id"] == str(linkable.occupations["registered nurse"].id)
    assert (first["label"], first["matched_label"]) == ("registered nurse", "staff nurse")
    assert (first["quote"], first["start"], first["end"]) == ("Staff nurse", 0, 11)
    assert len(answer.json()["results"]) <= 5


def test_empty_text_is_refused_naming_the_field(http: httpx.Client, session: Session) -> None:
    linkable = make_linkable_framework(session)
    headers = reader(session)
    session.commit()
    slug = linkable.framework.slug

    for text in ("", "   ", "!!! ---"):
        answer = http.post(
            "/api/v1/skills/extract", json={"text": text, "framework": slug}, headers=headers
        )
        assert answer.status_code == 422, text
        assert [error["pointer"] for error in answer.json()["errors"]] == ["#/body/text"]
    blank = http.post(
        "/api/v1/occupations/match", json={"title": "  ", "framework": slug}, headers=headers
    )
    assert [error["pointer"] for error in blank.json()["errors"]] == ["#/body/title"]


def test_limits_are_checked_before_any_work(http: httpx.Client, session: Session) -> None:
    headers = reader(session)
    session.commit()

    too_long = http.post("/api/v1/skills/extract", json={"text": "cook " * 20_001}, headers=headers)
    too_many = http.post(
        "/api/v1/skills/extract", json={"text": "Cook meals", "top": 101}, headers=headers
    )
    unknown_field = http.post(
        "/api/v1/occupations/match", json={"title": "Cook", "limit": 3}, headers=headers
    )

    for answer, pointer in (
        (too_long, "#/body/text"),
        (too_many, "#/body/top"),
        (unknown_field, "#/body/limit"),
    ):
        assert_problem(answer, 422, "invalid_input")
        assert [error["pointer"] for error in answer.json()["errors"]] == [pointer]


def test_another_organisations_framework_is_refused_like_an_unknown_one(
    http: httpx.Client, session: Session
) -> None:
    owner = make_org(session)
    make_linkable_framework(session, owner_org_id=owner.id, slug="ours")
    member = bearer(make_token(session, make_member(session, owner), [Scope.TAXONOMY_READ]))
    outsider = reader(session)
    session.commit()

    hidden = http.post(
        "/api/v1/skills/extract", json={"text": AD, "framework": "ours"}, headers=outsider
    )
    unknown = http.post(
        "/api/v1/skills/extract", json={"text": AD, "framework": "nothing"}, headers=outsider
    )
    hidden_title = http.post(
        "/api/v1/occupations/match", json={"title": "RN", "framework": "ours"}, headers=outsider
    )

    for answer, name in ((hidden, "ours"), (unknown, "nothing"), (hidden_title, "ours")):
        body = assert_problem(answer, 422, "invalid_input")
        assert body["detail"] == f"No framework called {name}."
        assert [error["pointer"] for error in answer.json()["errors"]] == ["#/body/framework"]
    own = http.post(
        "/api/v1/skills/extract", json={"text": AD, "framework": "ours"}, headers=member
    )
    assert own.status_code == 200
    assert own.json()["results"]


def test_missing_embeddings_are_a_conflict_that_says_how_to_build_them(
    http: httpx.Client, session: Session
) -> None:
    framework = make_framework(session, slug="unindexed")
    make_skill(session, framework, "cook meals")
    headers = reader(session)
    session.commit()

    answer = http.post(
        "/api/v1/skills/extract",
        json={"text": "Cook meals", "framework": "unindexed"},
        headers=headers,
    )

    body = assert_problem(answer, 409, "conflict")
    assert "cairn skills index --framework unindexed@1.0" in str(body["detail"])


def test_a_token_without_taxonomy_read_is_refused(http: httpx.Client, session: Session) -> None:
    linkable = make_linkable_framework(session)
    headers = reader(session, [Scope.ORGS_READ])
    session.commit()
    slug = linkable.framework.slug

    for path, body in (
        ("/api/v1/skills/extract", {"text": AD, "framework": slug}),
        ("/api/v1/occupations/match", {"title": "Staff nurse", "framework": slug}),
    ):
        answer = http.post(path, json=body, headers=headers)
        problem = assert_problem(answer, 403, "insufficient_scope")
        assert "taxonomy:read" in str(problem["detail"])
    assert http.post("/api/v1/skills/extract", json={"text": AD}).status_code == 401


def test_the_operations_are_documented(http: httpx.Client) -> None:
    paths = http.get("/api/v1/openapi.json").json()["paths"]

    extract = paths["/api/v1/skills/extract"]["post"]
    assert extract["tags"] == ["skill intelligence"]
    assert {"200", "401", "403", "409", "422"} <= set(extract["responses"])
    assert "/api/v1/occupations/match" in paths
