"""Offering pages: the split is shown line by line before the learner confirms, a changed
split is shown again instead of charged, my enrolments can be withdrawn, and a provider
adds runs and records completion; other organisations get 404, missing roles 403."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.catalogue.enums import EnrolmentStatus
from cairn.catalogue.models import Specification
from cairn.catalogue.offering_models import Enrolment
from cairn.kit.actor import Role
from tests.factories.catalogue import make_funded_course
from tests.factories.orgs import make_member, make_org
from tests.helpers import csrf_from, form_page
from tests.web.conftest import SignIn


def _quote_field(html: str) -> str:
    start = html.index('name="quote" value="') + len('name="quote" value="')
    return html[start : html.index('"', start)].replace("&#34;", '"').replace("&quot;", '"')


def test_a_learner_sees_the_split_confirms_it_and_withdraws(
    session: Session, sign_in_as: SignIn
) -> None:
    course = make_funded_course(session)
    owner = course.college.slug
    spec = session.get_one(Specification, course.version.specification_id).slug
    client = sign_in_as(course.learner)
    client.cookies.clear()
    listed = client.get(f"/catalogue/{owner}/{spec}/offerings")
    assert listed.status_code == 200
    assert f"/offerings/{course.offering.id}" in listed.text
    anonymous = client.get(f"/offerings/{course.offering.id}")
    assert "Sign in to see what your learning accounts pay" in anonymous.text

    client = sign_in_as(course.learner)
    page = client.get(f"/offerings/{course.offering.id}")
    for words in ("Subsidy", "Learning credit", "Employer share", "Course-fee subsidy"):
        assert words in page.text
    seen = _quote_field(page.text)
    changed = json.dumps({**json.loads(seen), "copay_minor": 0})
    path = f"/offerings/{course.offering.id}/enrol"
    token = csrf_from(page.text)
    assert client.post(path, data={"quote": seen}).status_code == 403
    again = client.post(path, data={"quote": changed, "csrf_token": token})
    assert again.status_code == 409
    assert "The split has changed since you saw it" in again.text
    assert session.scalars(select(Enrolment)).all() == []

    enrolled = client.post(path, data={"quote": seen, "csrf_token": token})
    assert enrolled.status_code == 303
    mine = client.get("/me/enrolments")
    assert "Data analytics" in mine.text
    [enrolment] = session.scalars(select(Enrolment)).all()
    withdrawn = client.post(
        f"/enrolments/{enrolment.id}/withdraw", data={"csrf_token": csrf_from(mine.text)}
    )
    assert withdrawn.status_code == 303
    session.refresh(enrolment)
    assert enrolment.status is EnrolmentStatus.WITHDRAWN


def test_a_provider_adds_runs_and_records_completion(session: Session, sign_in_as: SignIn) -> None:
    course = make_funded_course(session)
    learner = sign_in_as(course.learner)
    page = learner.get(f"/offerings/{course.offering.id}")
    learner.post(
        f"/offerings/{course.offering.id}/enrol",
        data={"quote": _quote_field(page.text), "csrf_token": csrf_from(page.text)},
    )
    college_learner = make_member(session, course.college, Role.LEARNER)
    outsider = make_member(session, make_org(session), Role.EDUCATOR)
    path = f"/orgs/{course.college.id}/offerings"
    assert sign_in_as(outsider).get(path).status_code == 404
    assert sign_in_as(college_learner).get(path).status_code == 403

    client = sign_in_as(course.educator)
    token = form_page(client, path)
    fields = {
        "version_id": str(course.version.id),
        "code": "DA-2031-09",
        "starts_on": "2031-09-01",
        "ends_on": "2031-10-30",
        "delivery": "online",
        "language": "en",
        "hours": "30",
        "price_minor": "-1",
        "currency": "SGD",
        "csrf_token": token,
    }
    refused = client.post(path, data=fields)
    assert refused.status_code == 422
    assert "The price cannot be negative" in refused.text
    assert client.post(path, data={**fields, "price_minor": "90000"}).status_code == 303
    assert "DA-2031-09" in client.get(path).text

    learners = client.get(f"/offerings/{course.offering.id}/enrolments")
    assert course.learner.display_name in learners.text
    [enrolment] = session.scalars(select(Enrolment)).all()
    done = client.post(
        f"/enrolments/{enrolment.id}/complete", data={"csrf_token": csrf_from(learners.text)}
    )
    assert done.status_code == 303
    session.refresh(enrolment)
    assert enrolment.status is EnrolmentStatus.COMPLETED
