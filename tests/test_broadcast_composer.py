"""The broadcast composer over the fake Bot API: recipients before Confirm, Back on every step,
the time zone after times, one summary, "Now" is not "scheduled", the admin's own numbers,
language names in the admin's language, /broadcasts, and progress surviving a restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.admin.broadcast_desk import PROGRESS_EDIT_INTERVAL
from bot.delivery import Audience, OutgoingMessage
from devtools.fake_telegram import FakeTelegram
from tests.conftest import ADMIN_ID, RunningBot, start_bot
from tests.test_admin_flow import answer_to, subscribe, tap

WHEN = "2099-01-01 09:00"
WHEN_SHOWN = "2099-01-01 09:00 (Asia/Dushanbe)"


def admin_sends(bot: RunningBot, since: int = 0) -> list[str]:
    """Texts of the messages the bot sent (not edited) to the admin after call number `since`."""
    return [
        str(p.get("text"))
        for name, p in bot.fake.calls[since:]
        if name == "sendMessage" and str(p.get("chat_id")) == str(ADMIN_ID)
    ]


def admin_edits(bot: RunningBot, since: int = 0) -> list[tuple[int, str]]:
    return [
        (int(p["message_id"]), str(p.get("text")))
        for name, p in bot.fake.calls[since:]
        if name == "editMessageText" and str(p.get("chat_id")) == str(ADMIN_ID)
    ]


async def compose(bot: RunningBot, text: str = "News", *audience: str) -> None:
    """/broadcast → a message → preview → the audience (all subscribers unless given) → Next."""
    await answer_to(bot, ADMIN_ID, "/broadcast")
    await bot.say(ADMIN_ID, text, language_code="en")
    await tap(bot, ADMIN_ID, "Preview")
    await bot.fake.wait_for(lambda: "Who receives" in bot.last_text(ADMIN_ID), 15)
    for button in audience or ("All subscribers",):
        await tap(bot, ADMIN_ID, button)
    await tap(bot, ADMIN_ID, "Next")


async def send_now(bot: RunningBot, text: str = "News", *audience: str) -> int:
    """Compose and send at once; returns the index of the fake's calls at Send."""
    await compose(bot, text, *audience)
    await tap(bot, ADMIN_ID, "Now")
    since = len(bot.fake.calls)
    await tap(bot, ADMIN_ID, "Send")
    return since


async def send_later(bot: RunningBot, text: str = "Later") -> None:
    await compose(bot, text)
    await tap(bot, ADMIN_ID, "date and time")
    await answer_to(bot, ADMIN_ID, WHEN)
    await tap(bot, ADMIN_ID, "Send")
    await bot.fake.wait_for(lambda: "scheduled for" in bot.last_text(ADMIN_ID), 10)


