"""Settings: a SQLite file by default, and a secret key generated once per data directory."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cairn.config import KEY_ENCRYPTION_KEY_FILE, SECRET_KEY_FILE, MailBackend, Settings


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A data directory of its own, with no database URL or secret key in the environment."""
    path = tmp_path / "cairn-data"
    monkeypatch.setenv("CAIRN_DATA_DIR", str(path))
    monkeypatch.delenv("CAIRN_DATABASE_URL", raising=False)
    monkeypatch.delenv("CAIRN_SECRET_KEY", raising=False)
    return path


def test_the_database_defaults_to_a_sqlite_file_in_the_data_directory(data_dir: Path) -> None:
    settings = Settings()

    assert settings.data_dir == data_dir
    assert settings.database_url == f"sqlite:///{data_dir / 'cairn.db'}"


def test_cairn_database_url_wins(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAIRN_DATABASE_URL", "postgresql://cairn@db.internal/cairn")

    assert Settings().database_url == "postgresql://cairn@db.internal/cairn"


def test_other_settings_come_from_cairn_variables(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAIRN_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("CAIRN_MAIL_BACKEND", "smtp")
    monkeypatch.setenv("LOGIN_MAX_FAILURES", "99")  # without the prefix: not ours

    settings = Settings()

    assert settings.login_max_failures == 3
    assert settings.mail_backend is MailBackend.SMTP


def test_a_secret_key_is_generated_once_privately_and_reused(data_dir: Path) -> None:
    assert not data_dir.exists()

    key = Settings().resolved_secret_key()

    path = data_dir / SECRET_KEY_FILE
    assert len(key) >= 43  # at least 256 bits, URL-safe
    assert path.read_text(encoding="utf-8") == key
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in data_dir.iterdir()) == [SECRET_KEY_FILE]
    assert Settings().resolved_secret_key() == key  # a restart keeps sessions valid
    assert Settings().resolved_secret_key() == key


def test_every_data_directory_gets_its_own_key(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = Settings().resolved_secret_key()
    monkeypatch.setenv("CAIRN_DATA_DIR", str(tmp_path / "another-install"))

    second = Settings().resolved_secret_key()

    assert first != second


def test_a_key_file_left_by_another_process_is_used(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / SECRET_KEY_FILE).write_text("kept-from-an-earlier-run\n", encoding="utf-8")

    assert Settings().resolved_secret_key() == "kept-from-an-earlier-run"


def test_cairn_secret_key_wins_and_nothing_is_written(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAIRN_SECRET_KEY", "from-the-environment")

    settings = Settings()

    assert settings.resolved_secret_key() == "from-the-environment"
    assert "from-the-environment" not in repr(settings)
    assert not (data_dir / SECRET_KEY_FILE).exists()


def test_a_key_encryption_key_is_generated_apart_from_the_secret_key(data_dir: Path) -> None:
    key = Settings().resolved_key_encryption_key()

    path = data_dir / KEY_ENCRYPTION_KEY_FILE
    assert len(key) == 32
    assert path.exists()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not (data_dir / SECRET_KEY_FILE).exists()  # rotating one never touches the other
    assert Settings().resolved_key_encryption_key() == key


def test_a_configured_key_encryption_key_must_be_32_bytes(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAIRN_KEY_ENCRYPTION_KEY", "dG9vIHNob3J0")

    with pytest.raises(ValueError, match="32 bytes"):
        Settings().resolved_key_encryption_key()
    assert not data_dir.exists()
