"""The learner's wallet: what it holds and how each is verified now, imports, share links
with consent, downloads, presentations, and that nobody but the owner reaches any of it."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable
from datetime import date, timedelta

import httpx
import pytest
from pydantic import ValidationError
from pypdf import PdfReader
from pypdf.generic import ArrayObject
from sqlalchemy.orm import Session

from cairn.credentials import baking, issuing_service, jose, printable, verifying, wallet_service
from cairn.credentials.issued_models import ProofFormat
from cairn.credentials.multikey import did_key
from cairn.credentials.verification import CheckName, Outcome, Problem, Verdict
from cairn.credentials.wallet_models import HolderKey, ItemSource, Share, WalletItem
from cairn.credentials.wallet_service import (
    DownloadFormat,
    PresentationRequest,
    ShareCreate,
    SharedFormat,
    ShareEnded,
    ShareState,
)
from cairn.kit.actor import Actor, Role, Scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import (
    Conflict,
    InsufficientScope,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from cairn.orgs.models import Person
from tests.factories.credentials import Issuer, make_issued, make_issuer
from tests.factories.orgs import actor, make_member, make_org, make_person
from tests.factories.wallet import make_foreign_credential, make_foreign_issuer, make_held

CONSENTED = ShareCreate(consent=True)


@pytest.fixture
def college(session: Session) -> Issuer:
    return make_issuer(session, name="Lakeshore College")


def _learner(session: Session) -> tuple[Person, Actor]:
    person = make_person(session, name="Lena Whitford")
    return person, actor(session, person)


def _field(error: InvalidInput | Conflict) -> list[str]:
    return [item.field for item in error.field_errors]


def test_issued_credentials_are_held_and_verified_each_time_they_are_shown(
    session: Session, college: Issuer
) -> None:
    learner, me = _learner(session)
    issued = make_issued(session, college, college.publish(session, "wound-care"), learner)

    [held] = wallet_service.my_wallet(session, me)
    assert held.item.source is ItemSource.ISSUED
    assert (held.item.title, held.item.issuer_name) == (
        "Wound care essentials",
        "Lakeshore College",
    )
    assert held.report.verdict is Verdict.VERIFIED, held.report.as_json()

    issuing_service.revoke(session, college.registrar, issued.id, "Awarded in error.")
    [held] = wallet_service.my_wallet(session, me)
    assert held.report.verdict is Verdict.FAILED
    assert held.report.problems == [Problem.REVOKED]


def test_a_credential_from_elsewhere_is_verified_and_described_on_import(
    session: Session,
) -> None:
    _, me = _learner(session)
    issuer = make_foreign_issuer("Harbour Training Co")

    held = wallet_service.import_text(session, me, issuer.sign(issuer.unsigned("Forklift safety")))

    assert held.item.source is ItemSource.JSON
    assert (held.item.title, held.item.issuer_name) == ("Forklift safety", "Harbour Training Co")
    assert held.report.verdict is Verdict.VERIFIED, held.report.as_json()
    assert [h.item.id for h in wallet_service.my_wallet(session, me)] == [held.item.id]


def test_a_jwt_credential_is_imported_as_it_came(session: Session) -> None:
    _, me = _learner(session)
    issuer = make_foreign_issuer()
    token = issuer.sign_jwt(issuer.unsigned())

    held = wallet_service.import_text(session, me, f"  {token}\n")

    assert held.item.document == token
    assert held.is_jwt
    assert held.report.verdict is Verdict.VERIFIED


def test_a_credential_that_fails_verification_is_kept_and_shown_as_failed(
    session: Session,
) -> None:
    _, me = _learner(session)
    tampered = json.loads(make_foreign_credential("Forklift safety"))
    tampered["credentialSubject"]["achievement"]["name"] = "Crane operation"

    held = wallet_service.import_text(session, me, json.dumps(tampered))

    assert held.item.title == "Crane operation"
    [shown] = wallet_service.my_wallet(session, me)
    assert shown.report.verdict is Verdict.FAILED
    assert shown.report.problems == [Problem.TAMPERED]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Paste a credential"),
        ("{not json", "This is not JSON"),
        ("[1, 2]", "A credential is a JSON object"),
        ('{"type": ["VerifiablePresentation"]}', "lacks the type VerifiableCredential"),
        ("eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.c2ln", "not a credential Cairn can read"),
    ],
)
def test_input_that_is_not_a_credential_is_refused_with_the_reason(
    session: Session, text: str, says: str
) -> None:
    _, me = _learner(session)

    with pytest.raises(InvalidInput) as refused:
        wallet_service.import_text(session, me, text)

    assert _field(refused.value) == ["credential"]
    assert says in str(refused.value.message)
    assert session.query(WalletItem).filter_by(owner_id=me.person_id).count() == 0


def test_the_same_credential_is_not_held_twice(session: Session, college: Issuer) -> None:
    learner, me = _learner(session)
    issued = make_issued(session, college, college.publish(session, "wound-care"), learner)
    foreign = make_foreign_credential()
    wallet_service.import_text(session, me, foreign)

    for again in (foreign, issued.document):
        with pytest.raises(Conflict) as refused:
            wallet_service.import_text(session, me, again)
        assert _field(refused.value) == ["credential"]


def test_a_credential_without_an_id_is_the_same_only_if_its_text_is(session: Session) -> None:
    _, me = _learner(session)
    issuer = make_foreign_issuer()
    first = issuer.unsigned("First")
    del first["id"]
    second = issuer.unsigned("Second")
    del second["id"]

    wallet_service.import_text(session, me, issuer.sign(first))
    wallet_service.import_text(session, me, issuer.sign(second))

    assert len(wallet_service.my_wallet(session, me)) == 2


def test_baked_badges_are_unbaked_on_import(session: Session) -> None:
    _, me = _learner(session)
    png_credential = make_foreign_credential("Forklift safety")
    svg_credential = make_foreign_credential("Crane signals")
    json_credential = make_foreign_credential("Load charts")
    png = baking.bake_png(baking.badge_png("Forklift", "Harbour"), png_credential)
    svg = baking.bake_svg(baking.badge_svg("Crane", "Harbour"), svg_credential).encode()

    from_png = wallet_service.import_file(session, me, png, "forklift.png")
    from_svg = wallet_service.import_file(session, me, svg, "crane.svg")
    from_json = wallet_service.import_file(session, me, json_credential.encode(), "load.json")

    assert (from_png.item.source, from_png.item.document) == (ItemSource.PNG, png_credential)
    assert (from_svg.item.source, from_svg.item.document) == (ItemSource.SVG, svg_credential)
    assert (from_json.item.source, from_json.item.document) == (ItemSource.JSON, json_credential)
    assert from_png.report.verdict is Verdict.VERIFIED


def test_an_image_with_no_credential_is_refused_on_the_file_field(session: Session) -> None:
    _, me = _learner(session)

    with pytest.raises(InvalidInput) as refused:
        wallet_service.import_file(session, me, baking.badge_png("Plain", "Nobody"), "plain.png")

    assert _field(refused.value) == ["file"]
    assert "no Open Badges credential is baked" in str(refused.value.message)


def test_a_credential_is_fetched_from_a_link_over_https(session: Session) -> None:
    _, me = _learner(session)
    credential = make_foreign_credential()
    asked: list[str] = []

    def serve(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(200, text=credential, headers={"content-type": "application/json"})

    with httpx.Client(transport=httpx.MockTransport(serve)) as client:
        held = wallet_service.import_url(
            session, me, "https://badges.example/forklift", client=client
        )

    assert asked == ["https://badges.example/forklift"]
    assert (held.item.source, held.item.source_url) == (
        ItemSource.URL,
        "https://badges.example/forklift",
    )
    assert held.item.document == credential


def test_a_link_that_is_not_https_is_refused_on_the_url_field(session: Session) -> None:
    _, me = _learner(session)

    with pytest.raises(InvalidInput) as refused:
        wallet_service.import_url(session, me, "http://badges.example/forklift")

    assert _field(refused.value) == ["url"]


def test_a_share_needs_consent_and_keeps_the_words_agreed_to(session: Session) -> None:
    _, me = _learner(session)
    item = make_held(session, me)

    with pytest.raises(InvalidInput) as refused:
        wallet_service.share(session, me, item.id, ShareCreate(consent=False))
    assert _field(refused.value) == ["consent"]

    link = wallet_service.share(
        session, me, item.id, ShareCreate(consent=True, audience="Northwind HR")
    )
    assert link.expires_at is not None
    assert link.expires_at - link.consented_at == timedelta(days=30)
    assert len(link.token) >= 43
    assert link.audience == "Northwind HR"
    assert "anyone with this link can see this credential" in link.consent_text
    assert printable.day(link.expires_at.date()) in link.consent_text
    assert wallet_service.share_state(link) is ShareState.LIVE
    assert wallet_service.shares(session, me, item.id) == [link]


@pytest.mark.parametrize("days", [0, 366])
def test_a_share_lasts_a_day_to_a_year(days: int) -> None:
    with pytest.raises(ValidationError):
        ShareCreate(consent=True, expires_in_days=days)


def test_a_share_link_shows_its_one_credential_and_counts_views_not_downloads(
    session: Session, college: Issuer
) -> None:
    learner, me = _learner(session)
    make_issued(session, college, college.publish(session, "wound-care"), learner)
    [held] = wallet_service.my_wallet(session, me)
    link = wallet_service.share(session, me, held.item.id, CONSENTED)

    shown = wallet_service.open_share(session, link.token)
    wallet_service.shared_download(session, link.token, SharedFormat.JSON)
    wallet_service.open_share(session, link.token)

    assert shown.held.item.id == held.item.id
    assert shown.owner_name == "Lena Whitford"
    assert shown.held.report.verdict is Verdict.VERIFIED
    assert shown.held.view.name == "Wound care essentials"
    assert link.views == 2
    assert link.last_viewed_at is not None


def test_an_unknown_link_does_not_exist_and_an_ended_one_is_gone(session: Session) -> None:
    _, me = _learner(session)
    item = make_held(session, me)
    revoked = wallet_service.share(session, me, item.id, CONSENTED)
    expired = wallet_service.share(session, me, item.id, CONSENTED)
    expired.expires_at = utcnow() - timedelta(minutes=1)
    wallet_service.revoke_share(session, me, revoked.id)

    with pytest.raises(NotFound):
        wallet_service.open_share(session, "no-such-token")
    with pytest.raises(ShareEnded) as ended:
        wallet_service.open_share(session, revoked.token)
    assert ended.value.revoked
    assert ended.value.status == 410
    with pytest.raises(ShareEnded) as ended:
        wallet_service.shared_download(session, expired.token, SharedFormat.PDF)
    assert not ended.value.revoked
    assert wallet_service.share_state(expired) is ShareState.EXPIRED
    assert revoked.views == expired.views == 0
    with pytest.raises(Conflict):
        wallet_service.revoke_share(session, me, revoked.id)


def test_removing_an_item_stops_its_links_and_leaves_the_issuers_record(
    session: Session, college: Issuer
) -> None:
    learner, me = _learner(session)
    issued = make_issued(session, college, college.publish(session, "wound-care"), learner)
    [held] = wallet_service.my_wallet(session, me)
    link = wallet_service.share(session, me, held.item.id, CONSENTED)

    wallet_service.remove(session, me, held.item.id)

    assert wallet_service.my_wallet(session, me) == []
    with pytest.raises(ShareEnded):
        wallet_service.open_share(session, link.token)
    with pytest.raises(NotFound):
        wallet_service.held(session, me, held.item.id)
    assert issued.revoked_at is None


def test_downloads_carry_the_credential_as_held(session: Session, college: Issuer) -> None:
    learner, me = _learner(session)
    issued = make_issued(
        session, college, college.publish(session, "wound-care"), learner, proof=ProofFormat.VC_JWT
    )
    [held] = wallet_service.my_wallet(session, me)
    foreign = make_held(session, me)

    as_jwt = wallet_service.download_held(session, me, held.item.id, DownloadFormat.JSON)
    as_json = wallet_service.download_held(session, me, foreign.id, DownloadFormat.JSON)
    png = wallet_service.download_held(session, me, held.item.id, DownloadFormat.PNG)
    svg = wallet_service.download_held(session, me, held.item.id, DownloadFormat.SVG)

    assert (as_jwt.filename, as_jwt.media_type) == (
        "wound-care-essentials.jwt",
        "application/vc+jwt",
    )
    assert as_jwt.data.decode() == issued.document
    assert (as_json.filename, as_json.media_type) == ("forklift-safety.json", "application/ld+json")
    assert as_json.data.decode() == foreign.document
    assert (png.filename, png.media_type) == ("wound-care-essentials.png", "image/png")
    assert baking.unbake(png.data) == issued.document
    assert svg.media_type == "image/svg+xml"
    assert baking.unbake(svg.data) == issued.document
    assert verifying.verifier(session).verify(baking.unbake(png.data)).verdict is Verdict.VERIFIED


def test_the_printable_pdf_says_what_was_earned_and_its_qr_code_is_the_share_link(
    session: Session, college: Issuer
) -> None:
    learner, me = _learner(session)
    make_issued(session, college, college.publish(session, "wound-care"), learner)
    [held] = wallet_service.my_wallet(session, me)
    link = wallet_service.share(session, me, held.item.id, CONSENTED)

    pdf = wallet_service.shared_download(session, link.token, SharedFormat.PDF)

    assert (pdf.filename, pdf.media_type) == ("wound-care-essentials.pdf", "application/pdf")
    page = PdfReader(io.BytesIO(pdf.data)).pages[0]
    text = page.extract_text()
    assert "Wound care essentials" in text
    assert "Issued by Lakeshore College" in text
    url = f"http://testserver.example/s/{link.token}"
    annotations = page.get("/Annots")
    assert isinstance(annotations, ArrayObject)
    links = [annotation.get_object()["/A"]["/URI"] for annotation in annotations]
    assert url in links  # the QR code is a link to the share page, and prints its address
    assert url in text.replace("\n", "")


def test_a_presentation_is_signed_by_the_learner_for_one_verifier(
    session: Session, college: Issuer
) -> None:
    learner, me = _learner(session)
    for slug, proof in (("one", ProofFormat.EDDSA_RDFC_2022), ("two", ProofFormat.VC_JWT)):
        make_issued(session, college, college.publish(session, slug), learner, proof=proof)
    item_ids = [held.item.id for held in wallet_service.my_wallet(session, me)]
    request = PresentationRequest(
        item_ids=item_ids, challenge="n-0S6_WzA2Mj", domain="jobs.example"
    )

    presentation = wallet_service.present(session, me, request)

    verifier = verifying.verifier(session)
    report = verifier.verify_presentation(
        presentation, challenge="n-0S6_WzA2Mj", domain="jobs.example"
    )
    assert report.verdict is Verdict.VERIFIED, report.as_json()
    assert len(report.credentials) == 2
    holder = session.query(HolderKey).filter_by(person_id=learner.id).one()
    assert presentation["holder"] == did_key(holder.public_key)
    elsewhere = verifier.verify_presentation(
        presentation, challenge="n-0S6_WzA2Mj", domain="other.example"
    )
    assert Problem.WRONG_DOMAIN in elsewhere.problems


def test_a_learner_with_only_imported_credentials_gets_a_holder_key_to_present(
    session: Session,
) -> None:
    learner, me = _learner(session)
    item = make_held(session, me)
    assert session.query(HolderKey).filter_by(person_id=learner.id).count() == 0

    presentation = wallet_service.present(
        session, me, PresentationRequest(item_ids=[item.id], challenge="c", domain="d")
    )

    report = verifying.verifier(session).verify_presentation(
        presentation, challenge="c", domain="d"
    )
    assert [check.name for check in report.checks if check.outcome is Outcome.PASSED] == [
        CheckName.FORMAT,
        CheckName.CONTEXT,
        CheckName.SCHEMA,
        CheckName.HOLDER,
        CheckName.PROOF,
        CheckName.CHALLENGE,
        CheckName.DOMAIN,
    ]
    # the credential names no subject, so whether it is about its presenter is not claimed
    assert report.credentials[0].verdict is Verdict.VERIFIED


def _outsiders(session: Session, college: Issuer, learner: Person) -> dict[str, Actor]:
    """Everyone who might be curious about a learner's wallet, none of whom may see it."""
    employer = make_org(session, name="Northwind Health")
    make_member(session, employer, Role.LEARNER, person=learner)
    hr = make_member(session, employer, Role.HR_ADMIN)
    admin = make_member(session, make_org(session), Role.PLATFORM_ADMIN)
    return {
        "another learner": actor(session, make_person(session)),
        "the issuer's registrar": college.registrar,
        "the learner's employer's HR": actor(session, hr),
        "a platform administrator": actor(session, admin),
    }