async def test_the_number_of_recipients_is_shown_before_confirm(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_bot(fake, tmp_path, channels="ru:@ntj_ru,tg:@ntj_tg")
    try:
        await subscribe(bot, [6001, 6002, 6003], "ru")
        await subscribe(bot, [6101, 6102], "en")
        await subscribe(bot, [6201], "tg")
        async with bot.services.db.transaction() as tx:
            await tx.execute("UPDATE users SET blocked = 1 WHERE user_id = 6003")
            await tx.execute("UPDATE users SET subscribed = 0 WHERE user_id = 6102")
        await compose(bot, "News", "Russian", "English", "@ntj_ru")
        confirm = await tap(bot, ADMIN_ID, "Now")
        # 6001, 6002, 6101 (6003 blocked, 6102 unsubscribed, 6201 Tajik) and one channel.
        assert "Recipients: 4 (subscribers: 3, channels: 1)" in confirm.text
        assert "subscribers: Russian, English, @ntj_ru" in confirm.text
        await tap(bot, ADMIN_ID, "Cancel")
        row = await bot.services.db.fetchone("SELECT COUNT(*) FROM deliveries")
        assert tuple(row) == (0,)
    finally:
        await bot.stop()


async def test_back_on_every_step_returns_with_the_choices_kept(running_bot: RunningBot) -> None:
    bot = running_bot
    await subscribe(bot, [6001], "ru")
    await subscribe(bot, [6101], "en")
    await answer_to(bot, ADMIN_ID, "/broadcast")
    await bot.say(ADMIN_ID, "Черновик", language_code="en")
    # "send the version in English" → back: the next message is the general version again
    await tap(bot, ADMIN_ID, "+ English")
    assert "Versions so far: all languages" in (await tap(bot, ADMIN_ID, "Back")).text
    saved = await bot.say(ADMIN_ID, "Новость", language_code="en")
    assert saved.text == "Saved as the version for: all languages."
    await tap(bot, ADMIN_ID, "Preview")
    await bot.fake.wait_for(lambda: "Who receives" in bot.last_text(ADMIN_ID), 15)
    await tap(bot, ADMIN_ID, "Russian")
    # audience → content: the versions are kept, and so is the audience chosen
    content = await tap(bot, ADMIN_ID, "Back")
    assert "Versions so far: all languages" in content.text
    await tap(bot, ADMIN_ID, "Preview")
    await bot.fake.wait_for(lambda: "Who receives" in bot.last_text(ADMIN_ID), 15)
    assert "✅ Russian" in bot.buttons(ADMIN_ID) and "▫️ English" in bot.buttons(ADMIN_ID)
    when = await tap(bot, ADMIN_ID, "Next")
    assert when.text == "When?"
    # when → audience
    audience = await tap(bot, ADMIN_ID, "Back")
    assert audience.text == "Who receives it?" and "✅ Russian" in bot.buttons(ADMIN_ID)
    await tap(bot, ADMIN_ID, "Next")
    prompt = await tap(bot, ADMIN_ID, "date and time")
    assert "YYYY-MM-DD HH:MM (Asia/Dushanbe)" in prompt.text
    # the time prompt → when
    assert (await tap(bot, ADMIN_ID, "Back")).text == "When?"
    await tap(bot, ADMIN_ID, "date and time")
    confirm = await answer_to(bot, ADMIN_ID, WHEN)
    assert f"When: {WHEN_SHOWN}" in confirm
    # confirm → when, the time chosen is kept (and shown)
    again = await tap(bot, ADMIN_ID, "Back")
    assert again.text == f"When? Chosen so far: {WHEN_SHOWN}."
    confirm = await tap(bot, ADMIN_ID, "Now")  # "Now" replaces the time chosen before
    assert "When: now" in confirm.text and "Send to: subscribers: Russian" in confirm.text
    await tap(bot, ADMIN_ID, "Send")
    await bot.fake.wait_for(lambda: "finished" in bot.last_text(ADMIN_ID), 15)
    assert [m.text for m in bot.fake.bot_messages(6001)] == ["Новость"]
    assert bot.fake.bot_messages(6101) == []


async def test_a_stale_back_button_does_nothing(running_bot: RunningBot) -> None:
    bot = running_bot
    await subscribe(bot, [6001], "ru")
    await compose(bot)
    back_on_when = bot.fake.chat(ADMIN_ID).messages[-1]
    await tap(bot, ADMIN_ID, "date and time")  # the same message now holds the time prompt
    await answer_to(bot, ADMIN_ID, WHEN)  # confirm: a new message
    before = len(bot.fake.calls)
    button = back_on_when.button("Back")  # the "when" step's Back, kept from before
    await bot.fake.press(ADMIN_ID, back_on_when.message_id, button["callback_data"], force=True)
    await bot.settle()
    assert admin_edits(bot, before) == [] and admin_sends(bot, before) == []
    assert "Confirm" in bot.last_text(ADMIN_ID)


async def test_now_is_not_announced_as_scheduled_and_one_summary_comes(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await subscribe(bot, [6001, 6002], "ru")
    since = await send_now(bot)
    await bot.fake.wait_for(lambda: "finished" in bot.last_text(ADMIN_ID), 15)
    await asyncio.sleep(PROGRESS_EDIT_INTERVAL + 1)  # would a second summary come?
    sends = admin_sends(bot, since)
    shown = sends + [text for _id, text in admin_edits(bot, since)]
    assert not any("scheduled" in text for text in shown), shown
    assert sends[0].startswith("📤 Broadcast 1 is being sent")
    summaries = [text for text in shown if "finished" in text]
    assert len(summaries) == 1 and len(sends) == 2, shown
    assert summaries[0].startswith("✅ Broadcast 1 finished.")
    assert "Sent: 2 · blocked: 0 · failed: 0" in summaries[0]


async def test_cancel_broadcast_sends_one_message(running_bot: RunningBot) -> None:
    bot = running_bot
    await subscribe(bot, [7001])
    await send_later(bot)
    assert f"scheduled for {WHEN_SHOWN}" in bot.last_text(ADMIN_ID)
    since = len(bot.fake.calls)
    await bot.say(ADMIN_ID, "/cancel_broadcast", language_code="en")
    await asyncio.sleep(PROGRESS_EDIT_INTERVAL + 1)
    sends = admin_sends(bot, since)
    assert len(sends) == 1 and sends[0].startswith("⏹ Broadcast 1 cancelled."), sends
    assert bot.fake.bot_messages(7001) == []


async def test_broadcast_numbers_are_not_shared_with_campaign_deliveries(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await subscribe(bot, [6001])
    assert bot.services.delivery is not None
    for day in ("a", "b"):  # campaign posts take delivery ids 1 and 2
        await bot.services.delivery.enqueue(
            kind="campaign",
            dedupe_key=f"campaign:{day}",
            versions={"ru": OutgoingMessage(text="Post")},
            audience=Audience(subscribers=True),
        )
    await send_now(bot, "First")
    await bot.fake.wait_for(lambda: "✅ Broadcast 1 finished" in bot.last_text(ADMIN_ID), 15)
    await send_later(bot, "Second")
    assert bot.last_text(ADMIN_ID).startswith("🕒 Broadcast 2 is scheduled")
    await bot.say(ADMIN_ID, "/cancel_broadcast 2", language_code="en")
    await bot.fake.wait_for(lambda: "⏹ Broadcast 2 cancelled" in bot.last_text(ADMIN_ID), 15)
    await bot.settle()  # the summary goes out before the command writes its audit line
    rows = await bot.services.db.fetchall("SELECT number, delivery_id FROM broadcasts")
    assert [tuple(r) for r in rows] == [(1, 3), (2, 4)]
    actions = await bot.services.db.fetchall("SELECT action, target FROM audit_log")
    assert [tuple(a) for a in actions] == [
        ("broadcast", "1"),
        ("broadcast", "2"),
        ("cancel_broadcast", "2"),
    ]


async def test_language_names_are_in_the_admins_language(running_bot: RunningBot) -> None:
    bot = running_bot
    await answer_to(bot, ADMIN_ID, "/broadcast")
    await bot.say(ADMIN_ID, "News", language_code="en")
    assert "Now send the version in Russian." in (await tap(bot, ADMIN_ID, "+ Russian")).text
    await answer_to(bot, ADMIN_ID, "/cancel_broadcast")
    await bot.say(ADMIN_ID, "/start", language_code="en")
    await tap(bot, ADMIN_ID, "Тоҷикӣ")  # the language picker keeps the endonyms
    await answer_to(bot, ADMIN_ID, "/broadcast")
    await bot.say(ADMIN_ID, "Хабар")
    assert "+ русӣ" in bot.buttons(ADMIN_ID)
    prompt = await tap(bot, ADMIN_ID, "+ русӣ")
    assert prompt.text == "Акнун нусхаро бо забони русӣ фиристед."
    assert "Русский" not in prompt.text


async def test_broadcasts_lists_the_recent_ones_with_their_figures(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    assert "No broadcasts yet." in await answer_to(bot, ADMIN_ID, "/broadcasts")
    await subscribe(bot, [6001, 6002], "ru")
    await subscribe(bot, [6101], "en")
    await send_now(bot, "First", "Russian")
    await bot.fake.wait_for(lambda: "finished" in bot.last_text(ADMIN_ID), 15)
    await send_later(bot, "Second")
    listing = await answer_to(bot, ADMIN_ID, "/broadcasts")
    second, first = listing.split("\n\n")[1:]
    assert second.startswith(f"2 · scheduled · {WHEN_SHOWN}\nall subscribers\n")
    assert second.endswith("sent 0 · failed 0 · blocked 0")
    assert first.startswith("1 · finished · 2026-04-15 12:")  # started at the bot's clock
    assert "(Asia/Dushanbe)\nsubscribers: Russian\nsent 2 · failed 0 · blocked 0" in first


async def test_progress_and_summary_survive_a_restart(fake: FakeTelegram, tmp_path: Path) -> None:
    users = list(range(9001, 9041))
    bot = await start_bot(fake, tmp_path, broadcast_rate=4)
    try:
        await subscribe(bot, users, "ru")
        since = await send_now(bot, "Slow news")
        await fake.wait_for(lambda: sum(len(fake.bot_messages(u)) for u in users) >= 8, 20)
        row = await bot.services.db.fetchone("SELECT message_id FROM broadcasts WHERE number = 1")
        progress_id = int(row[0])
        assert admin_sends(bot, since)[0].startswith("📤 Broadcast 1 is being sent")
    finally:
        await bot.stop()
    delivered = sum(len(fake.bot_messages(u)) for u in users)
    assert delivered < len(users), "the restart came too late to test anything"

    restart = len(fake.calls)
    bot = await start_bot(fake, tmp_path, broadcast_rate=10)
    try:
        await fake.wait_for(lambda: "finished" in bot.last_text(ADMIN_ID), 30)
        await asyncio.sleep(PROGRESS_EDIT_INTERVAL + 1)
        sends = admin_sends(bot, restart)
        assert len(sends) == 1 and sends[0].startswith("✅ Broadcast 1 finished."), sends
        assert "Sent: 40" in sends[0]
        edits = admin_edits(bot, restart)
        assert edits and {message_id for message_id, _text in edits} == {progress_id}
        assert any("Sent:" in text for _id, text in edits)  # progress went on in the same message
        assert edits[-1][1].startswith("Broadcast 1: sending has ended")
        assert all(len(fake.bot_messages(u)) >= 1 for u in users)
    finally:
        await bot.stop()
