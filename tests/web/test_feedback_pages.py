"""Awards and surveys on the web: a registrar records an award with the form, the learner
finds it under My credentials and answers the survey it brought, an out-of-scale answer
is linked to its question, and the issuer's dashboard hides small groups."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from cairn.catalogue import feedback_service, stacking_service
from cairn.catalogue.enums import SurveyKind, label
from cairn.catalogue.feedback_models import SurveyResponse
from cairn.catalogue.stacking_schemas import RplRouteCreate, StackRuleCreate
from cairn.kit.actor import Role
from cairn.orgs.models import Person
from cairn.web.templating import ENV
from tests.factories.credentials import answer, make_award, make_issuer, survey_of
from tests.factories.orgs import make_member, make_person
from tests.helpers import submit
from tests.web.conftest import SignIn
from tests.web.test_page_structure import problems_with


def test_an_award_recorded_on_the_web_brings_the_learner_a_survey(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_issuer(session, name="Lakeshore College")
    version = college.publish(session, "wound-care")
    meds = college.publish(session, "meds", title="Safe medication")
    stacking_service.add_rpl_route(
        session,
        college.educator,
        RplRouteCreate(specification_id=meds.specification_id, description="A practical test."),
    )
    stacking_service.create_rule(
        session,
        college.educator,
        college.org.id,
        StackRuleCreate.model_validate(
            {
                "slug": "care",
                "title": "Community care",
                "kind": "all_of",
                "program_name": "Community care diploma",
                "specification_ids": [str(version.specification_id), str(meds.specification_id)],
            }
        ),
    )
    registrar = session.get(Person, college.registrar.person_id)
    assert registrar is not None
    learner = make_person(session, name="Lena Whitford")
    client = sign_in_as(registrar)
    page = f"/orgs/{college.org.id}/awards"

    undated = submit(
        client,
        page,
        page,
        {"version_id": str(version.id), "learner_email": learner.email, "awarded_on": ""},
    )
    assert undated.status_code == 422
    assert 'href="#awarded_on"' in undated.text
    assert problems_with(page, undated.text) == []
    unknown = {"version_id": str(version.id), "learner_email": "nobody@example.org"}
    refused = submit(client, page, page, {**unknown, "awarded_on": "2026-01-15"})
    assert 'href="#learner_email"' in refused.text
    recorded = submit(
        client,
        page,
        page,
        {
            "version_id": str(version.id),
            "learner_email": learner.email,
            "awarded_on": "2026-01-15",
            "grade": "Pass",
        },
    )
    assert recorded.status_code == 303
    assert "Lena Whitford" in client.get(page).text

    client = sign_in_as(learner)
    mine = client.get("/credentials")
    assert "Wound care essentials" in mine.text
    assert "Lakeshore College" in mine.text
    assert "1 of 2 required" in mine.text
    assert "Safe medication · <strong>can be earned by recognition of prior learning" in mine.text
    assert problems_with("/credentials", mine.text) == []
    token = survey_of(session, learner, version, SurveyKind.LEARNER_COMPLETION).token
    assert f"/surveys/{token}" in client.get("/surveys").text
    survey = f"/surveys/{token}"
    form = client.get(survey)
    assert '<legend>How relevant was it to your work? <span class="required">' in form.text
    assert problems_with(survey, form.text) == []

    bad = submit(client, survey, survey, {"relevance": "6", "quality": "4"})
    assert bad.status_code == 422
    assert 'href="#relevance"' in bad.text
    assert 'id="relevance"' in bad.text
    assert problems_with(survey, bad.text) == []
    assert session.query(SurveyResponse).count() == 0
    done = submit(
        client,
        survey,
        survey,
        {"relevance": "5", "quality": "4", "employer_may_be_asked": "no", "comment": "Useful"},
    )
    assert done.status_code == 303
    assert "This survey is answered." in client.get(survey).text


def test_the_dashboard_and_the_specification_partial_hide_small_groups(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_issuer(session)
    version = college.publish(session, "wound-care")
    for person in [make_person(session) for _ in range(3)]:
        make_award(session, college, version, person, awarded_on=date(2026, 1, 15))
        answer(session, person, version, relevance=4, quality=4, today=date(2026, 1, 15))
    educator = session.get(Person, college.educator.person_id)
    assert educator is not None
    client = sign_in_as(educator)
    path = f"/orgs/{college.org.id}/feedback"

    dashboard = client.get(path)
    assert dashboard.status_code == 200
    assert "Hidden: fewer than 5 responses" in dashboard.text
    assert problems_with(path, dashboard.text) == []
    client = sign_in_as(make_member(session, college.org, Role.LEARNER))
    assert client.get(path).status_code == 403

    results = feedback_service.results_for_specification(
        session, college.educator, version.specification_id
    )
    partial = ENV.get_template("feedback/_results.html").render(feedback=results, spec_label=label)
    assert "Feedback from learners and employers" in partial
    assert "Hidden: fewer than 5 responses" in partial
