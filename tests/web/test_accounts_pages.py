"""Learning accounts on the pages: a learner declares their facts, joins a program with the
consent box (refused without it, the error linked to the box), and sees their credit and a
statement; a program administrator sees the dashboard, the rules in words and the CSV.
Other organisations get 404, learners 403, and posts without the CSRF token are refused."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cairn.accounts.enums import ProgramStatus
from cairn.kit.actor import Role
from cairn.orgs.models import Organisation
from tests.factories.accounts import example_document, make_program, make_program_admin
from tests.factories.orgs import make_member, make_org, make_person
from tests.helpers import submit
from tests.web.conftest import SignIn
from tests.web.test_page_structure import problems_with

ACCOUNT = "/me/learning-account"


def test_a_learner_joins_with_consent_and_an_admin_reads_the_dashboard(
    session: Session, sign_in_as: SignIn
) -> None:
    program = make_program(
        session, rules=example_document("skillsfuture"), name="SkillsFuture Credit"
    )
    draft = make_program(session, status=ProgramStatus.DRAFT)
    admin = make_program_admin(session, program)
    org = session.get_one(Organisation, program.org_id)
    org_learner = make_member(session, org, Role.LEARNER)
    stranger = make_member(session, make_org(session), Role.PROGRAM_ADMIN)
    client = sign_in_as(make_person(session))
    facts = f"{ACCOUNT}/facts"

    bad = submit(client, facts, facts, {"birth_date": "someday", "residency": "citizen"})
    assert bad.status_code == 422
    assert 'href="#birth_date"' in bad.text
    assert problems_with(facts, bad.text) == []
    saved = submit(client, facts, facts, {"birth_date": "1990-05-01", "residency": "citizen"})
    assert saved.status_code == 303
    page = client.get(ACCOUNT)
    assert "SkillsFuture Credit" in page.text
    assert problems_with(ACCOUNT, page.text) == []
    join = f"{ACCOUNT}/programs/{program.id}/join"
    assert client.post(join, data={"consent": "yes"}).status_code == 403  # no CSRF token
    unticked = submit(client, ACCOUNT, join, {})
    assert unticked.status_code == 422
    assert f'href="#consent-{program.id}"' in unticked.text
    assert problems_with(ACCOUNT, unticked.text) == []
    assert submit(client, ACCOUNT, join, {"consent": "yes"}).status_code == 303
    joined = client.get(ACCOUNT)
    assert "500.00" in joined.text
    statement = client.get(f"{ACCOUNT}/statement")
    assert statement.status_code == 200
    assert "Opening balance" in statement.text
    assert problems_with(f"{ACCOUNT}/statement", statement.text) == []
    assert client.post(f"{ACCOUNT}/programs/{draft.id}/join").status_code == 403

    client = sign_in_as(admin)
    assert "SkillsFuture Credit" in client.get("/programs").text
    dashboard = client.get(f"/programs/{program.id}")
    assert dashboard.status_code == 200
    assert "Aged 21 or older." in dashboard.text
    assert "Credit learners hold" in dashboard.text
    assert problems_with(f"/programs/{program.id}", dashboard.text) == []
    export = client.get(
        f"/programs/{program.id}/transfers.csv", params={"from": "2000-01-01", "to": "2100-01-01"}
    )
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    assert export.headers["content-disposition"] == (
        'attachment; filename="transfers-2000-01-01-2100-01-01.csv"'
    )
    assert export.text.count("\n") == 3
    assert client.post(f"/programs/{program.id}/close").status_code == 403  # no CSRF token

    assert sign_in_as(stranger).get(f"/programs/{program.id}").status_code == 404
    assert sign_in_as(org_learner).get(f"/programs/{program.id}").status_code == 403
