"""The learner's wallet: every credential they hold, imports from elsewhere, share links
with consent, downloads and presentations.

Only the owner sees or acts on their items and links; to anyone else they do not exist
(404), whatever their roles — an issuer's registrar or an employer's HR team included. A
share link shows that one item to whoever holds the link, and only while it is live.

Every credential is verified when it is shown, never from a stored verdict: a credential
revoked since it was imported reads "failed" the next time anyone looks. An import that
fails verification is still kept if it is a readable credential, and shown as failed.

Downloads: a JSON-LD credential as ``application/ld+json`` (``.json``, which every tool
opens), a VC-JWT as ``application/vc+jwt`` (``.jwt``); baked PNG and SVG badges carry the
credential in Cairn's badge image (the wallet keeps the credential, not the picture it
came in). The printable PDF is offered only from a share link: its QR code is that link,
so the paper leads to a live check and stops working when the learner revokes it."""

from __future__ import annotations

import json
import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Final

import httpx
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy.orm import Session

from cairn.config import get_settings
from cairn.credentials import (
    baking,
    issuing_service,
    jose,
    presentations,
    printable,
    verify_input,
    verifying,
)
from cairn.credentials import wallet_repository as repo
from cairn.credentials.jsonld import JsonObject, as_list
from cairn.credentials.keystore import configured_store
from cairn.credentials.printable import CredentialView
from cairn.credentials.verification import CheckName, Outcome, Report
from cairn.credentials.wallet_models import ItemSource, Share, WalletItem
from cairn.kit.actor import Actor, Scope, require_person, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, DomainError, FieldError, InvalidInput, NotFound
from cairn.kit.i18n import LazyString, gettext, lazy_gettext

EXPIRY_CHOICES: Final = (7, 30, 90, 180, 365)
"""Days a share link lives, as the form offers them; the API takes any number up to a year."""
DEFAULT_EXPIRY_DAYS: Final = 30
MAX_EXPIRY_DAYS: Final = 365
TITLE_MAX: Final = 300
MAX_PRESENTED: Final = 50
PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"

Audience = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
Answer = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ShareCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    consent: bool = False
    """The learner agrees that anyone with the link sees the credential: required."""
    audience: Audience | None = None
    """Who the link is for, in the learner's words; shown back to them, never enforced."""
    expires_in_days: int = Field(default=DEFAULT_EXPIRY_DAYS, ge=1, le=MAX_EXPIRY_DAYS)


class PresentationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_PRESENTED)
    challenge: Answer
    """The verifier's challenge, copied from them: it makes the presentation good once."""
    domain: Answer
    """The verifier's domain, copied from them: it makes the presentation good only there."""


class DownloadFormat(StrEnum):
    JSON = "json"
    PNG = "png"
    SVG = "svg"


class SharedFormat(StrEnum):
    """What a share link offers: the owner's formats and the printable PDF."""

    JSON = "json"
    PNG = "png"
    SVG = "svg"
    PDF = "pdf"


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Held:
    """An item with its verification now and what a person reads of it."""

    item: WalletItem
    report: Report
    view: CredentialView

    @property
    def is_jwt(self) -> bool:
        return jose.looks_like_jwt(self.item.document)


class ShareState(StrEnum):
    LIVE = "live"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass
class ShareEnded(DomainError):
    """A share link that existed but is expired or revoked: gone for good (410)."""

    revoked: bool = False

    code = "gone"
    status = 410
    meaning: ClassVar[LazyString] = lazy_gettext("This link has expired or was revoked.")


@dataclass(frozen=True)
class Shared:
    """What a share link shows: one item, verified now, and whose it is."""

    share: Share
    held: Held
    owner_name: str


def _require_reader(actor: Actor) -> None:
    require_person(actor)
    require_scope(actor, Scope.PROFILE_READ)


def _require_writer(actor: Actor) -> None:
    require_person(actor)
    require_scope(actor, Scope.PROFILE_WRITE)


def _not_found() -> NotFound:
    return NotFound(lazy_gettext("There is no such credential in your wallet."))


def _parsed(document: str) -> dict[str, Any] | None:
    """The credential inside a stored document, JSON or JWT, without checking anything."""
    try:
        if jose.looks_like_jwt(document):
            return jose.read(document.strip()).credential
        loaded = json.loads(document)
    except (ValueError, jose.MalformedJwt):
        return None
    return loaded if isinstance(loaded, dict) else None


def _held(item: WalletItem, report: Report) -> Held:
    view = printable.describe(report.credential or _parsed(item.document) or {})
    return Held(item=item, report=report, view=view)


def my_wallet(session: Session, actor: Actor) -> list[Held]:
    """Everything the person holds, newest first, each verified now."""
    _require_reader(actor)
    verifier = verifying.verifier(session)
    return [
        _held(item, verifier.verify(item.document))
        for item in repo.held_items(session, actor.person_id)
    ]


def _item(session: Session, actor: Actor, item_id: uuid.UUID) -> WalletItem:
    item = repo.held_item(session, actor.person_id, item_id)
    if item is None:
        raise _not_found()
    return item


