"""A credential in human terms, on a page and on paper.

``describe`` reads what a person wants to know from any Open Badges 3.0 or VC document —
Cairn's or anyone's, so every member is optional and may have any shape — and ``pdf``
prints it on one A4 page with a QR code. The QR code leads to a share link, where the
credential is verified live: paper cannot say whether it was revoked since it was printed,
so the PDF states no verdict of its own.

The PDF embeds DejaVu Sans (``fonts/``, Bitstream Vera licence) so a learner's name prints
in whatever script it is written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any, Final

import segno
from babel.dates import format_date
from fpdf import FPDF, XPos, YPos

from cairn.credentials.jsonld import as_list
from cairn.kit.i18n import get_locale, gettext

FONT: Final = "DejaVu"
QR_SIDE_MM: Final = 42.0
CRITERIA_MAX_CHARACTERS: Final = 1500
"""Criteria longer than this are cut on paper; the share page shows them whole."""


@dataclass(frozen=True)
class Skill:
    name: str
    framework: str | None = None
    code: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Result:
    value: str
    name: str | None = None


@dataclass(frozen=True)
class CredentialView:
    name: str
    issuer_name: str
    issuer_id: str
    description: str | None = None
    learner_name: str | None = None
    """As the credential names its subject; Cairn's own credentials name none (they bind
    the learner by DID and a salted e-mail hash)."""
    subject_id: str | None = None
    issued_on: date | None = None
    awarded_on: date | None = None
    valid_until: date | None = None
    criteria: str | None = None
    credits: str | None = None
    skills: Sequence[Skill] = field(default_factory=tuple)
    results: Sequence[Result] = field(default_factory=tuple)
    evidence: Sequence[tuple[str, str]] = field(default_factory=tuple)
    """(URL, name) of the learner's work."""


def day(value: date) -> str:
    """A date as people of the current locale write it in full: 4 December 2026."""
    return format_date(value, "long", locale=get_locale())


def _text(value: Any) -> str | None:
    """A plain string, or the first string of a JSON-LD language map or value object."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("@value", "en", *value.keys()):
            found = value.get(key)
            if isinstance(found, str) and found.strip():
                return found.strip()
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _object(value: Any) -> dict[str, Any]:
    first = as_list(value)[0] if as_list(value) else None
    return first if isinstance(first, dict) else {}


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).date()


def _learner_name(subject: Mapping[str, Any]) -> str | None:
    """The subject's ``name``, else an identifier of type ``name`` given in the clear."""
    named = _text(subject.get("name"))
    if named:
        return named
    for identifier in as_list(subject.get("identifier")):
        if (
            isinstance(identifier, dict)
            and identifier.get("identityType") == "name"
            and identifier.get("hashed") is False
        ):
            return _text(identifier.get("identityHash"))
    return None


def _skills(achievement: Mapping[str, Any]) -> list[Skill]:
    skills = []
    for alignment in as_list(achievement.get("alignment")):
        if not isinstance(alignment, dict):
            continue
        name = _text(alignment.get("targetName"))
        if name:
            url = _text(alignment.get("targetUrl"))
            skills.append(
                Skill(
                    name=name,
                    framework=_text(alignment.get("targetFramework")),
                    code=_text(alignment.get("targetCode")),
                    url=url if url and url.startswith(("https://", "http://")) else None,
                )
            )
    return skills


def _results(subject: Mapping[str, Any], achievement: Mapping[str, Any]) -> list[Result]:
    names = {
        str(description.get("id")): _text(description.get("name"))
        for description in as_list(achievement.get("resultDescription"))
        if isinstance(description, dict)
    }
    results = []
    for result in as_list(subject.get("result")):
        if isinstance(result, dict) and _text(result.get("value")):
            value = _text(result.get("value")) or ""
            results.append(Result(value, names.get(str(result.get("resultDescription")))))
    return results


def _evidence(credential: Mapping[str, Any]) -> list[tuple[str, str]]:
    found = []
    for evidence in as_list(credential.get("evidence")):
        if isinstance(evidence, dict):
            url = _text(evidence.get("id")) or ""
            if url.startswith(("https://", "http://")):
                found.append((url, _text(evidence.get("name")) or url))
    return found


