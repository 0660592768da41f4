"""Open Badges 3.0 documents from a specification and an award: each optional element a
specification or award has shows in the document, in terms the OB 3.0 context defines (so
Cairn's own verifier and others read them), and nothing stands in for one it lacks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cairn.credentials import data_integrity, multikey
from cairn.credentials.data_integrity import ProofOptions
from cairn.credentials.jsonld import undefined_terms
from cairn.credentials.openbadges import (
    AchievementSource,
    Award,
    Issuer,
    SkillAlignment,
    achievement,
    endorsement_credential,
    open_badge_credential,
)
from cairn.credentials.resolution import DidResolver
from cairn.credentials.verification import CheckName, Outcome, Verifier

KEY = Ed25519PrivateKey.generate()
PUBLIC = KEY.public_key().public_bytes_raw()
COLLEGE = Issuer(multikey.did_key(PUBLIC), "Lakeshore College", "https://lakeshore.example")
PAGE = "https://cairn.example/specifications/forklift/1"
STATUS_LIST = "https://cairn.example/status/3"
REQUIRED_ACHIEVEMENT = {
    "id",
    "type",
    "achievementType",
    "name",
    "description",
    "criteria",
    "creator",
    "inLanguage",
    "version",
}


def source(**changes: Any) -> AchievementSource:
    """A specification version with none of the optional elements unless ``changes`` adds them."""
    values: dict[str, Any] = {
        "id": PAGE,
        "name": "Forklift safety",
        "description": "Operates a counterbalance forklift safely.",
        "criteria": "Passes the practical assessment, identity checked on site.",
        "version": "1",
        "language": "en",
        "creator": COLLEGE,
    }
    values.update(changes)
    return AchievementSource(**values)


def award(**changes: Any) -> Award:
    values: dict[str, Any] = {
        "credential_id": "urn:uuid:1b7c6a52-6f0e-4a0e-9d55-3c1f2e0a9b41",
        "subject_id": "did:example:learner",
        "email": "Lee@Example.org",
        "name": "Lee Park",
        "awarded_on": date(2026, 11, 30),
        "valid_from": datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        "salt": "a1b2c3d4",
    }
    values.update(changes)
    return Award(**values)


def endorsement() -> dict[str, Any]:
    board = Issuer("did:example:board", "Safety Board", "https://board.example")
    return endorsement_credential(
        "urn:uuid:0d6f0f7e-8f3a-4c0b-a1b2-7c8d9e0f1a2b",
        board,
        PAGE,
        "Meets the national standard.",
        datetime(2026, 6, 1, tzinfo=UTC),
    )


def everything() -> AchievementSource:
    return source(
        creator=Issuer(
            COLLEGE.id, COLLEGE.name, COLLEGE.url, "A further-education college by the lake."
        ),
        human_code="FLS-1",
        credits_ects=2.5,
        eqf_level=4,
        skills=[
            SkillAlignment(
                "operate forklift",
                "http://data.europa.eu/esco/skill/forklift",
                "ESCO",
                code="S8.1.2",
                description="Drive and steer a forklift truck.",
                level="3: Intermediate",
            )
        ],
        grading_scheme="Pass or distinction",
        tags=["logistics", "safety"],
        image_url="https://cairn.example/specifications/forklift/1/badge.png",
        endorsements=[endorsement()],
    )


def test_each_optional_element_of_a_specification_appears_in_its_achievement() -> None:
    made = achievement(everything())

    assert made["creator"]["description"] == "A further-education college by the lake."
    assert made["humanCode"] == "FLS-1"
    assert made["creditsAvailable"] == 2.5
    skill, eqf = made["alignment"]
    assert skill["targetName"] == "operate forklift"
    assert skill["targetCode"] == "S8.1.2"
    assert skill["targetDescription"] == "Drive and steer a forklift truck. — 3: Intermediate"
    assert (eqf["targetUrl"], eqf["targetCode"]) == ("http://data.europa.eu/snb/eqf/4", "4")
    assert [result["name"] for result in made["resultDescription"]] == ["Pass or distinction"]
    assert made["tag"] == ["logistics", "safety"]
    assert made["image"]["id"] == "https://cairn.example/specifications/forklift/1/badge.png"
    assert [item["type"] for item in made["endorsement"]] == [
        ["VerifiableCredential", "EndorsementCredential"]
    ]


def test_an_achievement_without_optional_elements_has_only_the_required_members() -> None:
    made = achievement(source())

    assert set(made) == REQUIRED_ACHIEVEMENT
    assert "description" not in made["creator"]


def test_zero_credits_are_stated_rather_than_left_out() -> None:
    assert achievement(source(credits_ects=0.0))["creditsAvailable"] == 0.0


def test_a_skill_is_described_by_what_the_specification_says_of_it() -> None:
    bare = SkillAlignment("load a pallet", "http://data.europa.eu/esco/skill/pallet", "ESCO")
    levelled = SkillAlignment(
        "load a pallet", "http://data.europa.eu/esco/skill/pallet", "ESCO", level="2: Basic"
    )

    only_skill, only_level = achievement(source(skills=[bare, levelled]))["alignment"]

    assert "targetCode" not in only_skill
    assert "targetDescription" not in only_skill
    assert only_level["targetDescription"] == "2: Basic"


def test_an_eqf_level_alone_is_the_only_alignment() -> None:
    made = achievement(source(eqf_level=5))

    assert [item["targetName"] for item in made["alignment"]] == ["EQF level 5"]


def test_each_optional_element_of_an_award_appears_in_its_credential() -> None:
    status = {
        "id": f"{STATUS_LIST}#41",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "41",
        "statusListCredential": STATUS_LIST,
    }
    earned = award(
        valid_until=datetime(2029, 12, 1, tzinfo=UTC),
        grade="Distinction",
        via_rpl=True,
        evidence=[("https://lms.example/submissions/7", "Practical log")],
        status=[status],
    )

    credential = open_badge_credential(everything(), COLLEGE, earned, "Earned at the depot.")

    subject = credential["credentialSubject"]
    assert subject["result"] == [
        {"type": ["Result"], "resultDescription": f"{PAGE}#result", "value": "Distinction"}
    ]
    assert subject["narrative"] == "Awarded through recognition of prior learning."
    assert credential["description"] == "Earned at the depot."
    assert credential["validUntil"] == "2029-12-01T00:00:00Z"
    assert credential["evidence"] == [
        {"id": "https://lms.example/submissions/7", "type": ["Evidence"], "name": "Practical log"}
    ]
    assert credential["credentialStatus"] == [status]


def test_a_credential_for_a_plain_award_has_none_of_the_optional_elements() -> None:
    credential = open_badge_credential(source(), COLLEGE, award())

    assert not {"description", "validUntil", "evidence", "credentialStatus"} & set(credential)
    assert not {"result", "narrative"} & set(credential["credentialSubject"])


def test_a_grade_without_a_grading_scheme_is_a_bare_result() -> None:
    credential = open_badge_credential(source(), COLLEGE, award(grade="Pass"))

    assert credential["credentialSubject"]["result"] == [{"type": ["Result"], "value": "Pass"}]


def test_an_endorsement_carries_its_comment_only_when_there_is_one() -> None:
    board = Issuer("did:example:board", "Safety Board", "https://board.example")
    moment = datetime(2026, 6, 1, tzinfo=UTC)

    silent = endorsement_credential("urn:uuid:1", board, PAGE, None, moment)
    empty = endorsement_credential("urn:uuid:2", board, PAGE, "", moment)

    assert silent["credentialSubject"] == {"id": PAGE, "type": ["EndorsementSubject"]}
    assert empty["credentialSubject"] == silent["credentialSubject"]
    assert endorsement()["credentialSubject"]["endorsementComment"] == (
        "Meets the national standard."
    )


def test_every_optional_element_is_a_term_the_open_badges_context_defines() -> None:
    """A proof over JSON-LD says nothing about a term its contexts drop, so each element
    must expand to OB 3.0's own vocabulary, as Cairn's verifier checks."""
    earned = award(
        valid_until=datetime(2029, 12, 1, tzinfo=UTC),
        grade="Distinction",
        via_rpl=True,
        evidence=[("https://lms.example/submissions/7", "Practical log")],
    )
    credential = open_badge_credential(everything(), COLLEGE, earned, "Earned at the depot.")

    assert undefined_terms(credential) == []
    assert undefined_terms(endorsement()) == []


def test_a_signed_credential_with_every_element_verifies() -> None:
    earned = award(
        valid_until=datetime(2029, 12, 1, tzinfo=UTC),
        grade="Distinction",
        via_rpl=True,
        evidence=[("https://lms.example/submissions/7", "Practical log")],
    )
    unsigned = open_badge_credential(everything(), COLLEGE, earned, "Earned at the depot.")
    options = ProofOptions(multikey.did_key_method(PUBLIC), "2026-12-01T09:30:00Z")
    signed = data_integrity.sign(unsigned, KEY, options)

    report = Verifier(DidResolver(), None, clock=lambda: datetime(2026, 12, 4, tzinfo=UTC)).verify(
        signed
    )

    outcomes = {check.name: check.outcome for check in report.checks}
    assert report.problems == [], report.as_json()
    for name in (CheckName.CONTEXT, CheckName.SCHEMA, CheckName.PROOF, CheckName.VALIDITY):
        assert outcomes[name] is Outcome.PASSED, report.as_json()
