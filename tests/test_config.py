"""Configuration: every documented name is read, and a bad value names the setting in one line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, check_database_folder, load_settings
from bot.reports.crypto import generate_keypair
from bot.reports.keys import encode_public
from tests.processes import run_captured

TOKEN = "123456:ABCdef"


def test_reads_the_documented_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    key = encode_public(generate_keypair()[1])
    env = {
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": "http://127.0.0.1:8081/",
        "DATABASE_PATH": "/tmp/x.sqlite3",
        "ADMIN_IDS": "1, 22",
        "STAFF_CHAT_ID": "-100123",
        "CHANNELS": "ru:@notorturetj,tg:@notorturetj_tj",
        "REPORT_PUBLIC_KEYS": f"k1:{key}",
        "TIMEZONE": "Asia/Dushanbe",
        "DEFAULT_LOCALE": "tg",
        "WEBHOOK_URL": "https://example.org",
        "WEBHOOK_SECRET": "s3cret_token-1",
        "WEBHOOK_LISTEN": "127.0.0.1:8443",
        "PROXY_URL": "socks5://127.0.0.1:1080",
        "BROADCAST_RATE": "20",
        "LOG_LEVEL": "debug",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    s = load_settings(_env_file=None)
    assert s.telegram_api_base == "http://127.0.0.1:8081"
    assert s.admin_ids == [1, 22]
    assert s.staff_chat_id == -100123
    assert [(c.locale, c.chat) for c in s.channels] == [
        ("ru", "@notorturetj"),
        ("tg", "@notorturetj_tj"),
    ]
    assert s.report_public_keys[0].key_id == "k1" and len(s.report_public_keys[0].public_key) == 32
    assert s.default_locale == "tg" and s.log_level == "DEBUG"
    assert s.listen_host_port == ("127.0.0.1", 8443)
    assert s.broadcast_rate == 20


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "BOT_TOKEN is not set"),
        ({"bot_token": "nonsense"}, "BOT_TOKEN is invalid"),
        ({"bot_token": TOKEN, "admin_ids": "12,abc"}, "ADMIN_IDS is invalid: 'abc'"),
        ({"bot_token": TOKEN, "channels": "de:@chan"}, "CHANNELS is invalid"),
        ({"bot_token": TOKEN, "timezone": "Mars/Olympus"}, "TIMEZONE is invalid"),
        ({"bot_token": TOKEN, "report_public_keys": "k1:AAAA"}, "REPORT_PUBLIC_KEYS is invalid"),
        ({"bot_token": TOKEN, "broadcast_rate": "45"}, "BROADCAST_RATE is invalid"),
        ({"bot_token": TOKEN, "default_locale": "de"}, "DEFAULT_LOCALE is invalid"),
    ],
)
def test_bad_settings_name_the_setting(
    overrides: dict, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    with pytest.raises(ConfigError) as info:
        load_settings(_env_file=None, **overrides)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_token_exits_2_with_one_line(tmp_path) -> None:
    result = run_captured(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(__import__("bot").__path__[0] + "/..")},
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Configuration error: BOT_TOKEN is not set (put it in the environment or in .env)"
    )
    assert "Traceback" not in result.stderr


def test_a_webhook_needs_its_secret() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(_env_file=None, bot_token=TOKEN, webhook_url="https://bot.example.org")
    assert str(info.value).startswith("WEBHOOK_SECRET is not set")


def test_the_database_folder_is_checked(tmp_path) -> None:
    check_database_folder(tmp_path / "new" / "deeper" / "bot.sqlite3")  # can be made: fine
    (tmp_path / "plain").write_text("")
    with pytest.raises(ConfigError, match=r"^DATABASE_PATH is invalid: .*plain is a file"):
        check_database_folder(tmp_path / "plain" / "bot.sqlite3")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_database_folder_is_one_line(tmp_path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(ConfigError, match=r"^DATABASE_PATH is invalid: .* not writable"):
        check_database_folder(locked / "bot.sqlite3")
    with pytest.raises(ConfigError, match="does not let this user create it"):
        check_database_folder(locked / "sub" / "bot.sqlite3")


def test_a_bad_database_folder_stops_the_process_with_one_line(tmp_path) -> None:
    (tmp_path / "plain").write_text("")
    result = run_captured(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(Path(__import__("bot").__path__[0]).parent),
            "BOT_TOKEN": TOKEN,
            "DATABASE_PATH": str(tmp_path / "plain" / "bot.sqlite3"),
        },
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("Configuration error: DATABASE_PATH is invalid")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_local_bot_api_server_reads_files_from_its_disk(tmp_path) -> None:
    from bot.app import build_bot

    local = load_settings(
        _env_file=None,
        bot_token=TOKEN,
        telegram_api_base="http://127.0.0.1:8081",
        telegram_api_local="true",
    )
    remote = load_settings(_env_file=None, bot_token=TOKEN)
    assert build_bot(local).session.api.is_local is True
    assert build_bot(remote).session.api.is_local is False


def test_link_domain_sets_every_link_and_refuses_others(tmp_path: Path) -> None:
    from bot.links import DeepLinks
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, link_domain="telegram.dog")
    links = DeepLinks(username="b", domain=settings.link_domain)
    assert links.start("faq_x") == "https://telegram.dog/b?start=faq_x"
    assert links.share("https://telegram.dog/b", "a b&c") == (
        "https://telegram.dog/share/url?url=https%3A%2F%2Ftelegram.dog%2Fb&text=a%20b%26c"
    )
    with pytest.raises(ConfigError, match="LINK_DOMAIN"):
        make_settings(tmp_path, link_domain="evil.example")
