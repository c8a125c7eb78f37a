"""The logs of a whole conversation hold no message text and no user id."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import start_bot

SECRET_TEXT = "my brother Rustam was beaten at the district police station"
USER_ID = 918273645


async def test_conversation_logs_no_text_and_no_user_id(
    fake, tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    for name in ("bot", "handlers", "jobs"):
        caplog.set_level(logging.DEBUG, logger=name)
    harness = await start_bot(fake, tmp_path)
    try:
        await harness.say(USER_ID, "/start")
        await harness.tap(USER_ID, "English")
        await harness.say(USER_ID, SECRET_TEXT)
        await harness.say(USER_ID, "/unknown " + SECRET_TEXT)
        await harness.tap(USER_ID, "Get help now")
        forged = fake.chat(USER_ID).messages[-1].message_id
        await fake.press(USER_ID, forged, "n1:nosuch:" + "x" * 20, force=True)
        await fake.wait_idle()
    finally:
        await harness.stop()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert caplog.records, "the bot should log something (start, stop)"
    assert "Rustam" not in logged and "beaten" not in logged
    assert str(USER_ID) not in logged


async def test_an_error_is_logged_by_kind_never_by_update_id(
    running_bot, caplog: pytest.LogCaptureFixture
) -> None:
    """An update id orders one person's updates in time: the error line names the update's kind."""
    caplog.set_level(logging.INFO)
    running_bot.fake.inject("sendMessage", 400, count=1, description="Bad Request: forced")
    await running_bot.fake.send_text(4242, "/start")
    await running_bot.settle()
    errors = [r.getMessage() for r in caplog.records if r.name == "handlers.errors"]
    assert errors and all(line.endswith("(message)") for line in errors), errors
    assert not any("update" in line for line in errors)
