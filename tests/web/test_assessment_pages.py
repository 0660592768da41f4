"""Taking a test on the web: start it, answer every question through the form, see the
result; a form sent twice, or an answer that is not one, is refused with a message."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.assessment.bank_import import load_builtin_bank
from cairn.assessment.enums import ItemType
from cairn.assessment.models import Attempt, Item
from cairn.kit.progress import NoProgress
from cairn.taxonomy.importers.builtin import load_digital_framework
from tests.assessment.answers import right_answer, wrong_answer
from tests.factories.orgs import make_member, make_org
from tests.helpers import submit
from tests.web.conftest import SignIn

ITEM_ID = re.compile(r'name="item_id" value="([0-9a-f-]+)"')
BANK_ID = re.compile(r'name="bank_id" value="([0-9a-f-]+)"')


def start(client: httpx.Client, mode: str) -> str:
    """Start a test with the form of "My assessments"; the path of the test page."""
    match = BANK_ID.search(client.get("/assessments").text)
    assert match is not None
    data = {"bank_id": match.group(1), "scope_skill_id": "", "mode": mode}
    started = submit(client, "/assessments", "/assessments/start", data)
    assert started.status_code == 303, started.text
    return started.headers["location"]


def form_fields(item: Item, given: dict[str, Any]) -> dict[str, str | list[str]]:
    """The answer as the page's form sends it."""
    match item.item_type:
        case ItemType.SINGLE_CHOICE:
            return {"choice": given["choice"]}
        case ItemType.MULTIPLE_CHOICE:
            return {"choices": given["choices"]}
        case ItemType.TRUE_FALSE:
            return {"value": "true" if given["value"] else "false"}
        case ItemType.ORDERED:
            return {f"place-{step}": str(n) for n, step in enumerate(given["order"], start=1)}
    return {"value": str(given["value"]).replace(".", ",")}  # numeric, typed the French way


def load_bank(session: Session) -> None:
    load_digital_framework(session, progress=NoProgress())
    load_builtin_bank(session, progress=NoProgress())


def test_a_learner_takes_an_adaptive_test_to_its_result(
    session: Session, sign_in_as: SignIn
) -> None:
    load_bank(session)
    client = sign_in_as(make_member(session, make_org(session)))

    home = client.get("/assessments")
    assert home.status_code == 200
    assert "Take a test" in home.text
    test_path = start(client, "adaptive")

    answered = 0
    while (match := ITEM_ID.search(page := client.get(test_path).text)) is not None:
        item = session.get(Item, uuid.UUID(match.group(1)))
        assert item is not None
        assert f"Question {answered + 1} " in page
        given = right_answer(item) if answered % 3 else wrong_answer(item)
        reply = submit(
            client,
            test_path,
            f"{test_path}/answer",
            {"item_id": str(item.id), **form_fields(item, given)},
        )
        assert reply.status_code == 303, reply.text
        answered += 1

    assert 5 <= answered <= 30
    assert "Your result" in page
    assert "Recorded on your skills profile for" in page
    session.expire_all()
    attempt = session.scalar(
        select(Attempt).where(Attempt.id == uuid.UUID(test_path.rsplit("/", 1)[1]))
    )
    assert attempt is not None
    assert attempt.level is not None
    assert f"Level {attempt.level}:" in page
    profile = client.get("/profile/skills").text
    assert "Online test" in profile


def test_a_form_sent_twice_and_a_missing_answer_are_refused(
    session: Session, sign_in_as: SignIn
) -> None:
    load_bank(session)
    client = sign_in_as(make_member(session, make_org(session)))
    test_path = start(client, "fixed_form")
    match = ITEM_ID.search(client.get(test_path).text)
    assert match is not None
    item = session.get(Item, uuid.UUID(match.group(1)))
    assert item is not None

    empty = submit(client, test_path, f"{test_path}/answer", {"item_id": str(item.id)})
    assert empty.status_code == 422
    assert "There is a problem" in empty.text
    assert 'id="answer-error"' in empty.text

    fields = {"item_id": str(item.id), **form_fields(item, right_answer(item))}
    assert submit(client, test_path, f"{test_path}/answer", fields).status_code == 303
    again = submit(client, test_path, f"{test_path}/answer", fields)
    assert again.status_code == 409
    assert "already answered" in again.text
    assert "Question 2 of 20" in again.text


def test_someone_elses_test_is_not_found(session: Session, sign_in_as: SignIn) -> None:
    load_bank(session)
    org = make_org(session)
    client = sign_in_as(make_member(session, org))
    test_path = start(client, "adaptive")

    other = sign_in_as(make_member(session, org))
    assert other.get(test_path).status_code == 404


def test_a_quiz_page_takes_its_answers_at_once(session: Session, sign_in_as: SignIn) -> None:
    load_bank(session)
    client = sign_in_as(make_member(session, make_org(session)))
    test_path = start(client, "quiz")
    page = client.get(test_path).text
    ids = re.findall(r'<fieldset id="question-(\d+)"', page)
    assert len(ids) == 12
    assert "Send the quiz" in page

    nothing = submit(client, test_path, f"{test_path}/quiz", {})
    assert nothing.status_code == 422
    assert "Answer at least one question." in nothing.text

    attempt = session.scalar(
        select(Attempt).where(Attempt.id == uuid.UUID(test_path.rsplit("/", 1)[1]))
    )
    assert attempt is not None
    keys = attempt.state["form"]
    items = {item.key: item for item in session.scalars(select(Item).where(Item.key.in_(keys)))}
    fields: dict[str, str | list[str]] = {}
    for number, key in enumerate(keys[:5], start=1):
        item = items[key]
        for name, value in form_fields(item, right_answer(item)).items():
            fields[f"q{number}-{name}"] = value
    sent = submit(client, test_path, f"{test_path}/quiz", fields)
    assert sent.status_code == 303, sent.text
    result = client.get(test_path).text
    assert "Your result" in result
    assert "Based on 5 answers." in result or "With 5 answers" in result
