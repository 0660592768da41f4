"""Demo credentials: Lakeshore's registrar issues a verifiable credential for every award
the feedback seed recorded -- Lena Whitford's in each proof format -- and revokes one that
went out with the wrong grade, reissuing it, so the status list has a revoked entry. Lena
shares her first credential with Northwind's HR, as a learner would with an employer."""

from __future__ import annotations

from sqlalchemy.orm import Session

from cairn.credentials import issuing_service, wallet_service
from cairn.credentials import service as credentials_service
from cairn.credentials.issued_models import ProofFormat
from cairn.credentials.issuing_service import IssueOptions
from cairn.credentials.wallet_service import ShareCreate
from cairn.orgs import people
from cairn.orgs import repository as orgs_repository

REGISTRAR = "irene.baptiste@lakeshore.example"
FORMATS = (ProofFormat.EDDSA_RDFC_2022, ProofFormat.EDDSA_JCS_2022, ProofFormat.VC_JWT)
"""Lena's credentials, in turn: one of each format Cairn issues."""
REISSUED = "marc.tremblay@northwind.example"
SHARER = "lena.whitford@northwind.example"


def build_credentials(session: Session) -> None:
    college = orgs_repository.get_organisation_by_slug(session, "lakeshore-college")
    registrar = orgs_repository.get_person_by_email(session, REGISTRAR)
    if college is None or registrar is None:
        return
    issuer = people.actor_for(session, registrar)
    lena_index = 0
    for line in reversed(credentials_service.list_awards_for_issuer(session, issuer, college.id)):
        proof = ProofFormat.EDDSA_RDFC_2022
        if line.learner.email.startswith("lena."):
            proof = FORMATS[lena_index % len(FORMATS)]
            lena_index += 1
        issued = issuing_service.issue_award(
            session, issuer, line.award.id, IssueOptions(proof_format=proof)
        )
        if line.learner.email == REISSUED:
            issuing_service.revoke(
                session, issuer, issued.id, "Issued with the wrong grade; a corrected one follows."
            )
            issuing_service.issue_award(session, issuer, line.award.id)
    sharer = orgs_repository.get_person_by_email(session, SHARER)
    if sharer is None:
        return
    learner = people.actor_for(session, sharer)
    held = wallet_service.my_wallet(session, learner)
    if held:
        wallet_service.share(
            session,
            learner,
            held[-1].item.id,
            ShareCreate(consent=True, audience="Northwind HR", expires_in_days=90),
        )