def test_nobody_but_the_owner_sees_or_touches_an_item_or_its_links(
    session: Session, college: Issuer
) -> None:
    learner, me = _learner(session)
    make_issued(session, college, college.publish(session, "wound-care"), learner)
    [held] = wallet_service.my_wallet(session, me)
    link = wallet_service.share(session, me, held.item.id, CONSENTED)
    request = PresentationRequest(item_ids=[held.item.id], challenge="c", domain="d")

    attempts: list[Callable[[Actor], object]] = [
        lambda other: wallet_service.held(session, other, held.item.id),
        lambda other: wallet_service.shares(session, other, held.item.id),
        lambda other: wallet_service.share(session, other, held.item.id, CONSENTED),
        lambda other: wallet_service.download_held(
            session, other, held.item.id, DownloadFormat.JSON
        ),
        lambda other: wallet_service.remove(session, other, held.item.id),
        lambda other: wallet_service.revoke_share(session, other, link.id),
        lambda other: wallet_service.present(session, other, request),
        lambda other: wallet_service.require_item(session, other, held.item.id),
    ]

    for who, other in _outsiders(session, college, learner).items():
        assert wallet_service.my_wallet(session, other) == [], who
        for attempt in attempts:
            with pytest.raises(NotFound):
                attempt(other)
    assert wallet_service.share_state(link) is ShareState.LIVE
    assert session.query(Share).filter_by(item_id=held.item.id).count() == 1


