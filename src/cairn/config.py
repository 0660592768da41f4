"""Settings read from the environment (``CAIRN_`` prefix) with safe defaults for a laptop.

The secret key is never a constant in the code: when ``CAIRN_SECRET_KEY`` is unset, one is
generated on first use and kept (mode 0600) in the data directory, so sessions survive a
restart and two installs never share a key.
"""

from __future__ import annotations

import base64
import os
import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name
KEY_ENCRYPTION_KEY_FILE = "key_encryption_key"


class MailBackend(StrEnum):
    OUTBOX = "outbox"
    SMTP = "smtp"


def default_data_dir() -> Path:
    return user_data_path("cairn", appauthor=False)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAIRN_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    """Where the SQLite database, the generated secret key and demo sign-ins live."""

    database_url: str = ""
    """SQLAlchemy URL; empty means ``sqlite:///<data_dir>/cairn.db``."""

    secret_key: SecretStr | None = None
    key_encryption_key: SecretStr | None = None
    """32 bytes, base64url, that encrypt issuers' signing keys at rest. Kept apart from the
    session secret so either can be rotated alone; generated in the data directory when unset."""
    base_url: str = "http://127.0.0.1:8000"
    """Public address used in links that leave the app (invitation e-mails)."""

    secure_cookies: bool = False
    """Send cookies only over HTTPS; turn on behind TLS in production."""

    session_hours: int = 12
    login_max_failures: int = 5
    """Failed sign-ins per e-mail address within ``login_window_minutes`` before a lockout."""
    login_window_minutes: int = 15
    invitation_days: int = 14

    mail_backend: MailBackend = MailBackend.OUTBOX
    mail_from: str = "Cairn <no-reply@cairn.localhost>"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False

    default_locale: str = "en"

    run_jobs_in_process: bool = True
    """Run background jobs (imports of job postings) in a thread of the web app, so one
    ``cairn serve`` or ``cairn demo`` does everything; turn it off where ``cairn worker``
    processes run them."""

    embedder: str = "wordllama"
    """The skill linker's embedding model: ``wordllama`` (ships with Cairn) or ``minilm``
    (the ``transformers`` extra). Embeddings are stored per model; build them again with
    ``cairn skills index`` after changing it."""

    shared_data_dir: Path | None = None
    """Public datasets (ESCO, O*NET, NOC) that ``cairn demo`` loads when present; by default
    ``../shared/data`` beside the directory it is run from."""

    def reference_data_dir(self) -> Path:
        return self.shared_data_dir or Path.cwd().parent / "shared" / "data"

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'cairn.db'}"
        return self

    def resolved_secret_key(self) -> str:
        """The configured key, or the one generated for this data directory on first run."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        return self._kept_secret(SECRET_KEY_FILE)

    def resolved_key_encryption_key(self) -> bytes:
        """The 32 bytes that encrypt issuers' signing keys at rest: configured as base64url,
        or generated for this data directory on first run."""
        if self.key_encryption_key is not None:
            encoded = self.key_encryption_key.get_secret_value()
        else:
            encoded = self._kept_secret(KEY_ENCRYPTION_KEY_FILE)
        key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        if len(key) != 32:
            raise ValueError("CAIRN_KEY_ENCRYPTION_KEY must be 32 bytes, base64url-encoded")
        return key

    def _kept_secret(self, filename: str) -> str:
        path = self.data_dir / filename
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")
        # Write the whole key under a private name, then link it into place: a process
        # starting alongside sees no file or the complete key, never an empty one.
        draft = path.with_name(f".{filename}.{secrets.token_hex(8)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key)
        try:
            os.link(draft, path)
        except FileExistsError:  # another process generated it first: use theirs
            return path.read_text(encoding="utf-8").strip()
        finally:
            draft.unlink()
        return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
