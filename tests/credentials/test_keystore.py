"""Issuers' private keys encrypted at rest: the key-encryption key must be a full AES-256
key, and a signing key that no longer opens is reported, with nothing signed or stored."""

from __future__ import annotations

import os

import pytest
from sqlalchemy.orm import Session

from cairn.credentials import issuing_service, key_repository
from cairn.credentials.issued_models import IssuedCredential
from cairn.credentials.keystore import KeyStoreError, LocalKeyStore
from cairn.kit.mail import list_outbox
from tests.factories.credentials import make_award, make_issued, make_issuer
from tests.factories.orgs import make_person


@pytest.mark.parametrize("size", [0, 16, 24, 31, 33])
def test_a_key_encryption_key_that_is_not_32_bytes_is_refused(size: int) -> None:
    """AES-GCM would also take 16 or 24 bytes: refusing them keeps keys under AES-256."""
    with pytest.raises(ValueError, match="32 bytes"):
        LocalKeyStore(os.urandom(size))


def test_an_issuer_key_sealed_under_another_installations_key_is_reported_unreadable(
    session: Session,
) -> None:
    college = make_issuer(session)
    version = college.publish(session, "wound-care")
    make_issued(session, college, version, make_person(session))  # seals the college's key
    learner = make_person(session)
    award = make_award(session, college, version, learner)
    [sealed] = key_repository.keys_of(session, college.org.id)

    with pytest.raises(KeyStoreError, match="CAIRN_KEY_ENCRYPTION_KEY") as refused:
        issuing_service.issue_award(
            session, college.registrar, award.id, store=LocalKeyStore(os.urandom(32))
        )

    assert str(sealed.id) in str(refused.value)  # names the key, so an operator can find it
    assert session.query(IssuedCredential).filter_by(award_id=award.id).count() == 0
    assert list_outbox(session, recipient=learner.email) == []