def test_the_operator_has_no_wallet_and_a_token_needs_the_profile_scopes(
    session: Session,
) -> None:
    learner, me = _learner(session)
    item = make_held(session, me)
    reader = Actor(
        person_id=learner.id, email=learner.email, scopes=frozenset({Scope.PROFILE_READ})
    )
    nothing = Actor(person_id=learner.id, email=learner.email, scopes=frozenset())

    with pytest.raises(PermissionDenied):
        wallet_service.my_wallet(session, Actor.operator())
    with pytest.raises(InsufficientScope):
        wallet_service.my_wallet(session, nothing)
    assert [h.item.id for h in wallet_service.my_wallet(session, reader)] == [item.id]
    with pytest.raises(InsufficientScope):
        wallet_service.share(session, reader, item.id, CONSENTED)


def test_a_credential_is_described_in_human_terms_whatever_its_shape() -> None:
    view = printable.describe(
        {
            "issuer": "did:example:college",
            "issuanceDate": "2024-05-01T10:00:00",
            "expirationDate": "not a date",
            "evidence": [
                {"id": "https://portfolio.example/lena", "name": "Portfolio"},
                {"id": "urn:uuid:1"},
                "https://ignored.example",
            ],
            "credentialSubject": [
                {
                    "id": "did:example:lena",
                    "identifier": [
                        "ignored",
                        {"identityType": "emailAddress", "hashed": True, "identityHash": "x"},
                        {"identityType": "name", "hashed": False, "identityHash": "Lena Whitford"},
                    ],
                    "achievement": {
                        "name": {"fr": "Soins des plaies", "en": "Wound care"},
                        "description": [{"@value": "Dress wounds."}],
                        "creditsAvailable": 1.5,
                        "alignment": [
                            "ignored",
                            {"targetUrl": "https://skills.example/no-name"},
                            {"targetName": "dress wounds", "targetUrl": "javascript:alert(1)"},
                            {
                                "targetName": "assess pain",
                                "targetUrl": "https://skills.example/pain",
                                "targetFramework": "ESCO",
                                "targetCode": "S1",
                            },
                        ],
                        "resultDescription": [
                            {"id": "urn:result", "name": "Final grade"},
                            "ignored",
                        ],
                    },
                    "result": [
                        {"resultDescription": "urn:result", "value": "A"},
                        {"value": "Distinction"},
                        {"value": ""},
                        "ignored",
                    ],
                    "activityEndDate": "2024-04-30T00:00:00Z",
                }
            ],
        }
    )

    assert view.name == "Wound care"
    assert (view.issuer_name, view.issuer_id) == ("did:example:college", "did:example:college")
    assert view.description == "Dress wounds."
    assert view.learner_name == "Lena Whitford"
    assert (view.issued_on, view.awarded_on, view.valid_until) == (
        date(2024, 5, 1),
        date(2024, 4, 30),
        None,
    )
    assert view.credits == "1.5"
    assert [(s.name, s.url, s.framework, s.code) for s in view.skills] == [
        ("dress wounds", None, None, None),
        ("assess pain", "https://skills.example/pain", "ESCO", "S1"),
    ]
    assert [(r.name, r.value) for r in view.results] == [
        ("Final grade", "A"),
        (None, "Distinction"),
    ]
    assert view.evidence == (("https://portfolio.example/lena", "Portfolio"),)


