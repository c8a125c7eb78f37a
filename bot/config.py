"""Settings from the environment or `.env` (pydantic-settings); a bad value stops start-up with one line."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot import LOCALES
from bot.reports.keys import (
    KeyFormatError,
    check_usable_public,
    decode_public,
    encode_public,
    looks_secret,
)

TELEGRAM_API_DEFAULT = "https://api.telegram.org"
TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
KEY_ID_PATTERN = r"[A-Za-z0-9_-]{1,32}"  # no "~": that marks the reporter's own recipient slot


@dataclass(frozen=True)
class ChannelTarget:
    """A channel the bot posts to, and the language of its posts."""

    locale: str
    chat: str  # "@username" or a numeric id as text


@dataclass(frozen=True)
class FeedSource:
    """A feed (RSS or Atom) of the Coalition's website, and the language of its articles."""

    locale: str
    url: str

    @property
    def shown(self) -> str:
        """The feed's address for logs: scheme, host and path, never the query (it may hold a
        key) nor a user:password."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.hostname or ''}{parts.path}"


@dataclass(frozen=True)
class TrusteeKey:
    """A public X25519 key of a Coalition trustee; reports are sealed to every configured key."""

    key_id: str
    public_key: bytes

    @property
    def line(self) -> str:
        """The entry of REPORT_PUBLIC_KEYS: `<key id>:ntpub1…` (bot/reports/keys.py)."""
        return f"{self.key_id}:{encode_public(self.public_key)}"


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
    telegram_api_local: bool = False
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
    campaign_catch_up_until: time = time(21, 0)
    report_notice_times: Annotated[list[time], NoDecode] = Field(
        default_factory=lambda: [time(9, 0), time(17, 0)]
    )
    log_level: str = "INFO"
    heartbeat_seconds: float = Field(default=30, ge=0.1, le=300)
    update_concurrency: int = Field(default=64, ge=1, le=1000)
    poll_settle_seconds: float = Field(default=10, ge=0, le=120)
    log_format: Literal["text", "json"] = "text"
    link_domain: Literal["t.me", "telegram.me", "telegram.dog"] = "t.me"
    feed_urls: Annotated[list[FeedSource], NoDecode] = Field(default_factory=list)
    feed_poll_minutes: float = Field(default=15, ge=0.1, le=1440)
    inline_mode: bool = False  # off: an inline message shows "via @bot" where it is sent

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

    @field_validator("feed_urls", mode="before")
    @classmethod
    def _feed_urls(cls, value: object) -> list[FeedSource]:
        if value and isinstance(value, list) and isinstance(value[0], FeedSource):
            return value
        feeds: list[FeedSource] = []
        for part in _split_csv(value):
            locale, sep, url = part.partition("=")
            locale = locale.strip()
            if not sep or locale not in LOCALES or not re.fullmatch(r"https?://[^\s/]+\S*", url):
                shown = locale if sep else "an entry"
                raise ValueError(
                    f"{shown}: each entry must be <tg|ru|en>=https://site/feed (comma-separated)"
                )
            if any(feed.locale == locale for feed in feeds):
                raise ValueError(f"two feeds for '{locale}': give one feed per language")
            feeds.append(FeedSource(locale=locale, url=url.strip()))
        return feeds

    @field_validator("report_public_keys", mode="before")
    @classmethod
    def _public_keys(cls, value: object) -> list[TrusteeKey]:
        if value and isinstance(value, list) and isinstance(value[0], TrusteeKey):
            return value
        if value and looks_secret(str(value)):  # even a whole key file pasted in, newlines and all
            raise ValueError(
                "holds a SECRET key (NTSECRET-KEY-1…), which must never be on the server: remove"
                " it from this machine and put the trustee's public line (<key id>:ntpub1…) here"
            )
        keys: list[TrusteeKey] = []
        for number, part in enumerate(_split_csv(value), start=1):
            key_id, sep, encoded = part.partition(":")
            if not sep or not re.fullmatch(KEY_ID_PATTERN, key_id):
                # Never echo the entry: it may be key material of some other kind.
                raise ValueError(
                    f"entry {number} must be <key id>:ntpub1… (the line `python -m bot keys"
                    " generate` printed; a key id is 1-32 of A-Z a-z 0-9 _ -)"
                )
            try:
                raw = decode_public(encoded)
                check_usable_public(raw)
            except KeyFormatError as exc:
                raise ValueError(f"key '{key_id}' {exc}") from None
            for earlier in keys:
                if earlier.key_id == key_id:
                    raise ValueError(f"key id '{key_id}' appears twice")
                if earlier.public_key == raw:
                    raise ValueError(f"keys '{earlier.key_id}' and '{key_id}' are the same key")
            keys.append(TrusteeKey(key_id=key_id, public_key=raw))
        return keys

    @field_validator("proxy_url", mode="before")
    @classmethod
    def _proxy(cls, value: object) -> object:
        if value in ("", None):
            return None
        if not re.fullmatch(
            r"(socks5|socks4|http|https)://([^\s@/]+@)?[^\s@/:]+:\d{1,5}/?", str(value)
        ):
            raise ValueError(
                "must be socks5://host:port or http://host:port (user:password@ before the host"
                " if the proxy asks for one)"
            )
        return str(value).rstrip("/")

    @property
    def proxy_shown(self) -> str:
        """PROXY_URL without its password, for messages."""
        return re.sub(r"//[^@/]*@", "//***@", self.proxy_url or "")

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

    @field_validator("report_notice_times", mode="before")
    @classmethod
    def _notice_times(cls, value: object) -> object:
        parts = _split_csv(value) if isinstance(value, str) else value
        if isinstance(parts, list):
            for part in parts:
                if isinstance(part, str) and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", part):
                    raise ValueError(f"'{part}' is not a time of day HH:MM (e.g. 09:00,17:00)")
            if not parts:
                raise ValueError("give at least one time of day, e.g. 09:00,17:00")
        return parts

    @field_validator("campaign_catch_up_until", mode="before")
    @classmethod
    def _catch_up_until(cls, value: object) -> object:
        if isinstance(value, str) and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value.strip()):
            raise ValueError("must be a time of day HH:MM, e.g. 21:00")
        return value.strip() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _log_format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

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
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "configuration"
        if error["type"] == "missing":
            raise ConfigError(f"{name} is not set (put it in the environment or in .env)") from None
        reason = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name} is invalid: {reason}") from None
    if settings.webhook_url and settings.webhook_secret is None:
        raise ConfigError(
            "WEBHOOK_SECRET is not set: it is required with WEBHOOK_URL (1-256 of A-Z a-z 0-9 _ -)"
        )
    return settings


def check_database_folder(path: Path) -> None:
    """The bot's data folder exists (or can be made) and this user may write there: told in one
    line at start-up instead of a traceback from SQLite."""
    folder = path.expanduser().absolute().parent
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"DATABASE_PATH is invalid: {existing} is a file, not a folder")
    if existing == folder:
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ConfigError(
                f"DATABASE_PATH is invalid: the folder {folder} is not writable by this user"
            )
    elif not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(
            f"DATABASE_PATH is invalid: the folder {folder} does not exist and {existing}"
            " does not let this user create it"
        )
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise ConfigError(f"DATABASE_PATH is invalid: {path} is not readable and writable")
