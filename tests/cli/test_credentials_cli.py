"""``cairn credentials``, run for real in subprocesses on a SQLite file of its own: a
registrar's awards become credentials, which are listed, suspended, reinstated, revoked
and verified from a file, and the signing key is rotated without breaking them."""

from __future__ import annotations

import json
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from cairn.credentials.issued_models import IssuedCredential
from tests.cli import database, error_lines, run_cairn
from tests.factories.credentials import make_award, make_issuer
from tests.factories.orgs import make_person


@dataclass(frozen=True)
class Setup:
    data_dir: Path
    org: str
    learner: str


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("credentials-cli")
    assert run_cairn(folder, "db", "upgrade").returncode == 0
    return folder


@pytest.fixture
def awarded(data_dir: Path) -> Setup:
    """A college that awarded 'wound-care' to a learner, not yet issued as a credential."""
    with database(data_dir) as engine, Session(engine) as session:
        college = make_issuer(session, name="Lakeshore College")
        learner = make_person(session, name="Lena Whitford")
        make_award(session, college, college.publish(session, "wound-care"), learner)
        setup = Setup(data_dir, college.org.slug, learner.email)
        session.commit()
    return setup


def succeed(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_cairn(data_dir, *args)
    assert result.returncode == 0, f"cairn {' '.join(args)} failed:\n{result.stderr}"
    return result


def _issue(setup: Setup, *extra: str) -> str:
    result = succeed(
        setup.data_dir,
        *("credentials", "issue", "--org", setup.org, "--learner", setup.learner),
        *("--specification", "wound-care", *extra),
    )
    assert "Issued Wound care essentials to Lena Whitford" in result.stdout
    return result.stdout.strip().splitlines()[-1]


def _document(setup: Setup, credential_id: str, path: Path) -> Path:
    with database(setup.data_dir) as engine, Session(engine) as session:
        issued = session.get(IssuedCredential, uuid.UUID(credential_id))
        assert issued is not None
        path.write_text(issued.document, encoding="utf-8")
    return path


def _listed(setup: Setup) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = json.loads(
        succeed(setup.data_dir, "credentials", "list", "--org", setup.org, "--json").stdout
    )
    return rows


def test_an_award_is_issued_listed_and_verified_from_its_file(
    awarded: Setup, tmp_path: Path
) -> None:
    credential_id = _issue(
        awarded,
        *("--proof", "eddsa-jcs-2022", "--valid-until", "2099-06-30"),
        *("--evidence", "https://example.org/report", "--evidence-name", "Final report"),
    )

    [row] = _listed(awarded)
    assert (row["id"], row["learner"], row["format"], row["state"]) == (
        credential_id,
        "Lena Whitford",
        "eddsa-jcs-2022",
        "active",
    )
    assert str(row["valid_until"]).startswith("2099-06-30T23:59:59")
    table = succeed(awarded.data_dir, "credentials", "list", "--org", awarded.org).stdout
    assert credential_id in table
    assert "Lena" in table
    file = _document(awarded, credential_id, tmp_path / "credential.json")
    report = json.loads(
        succeed(awarded.data_dir, "credentials", "verify", str(file), "--json").stdout
    )
    assert (report["verdict"], report["problems"]) == ("verified", [])
    readable = succeed(awarded.data_dir, "credentials", "verify", str(file)).stdout
    assert "Signature" in readable
    assert "Verified: every check passed." in readable

    again = run_cairn(
        awarded.data_dir,
        *("credentials", "issue", "--org", awarded.org, "--learner", awarded.learner),
        *("--specification", "wound-care"),
    )
    assert again.returncode == 1
    assert "already been issued" in error_lines(again.stderr)[0]


def test_suspending_reinstating_and_revoking_show_in_the_list_and_the_verification(
    awarded: Setup, tmp_path: Path
) -> None:
    credential_id = _issue(awarded, "--proof", "vc+jwt")
    file = _document(awarded, credential_id, tmp_path / "credential.jwt")

    assert (
        "Suspended"
        in succeed(
            awarded.data_dir, "credentials", "suspend", credential_id, "--reason", "Appeal"
        ).stdout
    )
    suspended = run_cairn(awarded.data_dir, "credentials", "verify", str(file), "--json")
    assert suspended.returncode == 1
    assert json.loads(suspended.stdout)["problems"] == ["suspended"]
    succeed(awarded.data_dir, "credentials", "reinstate", credential_id)
    assert run_cairn(awarded.data_dir, "credentials", "verify", str(file)).returncode == 0

    blank = run_cairn(awarded.data_dir, "credentials", "revoke", credential_id, "--reason", "  ")
    assert blank.returncode == 1
    assert error_lines(blank.stderr) == [
        "error: --reason: Give the reason: the learner is told it."
    ]
    succeed(awarded.data_dir, "credentials", "revoke", credential_id, "--reason", "Wrong learner.")
    [row] = _listed(awarded)
    assert (row["state"], row["reason"]) == ("revoked", "Wrong learner.")
    revoked = run_cairn(awarded.data_dir, "credentials", "verify", str(file))
    assert revoked.returncode == 1
    assert "Not verified: a check failed." in revoked.stdout


def test_rotating_the_key_keeps_issued_credentials_verifying(
    awarded: Setup, tmp_path: Path
) -> None:
    credential_id = _issue(awarded)
    file = _document(awarded, credential_id, tmp_path / "credential.json")

    rotated = succeed(awarded.data_dir, "credentials", "rotate-key", "--org", awarded.org)

    assert "Lakeshore College signs with a new key from now on: z6Mk" in rotated.stdout
    assert run_cairn(awarded.data_dir, "credentials", "verify", str(file)).returncode == 0


def test_bad_input_is_one_clear_line(awarded: Setup, tmp_path: Path) -> None:
    nobody = run_cairn(
        awarded.data_dir,
        *("credentials", "issue", "--org", awarded.org, "--learner", "nobody@example.org"),
        *("--specification", "wound-care"),
    )
    assert nobody.returncode == 1
    assert "has no award of wound-care to nobody@example.org" in error_lines(nobody.stderr)[0]
    unknown = run_cairn(awarded.data_dir, "credentials", "reinstate", str(uuid.uuid4()))
    assert error_lines(unknown.stderr) == ["error: There is no such credential."]
    missing = run_cairn(awarded.data_dir, "credentials", "verify", str(tmp_path / "none.json"))
    assert missing.returncode == 1
    assert "cannot be read" in error_lines(missing.stderr)[0]
    not_a_badge = tmp_path / "photo.png"
    not_a_badge.write_bytes(b"GIF89a")
    refused = run_cairn(awarded.data_dir, "credentials", "verify", str(not_a_badge))
    assert refused.returncode == 1
    assert "is not a PNG or SVG image" in error_lines(refused.stderr)[0]
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json", encoding="utf-8")
    malformed = run_cairn(awarded.data_dir, "credentials", "verify", str(garbage), "--json")
    assert malformed.returncode == 1
    assert json.loads(malformed.stdout)["problems"] == ["malformed"]
