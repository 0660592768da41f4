"""Rating pages over HTTP: rating oneself against level descriptors, asking a colleague and
answering, and a manager's rating of a member."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence, RatingRequest
from cairn.kit.actor import Role
from cairn.kit.mail import list_outbox
from cairn.orgs.models import Membership, Person
from tests.factories.orgs import make_member, make_org
from tests.factories.taxonomy import make_small_framework
from tests.helpers import csrf_from, submit
from tests.web.conftest import SignIn
from tests.web.test_page_structure import outline_of, problems_with


def sources_of(session: Session, person: Person) -> list[tuple[EvidenceSource, int]]:
    session.expire_all()
    rows = session.scalars(select(Evidence).where(Evidence.person_id == person.id))
    return sorted((row.source, row.level) for row in rows)


def test_a_person_rates_themself_against_the_level_descriptors(
    session: Session, sign_in_as: SignIn
) -> None:
    framework = make_small_framework(session)
    learner = make_member(session, make_org(session))
    client = sign_in_as(learner)

    found = client.get("/assessments/self", params={"q": "dress wounds"})
    add = re.search(r'<a href="(/assessments/self\?skill=[^"]+)">Add', found.text)
    assert add is not None
    page_path = add[1].replace("&amp;", "&")
    page = client.get(page_path).text
    field = f"level-{framework.skill.id}"
    assert "<legend>dress wounds" in page
    assert f'id="{field}-2" name="{field}" value="2"' in page
    assert f'aria-describedby="{field}-2-hint"' in page
    assert "Dresses simple wounds." in page  # the skill's own descriptor for level 2

    refused = submit(
        client, page_path, "/assessments/self", {"skill": str(framework.skill.id), field: "7"}
    )
    assert refused.status_code == 422
    assert "There is a problem" in refused.text
    assert f'<a href="#{field}">Choose one of the levels shown.</a>' in refused.text
    assert sources_of(session, learner) == []

    saved = submit(
        client, page_path, "/assessments/self", {"skill": str(framework.skill.id), field: "2"}
    )
    assert saved.status_code == 303
    assert saved.headers["location"].startswith("/profile/skills")
    assert sources_of(session, learner) == [(EvidenceSource.SELF_ASSESSMENT, 2)]
    assert "Self-assessment" in client.get("/profile/skills").text


def test_leaving_every_skill_unrated_is_an_error_on_the_first_skill(
    session: Session, sign_in_as: SignIn
) -> None:
    framework = make_small_framework(session)
    learner = make_member(session, make_org(session))
    client = sign_in_as(learner)
    page_path = f"/assessments/self?skill={framework.skill.id}"

    refused = submit(client, page_path, "/assessments/self", {"skill": str(framework.skill.id)})

    assert refused.status_code == 422
    assert f'href="#level-{framework.skill.id}">Choose a level for at least one skill.' in (
        refused.text
    )


def test_a_colleague_rates_only_when_asked_and_only_once(
    session: Session, sign_in_as: SignIn
) -> None:
    framework = make_small_framework(session)
    org = make_org(session)
    learner = make_member(session, org)
    colleague = make_member(session, org)
    skill = str(framework.skill.id)
    client = sign_in_as(learner)
    ask_path = f"/assessments/ratings?skill={skill}"

    unknown = submit(
        client,
        ask_path,
        "/assessments/ratings",
        {"rater_email": "nobody@example.org", "skill_ids": skill, "skill": skill},
    )
    assert unknown.status_code == 422
    assert "Nobody with this address belongs to" in unknown.text
    asked = submit(
        client,
        ask_path,
        "/assessments/ratings",
        {"rater_email": colleague.email, "skill_ids": skill, "message": "After the audit"},
    )
    assert asked.status_code == 303
    request = session.scalars(select(RatingRequest)).one()
    assert list_outbox(session, recipient=colleague.email)

    client = sign_in_as(colleague)
    waiting = client.get("/assessments/ratings").text
    assert f'href="/assessments/ratings/{request.id}">{learner.display_name}' in waiting
    answer_path = f"/assessments/ratings/{request.id}"
    page = client.get(answer_path).text
    assert "After the audit" in page
    answered = submit(client, answer_path, answer_path, {f"level-{skill}": "3"})
    assert answered.status_code == 303
    assert sources_of(session, learner) == [(EvidenceSource.PEER_RATING, 3)]

    closed = client.get(answer_path).text
    assert "Send my ratings" not in closed
    assert "Answered" in closed
    again = client.post(f"{answer_path}/decline", data={"csrf_token": csrf_from(closed)})
    assert again.status_code == 409
    assert "This request has already been answered." in again.text

    client = sign_in_as(make_member(session, org))  # another colleague, never asked
    assert client.get(answer_path).status_code == 404
    assert sources_of(session, learner) == [(EvidenceSource.PEER_RATING, 3)]


def test_a_colleague_may_decline(session: Session, sign_in_as: SignIn) -> None:
    framework = make_small_framework(session)
    org = make_org(session)
    learner, colleague = make_member(session, org), make_member(session, org)
    session.add(
        RatingRequest(
            person_id=learner.id,
            rater_id=colleague.id,
            org_id=org.id,
            skill_ids=[str(framework.skill.id)],
        )
    )
    session.flush()
    request = session.scalars(select(RatingRequest)).one()
    client = sign_in_as(colleague)
    path = f"/assessments/ratings/{request.id}"

    declined = submit(client, path, f"{path}/decline", {})

    assert declined.status_code == 303
    session.expire_all()
    assert session.get(RatingRequest, request.id).declined_at is not None  # type: ignore[union-attr]
    sent = sign_in_as(learner).get("/assessments/ratings").text
    assert "Declined" in sent


def test_a_manager_rates_a_member_and_a_learner_cannot(
    session: Session, sign_in_as: SignIn
) -> None:
    framework = make_small_framework(session)
    org = make_org(session)
    learner = make_member(session, org)
    hr = make_member(session, org, Role.HR_ADMIN)
    skill = str(framework.skill.id)
    path = f"/orgs/{org.id}/people/{learner.id}/rating"

    client = sign_in_as(hr)
    membership = session.scalars(select(Membership).where(Membership.person_id == learner.id)).one()
    member_page = client.get(f"/orgs/{org.id}/people/{membership.id}").text
    assert f'href="{path}"' in member_page
    page_path = f"{path}?skill={skill}"
    page = client.get(page_path).text
    assert f"Rate the skills of {learner.display_name}" in page
    saved = submit(
        client, page_path, path, {"skill": skill, f"level-{skill}": "3", "comment": "Steady"}
    )
    assert saved.status_code == 303
    assert sources_of(session, learner) == [(EvidenceSource.MANAGER_RATING, 3)]

    client = sign_in_as(make_member(session, org))
    assert client.get(path).status_code == 403
    client = sign_in_as(make_member(session, make_org(session), Role.HR_ADMIN))
    assert client.get(path).status_code == 404


def test_every_rating_page_reads_well_with_assistive_technology(
    session: Session, sign_in_as: SignIn
) -> None:
    framework = make_small_framework(session)
    org = make_org(session)
    learner, colleague = make_member(session, org), make_member(session, org)
    manager = make_member(session, org, Role.MANAGER)
    skill = str(framework.skill.id)
    for person, rater in ((learner, colleague), (colleague, learner)):
        session.add(
            RatingRequest(person_id=person.id, rater_id=rater.id, org_id=org.id, skill_ids=[skill])
        )
    session.flush()
    waiting = session.scalars(select(RatingRequest).where(RatingRequest.rater_id == learner.id))
    request_id = waiting.one().id
    rating_path = f"/orgs/{org.id}/people/{learner.id}/rating?skill={skill}"
    pages = {
        learner: [
            f"/assessments/self?skill={skill}&q=wounds",
            f"/assessments/ratings?skill={skill}&q=wounds",
            f"/assessments/ratings/{request_id}",
        ],
        manager: [rating_path, f"/orgs/{org.id}/people"],
    }

    for person, paths in pages.items():
        client = sign_in_as(person)
        for path in paths:
            page = client.get(path)
            assert page.status_code == 200, f"{path} answered {page.status_code}"
            assert problems_with(path, page.text) == []
    client = sign_in_as(learner)
    forms: list[tuple[str, str, dict[str, str | list[str]]]] = [
        (f"/assessments/self?skill={skill}", "/assessments/self", {"skill": skill}),
        ("/assessments/ratings", "/assessments/ratings", {"rater_email": "x"}),
        ("/assessments/ratings", "/assessments/ratings", {"rater_email": colleague.email}),
        (f"/assessments/ratings/{request_id}", f"/assessments/ratings/{request_id}", {}),
    ]
    for page_path, action, data in forms:
        refused = submit(client, page_path, action, data)
        assert refused.status_code == 422, f"{action} answered {refused.status_code}"
        assert "data-autofocus" in refused.text
        assert outline_of(refused.text).summary_links, f"{action}: no field in the summary"
        assert problems_with(action, refused.text) == []
