"""Bulk issue from a CSV file: a clean file issues a credential per learner in one batch, a
file with any bad row issues nothing and names every bad row's line and field, a dry run
only checks, and every run is kept in the issuer's log."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.catalogue.feedback_models import SurveyInvitation
from cairn.catalogue.models import SpecificationVersion
from cairn.credentials import bulk_csv, bulk_service, jose, verifying
from cairn.credentials.bulk_csv import CsvFile
from cairn.credentials.bulk_service import BulkIssue, LoggedProblem
from cairn.credentials.issued_models import BatchStatus, IssueBatch, IssuedCredential, ProofFormat
from cairn.credentials.models import Award
from cairn.credentials.verification import Verdict
from cairn.credentials.wallet_models import WalletItem
from cairn.kit.actor import Actor, Role
from cairn.kit.clock import utcnow
from cairn.kit.errors import InvalidInput, NotFound, PermissionDenied
from cairn.kit.mail import list_outbox
from cairn.orgs.models import Person
from tests.factories.bulk_issue import learners_csv
from tests.factories.credentials import Issuer, make_award, make_issued, make_issuer
from tests.factories.orgs import actor, make_member, make_person

SPEC = "wound-care"
NAME = "cohort.csv"


def _college(session: Session) -> tuple[Issuer, SpecificationVersion]:
    college = make_issuer(session, name="Lakeshore College")
    return college, college.publish(session, SPEC)


def _run(
    session: Session,
    college: Issuer,
    data: bytes,
    *,
    by: Actor | None = None,
    proof_format: ProofFormat = ProofFormat.EDDSA_RDFC_2022,
    dry_run: bool = False,
) -> IssueBatch:
    return bulk_service.issue_from_csv(
        session,
        by or college.registrar,
        college.org.id,
        CsvFile(NAME, data),
        BulkIssue(SPEC, proof_format, dry_run=dry_run),
    )


def _issued(session: Session, batch: IssueBatch) -> list[IssuedCredential]:
    return list(
        session.scalars(select(IssuedCredential).where(IssuedCredential.batch_id == batch.id))
    )


def _count(session: Session, model: type[Award | SurveyInvitation | WalletItem]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_clean_file_issues_a_verifiable_credential_per_learner_in_one_batch(
    session: Session,
) -> None:
    college, _ = _college(session)
    lena = make_person(session, email="lena@example.org", name="Lena Whitford")
    marc = make_person(session, email="marc@example.org", name="Marc Tremblay")
    data = learners_csv(
        [
            (
                "Lena@Example.org",
                "2026-03-02",
                "Pass",
                "https://portfolio.example.org/lena",
                "Final project",
                "2031-06-30",
            ),
            ("marc@example.org", "2026-03-03", "", "", "", ""),
        ]
    )

    batch = _run(session, college, data)

    assert (batch.status, batch.rows, batch.issued, batch.problems) == (
        BatchStatus.ISSUED,
        2,
        2,
        None,
    )
    assert batch.finished_at is not None
    assert batch.started_by_id == college.registrar.person_id
    issued = {credential.learner_id: credential for credential in _issued(session, batch)}
    assert set(issued) == {lena.id, marc.id}
    verifier = verifying.verifier(session)
    for credential in issued.values():
        assert verifier.verify(credential.document).verdict is Verdict.VERIFIED
    document = json.loads(issued[lena.id].document)
    assert document["validUntil"] == "2031-06-30T23:59:59Z"
    assert document["evidence"] == [
        {"id": "https://portfolio.example.org/lena", "type": ["Evidence"], "name": "Final project"}
    ]
    assert "evidence" not in json.loads(issued[marc.id].document)
    awards = {award.learner_id: award for award in session.scalars(select(Award))}
    assert (awards[lena.id].awarded_on, awards[lena.id].grade) == (date(2026, 3, 2), "Pass")
    assert (awards[marc.id].awarded_on, awards[marc.id].grade) == (date(2026, 3, 3), None)
    assert awards[lena.id].recorded_by_id == college.registrar.person_id
    assert _count(session, SurveyInvitation) == 4  # each learner's two surveys
    assert _count(session, WalletItem) == 2
    for learner in (lena, marc):
        [mail] = list_outbox(session, recipient=learner.email)
        assert mail.subject == "Your credential is ready: Wound care essentials"


def test_the_chosen_proof_format_signs_every_credential_and_evidence_gets_a_name(
    session: Session,
) -> None:
    college, _ = _college(session)
    make_person(session, email="lena@example.org")
    data = learners_csv([("lena@example.org", "2026-03-02", "", "https://example.org/a", "", "")])

    batch = _run(session, college, data, proof_format=ProofFormat.VC_JWT)

    [credential] = _issued(session, batch)
    assert credential.proof_format is ProofFormat.VC_JWT
    evidence = jose.read(credential.document).credential["evidence"]
    assert evidence == [{"id": "https://example.org/a", "type": ["Evidence"], "name": "Evidence"}]


def test_a_recorded_award_is_reused_and_a_learner_keeps_their_did(session: Session) -> None:
    college, version = _college(session)
    lena = make_person(session, email="lena@example.org")
    award = make_award(session, college, version, lena, awarded_on=date(2026, 3, 2), grade="A")
    earlier = make_issued(session, college, college.publish(session, "other"), lena)
    data = learners_csv([("lena@example.org", "2026-03-02")], ("email", "awarded_on"))

    batch = _run(session, college, data)

    assert batch.status is BatchStatus.ISSUED
    [credential] = _issued(session, batch)
    assert credential.award_id == award.id
    assert session.scalar(select(func.count()).where(Award.learner_id == lena.id)) == 2
    subject = json.loads(credential.document)["credentialSubject"]["id"]
    assert subject == json.loads(earlier.document)["credentialSubject"]["id"]
    assert json.loads(credential.document)["credentialSubject"]["result"][0]["value"] == "A"


def test_every_bad_row_is_reported_with_its_line_and_field_and_nothing_is_issued(
    session: Session,
) -> None:
    college, version = _college(session)
    for name in ("lena", "ana", "ben", "cy", "di", "ed", "fay", "gus", "hal"):
        make_person(session, email=f"{name}@example.org")
    people = {
        name: make_person(session, email=f"{name}.held@example.org")
        for name in ("marc", "priya", "sam")
    }
    make_issued(session, college, version, people["marc"])
    make_award(session, college, version, people["priya"], awarded_on=date(2026, 1, 5))
    make_award(session, college, version, people["sam"], awarded_on=date(2026, 3, 2), grade="B")
    future = (utcnow().date() + timedelta(days=2)).isoformat()
    data = learners_csv(
        [
            ("nobody@example.org", "2026-03-02", "", "", "", ""),
            ("lena@example.org", "2026-03-02", "Pass", "", "", ""),
            ("ana@example.org", "02/03/2026", "", "", "", ""),
            ("ben@example.org", future, "", "", "", ""),
            ("LENA@example.org", "2026-03-02", "", "", "", ""),
            ("cy@example.org", "2026-03-02", "", "http://example.org/work", "", ""),
            ("di@example.org", "2026-03-02", "", "", "My work", ""),
            ("ed@example.org", "2026-03-02", "", "", "", "2020-01-01"),
            ("too@example.org", "2026-03-02"),
            ("", "2026-03-02", "", "", "", ""),
            ("marc.held@example.org", "2026-03-02", "", "", "", ""),
            ("priya.held@example.org", "2026-03-02", "", "", "", ""),
            ("sam.held@example.org", "2026-03-02", "A", "", "", ""),
            (),
            ("fay@example.org", "", "", "", "", ""),
            ("gus@example.org", "2026-3-2", "", "", "", ""),
            ("hal@example.org", "2026-03-02", "", "https://[example.org", "", ""),
        ]
    )
    before = (_count(session, Award), _count(session, WalletItem))

    batch = _run(session, college, data)

    assert (batch.status, batch.rows, batch.issued) == (BatchStatus.REFUSED, 16, 0)
    assert _lines(batch) == [
        f"{NAME}:2: email: Nobody on Cairn has this e-mail address.",
        f"{NAME}:4: awarded_on: Write the date as YYYY-MM-DD, e.g. 2026-03-31.",
        f"{NAME}:5: awarded_on: An award cannot be dated in the future.",
        f"{NAME}:6: email: The same learner as on line 3: one row a learner.",
        f"{NAME}:7: evidence_url: Evidence must be a web address starting with https://.",
        f"{NAME}:8: evidence_name: Give the evidence's web address in evidence_url too.",
        f"{NAME}:9: valid_until: A credential must stay valid for some time after it is issued.",
        f"{NAME}:10: -: 2 values where the header has 6 columns.",
        f"{NAME}:11: email: This field is required.",
        f"{NAME}:12: email: This learner already holds a credential of this version; revoke it "
        "to issue a new one.",
        f"{NAME}:13: awarded_on: The learner's award of this version is dated 2026-01-05.",
        f"{NAME}:14: grade: The learner's award of this version has another grade: B.",
        f"{NAME}:16: awarded_on: This field is required.",
        f"{NAME}:17: awarded_on: Write the date as YYYY-MM-DD, e.g. 2026-03-31.",
        f"{NAME}:18: evidence_url: Evidence must be a web address starting with https://.",
    ]
    assert _issued(session, batch) == []
    assert (_count(session, Award), _count(session, WalletItem)) == before
    assert list_outbox(session, recipient="lena@example.org") == []
    assert bulk_service.logged_problems(batch)[0] == LoggedProblem(
        2, "email", "Nobody on Cairn has this e-mail address."
    )


def _lines(batch: IssueBatch) -> list[str]:
    return (batch.problems or "").splitlines()


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        (
            learners_csv([], ("mail", "awarded_on", "awarded_on")),
            [
                "1: mail: Unknown column; the columns are email, awarded_on, grade, "
                "evidence_url, evidence_name, valid_until.",
                "1: awarded_on: This column appears twice.",
                "1: email: This column is missing from the header.",
            ],
        ),
        (b"", ["1: -: The file is empty."]),
        (b"email,awarded_on\r\n", ["2: -: There are no learners in the file."]),
        (
            b"email,awarded_on\nl\xe9na@example.org,2026-03-02\n",
            ["2: -: This line is not UTF-8 text."],
        ),
        (
            learners_csv(
                [("lena@example.org", "2026-03-02", "x" * 121)], ("email", "awarded_on", "grade")
            ),
            ["2: grade: Longer than 120 characters."],
        ),
        (
            learners_csv(
                [("lena@example.org", "2026-03-02", "x" * 200_000)],
                ("email", "awarded_on", "grade"),
            ),
            ["2: -: Unreadable: field larger than field limit (131072)"],
        ),
    ],
    ids=["header", "empty", "no rows", "not utf-8", "too long", "unreadable"],
)
def test_a_file_that_cannot_be_read_as_learners_says_why(
    session: Session, data: bytes, problems: list[str]
) -> None:
    college, _ = _college(session)
    make_person(session, email="lena@example.org")

    batch = _run(session, college, data, dry_run=True)

    assert batch.status is BatchStatus.REFUSED
    assert _lines(batch) == [f"{NAME}:{problem}" for problem in problems]


def test_a_file_too_large_or_too_long_is_refused(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    college, _ = _college(session)
    for name in ("lena", "marc"):
        make_person(session, email=f"{name}@example.org")
    data = learners_csv(
        [("lena@example.org", "2026-03-02"), ("marc@example.org", "2026-03-02")],
        ("email", "awarded_on"),
    )
    monkeypatch.setattr(bulk_csv, "MAX_ROWS", 1)
    assert _lines(_run(session, college, data)) == [
        f"{NAME}:1: -: 2 rows: split the file into files of at most 1 rows."
    ]
    monkeypatch.setattr(bulk_csv, "MAX_FILE_BYTES", len(data) - 1)
    assert _lines(_run(session, college, data)) == [f"{NAME}:1: -: The file is larger than 0 MB."]
    assert _count(session, Award) == 0


def test_a_spreadsheets_bom_and_semicolons_are_read(session: Session) -> None:
    college, _ = _college(session)
    make_person(session, email="lena@example.org")
    data = "\ufeff".encode() + learners_csv(
        [("lena@example.org", "2026-03-02", "Réussi")],
        ("email", "awarded_on", "grade"),
        delimiter=";",
    )

    assert _run(session, college, data, dry_run=True).status is BatchStatus.CHECKED


def test_past_the_cap_only_the_number_of_problems_is_kept(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    college, _ = _college(session)
    monkeypatch.setattr(bulk_service, "MAX_PROBLEMS", 2)
    data = learners_csv(
        [(f"nobody{number}@example.org", "2026-03-02") for number in range(5)],
        ("email", "awarded_on"),
    )

    batch = _run(session, college, data)

    assert _lines(batch)[2:] == ["and 3 more problems"]
    assert bulk_service.logged_problems(batch)[2] == LoggedProblem(None, "", "and 3 more problems")


def test_a_dry_run_checks_every_row_and_issues_nothing_but_is_logged(session: Session) -> None:
    college, _ = _college(session)
    make_person(session, email="lena@example.org")
    data = learners_csv([("lena@example.org", "2026-03-02")], ("email", "awarded_on"))

    checked = _run(session, college, data, dry_run=True)

    assert (checked.status, checked.rows, checked.issued, checked.problems) == (
        BatchStatus.CHECKED,
        1,
        0,
        None,
    )
    assert (_count(session, Award), _count(session, SurveyInvitation)) == (0, 0)
    issued = _run(session, college, data)
    refused = _run(session, college, data)  # she holds it now
    log = bulk_service.issue_log(session, college.registrar, college.org.id)
    assert [line.batch.status for line in log] == [
        BatchStatus.REFUSED,
        BatchStatus.ISSUED,
        BatchStatus.CHECKED,
    ]
    assert log[1].batch.id == issued.id
    shown = bulk_service.get_batch(session, college.registrar, refused.id, org_id=college.org.id)
    assert (shown.version.title, shown.specification.slug) == ("Wound care essentials", SPEC)
    registrar = session.get_one(Person, college.registrar.person_id)
    assert shown.started_by == registrar.display_name


def test_an_unknown_specification_is_refused_before_any_row(session: Session) -> None:
    college, _ = _college(session)

    with pytest.raises(InvalidInput) as error:
        bulk_service.issue_from_csv(
            session, college.registrar, college.org.id, CsvFile(NAME, b""), BulkIssue("nope")
        )

    assert error.value.field_errors[0].field == "specification"


def test_only_the_issuers_registrars_bulk_issue_and_read_the_log(session: Session) -> None:
    college, _ = _college(session)
    other, _ = _college(session)
    learner = actor(session, make_member(session, college.org, Role.LEARNER))
    data = learners_csv([("nobody@example.org", "2026-03-02")], ("email", "awarded_on"))
    batch = _run(session, college, data)

    for someone in (college.educator, learner):
        with pytest.raises(PermissionDenied):
            _run(session, college, data, by=someone)
        with pytest.raises(PermissionDenied):
            bulk_service.issue_log(session, someone, college.org.id)
        with pytest.raises(PermissionDenied):
            bulk_service.get_batch(session, someone, batch.id)
    with pytest.raises(NotFound):
        bulk_service.get_batch(session, other.registrar, batch.id, org_id=other.org.id)
    with pytest.raises(NotFound):
        bulk_service.get_batch(session, college.registrar, other.org.id)
    with pytest.raises(NotFound):
        bulk_service.get_batch(session, other.registrar, batch.id)
