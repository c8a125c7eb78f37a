"""PROXY_URL: the bot reaches Telegram through a SOCKS5 or HTTP proxy (in Tajikistan Telegram may
be reachable only that way), and a proxy it cannot use stops the start-up with one line."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from bot.config import ConfigError
from tests.conftest import make_settings, start_bot
from tests.processes import spawn_bot
from tests.proxies import HttpConnectProxy, Socks5Proxy

pytestmark = pytest.mark.timeout(60)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    "proxy",
    [Socks5Proxy(), Socks5Proxy(("coalition", "pa55")), HttpConnectProxy(("coalition", "pa55"))],
    ids=["socks5", "socks5-password", "http-connect"],
)
async def test_the_bot_talks_to_telegram_through_the_proxy(fake, tmp_path: Path, proxy) -> None:
    await proxy.start()
    try:
        bot = await start_bot(fake, tmp_path, proxy_url=proxy.url)
        try:
            picker = await bot.say(5001, "/start")
            assert "Тоҷикӣ" in str(picker.reply_markup)
        finally:
            await bot.stop()
        fake_port = int(fake.base_url.rsplit(":", 1)[1])
        assert proxy.tunnels, "nothing went through the proxy"
        assert set(proxy.tunnels) == {("127.0.0.1", fake_port)}
    finally:
        await proxy.stop()


async def _start_up_failure(fake, tmp_path: Path, proxy_url: str) -> tuple[int, str]:
    process = await spawn_bot(fake.base_url, tmp_path, proxy_url=proxy_url)
    _out, err = await asyncio.wait_for(process.communicate(), 40)
    return process.returncode or 0, err.decode()


async def test_an_unreachable_proxy_stops_the_start_up_with_one_line(fake, tmp_path) -> None:
    code, err = await _start_up_failure(
        fake, tmp_path, f"socks5://coalition:SeCrEt@127.0.0.1:{_closed_port()}"
    )
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Configuration error: PROXY_URL: cannot reach Telegram")
    assert "SeCrEt" not in err and "***@127.0.0.1" in err
    assert not fake.calls  # nothing reached Telegram around the proxy


async def test_a_proxy_refusing_the_password_stops_the_start_up(fake, tmp_path) -> None:
    proxy = Socks5Proxy(("coalition", "right"))
    await proxy.start()
    try:
        code, err = await _start_up_failure(fake, tmp_path, proxy.url.replace("right", "wrong"))
    finally:
        await proxy.stop()
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "PROXY_URL" in err and "user name or password" in err and "wrong" not in err
    assert proxy.refused >= 1 and not proxy.tunnels


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("socks5://127.0.0.1:1080", True),
        ("socks5://user:pa55@proxy.example.org:1080", True),
        ("http://10.0.0.1:3128/", True),
        ("127.0.0.1:1080", False),
        ("ftp://127.0.0.1:21", False),
        ("socks5://127.0.0.1", False),
    ],
)
def test_proxy_url_is_checked_when_read(tmp_path, value: str, ok: bool) -> None:
    if ok:
        assert make_settings(tmp_path, proxy_url=value).proxy_url == value.rstrip("/")
    else:
        with pytest.raises(ConfigError, match=r"^PROXY_URL is invalid"):
            make_settings(tmp_path, proxy_url=value)


def test_the_password_is_not_shown(tmp_path) -> None:
    settings = make_settings(tmp_path, proxy_url="socks5://u:topsecret@10.1.1.1:1080")
    assert settings.proxy_shown == "socks5://***@10.1.1.1:1080"


async def test_an_unreachable_api_base_is_one_line_that_points_to_the_proxy(tmp_path) -> None:
    base = f"http://127.0.0.1:{_closed_port()}"
    process = await spawn_bot(base, tmp_path)
    _out, err = await asyncio.wait_for(process.communicate(), 40)
    assert process.returncode == 2
    assert err.decode().strip().splitlines() == [
        f"Configuration error: TELEGRAM_API_BASE: cannot reach {base} (connection refused);"
        " if Telegram is blocked here, set PROXY_URL"
    ]
