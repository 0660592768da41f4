"""The ``cairn`` command, run for real in subprocesses on a SQLite file of its own.

One module-wide install is built once (an organisation, an administrator, a learner);
each test then runs the command it checks against it, and bad input must leave it as it was.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.auth.models import ApiToken
from cairn.kit.actor import Role
from cairn.kit.ids import digest
from cairn.kit.passwords import verify_password
from cairn.orgs.enums import SizeBand
from cairn.orgs.models import Membership, Organisation, Person
from tests.cli import cairn_env, database, error_lines, run_cairn
from tests.conftest import free_port

ORG_SLUG = "acme-tools"
ADMIN = "ann.admin@acme.example"
LEARNER = "bob.learner@acme.example"
PASSWORD = "a long pass phrase"
TYPED_TWICE = f"{PASSWORD}\n{PASSWORD}\n"


@dataclass(frozen=True)
class Install:
    data_dir: Path
    outputs: dict[str, subprocess.CompletedProcess[str]]


def succeed(
    data_dir: Path, *args: str, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    result = run_cairn(data_dir, *args, input=input)
    assert result.returncode == 0, f"cairn {' '.join(args)} failed:\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory) -> Install:
    data_dir = tmp_path_factory.mktemp("cli")
    outputs = {
        "upgrade": succeed(data_dir, "db", "upgrade"),
        "create org": succeed(
            data_dir,
            *("orgs", "create", "--name", "Acme Tools", "--kind", "employer"),
            *("--size-band", "small", "--region", "Renfrew County"),
        ),
        "create admin": succeed(
            data_dir,
            *("users", "create", "--email", ADMIN.upper(), "--name", "Ann Admin"),
            *("--org", ORG_SLUG, "--role", "hr_admin"),
            input=TYPED_TWICE,
        ),
        "create learner": succeed(
            data_dir, "users", "create", "--email", LEARNER, "--name", "Bob", input=TYPED_TWICE
        ),
        "add member": succeed(
            data_dir, "orgs", "add-member", ORG_SLUG, LEARNER, "--role", "learner"
        ),
    }
    return Install(data_dir, outputs)


def counts(data_dir: Path) -> dict[str, int]:
    """How many rows each table the commands write holds."""
    with database(data_dir) as engine, Session(engine) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Organisation, Person, Membership, ApiToken)
        }


def person(data_dir: Path, email: str) -> tuple[Person, set[tuple[str, Role]]]:
    """The person registered as ``email``, and their (organisation slug, role) pairs."""
    with database(data_dir) as engine, Session(engine) as session:
        found = session.scalars(select(Person).where(Person.email == email)).one()
        roles = session.execute(
            select(Organisation.slug, Membership.role)
            .join(Membership, Membership.org_id == Organisation.id)
            .where(Membership.person_id == found.id)
        )
        return found, {(slug, role) for slug, role in roles}


# --- what works ------------------------------------------------------------------------


def test_the_commands_build_an_organisation_with_its_people(install: Install) -> None:
    out = install.outputs
    assert "Database at revision" in out["upgrade"].stdout
    assert f"Registered Acme Tools as {ORG_SLUG}." in out["create org"].stdout
    assert f"Registered {ADMIN}." in out["create admin"].stdout
    assert f"{LEARNER} is now Learner in Acme Tools." in out["add member"].stdout
    assert PASSWORD not in "".join(r.stdout + r.stderr for r in out.values())

    with database(install.data_dir) as engine, Session(engine) as session:
        org = session.scalars(select(Organisation)).one()
        assert (org.slug, org.size_band, org.region) == (ORG_SLUG, SizeBand.SMALL, "Renfrew County")
    admin, admin_roles = person(install.data_dir, ADMIN)
    assert admin.password_hash is not None
    assert admin.password_hash.startswith("$argon2id$")
    assert verify_password(admin.password_hash, PASSWORD)
    assert admin_roles == {(ORG_SLUG, Role.HR_ADMIN)}
    assert person(install.data_dir, LEARNER)[1] == {(ORG_SLUG, Role.LEARNER)}


def test_orgs_list_shows_the_registered_organisations(install: Install) -> None:
    result = succeed(install.data_dir, "orgs", "list")

    assert ORG_SLUG in result.stdout
    assert "Acme Tools" in result.stdout
    assert "1 in all" in result.stdout


def test_a_token_from_the_command_line_works_against_the_served_api(install: Install) -> None:
    created = succeed(
        install.data_dir,
        *("tokens", "create", "--email", ADMIN, "--name", "nightly export"),
        *("--scope", "orgs:read", "--scope", "profile:read", "--days", "7"),
    )
    match = re.search(r"cairn_\S+", created.stdout)
    assert match is not None, created.stdout
    token = match.group(0)
    with database(install.data_dir) as engine, Session(engine) as session:
        stored = session.scalars(select(ApiToken).where(ApiToken.name == "nightly export")).one()
        assert stored.token_hash == digest(token)
        assert stored.scopes == ["orgs:read", "profile:read"]
        assert stored.expires_at is not None

    with served(install.data_dir) as api:
        me = api.get("/api/v1/me", headers=bearer(token))
        orgs = api.get("/api/v1/orgs", headers=bearer(token))
        edit = api.patch("/api/v1/me/profile", headers=bearer(token), json={"headline": "x"})
        forged = api.get("/api/v1/me", headers=bearer(token[:-2] + "xx"))

    assert me.status_code == 200, me.text
    assert me.json()["email"] == ADMIN
    assert [m["role"] for m in me.json()["memberships"]] == ["hr_admin"]
    assert orgs.status_code == 200
    assert [o["slug"] for o in orgs.json()["items"]] == [ORG_SLUG]
    assert edit.status_code == 403  # the token lacks profile:write
    assert forged.status_code == 401


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def served(data_dir: Path) -> Iterator[httpx.Client]:
    """``cairn serve`` on a free port for the duration of the block."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cairn", "serve", "--port", str(port)],
        env=cairn_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    client.get("/sign-in")
                    break
                except httpx.TransportError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        pytest.fail("cairn serve did not start")
                    time.sleep(0.1)
            yield client
    finally:
        process.terminate()
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung server
            process.kill()
            process.communicate()


