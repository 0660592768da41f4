"""Taking a test through the API: questions without their keys, a result at the end,
refusals as problem details."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.assessment.bank_import import load_builtin_bank
from cairn.assessment.models import Item, ItemBank
from cairn.kit.actor import Scope
from cairn.kit.progress import NoProgress
from cairn.taxonomy.importers.builtin import load_digital_framework
from tests.assessment.answers import right_answer
from tests.factories.auth import make_token
from tests.factories.orgs import make_member, make_org

SCOPES = [Scope.ASSESSMENT_READ, Scope.ASSESSMENT_WRITE]


def test_a_test_taken_through_the_api_ends_with_a_result(
    http: httpx.Client, session: Session
) -> None:
    load_digital_framework(session, progress=NoProgress())
    load_builtin_bank(session, progress=NoProgress())
    bank = session.scalar(select(ItemBank))
    assert bank is not None
    org = make_org(session)
    headers = {"Authorization": f"Bearer {make_token(session, make_member(session, org), SCOPES)}"}
    session.commit()

    attempt = http.post("/api/v1/me/assessments", json={"bank_id": str(bank.id)}, headers=headers)
    assert attempt.status_code == 201, attempt.text
    body = attempt.json()
    path = f"/api/v1/me/assessments/{body['id']}"
    last_item = ""
    while body["question"] is not None:
        question = body["question"]
        assert not {"correct", "correct_order", "answer", "feedback"} & set(question["content"])
        item = session.get(Item, uuid.UUID(question["item_id"]))
        assert item is not None
        last_item = question["item_id"]
        reply = http.post(
            f"{path}/responses",
            json={"item_id": last_item, "answer": right_answer(item)},
            headers=headers,
        )
        assert reply.status_code == 200, reply.text
        body = reply.json()

    assert body["status"] == "completed"
    assert body["result"]["level"] >= 6, "every answer right puts someone high on the scale"
    assert body["result"]["lowest"] <= body["result"]["level"] <= body["result"]["highest"]
    late = http.post(
        f"{path}/responses", json={"item_id": last_item, "answer": {"choice": "a"}}, headers=headers
    )
    assert late.status_code == 409
    assert late.headers["content-type"].startswith("application/problem+json")
    listed = http.get("/api/v1/me/assessments", headers=headers).json()
    assert [entry["id"] for entry in listed] == [body["id"]]

    stranger = make_token(session, make_member(session, org), SCOPES)
    session.commit()
    assert http.get(path, headers={"Authorization": f"Bearer {stranger}"}).status_code == 404
