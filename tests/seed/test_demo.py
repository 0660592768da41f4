"""``cairn demo --seed-only``: the demo world, its printed sign-ins, re-runs and ``--reset``.

Seeding takes seconds, so one seeded install serves the whole module; the test that re-runs
the command works on a copy of it.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.accounts.audit import audit_ledger
from cairn.accounts.models import Program
from cairn.auth import service as auth_service
from cairn.cli.demo import PASSWORD_FILE
from cairn.kit.actor import Role
from cairn.orgs import people
from cairn.orgs.enums import OrgKind, SizeBand
from cairn.orgs.models import Department, EquityAttributes, Membership, Organisation, Person
from cairn.pathways.models import Pathway, PathwayStep
from cairn.seed.data import ORGANISATIONS, PERSONAS
from tests.cli import database, run_cairn
from tests.shared_data import shared_data

PASSWORD_LINE = re.compile(r"Every persona's password: (\S+)")


@dataclass(frozen=True)
class Demo:
    data_dir: Path
    output: str
    password: str


def seed(data_dir: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    result = run_cairn(data_dir, "demo", "--seed-only", *flags)
    assert result.returncode == 0, result.stderr
    return result


def printed_password(output: str) -> str:
    match = PASSWORD_LINE.search(output)
    assert match is not None, output
    return match.group(1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    data_dir = tmp_path_factory.mktemp("demo")
    result = seed(data_dir)
    return Demo(data_dir, result.stdout, printed_password(result.stdout))


def persona_id(data_dir: Path, email: str) -> object:
    with database(data_dir) as engine, Session(engine) as session:
        return session.scalars(select(Person.id).where(Person.email == email)).one()


def can_sign_in(data_dir: Path, email: str, password: str) -> bool:
    """Sign in with the auth service on the demo's database, leaving no trace."""
    with database(data_dir) as engine, Session(engine) as session:
        result = auth_service.sign_in(session, email=email, password=password)
        session.rollback()
        return result.session_token is not None


def test_the_demo_builds_seven_organisations_and_about_200_people(demo: Demo) -> None:
    with database(demo.data_dir) as engine, Session(engine) as session:
        orgs = {org.slug: org for org in session.scalars(select(Organisation))}
        headcount = session.scalar(select(func.count()).select_from(Person)) or 0
        organisations_with_members = session.scalar(
            select(func.count(func.distinct(Membership.org_id)))
        )
        departments = session.scalar(select(func.count()).select_from(Department)) or 0
        declared = session.scalar(select(func.count()).select_from(EquityAttributes)) or 0

    assert len(orgs) == 7
    assert Counter(org.kind for org in orgs.values()) == {
        OrgKind.EMPLOYER: 3,
        OrgKind.PROVIDER: 2,
        OrgKind.PROGRAM_AUTHORITY: 1,
        OrgKind.COMMUNITY: 1,
    }
    employers = {o.size_band for o in orgs.values() if o.kind is OrgKind.EMPLOYER}
    assert employers == {SizeBand.LARGE, SizeBand.SMALL, SizeBand.MEDIUM}
    assert orgs["maple-ridge-precision"].size_band is SizeBand.SMALL
    assert "manufactur" in (orgs["maple-ridge-precision"].sector or "").lower()
    assert 180 <= headcount <= 230
    assert organisations_with_members == 7
    assert departments >= sum(len(plan.departments) for plan in ORGANISATIONS)
    assert 0 < declared < headcount  # some people declared equity attributes, not all


def test_every_persona_and_the_password_are_printed(demo: Demo) -> None:
    for plan in PERSONAS:
        assert plan.email in demo.output, f"{plan.email} is missing or folded"
    password_file = demo.data_dir / PASSWORD_FILE
    assert password_file.read_text(encoding="utf-8") == demo.password
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600


def test_a_persona_signs_in_with_the_printed_password(demo: Demo) -> None:
    assert can_sign_in(demo.data_dir, "hannah.okafor@northwind.example", demo.password)
    assert not can_sign_in(demo.data_dir, "hannah.okafor@northwind.example", "wrong password")