def test_a_credential_that_says_almost_nothing_still_reads() -> None:
    view = printable.describe({"name": "  ", "credentialSubject": {"name": "Sam", "id": 7}})

    assert view.name == "Untitled credential"
    assert (view.issuer_name, view.learner_name, view.subject_id) == ("", "Sam", None)
    assert (view.skills, view.results, view.evidence) == ((), (), ())
    assert printable.describe({"issuer": {"id": "did:x"}}).issuer_name == "did:x"
    assert printable.describe({"issuer": {"name": {"x": 1}}}).issuer_name == ""


def test_the_printable_pdf_fits_long_criteria_and_names_in_any_script() -> None:
    view = printable.CredentialView(
        name="Soins des plaies — niveau 2",
        issuer_name="Collège du Nord",
        issuer_id="did:web:example",
        learner_name="Zoë Ångström",
        description="Panser une plaie.",
        issued_on=date(2026, 1, 2),
        awarded_on=date(2026, 1, 1),
        valid_until=date(2027, 1, 1),
        criteria="Long criteria. " * 200,
        credits="2",
        skills=(printable.Skill("dress wounds", "ESCO", "S1"),),
        results=(printable.Result("Pass"), printable.Result("A", "Grade")),
    )

    reader = PdfReader(io.BytesIO(printable.pdf(view, "https://cairn.example/s/abc")))
    text = "".join(page.extract_text() for page in reader.pages)

    assert "Awarded to Zoë Ångström" in text
    assert "Collège du Nord" in text
    assert "Grade: A" in text
    assert "…" in text
    assert reader.metadata is not None
    assert reader.metadata.title == "Soins des plaies — niveau 2"


