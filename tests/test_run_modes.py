"""Run modes: the webhook server checks its secret and serves /healthz; SIGTERM stops cleanly."""

from __future__ import annotations

import asyncio
import signal

import aiohttp
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_bot, build_dispatcher, create_app
from bot.webhook import WEBHOOK_PATH, build_webhook_app
from tests.conftest import make_settings, quiet_clock
from tests.processes import CHILD_START_S, spawn_bot


def start_update(update_id: int, user_id: int) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "A", "language_code": "en"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_webhook_rejects_wrong_secret_and_answers_updates(fake, tmp_path) -> None:
    settings = make_settings(
        tmp_path, fake.base_url, webhook_url="https://bot.example.org", webhook_secret="s3cret"
    )
    services = await create_app(settings, clock=quiet_clock())
    app = build_webhook_app(settings, build_bot(settings), build_dispatcher(services))
    async with TestClient(TestServer(app)) as client:
        health = await client.get("/healthz")
        assert health.status == 200 and (await health.json()) == {"ok": True}
        forged = await client.post(WEBHOOK_PATH, json=start_update(1, 5001))
        assert forged.status == 401
        wrong = await client.post(
            WEBHOOK_PATH,
            json=start_update(2, 5001),
            headers={"X-Telegram-Bot-Api-Secret-Token": "nope"},
        )
        assert wrong.status == 401
        ok = await client.post(
            WEBHOOK_PATH,
            json=start_update(3, 5002),
            headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"},
        )
        assert ok.status == 200
        shown = await fake.next_bot_message(5002)
        assert "Choose your language" in shown.text
        assert fake.bot_messages(5001) == []
    set_webhook = [p for m, p in fake.calls if m == "setWebhook"]
    assert set_webhook and set_webhook[0]["url"] == "https://bot.example.org/telegram"
    assert int(set_webhook[0]["max_connections"]) == 64  # UPDATE_CONCURRENCY, not Telegram's 40


async def test_sigterm_finishes_and_closes_cleanly(fake, tmp_path) -> None:
    process = await spawn_bot(fake.base_url, tmp_path, stdout=asyncio.subprocess.PIPE)
    try:
        await fake.wait_for(lambda: any(m == "getUpdates" for m, _ in fake.calls), CHILD_START_S)
        await fake.send_text(6001, "/start")
        assert "Choose your language" in (await fake.next_bot_message(6001, timeout=10)).text
        process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 0, err.decode()[-1500:]
    assert b"Traceback" not in err, err.decode()[-3000:]
    assert b"bot stopped" in err  # the shutdown hook ran: in-flight drained, database closed


def tap_update(update_id: int, user_id: int, message_id: int, data: str) -> dict:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"q{update_id}",
            "chat_instance": "ci",
            "data": data,
            "from": {"id": user_id, "is_bot": False, "first_name": "A", "language_code": "en"},
            "message": {
                "message_id": message_id,
                "date": 0,
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": 1, "is_bot": True, "first_name": "Bot"},
                "text": "…",
            },
        },
    }


async def response_call(response) -> dict[str, str]:
    """The Bot API call a webhook response carries (empty if none)."""
    if not response.content_type.startswith("multipart/"):
        return {}
    reader = aiohttp.MultipartReader.from_response(response)
    fields: dict[str, str] = {}
    while (part := await reader.next()) is not None:
        fields[part.name] = await part.text()
    return fields


async def test_webhook_taps_are_answered_in_the_response(fake, tmp_path) -> None:
    """One HTTP request less per tap: the answer rides on the webhook response, the edit and
    every other call go over HTTP, and a message gets an empty response as before."""
    settings = make_settings(
        tmp_path, fake.base_url, webhook_url="https://bot.example.org", webhook_secret="s3cret"
    )
    services = await create_app(settings, clock=quiet_clock())
    app = build_webhook_app(settings, build_bot(settings), build_dispatcher(services))
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
    async with TestClient(TestServer(app)) as client:
        started = await client.post(WEBHOOK_PATH, json=start_update(1, 5101), headers=headers)
        assert await response_call(started) == {}
        picker = await fake.next_bot_message(5101)
        english = next(b["callback_data"] for b in picker.buttons if "English" in b["text"])
        for update_id in (2, 3):  # a first pick and the same pick again
            tapped = await client.post(
                WEBHOOK_PATH,
                json=tap_update(update_id, 5101, picker.message_id, english),
                headers=headers,
            )
            call = await response_call(tapped)
            assert call["method"] == "answerCallbackQuery"
            assert call["callback_query_id"] == f"q{update_id}"
            await fake.wait_idle()
        stale = await client.post(
            WEBHOOK_PATH, json=tap_update(4, 5101, picker.message_id, "zz:forged"), headers=headers
        )
        call = await response_call(stale)
        assert call.get("method") == "answerCallbackQuery" and call["callback_query_id"] == "q4"
        await fake.wait_idle()
    sent = [m for m, _ in fake.calls]
    assert "answerCallbackQuery" not in sent  # all three rode on the responses
    assert "editMessageText" in sent  # the screen itself still goes over HTTP
