"""Recognition of prior learning: a learner's claim, an assessor's judgement, and what
reaches the skills profile."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.assessment import rpl
from cairn.assessment.enums import EvidenceSource, RplStatus
from cairn.assessment.models import Evidence, RplArtifact, RplClaim
from cairn.assessment.rpl_files import MAX_FILE_BYTES, sniff
from cairn.assessment.rpl_schemas import (
    ClaimCreate,
    CriterionJudgement,
    DecisionWrite,
    LinkWrite,
    Outcome,
)
from cairn.kit.actor import Actor, Role, Scope
from cairn.kit.errors import Conflict, InsufficientScope, InvalidInput, NotFound, PermissionDenied
from cairn.kit.mail import OutboxMessage
from cairn.kit.pagination import PageParams
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation, Person
from cairn.profiles import service as profiles_service
from cairn.taxonomy.models import Skill
from tests.factories.orgs import actor, make_member, make_org
from tests.factories.rpl import make_claim, tiny_pdf, tiny_png
from tests.factories.taxonomy import make_framework, make_skill, make_small_framework


@dataclass
class Setting:
    org: Organisation
    learner: Person
    assessor: Person
    skill: Skill


@pytest.fixture
def setting(session: Session) -> Setting:
    org = make_org(session, name="Harbour College", kind=OrgKind.PROVIDER)
    return Setting(
        org=org,
        learner=make_member(session, org, Role.LEARNER),
        assessor=make_member(session, org, Role.EDUCATOR),
        skill=make_small_framework(session).skill,
    )


def judge(
    view: rpl.ClaimView, outcome: Outcome, *, met: bool = True, level: int | None = None, **kw: str
) -> DecisionWrite:
    return DecisionWrite(
        outcome=outcome,
        level=level,
        criteria=[
            CriterionJudgement(key=criterion.key, met=met or criterion.key == rpl.AUTHENTICITY)
            for criterion in view.criteria
        ],
        note=kw.get("note"),
    )


def mails_to(session: Session, person: Person) -> list[OutboxMessage]:
    return list(
        session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == person.email))
    )


def test_an_accepted_claim_reaches_the_profile_as_assessor_reviewed_evidence(
    session: Session, setting: Setting
) -> None:
    claim = make_claim(session, setting.learner, setting.org, setting.skill, level=2)
    assessor = actor(session, setting.assessor)

    waiting = rpl.queue(session, assessor, setting.org.id, RplStatus.SUBMITTED, PageParams())
    assert [view.claim.id for view in waiting.items] == [claim.id]
    view = rpl.review(session, assessor, setting.org.id, claim.id)
    assert [c.text for c in view.criteria] == [
        "Dresses simple wounds.",
        "Practised in general.",
        "The evidence is the learner's own work, current and sufficient.",
    ]
    assert {a.kind.value for a in view.artifacts} == {"file", "link"}
    pdf = next(a for a in view.artifacts if a.filename)
    downloaded = rpl.claim_file(session, assessor, setting.org.id, claim.id, pdf.id)
    assert downloaded.data == tiny_pdf()
    assert downloaded.media_type == "application/pdf"

    rpl.decide(session, assessor, setting.org.id, claim.id, judge(view, Outcome.ACCEPT, level=2))

    assert claim.status is RplStatus.ACCEPTED
    assert claim.decided_level == 2
    evidence = session.scalars(
        select(Evidence).where(Evidence.person_id == setting.learner.id)
    ).one()
    assert evidence.source is EvidenceSource.ASSESSOR_REVIEW
    assert (evidence.level, evidence.confidence) == (2, 1.0)
    assert evidence.recorded_by_id == setting.assessor.id
    assert evidence.org_id == setting.org.id
    assert evidence.details["rpl_claim_id"] == str(claim.id)
    assert [item["met"] for item in evidence.details["criteria"]] == [True, True, True]
    lines = profiles_service.profile(session, actor(session, setting.learner), setting.learner.id)
    assert [(line.skill.id, line.merged.level, line.merged.source) for line in lines] == [
        (setting.skill.id, 2, EvidenceSource.ASSESSOR_REVIEW)
    ]
    [mail] = mails_to(session, setting.learner)
    assert "is recognised" in mail.subject
    assert f"/assessments/rpl/{claim.id}" in mail.body


def test_an_assessor_may_recognise_a_lower_level_with_confidence_from_criteria_met(
    session: Session, setting: Setting
) -> None:
    claim = make_claim(session, setting.learner, setting.org, setting.skill, level=2)
    assessor = actor(session, setting.assessor)
    view = rpl.review(session, assessor, setting.org.id, claim.id)

    with pytest.raises(InvalidInput) as higher:
        rpl.decide(
            session, assessor, setting.org.id, claim.id, judge(view, Outcome.ACCEPT, level=3)
        )
    assert higher.value.field_errors[0].field == "level"
    with pytest.raises(InvalidInput) as no_level:
        rpl.decide(session, assessor, setting.org.id, claim.id, judge(view, Outcome.ACCEPT))
    assert no_level.value.field_errors[0].field == "level"
    rpl.decide(
        session, assessor, setting.org.id, claim.id, judge(view, Outcome.ACCEPT, met=False, level=1)
    )

    evidence = session.scalars(
        select(Evidence).where(Evidence.person_id == setting.learner.id)
    ).one()
    assert (evidence.level, evidence.confidence) == (1, 0.33)


def test_evidence_that_is_not_authentic_cannot_be_accepted(
    session: Session, setting: Setting
) -> None:
    claim = make_claim(session, setting.learner, setting.org, setting.skill)
    assessor = actor(session, setting.assessor)
    view = rpl.review(session, assessor, setting.org.id, claim.id)
    decision = DecisionWrite(
        outcome=Outcome.ACCEPT,
        level=2,
        criteria=[
            CriterionJudgement(key=c.key, met=c.key != rpl.AUTHENTICITY) for c in view.criteria
        ],
    )

    with pytest.raises(InvalidInput) as refused:
        rpl.decide(session, assessor, setting.org.id, claim.id, decision)

    assert refused.value.field_errors[0].field == "criteria.2.met"
    assert claim.status is RplStatus.SUBMITTED


def test_every_criterion_must_be_judged_once(session: Session, setting: Setting) -> None:
    claim = make_claim(session, setting.learner, setting.org, setting.skill)
    assessor = actor(session, setting.assessor)
    view = rpl.review(session, assessor, setting.org.id, claim.id)
    missing = DecisionWrite(
        outcome=Outcome.REJECT,
        criteria=[CriterionJudgement(key=rpl.AUTHENTICITY, met=False)],
        note="Not enough.",
    )
    unknown = judge(view, Outcome.REJECT, note="No.")
    unknown.criteria.append(CriterionJudgement(key="made-up", met=True))

    with pytest.raises(InvalidInput) as first:
        rpl.decide(session, assessor, setting.org.id, claim.id, missing)
    with pytest.raises(InvalidInput) as second:
        rpl.decide(session, assessor, setting.org.id, claim.id, unknown)

    assert first.value.field_errors[0].field == "criteria.0.met"
    assert second.value.field_errors[0].field == "criteria.3.key"


def test_a_rejection_needs_a_reason_and_leaves_no_evidence(
    session: Session, setting: Setting
) -> None:
    claim = make_claim(session, setting.learner, setting.org, setting.skill)
    assessor = actor(session, setting.assessor)
    view = rpl.review(session, assessor, setting.org.id, claim.id)

    with pytest.raises(InvalidInput) as silent:
        rpl.decide(
            session, assessor, setting.org.id, claim.id, judge(view, Outcome.REJECT, met=False)
        )
    assert silent.value.field_errors[0].field == "note"
    rpl.decide(
        session,
        assessor,
        setting.org.id,
        claim.id,
        judge(view, Outcome.REJECT, met=False, note="The portfolio shows someone else's work."),
    )

    assert claim.status is RplStatus.REJECTED
    assert claim.decided_at is not None
    assert session.scalar(select(func.count()).select_from(Evidence)) == 0
    [mail] = mails_to(session, setting.learner)
    assert "someone else's work" in mail.body
    with pytest.raises(Conflict):
        rpl.withdraw(session, actor(session, setting.learner), claim.id)
    with pytest.raises(Conflict):
        rpl.decide(
            session, assessor, setting.org.id, claim.id, judge(view, Outcome.ACCEPT, level=1)
        )


def test_more_evidence_then_resubmission_then_acceptance(
    session: Session, setting: Setting
) -> None:
    claim = make_claim(session, setting.learner, setting.org, setting.skill, with_file=False)
    assessor = actor(session, setting.assessor)
    learner = actor(session, setting.learner)
    view = rpl.review(session, assessor, setting.org.id, claim.id)

    rpl.decide(
        session,
        assessor,
        setting.org.id,
        claim.id,
        judge(view, Outcome.MORE_EVIDENCE, met=False, note="Add a photo of your work."),
    )
    assert claim.status is RplStatus.MORE_EVIDENCE
    assert "Add a photo of your work." in mails_to(session, setting.learner)[0].body
    with pytest.raises(Conflict):  # waiting for the learner, not for a decision
        rpl.decide(
            session, assessor, setting.org.id, claim.id, judge(view, Outcome.ACCEPT, level=2)
        )
    shown = rpl.my_claim(session, learner, claim.id)
    assert [c.met for c in shown.criteria] == [False, False, True]

    rpl.add_evidence(session, learner, claim.id, uploads=[rpl.Upload("dressing.png", tiny_png())])
    rpl.resubmit(session, learner, claim.id)
    with pytest.raises(Conflict):
        rpl.resubmit(session, learner, claim.id)
    again = rpl.review(session, assessor, setting.org.id, claim.id)
    assert "image/png" in {a.media_type for a in again.artifacts}
    decided = rpl.decide(
        session, assessor, setting.org.id, claim.id, judge(again, Outcome.ACCEPT, level=2)
    )

    assert decided.status is RplStatus.ACCEPTED


def test_nobody_assesses_their_own_claim(session: Session, setting: Setting) -> None:
    claim = make_claim(session, setting.assessor, setting.org, setting.skill)
    assessor = actor(session, setting.assessor)
    view = rpl.review(session, assessor, setting.org.id, claim.id)

    with pytest.raises(PermissionDenied):
        rpl.decide(
            session, assessor, setting.org.id, claim.id, judge(view, Outcome.ACCEPT, level=2)
        )

    colleague = make_member(session, setting.org, Role.EDUCATOR)
    rpl.decide(
        session,
        actor(session, colleague),
        setting.org.id,
        claim.id,
        judge(view, Outcome.ACCEPT, level=2),
    )
    assert claim.status is RplStatus.ACCEPTED


def test_other_organisations_and_other_learners_see_nothing(
    session: Session, setting: Setting
) -> None:
    claim = make_claim(session, setting.learner, setting.org, setting.skill)
    file_id = next(
        a.id
        for a in rpl.my_claim(session, actor(session, setting.learner), claim.id).artifacts
        if a.filename
    )
    other_org = make_org(session, kind=OrgKind.PROVIDER)
    outsider = actor(session, make_member(session, other_org, Role.EDUCATOR))
    classmate = actor(session, make_member(session, setting.org, Role.LEARNER))
    manager = actor(session, make_member(session, setting.org, Role.MANAGER))

    for attempt in (
        lambda: rpl.queue(session, outsider, setting.org.id, None, PageParams()),
        lambda: rpl.review(session, outsider, setting.org.id, claim.id),
        lambda: rpl.review(session, outsider, other_org.id, claim.id),
        lambda: rpl.claim_file(session, outsider, setting.org.id, claim.id, file_id),
        lambda: rpl.my_claim(session, classmate, claim.id),
        lambda: rpl.my_file(session, classmate, claim.id, file_id),
        lambda: rpl.withdraw(session, classmate, claim.id),
        lambda: rpl.add_evidence(
            session, classmate, claim.id, links=[LinkWrite(url="https://example.org")]
        ),
    ):
        with pytest.raises(NotFound):
            attempt()
    for role_lacking in (classmate, manager):
        with pytest.raises(PermissionDenied):
            rpl.queue(session, role_lacking, setting.org.id, None, PageParams())
        with pytest.raises(PermissionDenied):
            rpl.review(session, role_lacking, setting.org.id, claim.id)
    assert rpl.my_claims(session, classmate, PageParams()).total == 0


def test_a_claim_goes_only_to_ones_own_organisation_on_a_skill_its_assessors_can_read(
    session: Session, setting: Setting
) -> None:
    learner = actor(session, setting.learner)
    elsewhere = make_org(session)
    private = make_framework(session, owner_org_id=elsewhere.id)
    cases: dict[str, dict[str, object]] = {
        "org_id": {"org_id": elsewhere.id},
        "skill_id": {"skill_id": make_skill(session, private, "secret skill").id},
        "claimed_level": {"claimed_level": 7},
    }
    for field, change in cases.items():
        data = ClaimCreate.model_validate(
            {
                "org_id": setting.org.id,
                "skill_id": setting.skill.id,
                "claimed_level": 2,
                "statement": "I did it.",
                "links": [{"url": "https://example.org/me"}],
                **change,
            }
        )
        with pytest.raises(InvalidInput) as refused:
            rpl.submit_claim(session, learner, data)
        assert refused.value.field_errors[0].field == field
    assert session.scalar(select(func.count()).select_from(RplClaim)) == 0


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://files.example.org/cv.pdf", "https://", "example.org"]
)
def test_links_must_be_web_addresses(session: Session, setting: Setting, url: str) -> None:
    data = ClaimCreate(
        org_id=setting.org.id,
        skill_id=setting.skill.id,
        claimed_level=1,
        statement="See my link.",
        links=[LinkWrite(url=url)],
    )
    with pytest.raises(InvalidInput) as refused:
        rpl.submit_claim(session, actor(session, setting.learner), data)
    assert refused.value.field_errors[0].field == "links.0.url"


@pytest.mark.parametrize(
    ("uploads", "message"),
    [
        ([rpl.Upload("big.pdf", b"%PDF-" + b"0" * MAX_FILE_BYTES)], "larger than 10 MB"),
        ([rpl.Upload("setup.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64)], "not an accepted kind"),
        ([rpl.Upload("photo.pdf", tiny_png())], "does not match its name"),
        ([rpl.Upload("empty.txt", b"")], "empty"),
        (
            [rpl.Upload(f"part{n}.pdf", b"%PDF-" + b"0" * (9 * 1024 * 1024)) for n in range(3)],
            "add up to 25 MB",
        ),
    ],
)
def test_files_are_capped_and_recognised_by_their_content(
    session: Session, setting: Setting, uploads: list[rpl.Upload], message: str
) -> None:
    data = ClaimCreate(
        org_id=setting.org.id, skill_id=setting.skill.id, claimed_level=1, statement="Files."
    )
    with pytest.raises(InvalidInput) as refused:
        rpl.submit_claim(session, actor(session, setting.learner), data, uploads)
    assert refused.value.field_errors[0].field == "files"
    assert message in str(refused.value)
    assert session.scalar(select(func.count()).select_from(RplArtifact)) == 0


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_office_documents_and_text_are_told_apart_from_other_zips() -> None:
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    jar = _zip({"META-INF/MANIFEST.MF": b"Main-Class: Evil"})

    assert (k := sniff(odt)) is not None
    assert k.extensions == (".odt",)
    assert (k := sniff(docx)) is not None
    assert k.extensions == (".docx",)
    assert sniff(jar) is None
    assert (k := sniff("Résumé\n".encode())) is not None
    assert k.media_type.startswith("text/plain")
    assert sniff(b"\x00\x01binary") is None


def test_a_learner_withdraws_an_open_claim_with_its_files(
    session: Session, setting: Setting
) -> None:
    claim = make_claim(session, setting.learner, setting.org, setting.skill)

    rpl.withdraw(session, actor(session, setting.learner), claim.id)

    assert session.scalar(select(func.count()).select_from(RplClaim)) == 0
    assert session.scalar(select(func.count()).select_from(RplArtifact)) == 0


def test_a_token_needs_the_assessment_scopes(session: Session, setting: Setting) -> None:
    claim = make_claim(session, setting.learner, setting.org, setting.skill)
    reader = actor(session, setting.learner)
    limited = Actor(
        person_id=reader.person_id,
        email=reader.email,
        memberships=reader.memberships,
        scopes=frozenset({Scope.ASSESSMENT_READ}),
    )

    assert rpl.my_claim(session, limited, claim.id).claim.id == claim.id
    with pytest.raises(InsufficientScope):
        rpl.withdraw(session, limited, claim.id)
