"""An issuer's status lists over many requests: each request reads the open list afresh and
fills it rather than starting another, and only this installation's list addresses are
read from its own database."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from cairn.config import Settings
from cairn.credentials import issuing_service, status_service, verifying
from cairn.credentials.issued_models import StatusList, StatusPurpose
from cairn.credentials.issuing_service import IssueOptions
from cairn.credentials.verification import Verdict
from tests.factories.credentials import make_award, make_issuer
from tests.factories.orgs import make_person


def _entries(document: Any) -> dict[str, tuple[str, int]]:
    """Each purpose's (list URL, index) in a credential's ``credentialStatus``."""
    return {
        entry["statusPurpose"]: (entry["statusListCredential"], int(entry["statusListIndex"]))
        for entry in document["credentialStatus"]
    }


def test_a_later_request_fills_the_issuers_open_lists_rather_than_starting_new_ones(
    session: Session, session_factory: sessionmaker[Session]
) -> None:
    college = make_issuer(session)
    version = college.publish(session, "wound-care")
    first = issuing_service.issue_award(
        session, college.registrar, make_award(session, college, version, make_person(session)).id
    )
    later_award = make_award(session, college, version, make_person(session)).id
    session.commit()

    with session_factory() as request:  # another request: it has read no list yet
        later = issuing_service.issue_award(request, college.registrar, later_award, IssueOptions())
        request.commit()

    one, two = _entries(json.loads(first.document)), _entries(json.loads(later.document))
    for purpose in ("revocation", "suspension"):
        assert one[purpose][0] == two[purpose][0]  # the same list
        assert one[purpose][1] != two[purpose][1]  # never the same place in it
    lists = session.query(StatusList).filter_by(org_id=college.org.id).all()
    assert sorted(listing.purpose for listing in lists) == [
        StatusPurpose.REVOCATION,
        StatusPurpose.SUSPENSION,
    ]
    issuing_service.revoke(session, college.registrar, later.id, "Wrong learner.")
    assert verifying.verifier(session).verify(first.document).verdict is Verdict.VERIFIED


def test_only_this_installations_status_list_addresses_are_read_locally(
    settings: Settings,
) -> None:
    list_id = uuid.uuid4()
    own = status_service.list_url(list_id)

    assert own == f"{settings.base_url}/credentials/status/{list_id}"
    assert status_service.list_id_of(own) == list_id
    for elsewhere in (
        f"https://issuer.example/credentials/status/{list_id}",  # another installation
        f"{settings.base_url}/credentials/status/latest",  # ours, but names no list
        f"{settings.base_url}/credentials/status/{list_id}/extra",
        f"{settings.base_url}/orgs/lakeshore/did.json",
    ):
        assert status_service.list_id_of(elsewhere) is None, elsewhere