def require_item(session: Session, actor: Actor, item_id: uuid.UUID) -> WalletItem:
    """The item, if the person holds it: for forms, before reading their input."""
    _require_reader(actor)
    return _item(session, actor, item_id)


def held(session: Session, actor: Actor, item_id: uuid.UUID) -> Held:
    """One of the person's items, verified now."""
    _require_reader(actor)
    item = _item(session, actor, item_id)
    return _held(item, verifying.verifier(session).verify(item.document))


def shares(session: Session, actor: Actor, item_id: uuid.UUID) -> Sequence[Share]:
    """The links the person made for one item, newest first, ended ones too."""
    _require_reader(actor)
    return repo.shares_of(session, _item(session, actor, item_id).id)


def _refuse(field: str, message: LazyString) -> InvalidInput:
    return InvalidInput(message, [FieldError(field, message)])


def _format_problem(report: Report) -> LazyString | None:
    for check in report.checks:
        if check.name is CheckName.FORMAT and check.outcome is Outcome.FAILED:
            return check.message
    return None


def _identity(credential: dict[str, Any], document: str) -> str:
    """What makes two imports the same credential: its id, or else its exact text."""
    return str(credential.get("id") or document)


def import_credential(
    session: Session,
    actor: Actor,
    text: str,
    *,
    source: ItemSource = ItemSource.JSON,
    source_url: str | None = None,
    field: str = "credential",
) -> Held:
    """Add a credential from elsewhere, verified first. One that fails verification is
    kept and shown as failed; one that cannot be read as a credential is refused with the
    reason, on ``field``."""
    _require_writer(actor)
    document = text.strip()
    report = verifying.verifier(session).verify(document)
    problem = _format_problem(report)
    if problem is not None:
        raise _refuse(field, problem)
    credential = report.credential or {}
    if "VerifiableCredential" not in as_list(credential.get("type")):
        raise _refuse(
            field,
            lazy_gettext(
                "This is not a verifiable credential: it lacks the type VerifiableCredential."
            ),
        )
    identity = _identity(credential, document)
    for held_document in repo.held_documents(session, actor.person_id):
        if _identity(_parsed(held_document) or {}, held_document) == identity:
            raise Conflict(
                lazy_gettext("This credential is already in your wallet."),
                [FieldError(field, lazy_gettext("This credential is already in your wallet."))],
            )
    view = printable.describe(credential)
    item = WalletItem(
        owner_id=actor.person_id,
        source=source,
        source_url=source_url,
        document=document,
        title=view.name[:TITLE_MAX],
        issuer_name=(view.issuer_name or gettext("Unknown issuer"))[:TITLE_MAX],
    )
    session.add(item)
    session.flush()
    return Held(item=item, report=report, view=view)


def import_text(session: Session, actor: Actor, text: str) -> Held:
    """A pasted credential: JSON or a compact JWT."""
    _require_writer(actor)
    return import_credential(session, actor, verify_input.from_text(text))


def import_file(session: Session, actor: Actor, data: bytes, filename: str | None) -> Held:
    """An uploaded file: a baked PNG or SVG badge, or the credential itself as text."""
    _require_writer(actor)
    text = verify_input.from_file(data, filename)
    if data.startswith(PNG_SIGNATURE):
        source = ItemSource.PNG
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        source = ItemSource.SVG
    else:
        source = ItemSource.JSON
    return import_credential(session, actor, text, source=source, field="file")


def import_url(
    session: Session, actor: Actor, url: str, client: httpx.Client | None = None
) -> Held:
    """A credential fetched from a link: HTTPS only (plain HTTP just for this machine),
    with a timeout and a size limit."""
    _require_writer(actor)
    text = verify_input.from_url(url, client)
    return import_credential(
        session, actor, text, source=ItemSource.URL, source_url=url.strip(), field="url"
    )


def remove(session: Session, actor: Actor, item_id: uuid.UUID) -> WalletItem:
    """Take an item out of the wallet; every link that shares it stops working at once.
    Cairn's record of a credential it issued is kept: removing is the learner's choice of
    what to hold, not a revocation."""
    _require_writer(actor)
    item = _item(session, actor, item_id)
    now = utcnow()
    item.removed_at = now
    repo.revoke_shares_of(session, item.id, now)
    session.flush()
    return item


def consent_words(expires_at: datetime | None) -> str:
    """The words the learner agrees to, as shown beside the box and stored with the link."""
    if expires_at is None:
        return gettext(
            "I agree that anyone with this link can see this credential, including my name "
            "and the results in it, until the link expires or until I revoke it."
        )
    return gettext(
        "I agree that anyone with this link can see this credential, including my name and "
        "the results in it, until %(expiry)s or until I revoke the link.",
        expiry=printable.day(expires_at),
    )


