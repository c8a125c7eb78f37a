"""Settings from the environment or `.env` (pydantic-settings); a bad value stops start-up with one line."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot import LOCALES

TELEGRAM_API_DEFAULT = "https://api.telegram.org"
TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass(frozen=True)
class ChannelTarget:
    """A channel the bot posts to, and the language of its posts."""

    locale: str
    chat: str  # "@username" or a numeric id as text


@dataclass(frozen=True)
class TrusteeKey:
    """A public X25519 key of a Coalition trustee; reports are sealed to every configured key."""

    key_id: str
    public_key: bytes


def _split_csv(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


class Settings(BaseSettings):
    """All configuration of the bot. Names are the environment variables operators set."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr
    telegram_api_base: str = TELEGRAM_API_DEFAULT
    database_path: Path = Path("data/bot.sqlite3")
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    staff_chat_id: int | None = None
    channels: Annotated[list[ChannelTarget], NoDecode] = Field(default_factory=list)
    report_public_keys: Annotated[list[TrusteeKey], NoDecode] = Field(default_factory=list)
    report_retention_days: int = Field(default=90, ge=7, le=3650)
    report_wipe_seconds: float = Field(default=120, ge=0, le=3600)
    timezone: str = "Asia/Dushanbe"
    default_locale: str = "ru"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0:8080"
    proxy_url: str | None = None
    broadcast_rate: float = Field(default=25.0, gt=0, le=30)
    log_level: str = "INFO"

    @field_validator("bot_token")
    @classmethod
    def _token_format(cls, value: SecretStr) -> SecretStr:
        if not TOKEN_RE.match(value.get_secret_value()):
            raise ValueError("must look like 123456789:AA... (the token from @BotFather)")
        return value

    @field_validator("telegram_api_base")
    @classmethod
    def _api_base(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http(s) URL such as https://api.telegram.org")
        return value.rstrip("/")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _admin_ids(cls, value: object) -> list[int]:
        ids = []
        for part in _split_csv(value):
            if not re.fullmatch(r"\d{1,20}", part):
                raise ValueError(f"'{part}' is not a numeric Telegram user id")
            ids.append(int(part))
        return ids

    @field_validator("staff_chat_id", mode="before")
    @classmethod
    def _staff_chat(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("channels", mode="before")
    @classmethod
    def _channels(cls, value: object) -> list[ChannelTarget]:
        if value and isinstance(value, list) and isinstance(value[0], ChannelTarget):
            return value
        targets = []
        for part in _split_csv(value):
            locale, sep, chat = part.partition(":")
            if not sep or locale not in LOCALES or not re.fullmatch(r"@\w{4,}|-?\d+", chat):
                raise ValueError(f"'{part}' must be <tg|ru|en>:@channel or <lang>:-100123")
            targets.append(ChannelTarget(locale=locale, chat=chat))
        return targets

    @field_validator("report_public_keys", mode="before")
    @classmethod
    def _public_keys(cls, value: object) -> list[TrusteeKey]:
        if value and isinstance(value, list) and isinstance(value[0], TrusteeKey):
            return value
        keys = []
        for part in _split_csv(value):
            key_id, sep, encoded = part.partition(":")
            if not sep or not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", key_id):
                raise ValueError(f"'{part[:12]}…' must be <key id>:<base64 public key>")
            try:
                raw = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ValueError(f"key '{key_id}' is not valid base64") from exc
            if len(raw) != 32:
                raise ValueError(f"key '{key_id}' is not a 32-byte public key")
            keys.append(TrusteeKey(key_id=key_id, public_key=raw))
        return keys

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone '{value}'") from exc
        return value

    @field_validator("default_locale")
    @classmethod
    def _default_locale(cls, value: str) -> str:
        if value not in LOCALES:
            raise ValueError(f"must be one of {', '.join(LOCALES)}")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not SECRET_RE.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z a-z 0-9 _ -")
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        if not re.fullmatch(r"[\w.\-:\[\]]+:\d{1,5}", value):
            raise ValueError("must be host:port, e.g. 0.0.0.0:8080")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return level

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def listen_host_port(self) -> tuple[str, int]:
        host, _, port = self.webhook_listen.rpartition(":")
        return host.strip("[]"), int(port)


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


def load_settings(**overrides: object) -> Settings:
    """Read settings; turn pydantic's report into one line that names the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "configuration"
        if error["type"] == "missing":
            raise ConfigError(f"{name} is not set (put it in the environment or in .env)") from None
        reason = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name} is invalid: {reason}") from None
