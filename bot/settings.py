"""Settings from environment variables (and an optional ``.env``), one pydantic-settings class.

Every variable is listed in README.md. Defaults start the helpline on an embedded SQLite database
with no Telegram token: the web chat serves the same flows.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigurationError
from bot.secretcheck import weakness

__all__ = [
    "REPO_ROOT",
    "STRONG_SECRETS",
    "Settings",
    "explain_settings_error",
    "get_settings",
    "load_or_create_secret",
    "refuse_weak_secret",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
"""The checkout the package was installed from (editable install): default content lives here."""
MIN_SECRET_BYTES = 16
"""A shorter key file is refused: it is truncated or was not made by us."""

log = logging.getLogger(__name__)

STRONG_SECRETS = (
    "admin_token",
    "metrics_token",
    "state_secret",
    "telegram_webhook_secret",
    "whatsapp_app_secret",
    "whatsapp_verify_token",
)
"""Settings that must hold a random secret; a channel that adds one applies
``field_validator(...)(refuse_weak_secret)`` to it (see ``Settings._secrets_are_strong``)."""


def refuse_weak_secret(value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
    """A pydantic validator: an empty secret means "not set"; a weak one stops the start.

    ``ADMIN_TOKEN=a`` would make the admin pages a guess, ``STATE_SECRET=x`` every conversation
    key; the message names the variable and says how to make a random value.
    """
    if value is None or not value.get_secret_value():
        return None
    problem = weakness((info.field_name or "secret").upper(), value.get_secret_value())
    if problem is not None:
        raise ValueError(problem)
    return value


class Settings(BaseSettings):
    """Everything the helpline reads from its environment."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", hide_input_in_errors=True
    )

    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = ""
    data_dir: Path = REPO_ROOT / "data"
    flows_dir: Path = REPO_ROOT / "flows"
    locales_dir: Path = REPO_ROOT / "locales"
    languages: str = Field(default="es,en", description="Enabled languages, in menu order.")

    state_secret: SecretStr | None = None
    state_secret_file: Path | None = None
    state_ttl_hours: int = Field(default=72, ge=1)

    telegram_bot_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    public_url: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    telegram_rate_limit: float = Field(
        default=30.0, ge=0.0, description="Messages per second overall; 0 = no limit."
    )
    telegram_timeout_seconds: float = Field(
        default=10.0, gt=0.0, description="Bot API read/write timeout per request."
    )
    telegram_reply_in_webhook: bool = Field(
        default=True, description="Send an answer's last message in the webhook response."
    )
    delivery_lease_seconds: float = Field(
        default=30.0, gt=0.0, description="How long a worker keeps an answer it is sending."
    )
    redis_url: str | None = Field(
        default=None, description="Shared by all workers: the send rate and the rate limits."
    )

    whatsapp_access_token: SecretStr | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_api_base_url: str = "https://graph.facebook.com/v25.0"
    whatsapp_retry_seconds: float = Field(
        default=1.0, ge=0.0, description="First wait after a WhatsApp throughput error."
    )

    admin_token: SecretStr | None = None
    metrics_token: SecretStr | None = Field(
        default=None, description="When set, /metrics needs it."
    )
    content_review_max_days: int = Field(
        default=180, ge=1, description="Warn on older legal reviews."
    )
    language_min_coverage: float = Field(
        default=0.9, ge=0.0, le=1.0, description="New language threshold."
    )
    content_watch_seconds: float = Field(
        default=2.0, ge=0.0, description="File check interval; 0 = off."
    )
    nlu_train_in_background: bool = Field(
        default=True,
        description="Train the classifier after the port is open (keywords answer until then).",
    )
    nlu_cache_dir: Path | None = Field(
        default=None,
        description="Trained classifiers, by content hash (default DATA_DIR/nlu-cache).",
    )
    nlu_train_delay_seconds: float = Field(
        default=0.0, ge=0.0, description="Wait this long after start before training (tests)."
    )
    legal_aid_warn_days: int = Field(
        default=180, ge=1, description="Legal-aid entries verified longer ago show a warning."
    )
    legal_aid_hide_days: int = Field(
        default=365, ge=1, description="Legal-aid entries verified longer ago are hidden."
    )
    max_body_bytes: int = 1024 * 1024
    log_level: str = "INFO"
    log_format: Literal["plain", "json"] = "plain"

    web_first_screen_ttl_minutes: int = Field(
        default=30, ge=1, description="A web conversation still on its first screen expires then."
    )
    web_session_turns_per_minute: int = Field(default=40, ge=1)
    web_address_requests_per_minute: int = Field(default=600, ge=1)
    admin_address_requests_per_minute: int = Field(default=60, ge=1)
    webhook_secret_failures_per_hour: int = Field(default=20, ge=1)
    stats_min_count: int = Field(
        default=10, ge=1, description="Today's counts below this are held back until the day ends."
    )

    _secrets_are_strong = field_validator(*STRONG_SECRETS, mode="after")(refuse_weak_secret)

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _webhook_secret_is_usable(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and - in ``secret_token``."""
        if value is None:
            return None
        raw = value.get_secret_value()
        if not raw:
            return None
        if len(raw) > 256 or not all(c.isascii() and (c.isalnum() or c in "_-") for c in raw):
            raise ValueError(
                "TELEGRAM_WEBHOOK_SECRET: use 1-256 characters of A-Z, a-z, 0-9, _ or -"
            )
        if raw in {"changeme", "secret", "change-me"}:
            raise ValueError("TELEGRAM_WEBHOOK_SECRET is a placeholder; generate a random one")
        return value

    @property
    def language_list(self) -> list[str]:
        """Enabled language codes in menu order."""
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    @property
    def effective_database_url(self) -> str:
        """``DATABASE_URL``, or an SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'helpline.db'}"

    @property
    def telegram_enabled(self) -> bool:
        """The Telegram channel runs only when it has a token, a public URL and a secret."""
        return bool(self.telegram_bot_token and self.public_url and self.telegram_webhook_secret)

    @property
    def whatsapp_enabled(self) -> bool:
        """The WhatsApp channel runs only when all four of its settings are set."""
        return all(
            (
                self.whatsapp_access_token and self.whatsapp_access_token.get_secret_value(),
                self.whatsapp_app_secret and self.whatsapp_app_secret.get_secret_value(),
                self.whatsapp_verify_token and self.whatsapp_verify_token.get_secret_value(),
                self.whatsapp_phone_number_id,
            )
        )

    @property
    def nlu_cache(self) -> Path:
        """Where trained classifiers are kept: ``NLU_CACHE_DIR``, else ``DATA_DIR/nlu-cache``.
        An image trains into its own folder at build time (``python -m bot train``), so a new
        container loads its classifier instead of training it for half a minute."""
        return self.nlu_cache_dir or self.data_dir / "nlu-cache"

    def hmac_secret(self) -> bytes:
        """The key for hashing conversation ids, kept outside the database."""
        if self.state_secret is not None and self.state_secret.get_secret_value():
            return self.state_secret.get_secret_value().encode()
        return load_or_create_secret(self.state_secret_file or self.data_dir / "state-secret.key")