def test_personas_hold_the_roles_they_are_introduced_with(demo: Demo) -> None:
    with database(demo.data_dir) as engine, Session(engine) as session:
        for plan in PERSONAS:
            person = people.get_person_by_email(session, plan.email)
            assert person is not None
            actor = people.actor_for(session, person)
            org = session.scalars(
                select(Organisation).where(Organisation.slug == plan.org_slug)
            ).one()
            assert plan.role in actor.roles_in(org.id), plan.title
        priya = people.get_person_by_email(session, "priya.raman@cairn.example")
        assert priya is not None
        assert people.actor_for(session, priya).is_platform_admin
        julie = people.get_person_by_email(session, "julie.gagnon@collegedunord.example")
        assert julie is not None
        assert julie.locale == "fr"


def test_a_second_run_keeps_the_data_and_reset_rebuilds_it(demo: Demo, tmp_path: Path) -> None:
    data_dir = tmp_path / "copy"
    shutil.copytree(demo.data_dir, data_dir)
    priya = "priya.raman@cairn.example"
    first_id = persona_id(data_dir, priya)

    again = seed(data_dir)

    assert "already seeded" in again.stdout
    assert printed_password(again.stdout) == demo.password
    assert persona_id(data_dir, priya) == first_id

    rebuilt = seed(data_dir, "--reset")

    new_password = printed_password(rebuilt.stdout)
    assert new_password != demo.password
    assert persona_id(data_dir, priya) != first_id
    with database(data_dir) as engine, Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Organisation)) == 7
        admins = session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.role == Role.PLATFORM_ADMIN)
        )
        assert admins == 1
    assert can_sign_in(data_dir, priya, new_password)
    assert not can_sign_in(data_dir, priya, demo.password)


def test_a_seeded_database_without_its_password_file_is_not_reused(
    demo: Demo, tmp_path: Path
) -> None:
    data_dir = tmp_path / "moved"
    shutil.copytree(demo.data_dir, data_dir)
    (data_dir / PASSWORD_FILE).unlink()

    result = run_cairn(data_dir, "demo", "--seed-only")

    assert result.returncode == 1
    assert "cairn demo --reset" in result.stderr


def test_the_demo_roles_have_skill_profiles_and_gaps_to_show(demo: Demo) -> None:
    shared_data("onet", "29.2")  # the demo roles start from O*NET occupations
    listed = run_cairn(
        demo.data_dir, "roles", "profile", "Registered Nurse", "--org", "northwind-health"
    )
    assert listed.returncode == 0, listed.stderr
    assert "(Registered Nurses)" in listed.stdout

    shown = run_cairn(demo.data_dir, "gaps", "northwind-health", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    heatmap = json.loads(shown.stdout)
    assert heatmap["min_cell"] == 5
    nursing = [cell for cell in heatmap["cells"] if cell["department"] == "Nursing"]
    assert nursing
    for cell in heatmap["cells"]:
        if cell["assessed"] < 5:
            assert (cell["below"], cell["mean_gap"]) == (None, None)
        else:
            assert 0 <= cell["share_below"] <= 1

    table = run_cairn(demo.data_dir, "gaps", "northwind-health", "--department", "Nursing")
    assert table.returncode == 0, table.stderr
    assert "Nursing" in table.stdout
    assert "Finance" not in table.stdout

    unknown = run_cairn(demo.data_dir, "gaps", "northwind-health", "--department", "Nope")
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "error: No department is called Nope here."


def test_the_demo_ledger_is_clean_and_lena_has_a_pathway(demo: Demo) -> None:
    with database(demo.data_dir) as engine, Session(engine) as session:
        assert audit_ledger(session).clean
        programs = session.scalar(select(func.count()).select_from(Program))
        lena = people.get_person_by_email(session, "lena.whitford@northwind.example")
        assert lena is not None
        steps = session.scalar(
            select(func.count())
            .select_from(PathwayStep)
            .join(Pathway, Pathway.id == PathwayStep.pathway_id)
            .where(Pathway.person_id == lena.id)
        )
    assert programs == 2
    assert steps
