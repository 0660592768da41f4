"""The skill-profile page of a job role: find an occupation, use its skills, then adjust."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from sqlalchemy.orm import Session

from cairn.kit.actor import Role, Scope
from cairn.kit.progress import NoProgress
from cairn.taxonomy.importers.esco import import_esco
from tests.factories.auth import make_token
from tests.factories.orgs import make_member, make_org, make_position
from tests.helpers import submit
from tests.taxonomy.esco_files import small_esco
from tests.web.conftest import SignIn


def test_an_administrator_builds_a_profile_from_an_occupation(
    session: Session, sign_in_as: SignIn, tmp_path: Path
) -> None:
    import_esco(session, [small_esco(tmp_path / "v9.9.9")], version=None, progress=NoProgress())
    org = make_org(session, name="Riverside Care")
    role = make_position(session, org, title="Community Nurse")
    client = sign_in_as(make_member(session, org, Role.HR_ADMIN))
    page_path = f"/orgs/{org.id}/roles/{role.id}/skills"

    found = client.get(page_path, params={"occupation_q": "community nurse"}).text
    occupation_id = re.search(r'name="occupation_id" value="([^"]+)"', found)
    assert occupation_id is not None
    answer = submit(
        client, page_path, f"{page_path}/from-occupation", {"occupation_id": occupation_id[1]}
    )
    assert answer.status_code == 303

    page = client.get(page_path).text
    assert "Started from the occupation" in page
    assert "dress wounds" in page
    assert "keep patient records" in page
    assert "show empathy" not in page  # optional for the occupation: not pre-filled

    wound = re.search(r'name="skill_id" value="([^"]+)">\s*<label for="level-', page)
    assert wound is not None
    answer = submit(
        client, page_path, page_path, {"skill_id": wound[1], "target_level": "9", "weight": "3"}
    )
    assert answer.status_code == 422
    assert "Choose a level from 1 to 5." in answer.text


def test_a_learner_reads_the_profile_without_forms(session: Session, sign_in_as: SignIn) -> None:
    org = make_org(session)
    role = make_position(session, org, title="Porter")
    client = sign_in_as(make_member(session, org, Role.LEARNER))

    page = client.get(f"/orgs/{org.id}/roles/{role.id}/skills")

    assert page.status_code == 200
    assert "Skills for the job role Porter" in page.text
    assert "Start from an occupation" not in page.text


def test_the_api_replaces_and_reads_a_profile(
    http: httpx.Client, session: Session, tmp_path: Path
) -> None:
    import_esco(session, [small_esco(tmp_path / "v9.9.9")], version=None, progress=NoProgress())
    org = make_org(session)
    role = make_position(session, org, title="Community Nurse")
    token = make_token(
        session, make_member(session, org, Role.HR_ADMIN), [Scope.ORGS_READ, Scope.ORGS_WRITE]
    )
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/orgs/{org.id}/positions/{role.id}/skill-profile"

    started = http.post(
        f"{url}/from-occupation",
        json={"occupation_uri": "http://data.europa.eu/esco/occupation/nurse"},
        headers=headers,
    )
    assert started.status_code == 200, started.text
    items = started.json()["items"]
    assert {item["label"] for item in items} == {"dress wounds", "keep patient records"}
    assert {item["framework"] for item in items} == {"esco"}

    first = items[0]["skill_id"]
    replaced = http.put(
        url, json={"items": [{"skill_id": first, "target_level": 4, "weight": 5}]}, headers=headers
    )
    assert replaced.status_code == 200
    assert [
        (i["skill_id"], i["target_level"], i["target_label"], i["weight"])
        for i in replaced.json()["items"]
    ] == [(first, 4, "Advanced", 5)]

    invalid = http.put(
        url, json={"items": [{"skill_id": first, "target_level": 0}]}, headers=headers
    )
    assert invalid.status_code == 422
    assert [e["pointer"] for e in invalid.json()["errors"]] == ["#/body/items/0/target_level"]
    assert len(http.get(url, headers=headers).json()["items"]) == 1