def describe(credential: Mapping[str, Any]) -> CredentialView:
    """What a person reads of a credential: the achievement, who issued it to whom and when,
    the skills it aligns to, how it is earned and the results."""
    subject = _object(credential.get("credentialSubject"))
    achievement = _object(subject.get("achievement"))
    issuer = credential.get("issuer")
    issuer_id = str(issuer.get("id", "")) if isinstance(issuer, dict) else str(issuer or "")
    criteria = _object(achievement.get("criteria"))
    credits = achievement.get("creditsAvailable")
    return CredentialView(
        name=_text(achievement.get("name"))
        or _text(credential.get("name"))
        or gettext("Untitled credential"),
        issuer_name=(_text(issuer.get("name")) if isinstance(issuer, dict) else None) or issuer_id,
        issuer_id=issuer_id,
        description=_text(achievement.get("description")) or _text(credential.get("description")),
        learner_name=_learner_name(subject),
        subject_id=_text(subject.get("id")),
        issued_on=_date(credential.get("validFrom") or credential.get("issuanceDate")),
        awarded_on=_date(subject.get("activityEndDate")),
        valid_until=_date(credential.get("validUntil") or credential.get("expirationDate")),
        criteria=_text(criteria.get("narrative")),
        credits=f"{credits:g}" if isinstance(credits, int | float) else None,
        skills=tuple(_skills(achievement)),
        results=tuple(_results(subject, achievement)),
        evidence=tuple(_evidence(credential)),
    )


class _Page(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        fonts = resources.files("cairn.credentials").joinpath("fonts")
        with resources.as_file(fonts.joinpath("DejaVuSans.ttf")) as regular:
            self.add_font(FONT, "", regular)
        with resources.as_file(fonts.joinpath("DejaVuSans-Bold.ttf")) as bold:
            self.add_font(FONT, "B", bold)
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=20)

    def paragraph(self, text: str, size: float = 11, style: str = "", gap: float = 2) -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def heading(self, text: str) -> None:
        self.ln(2)
        self.paragraph(text, size=13, style="B", gap=1)

    def qr(self, url: str, x: float, y: float) -> None:
        """The QR code as vector squares: it prints sharp at any size."""
        code = segno.make(url, error="m")
        matrix = code.matrix
        module = QR_SIDE_MM / len(matrix)
        self.set_fill_color(0, 0, 0)
        for row, cells in enumerate(matrix):
            column = 0
            while column < len(cells):
                if not cells[column]:
                    column += 1
                    continue
                start = column
                while column < len(cells) and cells[column]:
                    column += 1
                self.rect(
                    x + start * module, y + row * module, (column - start) * module, module, "F"
                )
        self.link(x, y, QR_SIDE_MM, QR_SIDE_MM, url)


def pdf(view: CredentialView, share_url: str) -> bytes:
    """One A4 page: the credential in words and a QR code of ``share_url``, where anyone can
    see it verified now."""
    page = _Page()
    page.set_title(view.name)
    page.set_author(view.issuer_name)
    page.set_subject(gettext("A verifiable credential; check it at %(url)s", url=share_url))
    page.set_creator("Cairn")
    page.add_page()
    top = page.get_y()
    page.set_right_margin(20 + QR_SIDE_MM + 6)
    page.paragraph(view.name, size=20, style="B", gap=3)
    lines = []
    if view.learner_name:
        lines.append(gettext("Awarded to %(name)s", name=view.learner_name))
    lines.append(gettext("Issued by %(issuer)s", issuer=view.issuer_name))
    if view.awarded_on:
        lines.append(gettext("Achieved on %(date)s", date=day(view.awarded_on)))
    if view.issued_on:
        lines.append(gettext("Issued on %(date)s", date=day(view.issued_on)))
    if view.valid_until:
        lines.append(gettext("Valid until %(date)s", date=day(view.valid_until)))
    page.paragraph("\n".join(lines), size=12, gap=4)
    page.qr(share_url, page.w - 20 - QR_SIDE_MM, top)
    page.set_font(FONT, "", 8)
    page.set_xy(page.w - 20 - QR_SIDE_MM, top + QR_SIDE_MM + 1)
    page.multi_cell(QR_SIDE_MM, 3.5, gettext("Scan to verify it now"), align="C")
    page.set_right_margin(20)
    page.set_xy(20, max(page.get_y(), top + QR_SIDE_MM + 10))
    if view.description:
        page.paragraph(view.description)
    if view.results:
        page.heading(gettext("Results"))
        page.paragraph(
            "\n".join(f"{r.name}: {r.value}" if r.name else r.value for r in view.results)
        )
    if view.credits:
        page.paragraph(gettext("Credits: %(credits)s ECTS", credits=view.credits))
    if view.skills:
        page.heading(gettext("Skills"))
        page.paragraph(
            "\n".join(
                "• " + " · ".join(filter(None, [skill.name, skill.framework, skill.code]))
                for skill in view.skills
            )
        )
    if view.criteria:
        page.heading(gettext("How it is earned"))
        criteria = view.criteria
        if len(criteria) > CRITERIA_MAX_CHARACTERS:
            criteria = criteria[: CRITERIA_MAX_CHARACTERS - 1].rstrip() + "…"
        page.paragraph(criteria, size=10)
    page.ln(4)
    page.paragraph(
        gettext(
            "This paper copy proves nothing by itself. The credential is signed by its "
            "issuer: check it at %(url)s, where anyone can see whether it is genuine, still "
            "valid and not revoked.",
            url=share_url,
        ),
        size=9,
    )
    return bytes(page.output())
