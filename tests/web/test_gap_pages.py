"""The skill-gap heatmap page and its CSV download, for an organisation's administrators."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from cairn.kit.progress import NoProgress
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.importers.builtin import load_digital_framework
from tests.factories.auth import make_token
from tests.factories.orgs import make_member, make_org
from tests.profiles.test_heatmap import staff
from tests.web.conftest import SignIn


def test_the_heatmap_prints_figures_and_hides_small_cells(
    session: Session, sign_in_as: SignIn
) -> None:
    load_digital_framework(session, progress=NoProgress())
    framework = taxonomy_repository.find_framework(session, "cairn-digital")
    assert framework is not None
    security = taxonomy_repository.find_skill_by_code(session, framework.id, "4.1")
    assert security is not None
    employer = make_org(session, name="Northshore Freight")
    staff(session, employer, security, "Dispatch", [2, 3, 4, 5, 6, 1])
    staff(session, employer, security, "Billing", [1, 2])
    client = sign_in_as(make_member(session, employer, Role.HR_ADMIN))

    page = client.get(f"/orgs/{employer.id}/gaps")
    assert page.status_code == 200
    assert "50% · 1.0" in page.text  # Dispatch: 3 of 6 below target, mean gap 6/6
    assert "fewer than 5 people assessed" in page.text  # Billing has two

    csv = client.get(f"/orgs/{employer.id}/gaps.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0] == "department,skill,skill_uri,targeted,assessed,below,share_below,mean_gap"
    assert any(
        line.startswith("Billing,keep devices and accounts secure,") and line.endswith(",2,2,,,")
        for line in lines
    )


def test_learners_cannot_see_the_heatmap(session: Session, sign_in_as: SignIn) -> None:
    employer = make_org(session)
    client = sign_in_as(make_member(session, employer))
    assert client.get(f"/orgs/{employer.id}/gaps").status_code == 403


def test_the_api_answers_the_same_cells_and_needs_people_read(
    http: httpx.Client, session: Session
) -> None:
    load_digital_framework(session, progress=NoProgress())
    framework = taxonomy_repository.find_framework(session, "cairn-digital")
    assert framework is not None
    security = taxonomy_repository.find_skill_by_code(session, framework.id, "4.1")
    assert security is not None
    employer = make_org(session)
    staff(session, employer, security, "Dispatch", [2, 3, 4, 5, 6, 1])
    admin = make_member(session, employer, Role.HR_ADMIN)
    reader = make_token(session, admin, [Scope.PEOPLE_READ])
    narrow = make_token(session, admin, [Scope.ORGS_READ])

    answer = http.get(
        f"/api/v1/orgs/{employer.id}/gaps", headers={"Authorization": f"Bearer {reader}"}
    )
    assert answer.status_code == 200
    assert [(c["department"], c["below"], c["mean_gap"]) for c in answer.json()["cells"]] == [
        ("Dispatch", 3, 1.0)
    ]
    refused = http.get(
        f"/api/v1/orgs/{employer.id}/gaps", headers={"Authorization": f"Bearer {narrow}"}
    )
    assert refused.status_code == 403