# --- bad input -------------------------------------------------------------------------


@pytest.fixture
def unchanged(install: Install) -> Iterator[None]:
    """The test's command must not write anything."""
    before = counts(install.data_dir)
    yield
    assert counts(install.data_dir) == before


def test_a_french_locale_gets_french_messages(install: Install) -> None:
    unknown = "personne@acme.example"
    result = run_cairn(
        install.data_dir,
        *("tokens", "create", "--email", unknown, "--name", "x", "--scope", "orgs:read"),
        lang="fr_CA.UTF-8",
    )

    assert result.returncode == 1
    assert result.stderr.strip() == f"erreur: personne n’est inscrit sous {unknown}."  # noqa: RUF001 - French typography


@pytest.mark.usefixtures("unchanged")
def test_an_invalid_email_is_one_line_naming_the_field(install: Install) -> None:
    result = run_cairn(
        install.data_dir,
        *("users", "create", "--email", "not-an-address", "--name", "Nobody"),
        input=TYPED_TWICE,
    )

    assert result.returncode == 1
    assert error_lines(result.stderr) == [
        "error: --email: Enter a valid e-mail address, like name@example.org."
    ]
    assert "Traceback" not in result.stderr


@pytest.mark.usefixtures("unchanged")
def test_a_taken_address_is_reported_on_one_line(install: Install) -> None:
    result = run_cairn(
        install.data_dir,
        *("users", "create", "--email", ADMIN, "--name", "Ann Again"),
        input=TYPED_TWICE,
    )

    assert result.returncode == 1
    # However long the message, it stays one line in an 80-column terminal.
    assert error_lines(result.stderr) == [
        "error: --email: Someone is already registered with this e-mail address."
    ]


@pytest.mark.usefixtures("unchanged")
def test_an_unknown_kind_is_a_usage_error(install: Install) -> None:
    result = run_cairn(install.data_dir, "orgs", "create", "--name", "Guild", "--kind", "guild")

    assert result.returncode == 2
    assert "--kind" in result.stderr
    assert "'guild' is not one of" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.usefixtures("unchanged")
def test_an_employer_without_a_size_band_is_refused(install: Install) -> None:
    result = run_cairn(install.data_dir, "orgs", "create", "--name", "Big Co", "--kind", "employer")

    assert result.returncode == 1
    assert result.stderr.splitlines() == ["error: --size-band: An employer needs a size band."]


@pytest.mark.usefixtures("unchanged")
def test_a_failing_step_undoes_the_whole_command(install: Install) -> None:
    """The person would be registered before the organisation is looked up: one transaction."""
    result = run_cairn(
        install.data_dir,
        *("users", "create", "--email", "carol@acme.example", "--name", "Carol"),
        *("--org", "no-such-org", "--role", "learner"),
        input=TYPED_TWICE,
    )

    assert result.returncode == 1
    assert error_lines(result.stderr) == ["error: No organisation has the short name no-such-org."]


@pytest.mark.usefixtures("unchanged")
def test_a_role_that_does_not_suit_the_organisation_is_refused(install: Install) -> None:
    result = run_cairn(
        install.data_dir, "orgs", "add-member", ORG_SLUG, LEARNER, "--role", "educator"
    )

    assert result.returncode == 1
    [line] = error_lines(result.stderr)
    assert "--role" in line
    assert person(install.data_dir, LEARNER)[1] == {(ORG_SLUG, Role.LEARNER)}


def test_a_database_not_yet_upgraded_gets_a_hint_not_a_traceback(tmp_path: Path) -> None:
    result = run_cairn(tmp_path, "orgs", "list")

    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "cairn db upgrade" in line
