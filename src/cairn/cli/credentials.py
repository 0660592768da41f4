"""``cairn credentials``: an issuer's verifiable credentials from the command line — issue
one for an award, list them, revoke, suspend or reinstate one, rotate the signing key —
and ``verify``, which checks anyone's credential and prints the graded report."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cairn.cli.common import console, fail, reports_errors, transaction
from cairn.credentials import issuing_service, key_service, service, verifying
from cairn.credentials.baking import NotABadge, unbake
from cairn.credentials.issued_models import IssuedCredential, ProofFormat
from cairn.credentials.issuing_service import IssueOptions
from cairn.credentials.keystore import configured_store
from cairn.credentials.labels import check_label, outcome_label
from cairn.credentials.multikey import public_multikey
from cairn.credentials.vc_api_service import state_of
from cairn.credentials.verification import Verdict
from cairn.kit.actor import Actor
from cairn.kit.i18n import gettext
from cairn.orgs import service as orgs_service

app = typer.Typer(help="Verifiable credentials: issue, list, revoke, verify.", no_args_is_help=True)

Org = Annotated[str, typer.Option(help="The issuer's short name.")]
CredentialId = Annotated[uuid.UUID, typer.Argument(help="The credential's id (its UUID).")]
Reason = Annotated[str, typer.Option(help="Why; the learner is told it.")]
BAKED_SUFFIXES = frozenset({".png", ".svg"})


def _done(issued: IssuedCredential, message: str) -> None:
    console.print(message, highlight=False, soft_wrap=True)
    console.print(str(issued.id), highlight=False)


@app.command("issue")
@reports_errors
def issue(
    org: Org,
    learner: Annotated[str, typer.Option(help="The learner's e-mail address on Cairn.")],
    specification: Annotated[
        str, typer.Option(help="The short name of the specification the learner was awarded.")
    ],
    proof: Annotated[
        ProofFormat, typer.Option(help="How it is signed.")
    ] = ProofFormat.EDDSA_RDFC_2022,
    valid_until: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Its last valid day (UTC); none by default."),
    ] = None,
    evidence: Annotated[
        str | None, typer.Option(help="The address of the learner's work, https://…")
    ] = None,
    evidence_name: Annotated[
        str, typer.Option(help="What the evidence is, e.g. 'Final report'.")
    ] = "",
) -> None:
    """Sign the credential for a learner's award and put it in their wallet; prints its id."""
    operator = Actor.operator()
    with transaction() as session:
        issuer = orgs_service.get_organisation_by_slug(session, operator, org)
        awarded = [
            line
            for line in service.list_awards_for_issuer(session, operator, issuer.id)
            if line.learner.email.lower() == learner.strip().lower()
            and line.specification.slug == specification
        ]
        if evidence and not evidence_name.strip():
            raise fail(
                gettext("--evidence-name: name the evidence, so a verifier knows what it is.")
            )
        if not awarded:
            raise fail(
                gettext(
                    "%(org)s has no award of %(specification)s to %(learner)s; record one with "
                    "'cairn awards record'.",
                    org=issuer.name,
                    specification=specification,
                    learner=learner,
                )
            )
        options = IssueOptions(
            proof_format=proof,
            valid_until=datetime.combine(valid_until.date(), time(23, 59, 59), tzinfo=UTC)
            if valid_until
            else None,
            evidence=[(evidence, evidence_name.strip())] if evidence else [],
        )
        issued = issuing_service.issue_award(session, operator, awarded[0].award.id, options)
        _done(
            issued,
            gettext(
                "Issued %(title)s to %(learner)s; it is in their wallet.",
                title=issued.title,
                learner=awarded[0].learner.display_name,
            ),
        )