def test_ids_that_are_not_the_owners_are_not_presented(session: Session) -> None:
    _, me = _learner(session)
    item = make_held(session, me)
    request = PresentationRequest(item_ids=[item.id, uuid.uuid4()], challenge="c", domain="d")

    with pytest.raises(NotFound):
        wallet_service.present(session, me, request)


def test_the_jwt_credential_survives_download_as_the_same_token(session: Session) -> None:
    _, me = _learner(session)
    issuer = make_foreign_issuer()
    item = make_held(session, me, issuer.sign_jwt(issuer.unsigned()))

    download = wallet_service.download_held(session, me, item.id, DownloadFormat.SVG)

    assert jose.looks_like_jwt(baking.unbake(download.data))


def test_an_item_whose_document_no_longer_reads_is_shown_as_failed(session: Session) -> None:
    learner, me = _learner(session)
    broken = WalletItem(
        owner_id=learner.id,
        source=ItemSource.JSON,
        document="{truncated",
        title="Broken",
        issuer_name="Somewhere",
    )
    session.add(broken)
    session.flush()

    shown = wallet_service.held(session, me, broken.id)
    wallet_service.import_text(session, me, make_foreign_credential())

    assert shown.report.verdict is Verdict.FAILED
    assert shown.view.name == "Untitled credential"
    assert len(wallet_service.my_wallet(session, me)) == 2


def test_the_share_form_promises_what_the_stored_consent_says(session: Session) -> None:
    _, me = _learner(session)
    link = wallet_service.share(session, me, make_held(session, me).id, CONSENTED)

    shown = wallet_service.consent_words(None)

    assert shown.startswith("I agree that anyone with this link can see this credential")
    assert link.consent_text.startswith(shown.split(", until")[0])


def test_a_printable_pdf_of_a_bare_credential_says_only_what_it_knows() -> None:
    view = printable.CredentialView(
        name="Bare", issuer_name="did:key:z6Mk", issuer_id="did:key:z6Mk"
    )

    text = PdfReader(io.BytesIO(printable.pdf(view, "https://cairn.example/s/x"))).pages[0]

    words = text.extract_text()
    assert "Issued by did:key:z6Mk" in words
    assert "Awarded to" not in words
    assert "Skills" not in words
