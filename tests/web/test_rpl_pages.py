"""Recognition of prior learning in the browser: a learner uploads real files, an assessor
downloads them and decides, over HTTP."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.assessment.enums import RplStatus
from cairn.assessment.models import RplClaim
from cairn.kit.actor import Role
from cairn.kit.mail import OutboxMessage
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation, Person
from cairn.taxonomy.models import Skill
from tests.factories.orgs import make_member, make_org
from tests.factories.rpl import make_claim, tiny_pdf, tiny_png
from tests.factories.taxonomy import make_small_framework
from tests.helpers import csrf_from, form_page
from tests.web.conftest import SignIn


@dataclass
class College:
    org: Organisation
    learner: Person
    assessor: Person
    skill: Skill


@pytest.fixture
def college(session: Session) -> College:
    org = make_org(session, name="Harbour College", kind=OrgKind.PROVIDER)
    return College(
        org=org,
        learner=make_member(session, org, Role.LEARNER),
        assessor=make_member(session, org, Role.EDUCATOR),
        skill=make_small_framework(session).skill,
    )


def _accept_all(criteria_count: int, level: str) -> dict[str, str]:
    return {
        **{f"criteria.{index}.met": "yes" for index in range(criteria_count)},
        "outcome": "accept",
        "level": level,
        "note": "",
    }


def test_a_learner_claims_with_files_and_an_assessor_downloads_them_and_accepts(
    session: Session, sign_in_as: SignIn, college: College
) -> None:
    client = sign_in_as(college.learner)
    found = client.get("/assessments/rpl/new", params={"skill_q": "dress wounds"}).text
    assert f"/assessments/rpl/new?skill_id={college.skill.id}" in found
    form_path = f"/assessments/rpl/new?skill_id={college.skill.id}"
    form = client.get(form_path).text
    assert 'enctype="multipart/form-data"' in form
    assert "Dresses simple wounds." in form  # the level descriptors, to claim honestly

    answer = client.post(
        "/assessments/rpl/new",
        data={
            "csrf_token": csrf_from(form),
            "skill_id": str(college.skill.id),
            "org_id": str(college.org.id),
            "claimed_level": "2",
            "statement": "Two years at the community clinic.",
            "links.1.url": "https://portfolio.example.org/wounds",
            "links.1.title": "My portfolio",
        },
        files=[
            ("files", ("certificate.pdf", tiny_pdf(), "application/pdf")),
            ("files", ("dressing.png", tiny_png(), "application/octet-stream")),
        ],
    )
    assert answer.status_code == 303
    claim_path = answer.headers["location"].split("?")[0]
    mine = client.get(claim_path).text
    assert "Waiting for review" in mine
    assert "certificate.pdf" in mine
    assert "My portfolio" in mine

    client = sign_in_as(college.assessor)
    queue = client.get(f"/orgs/{college.org.id}/rpl").text
    assert college.learner.display_name in queue
    claim_id = claim_path.rsplit("/", 1)[1]
    review_path = f"/orgs/{college.org.id}/rpl/{claim_id}"
    review = client.get(review_path).text
    assert review.count("<fieldset") >= 4  # three criteria and the decision
    files = dict(re.findall(rf'href="({review_path}/files/[^"]+)" download>([^<]+)</a>', review))
    pdf_path = next(path for path, name in files.items() if name == "certificate.pdf")
    png_path = next(path for path, name in files.items() if name == "dressing.png")

    pdf = client.get(pdf_path)
    assert pdf.content == tiny_pdf()
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith('attachment; filename="certificate.pdf"')
    assert pdf.headers["x-content-type-options"] == "nosniff"
    assert client.get(png_path).headers["content-type"] == "image/png"  # found, not as sent

    decided = client.post(
        f"{review_path}/decision",
        data={"csrf_token": csrf_from(review), **_accept_all(3, "2")},
    )
    assert decided.status_code == 303
    claim = session.get(RplClaim, uuid.UUID(claim_id))
    session.refresh(claim)
    assert claim is not None
    assert claim.status is RplStatus.ACCEPTED

    client = sign_in_as(college.learner)
    assert "Level recognised" in client.get(claim_path).text
    skills = client.get("/profile/skills").text
    assert "dress wounds" in skills
    assert "Assessor-reviewed evidence" in skills
    assert session.scalar(
        select(func.count()).where(OutboxMessage.recipient == college.learner.email)
    )


def test_a_refused_file_is_named_and_nothing_is_saved(
    session: Session, sign_in_as: SignIn, college: College
) -> None:
    client = sign_in_as(college.learner)
    form_path = f"/assessments/rpl/new?skill_id={college.skill.id}"

    answer = client.post(
        "/assessments/rpl/new",
        data={
            "csrf_token": form_page(client, form_path),
            "skill_id": str(college.skill.id),
            "org_id": str(college.org.id),
            "claimed_level": "2",
            "statement": "See the attachment.",
            "links.0.url": "javascript:alert(1)",
        },
    )
    assert answer.status_code == 422
    assert 'href="#links.0.url"' in answer.text
    assert "Enter a web address starting with http:// or https://." in answer.text

    answer = client.post(
        "/assessments/rpl/new",
        data={
            "csrf_token": form_page(client, form_path),
            "skill_id": str(college.skill.id),
            "org_id": str(college.org.id),
            "claimed_level": "2",
            "statement": "See the attachment.",
        },
        files=[("files", ("cv.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf"))],
    )
    assert answer.status_code == 422
    assert 'href="#files"' in answer.text
    assert "cv.pdf is not an accepted kind of file" in answer.text
    assert session.scalar(select(func.count()).select_from(RplClaim)) == 0


def test_more_evidence_is_asked_for_added_and_the_claim_submitted_again(
    session: Session, sign_in_as: SignIn, college: College
) -> None:
    claim = make_claim(session, college.learner, college.org, college.skill, with_file=False)
    review_path = f"/orgs/{college.org.id}/rpl/{claim.id}"
    claim_path = f"/assessments/rpl/{claim.id}"
    client = sign_in_as(college.assessor)

    incomplete = client.post(
        f"{review_path}/decision",
        data={"csrf_token": form_page(client, review_path), "outcome": "more_evidence"},
    )
    assert incomplete.status_code == 422
    assert 'href="#criteria.0.met"' in incomplete.text
    returned = client.post(
        f"{review_path}/decision",
        data={
            "csrf_token": form_page(client, review_path),
            "criteria.0.met": "no",
            "criteria.1.met": "no",
            "criteria.2.met": "yes",
            "outcome": "more_evidence",
            "note": "Add a photo of a dressing you applied.",
        },
    )
    assert returned.status_code == 303

    client = sign_in_as(college.learner)
    page = client.get(claim_path).text
    assert "Add a photo of a dressing you applied." in page
    added = client.post(
        f"{claim_path}/evidence",
        data={"csrf_token": csrf_from(page)},
        files=[("files", ("dressing.png", tiny_png(), "image/png"))],
    )
    assert added.status_code == 303
    again = client.post(
        f"{claim_path}/resubmit", data={"csrf_token": form_page(client, claim_path)}
    )
    assert again.status_code == 303
    assert "Waiting for review" in client.get(claim_path).text

    client = sign_in_as(college.assessor)
    review = client.get(review_path).text
    assert "dressing.png" in review
    decided = client.post(
        f"{review_path}/decision", data={"csrf_token": csrf_from(review), **_accept_all(3, "1")}
    )
    assert decided.status_code == 303


def test_a_learner_withdraws_a_claim(
    session: Session, sign_in_as: SignIn, college: College
) -> None:
    claim = make_claim(session, college.learner, college.org, college.skill)
    client = sign_in_as(college.learner)
    claim_path = f"/assessments/rpl/{claim.id}"

    answer = client.post(
        f"{claim_path}/withdraw", data={"csrf_token": form_page(client, claim_path)}
    )

    assert answer.status_code == 303
    assert client.get(claim_path).status_code == 404
    assert "No claims yet." in client.get("/assessments/rpl").text


def test_only_assessors_see_the_queue_and_nobody_decides_their_own_claim(
    session: Session, sign_in_as: SignIn, college: College
) -> None:
    own = make_claim(session, college.assessor, college.org, college.skill)
    outsider = make_member(session, make_org(session, kind=OrgKind.PROVIDER), Role.EDUCATOR)

    client = sign_in_as(college.learner)
    assert f'href="/orgs/{college.org.id}/rpl"' not in client.get(f"/orgs/{college.org.id}").text
    assert client.get(f"/orgs/{college.org.id}/rpl").status_code == 403

    client = sign_in_as(outsider)
    assert client.get(f"/orgs/{college.org.id}/rpl/{own.id}").status_code == 404

    client = sign_in_as(college.assessor)
    assert f'href="/orgs/{college.org.id}/rpl"' in client.get(f"/orgs/{college.org.id}").text
    review = client.get(f"/orgs/{college.org.id}/rpl/{own.id}").text
    assert "another assessor decides it" in review
    assert 'name="outcome"' not in review
