"""My skills: the merged profile explained, and the choice to share it with employers."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy.orm import Session

from cairn.assessment.enums import EvidenceSource
from cairn.assessment.models import Evidence
from cairn.kit.actor import Role, Scope
from cairn.kit.clock import utcnow
from cairn.kit.progress import NoProgress
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.importers.builtin import load_digital_framework
from tests.factories.auth import make_token
from tests.factories.orgs import make_member, make_org
from tests.helpers import submit
from tests.web.conftest import SignIn


def give_evidence(session: Session, person_id: object) -> None:
    load_digital_framework(session, progress=NoProgress())
    framework = taxonomy_repository.find_framework(session, "cairn-digital")
    assert framework is not None
    skill = taxonomy_repository.find_skill_by_code(session, framework.id, "4.1")
    assert skill is not None
    for source, level in ((EvidenceSource.SELF_ASSESSMENT, 6), (EvidenceSource.TEST, 4)):
        session.add(
            Evidence(
                person_id=person_id,
                skill_id=skill.id,
                level=level,
                source=source,
                observed_at=utcnow() - timedelta(days=3),
                confidence=0.8,
            )
        )
    session.flush()


def test_the_page_explains_each_level_and_saves_the_sharing_choice(
    session: Session, sign_in_as: SignIn
) -> None:
    learner = make_member(session, make_org(session))
    give_evidence(session, learner.id)
    client = sign_in_as(learner)

    page = client.get("/profile/skills").text
    assert "keep devices and accounts secure" in page
    assert "4 · Intermediate 4" in page
    assert "2 pieces of evidence" in page
    assert 'name="share" value="yes" ' in page
    assert "checked" not in page.split('id="share"')[1].split(">")[0]

    answer = submit(client, "/profile/skills", "/profile/skills/sharing", {"share": "yes"})
    assert answer.status_code == 303
    shared = client.get("/profile/skills").text
    assert "checked" in shared.split('id="share"')[1].split(">")[0]


def test_the_api_reads_my_skills_with_their_evidence(http: httpx.Client, session: Session) -> None:
    learner = make_member(session, make_org(session), Role.LEARNER)
    give_evidence(session, learner.id)
    token = make_token(session, learner, [Scope.PROFILE_READ, Scope.PROFILE_WRITE])
    headers = {"Authorization": f"Bearer {token}"}

    skills = http.get("/api/v1/me/skills", headers=headers).json()
    assert [(s["label"], s["level"], s["source"]) for s in skills] == [
        ("keep devices and accounts secure", 4, "test")
    ]
    assert [(e["source"], e["chosen"]) for e in skills[0]["evidence"]] == [
        ("test", True),
        ("self_assessment", False),
    ]
    shared = http.put("/api/v1/me/skills/sharing", json={"with_employers": True}, headers=headers)
    assert shared.json() == {"with_employers": True}