@app.command("list")
@reports_errors
def list_credentials(
    org: Org,
    as_json: Annotated[bool, typer.Option("--json", help="Print them as JSON.")] = False,
) -> None:
    """The credentials an issuer signed for learners, newest first; --json adds their
    format, validity and the reason for a revocation or suspension."""
    operator = Actor.operator()
    with transaction() as session:
        issuer = orgs_service.get_organisation_by_slug(session, operator, org)
        learners = {
            line.award.id: line.learner
            for line in service.list_awards_for_issuer(session, operator, issuer.id)
        }
        credentials = issuing_service.issued_by_org(session, operator, issuer.id)
        rows = [
            {
                "id": str(issued.id),
                "learner": learners[issued.award_id].display_name
                if issued.award_id in learners
                else None,
                "title": issued.title,
                "format": issued.proof_format.value,
                "issued_at": issued.issued_at.isoformat(),
                "valid_until": issued.valid_until.isoformat() if issued.valid_until else None,
                "state": state_of(issued).value,
                "reason": issued.revocation_reason or issued.suspension_reason,
            }
            for issued in credentials
        ]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title=escape(gettext("Credentials issued by %(org)s", org=issuer.name)))
    table.add_column(gettext("Id"), no_wrap=True, min_width=36)
    table.add_column(gettext("Learner"))
    table.add_column(gettext("Credential"))
    table.add_column(gettext("Issued"), no_wrap=True)
    table.add_column(gettext("Status"), no_wrap=True)
    for row in rows:
        table.add_row(
            *(
                escape(str(value or "—"))
                for value in (
                    row["id"],
                    row["learner"],
                    row["title"],
                    str(row["issued_at"])[:10],
                    row["state"],
                )
            )
        )
    console.print(table)


@app.command("revoke")
@reports_errors
def revoke(credential: CredentialId, reason: Reason) -> None:
    """Revoke a credential for good: verifiers see it from the status list's next fetch."""
    with transaction() as session:
        issued = issuing_service.revoke(session, Actor.operator(), credential, reason)
        _done(issued, gettext("Revoked %(title)s.", title=issued.title))


@app.command("suspend")
@reports_errors
def suspend(credential: CredentialId, reason: Reason) -> None:
    """Suspend a credential until it is reinstated."""
    with transaction() as session:
        issued = issuing_service.suspend(session, Actor.operator(), credential, reason)
        _done(issued, gettext("Suspended %(title)s.", title=issued.title))


@app.command("reinstate")
@reports_errors
def reinstate(credential: CredentialId) -> None:
    """Lift a credential's suspension."""
    with transaction() as session:
        issued = issuing_service.reinstate(session, Actor.operator(), credential)
        _done(issued, gettext("Reinstated %(title)s.", title=issued.title))


@app.command("rotate-key")
@reports_errors
def rotate_key(org: Org) -> None:
    """Sign the issuer's new credentials with a new key; the old one stays published so
    what it signed still verifies."""
    operator = Actor.operator()
    with transaction() as session:
        issuer = orgs_service.get_organisation_by_slug(session, operator, org)
        key = key_service.rotate(session, operator, configured_store(), issuer.id)
        console.print(
            gettext(
                "%(org)s signs with a new key from now on: %(key)s",
                org=issuer.name,
                key=public_multikey(key.public_key),
            ),
            highlight=False,
            soft_wrap=True,
        )


def _read(path: Path) -> str:
    """The credential in a file: JSON, a compact JWT, or a baked PNG or SVG badge."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise fail(
            gettext("%(file)s cannot be read: %(why)s", file=path, why=error.strerror)
        ) from None
    if path.suffix.lower() in BAKED_SUFFIXES:
        try:
            return unbake(data, path.name)
        except NotABadge as error:
            raise fail(str(error.message)) from None
    return data.decode("utf-8", errors="replace")


@app.command("verify")
@reports_errors
def verify(
    file: Annotated[
        Path, typer.Argument(help="The credential: JSON, a JWT, or a baked PNG or SVG badge.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check a credential, Cairn's or anyone's, and print each check; exits 0 only when
    every check passed."""
    text = _read(file)
    with transaction() as session:
        report = verifying.verifier(session).verify(text)
    if as_json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        table = Table(title=escape(gettext("Verification of %(file)s", file=file.name)))
        for column in (gettext("Check"), gettext("Outcome"), gettext("What was found")):
            table.add_column(column)
        for check in report.checks:
            table.add_row(
                check_label(check.name), outcome_label(check.outcome), escape(str(check.message))
            )
        console.print(table)
        console.print(
            {
                Verdict.VERIFIED: gettext("Verified: every check passed."),
                Verdict.FAILED: gettext("Not verified: a check failed."),
                Verdict.INCOMPLETE: gettext("Not fully verified: some checks could not be made."),
            }[report.verdict],
            highlight=False,
        )
    if report.verdict is not Verdict.VERIFIED:
        raise typer.Exit(code=1)