def share(session: Session, actor: Actor, item_id: uuid.UUID, data: ShareCreate) -> Share:
    """A link to one item, made only with the learner's explicit consent, whose words are
    kept with it; it expires after the days chosen, at most a year."""
    _require_writer(actor)
    item = _item(session, actor, item_id)
    if not data.consent:
        raise _refuse(
            "consent",
            lazy_gettext("Tick the box to agree: anyone with the link will see this credential."),
        )
    now = utcnow()
    expires_at = now + timedelta(days=data.expires_in_days)
    link = Share(
        item_id=item.id,
        owner_id=actor.person_id,
        token=secrets.token_urlsafe(32),
        audience=data.audience or None,
        consent_text=consent_words(expires_at),
        consented_at=now,
        expires_at=expires_at,
    )
    session.add(link)
    session.flush()
    return link


def revoke_share(session: Session, actor: Actor, share_id: uuid.UUID) -> Share:
    """End a link now; whoever opens it afterwards is told it was revoked."""
    _require_writer(actor)
    link = repo.owned_share(session, actor.person_id, share_id)
    if link is None:
        raise NotFound(lazy_gettext("There is no such share link."))
    if link.revoked_at is not None:
        raise Conflict(lazy_gettext("This link is already revoked."))
    link.revoked_at = utcnow()
    session.flush()
    return link


def share_state(link: Share, now: datetime | None = None) -> ShareState:
    if link.revoked_at is not None:
        return ShareState.REVOKED
    if link.expires_at is not None and (now or utcnow()) >= link.expires_at:
        return ShareState.EXPIRED
    return ShareState.LIVE


def share_url(token: str) -> str:
    return f"{get_settings().base_url.rstrip('/')}/s/{token}"


def open_share(session: Session, token: str, *, count_view: bool = True) -> Shared:
    """What a share link shows anyone, with no sign-in: 404 for a link that never existed,
    ``ShareEnded`` (410) for one that expired or was revoked. Each look at the page counts
    as a view; downloads from it do not."""
    found = repo.share_by_token(session, token)
    if found is None:
        raise NotFound(lazy_gettext("There is no such share link."))
    link, item, owner = found
    state = share_state(link)
    if state is ShareState.REVOKED:
        raise ShareEnded(lazy_gettext("The learner has revoked this link."), revoked=True)
    if state is ShareState.EXPIRED:
        raise ShareEnded(lazy_gettext("This link has expired."))
    if count_view:
        repo.count_view(session, link, utcnow())
    report = verifying.verifier(session).verify(item.document)
    return Shared(share=link, held=_held(item, report), owner_name=owner.display_name)


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].rstrip("-")
    return slug or "credential"


def download(item: WalletItem, file_format: DownloadFormat) -> Download:
    """The credential as a file: as held, or baked into a badge image."""
    name = _slug(item.title)
    if file_format is DownloadFormat.JSON:
        if jose.looks_like_jwt(item.document):
            return Download(f"{name}.jwt", "application/vc+jwt", item.document.encode())
        return Download(f"{name}.json", "application/ld+json", item.document.encode())
    if file_format is DownloadFormat.PNG:
        image = baking.bake_png(baking.badge_png(item.title, item.issuer_name), item.document)
        return Download(f"{name}.png", "image/png", image)
    svg = baking.bake_svg(baking.badge_svg(item.title, item.issuer_name), item.document)
    return Download(f"{name}.svg", "image/svg+xml", svg.encode())


def download_held(
    session: Session, actor: Actor, item_id: uuid.UUID, file_format: DownloadFormat
) -> Download:
    """One of the person's own items as a file."""
    _require_reader(actor)
    return download(_item(session, actor, item_id), file_format)


def printable_pdf(shared: Shared) -> Download:
    """The paper copy of a shared credential, its QR code the share link."""
    data = printable.pdf(shared.held.view, share_url(shared.share.token))
    return Download(f"{_slug(shared.held.item.title)}.pdf", "application/pdf", data)


def shared_download(session: Session, token: str, file_format: SharedFormat) -> Download:
    """A file from a live share link, for whoever holds the link."""
    shared = open_share(session, token, count_view=False)
    if file_format is SharedFormat.PDF:
        return printable_pdf(shared)
    return download(shared.held.item, DownloadFormat(file_format.value))


def present(session: Session, actor: Actor, request: PresentationRequest) -> JsonObject:
    """A verifiable presentation of the chosen items for one verifier, signed with the
    learner's own holder key (made now if they have none yet) over the verifier's
    challenge and domain."""
    _require_writer(actor)
    wanted = set(request.item_ids)
    items = repo.held_items_by_id(session, actor.person_id, wanted)
    if len(items) != len(wanted):
        raise _not_found()
    store = configured_store()
    holder = issuing_service.holder_did(session, store, actor.person_id)
    key = repo.holder_key_of(session, actor.person_id)
    signer = store.signer(key.id, key.sealed_secret)
    return presentations.present(
        [item.document for item in items],
        signer,  # type: ignore[arg-type]  # the local store's signer is an Ed25519 key
        holder,
        request.challenge,
        request.domain,
    )
