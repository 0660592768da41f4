"""``cairn accounts audit`` run for real: a clean ledger passes with its counts shown, a
broken one exits 1 naming every violation."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from cairn.accounts import ledger
from cairn.accounts.enums import AccountKind
from cairn.accounts.ledger_models import LedgerAccount
from cairn.kit.db import make_session_factory, unit_of_work
from tests.cli import database, error_lines, run_cairn
from tests.factories.accounts import make_credit, make_participant, make_program


def test_the_audit_passes_a_clean_ledger_and_names_each_violation(tmp_path: Path) -> None:
    assert run_cairn(tmp_path, "db", "upgrade").returncode == 0
    with database(tmp_path) as engine, unit_of_work(make_session_factory(engine)) as session:
        program = make_program(session)
        make_credit(session, make_participant(session, program), 5_000)
        make_credit(session, make_participant(session, program), 7_000)

    clean = run_cairn(tmp_path, "accounts", "audit")

    assert clean.returncode == 0, clean.stderr
    assert "no violations" in clean.stdout
    assert "Transfers checked" in clean.stdout
    assert "Entries checked" in clean.stdout

    with database(tmp_path) as engine, unit_of_work(make_session_factory(engine)) as session:
        held = ledger.system_account(session, program, AccountKind.HELD)
        spent = ledger.system_account(session, program, AccountKind.SPENT)
        for account in (held, spent):
            session.execute(
                update(LedgerAccount).where(LedgerAccount.id == account.id).values(balance_minor=42)
            )
        codes = (held.code, spent.code)

    broken = run_cairn(tmp_path, "accounts", "audit")

    assert broken.returncode == 1
    for code in codes:
        assert f"stale_balance: Account {code} shows a balance of 42" in broken.stderr
    assert "held_mismatch:" in broken.stderr
    assert error_lines(broken.stderr) == ["error: 3 violations in the ledger."]
