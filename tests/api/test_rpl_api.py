"""Recognition of prior learning through the API: a script claims with links, uploads a
file, and an assessor's script decides."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from cairn.orgs.enums import OrgKind
from tests.factories.auth import make_token
from tests.factories.orgs import make_member, make_org
from tests.factories.rpl import tiny_png
from tests.factories.taxonomy import make_small_framework


def test_a_claim_goes_from_learner_to_assessor_and_into_the_profile(
    http: httpx.Client, session: Session
) -> None:
    org = make_org(session, kind=OrgKind.PROVIDER)
    learner = make_member(session, org, Role.LEARNER)
    skill = make_small_framework(session).skill
    mine = {"Authorization": f"Bearer {make_token(session, learner)}"}
    assessor = {
        "Authorization": "Bearer "
        + make_token(
            session,
            make_member(session, org, Role.EDUCATOR),
            [Scope.ASSESSMENT_READ, Scope.ASSESSMENT_WRITE],
        )
    }
    outsider = {
        "Authorization": "Bearer "
        + make_token(session, make_member(session, make_org(session), Role.HR_ADMIN))
    }

    created = http.post(
        "/api/v1/me/rpl-claims",
        json={
            "org_id": str(org.id),
            "skill_id": str(skill.id),
            "claimed_level": 2,
            "statement": "Two years at the community clinic.",
            "links": [{"url": "https://portfolio.example.org/wounds"}],
        },
        headers=mine,
    )
    assert created.status_code == 201, created.text
    claim = created.json()
    assert claim["status"] == "submitted"
    assert [c["key"] for c in claim["criteria"]] == ["skill_level", "scale_level", "authenticity"]
    base = f"/api/v1/me/rpl-claims/{claim['id']}"

    refused = http.post(
        f"{base}/files", files=[("files", ("notes.png", b"plain words", "image/png"))], headers=mine
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["pointer"] == "#/body/files"
    uploaded = http.post(
        f"{base}/files", files=[("files", ("work.png", tiny_png(), "image/png"))], headers=mine
    )
    assert uploaded.status_code == 201, uploaded.text
    [artifact] = uploaded.json()
    assert (artifact["media_type"], artifact["size"]) == ("image/png", len(tiny_png()))

    queue = f"/api/v1/orgs/{org.id}/rpl-claims"
    assert http.get(queue, headers=mine).status_code == 403
    assert http.get(queue, headers=outsider).status_code == 404
    listed = http.get(queue, params={"status": "submitted"}, headers=assessor).json()
    assert [item["id"] for item in listed["items"]] == [claim["id"]]
    download = http.get(f"{queue}/{claim['id']}/files/{artifact['id']}", headers=assessor)
    assert download.content == tiny_png()
    assert download.headers["content-disposition"].startswith("attachment;")

    decided = http.post(
        f"{queue}/{claim['id']}/decision",
        json={
            "outcome": "accept",
            "level": 2,
            "criteria": [
                {"key": "skill_level", "met": True},
                {"key": "scale_level", "met": False, "note": "Only simple wounds shown."},
                {"key": "authenticity", "met": True},
            ],
        },
        headers=assessor,
    )
    assert decided.status_code == 200, decided.text
    assert (decided.json()["status"], decided.json()["decided_level"]) == ("accepted", 2)

    [line] = http.get("/api/v1/me/skills", headers=mine).json()
    assert (line["skill_id"], line["level"], line["source"]) == (
        str(skill.id),
        2,
        "assessor_review",
    )
    assert line["evidence"][0]["confidence_now"] > 0.6
    assert http.delete(base, headers=mine).status_code == 409  # decided: stays on record