def load_or_create_secret(path: Path) -> bytes:
    """Read the key file, or create it with mode 0600 (owner only) on first start.

    The key is written to a private temporary file that is then linked into place, so several
    workers starting at once all read the one complete key: never an empty or half-written file
    (an empty key would make every conversation key a plain, guessable hash of the chat id).
    """
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)  # atomic, and fails when another worker linked first
    except FileExistsError:
        return _read_secret(path)
    except OSError:  # a file system without hard links: create the file in place instead
        return _create_in_place(path, key)
    finally:
        os.unlink(temporary)
    return key


def _create_in_place(path: Path, key: bytes) -> bytes:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def _read_secret(path: Path) -> bytes:
    key = path.read_bytes().strip()
    if len(key) < MIN_SECRET_BYTES:
        raise ConfigurationError(
            f"STATE_SECRET_FILE {path} holds {len(key)} bytes: it needs a random key of at least "
            f"{MIN_SECRET_BYTES}; delete the file to have a new one made (conversations restart)"
        )
    if path.stat().st_mode & 0o077:
        log.warning("STATE_SECRET_FILE can be read by other users: chmod 600 it")
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()


def explain_settings_error(exc: ValidationError) -> str:
    """Settings that were refused, one line per variable, for the person starting the service.

    Pydantic's own report is a traceback with internal field names and links; an operator needs
    the variable to fix and what is wrong with it. The value itself is never shown: it may be a
    secret.
    """
    lines = [f"The helpline cannot start: {exc.error_count()} setting(s) must be fixed first."]
    for error in exc.errors(include_url=False, include_input=False):
        name = ".".join(str(part) for part in error["loc"]).upper() or "the settings"
        message = str(error["msg"]).removeprefix("Value error, ")
        lines.append(f"- {name}: {message}")
    lines.append("Set them in the environment or in .env (see .env.example), then start again.")
    return "\n".join(lines)
