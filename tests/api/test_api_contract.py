"""The JSON API's contract as an integrator meets it over HTTP: bearer tokens and their
refusals, RFC 9457 problem details with JSON Pointers, the page envelope, and OpenAPI 3.1."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy.orm import Session

from cairn.auth import service as auth_service
from cairn.kit.actor import Role, Scope
from cairn.kit.clock import utcnow
from cairn.orgs import people
from tests.factories.auth import make_token
from tests.factories.orgs import make_department, make_member, make_org


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_problem(answer: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = answer.json()
    assert body["type"] == f"/api/v1/problems/{code}"
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["instance"] == answer.request.url.path
    return body


def test_no_token_is_401_with_a_bearer_challenge(http: httpx.Client) -> None:
    answer = http.get("/api/v1/me")
    assert_problem(answer, 401, "not_authenticated")
    assert answer.headers["www-authenticate"] == "Bearer"


def test_a_revoked_or_expired_token_is_refused_like_an_unknown_one(
    http: httpx.Client, session: Session
) -> None:
    person = make_member(session, make_org(session))
    owner = people.actor_for(session, person)
    revoked = make_token(session, person, name="revoked")
    token_id = next(
        t.id for t in auth_service.list_api_tokens(session, owner) if t.name == "revoked"
    )
    auth_service.revoke_api_token(session, owner, token_id)
    expiring, plain_expiring = auth_service.create_api_token(
        session, owner, name="expiring", scopes=[Scope.ORGS_READ], expires_in_days=1
    )
    expiring.expires_at = utcnow() - timedelta(minutes=1)
    session.flush()

    for token in (revoked, plain_expiring, "cairn_not-a-real-token"):
        answer = http.get("/api/v1/me", headers=bearer(token))
        assert_problem(answer, 401, "not_authenticated")
        assert answer.headers["www-authenticate"] == "Bearer"


def test_a_token_without_the_scope_is_403_and_says_which_scope(
    http: httpx.Client, session: Session
) -> None:
    org = make_org(session)
    admin = make_member(session, org, Role.HR_ADMIN)
    read_only = make_token(session, admin, [Scope.ORGS_READ])

    assert http.get(f"/api/v1/orgs/{org.id}", headers=bearer(read_only)).status_code == 200
    answer = http.post(
        f"/api/v1/orgs/{org.id}/departments", json={"name": "Nursing"}, headers=bearer(read_only)
    )
    body = assert_problem(answer, 403, "insufficient_scope")
    assert "orgs:write" in str(body["detail"])
    assert answer.headers["www-authenticate"] == 'Bearer error="insufficient_scope"'
    assert http.get(f"/api/v1/orgs/{org.id}/departments", headers=bearer(read_only)).json() == []


def test_invalid_input_points_at_each_field_and_changes_nothing(
    http: httpx.Client, session: Session
) -> None:
    org = make_org(session)
    token = make_token(session, make_member(session, org, Role.HR_ADMIN))

    answer = http.post(
        f"/api/v1/orgs/{org.id}/invitations",
        json={"email": "not an address", "role": "overlord"},
        headers=bearer(token),
    )
    body = assert_problem(answer, 422, "invalid_input")
    pointers = {error["pointer"] for error in body["errors"]}  # type: ignore[attr-defined]
    assert pointers == {"#/body/email", "#/body/role"}
    listed = http.get(f"/api/v1/orgs/{org.id}/invitations", headers=bearer(token)).json()
    assert listed["total"] == 0


def test_a_rule_broken_in_the_service_points_at_the_field(
    http: httpx.Client, session: Session
) -> None:
    org = make_org(session)
    token = make_token(session, make_member(session, org, Role.HR_ADMIN))
    parent = make_department(session, org, name="Clinical")
    child = make_department(session, org, name="Nursing", parent=parent)

    answer = http.patch(
        f"/api/v1/orgs/{org.id}/departments/{parent.id}",
        json={"parent_id": str(child.id)},
        headers=bearer(token),
    )
    body = assert_problem(answer, 422, "invalid_input")
    assert [error["pointer"] for error in body["errors"]] == ["#/body/parent_id"]  # type: ignore[attr-defined]
    tree = http.get(f"/api/v1/orgs/{org.id}/departments/{parent.id}", headers=bearer(token))
    assert tree.json()["parent_id"] is None


def test_members_come_in_pages_that_cover_everyone_once(
    http: httpx.Client, session: Session
) -> None:
    org = make_org(session)
    admin = make_member(session, org, Role.HR_ADMIN)
    for _ in range(6):
        make_member(session, org)
    token = make_token(session, admin)

    seen: list[str] = []
    page: int | None = 1
    while page is not None:
        body = http.get(
            f"/api/v1/orgs/{org.id}/members",
            params={"page": page, "per_page": 3},
            headers=bearer(token),
        ).json()
        assert (body["total"], body["pages"], body["per_page"]) == (7, 3, 3)
        seen += [member["membership_id"] for member in body["items"]]
        page = body["next_page"]
    assert len(seen) == len(set(seen)) == 7

    too_many = http.get(
        f"/api/v1/orgs/{org.id}/members", params={"per_page": 10_000}, headers=bearer(token)
    )
    body = assert_problem(too_many, 422, "invalid_input")
    assert [error["pointer"] for error in body["errors"]] == ["#/query/per_page"]  # type: ignore[attr-defined]


def test_the_openapi_document_is_3_1_and_declares_problem_responses(http: httpx.Client) -> None:
    document = http.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    create = document["paths"]["/api/v1/orgs/{org_id}/departments"]["post"]
    for status in ("401", "403", "404", "422"):
        assert "application/problem+json" in create["responses"][status]["content"]
    assert document["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    assert {"apiToken": []} in create["security"]


def test_every_problem_type_is_explained_on_the_reference_page(http: httpx.Client) -> None:
    page = http.get("/api/v1/docs").text
    for code in ("not_authenticated", "permission_denied", "insufficient_scope", "not_found"):
        assert f'id="problem-{code}"' in page


def test_unknown_routes_and_methods_answer_problem_details(http: httpx.Client) -> None:
    assert_problem(http.get("/api/v1/no-such-thing"), 404, "not_found")
    wrong_method = http.delete("/api/v1/orgs")
    assert_problem(wrong_method, 405, "method_not_allowed")
    assert "GET" in wrong_method.headers["allow"]


def test_a_malformed_body_is_a_problem_not_a_crash(http: httpx.Client, session: Session) -> None:
    token = make_token(session, make_member(session, make_org(session)))
    answer = http.patch(
        "/api/v1/me/profile",
        content=b"{not json",
        headers={**bearer(token), "Content-Type": "application/json"},
    )
    body = assert_problem(answer, 422, "invalid_input")
    assert body["errors"]
