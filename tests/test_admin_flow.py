"""Admin features end to end through the fake Bot API: hidden commands, roles, audit, broadcast, stats."""

from __future__ import annotations

import pytest

from handlers.admin.callbacks import AdminAction, AdminCb, BroadcastCb
from tests.conftest import ADMIN_ID, RunningBot

ADMIN_COMMANDS = (
    "/admin",
    "/broadcast",
    "/stats",
    "/admins",
    "/admin_add 42 admin",
    "/admin_remove 777",
    "/audit",
    "/cancel_broadcast",
    "/broadcasts",
)
STRANGER = 4242


async def subscribe(bot: RunningBot, user_ids: list[int], locale: str = "ru") -> None:
    async with bot.services.db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO users (user_id, locale, subscribed, first_seen) VALUES (?, ?, 1, '2025-01-01')",
            [(uid, locale) for uid in user_ids],
        )


async def tap(bot: RunningBot, user: int, text: str):
    bot.fake.advance(5)  # a person taps slower than the 1 message/s limit
    return await bot.tap(user, text)


async def answer_to(bot: RunningBot, user: int, text: str) -> str:
    bot.fake.advance(5)  # the fake's clock: a person types slower than the 1 message/s limit
    message = await bot.say(user, text, language_code="en")
    await bot.settle()
    return message.text or ""


async def test_non_admin_gets_the_unknown_command_answer_for_every_admin_command(
    running_bot: RunningBot,
) -> None:
    unknown = await answer_to(running_bot, STRANGER, "/no_such_command")
    for command in ADMIN_COMMANDS:
        assert await answer_to(running_bot, STRANGER, command) == unknown, command
    assert tuple(await running_bot.services.db.fetchone("SELECT COUNT(*) FROM audit_log")) == (0,)


@pytest.mark.parametrize(
    "action,value",
    [
        ("next", ""),
        ("lang", "ru"),
        ("aud", "all"),
        ("aud", "done"),
        ("when", "now"),
        ("confirm", ""),
        ("abort", ""),
        ("back", "content"),
        ("back", "audience"),
        ("back", "confirm"),
    ],
)
async def test_crafted_admin_callbacks_from_a_non_admin_do_nothing(
    running_bot: RunningBot, action: str, value: str
) -> None:
    fake = running_bot.fake
    await subscribe(running_bot, [5001])
    menu = await running_bot.say(STRANGER, "/start", language_code="en")
    before = len(fake.calls)
    await fake.press(
        STRANGER, menu.message_id, BroadcastCb(action=action, value=value).pack(), force=True
    )
    # Every callback is answered; wait for that answer, then for anything else it caused.
    await fake.wait_for(lambda: any(m == "answerCallbackQuery" for m, _ in fake.calls[before:]), 10)
    await running_bot.settle()
    methods = [name for name, _ in fake.calls[before:]]
    assert "answerCallbackQuery" in methods
    assert not {"copyMessage", "copyMessages"} & set(methods)
    assert fake.bot_messages(5001) == []
    assert tuple(await running_bot.services.db.fetchone("SELECT COUNT(*) FROM deliveries")) == (0,)


STALE = "This button is out of date. Here is the menu."


async def press_crafted(bot: RunningBot, user: int, data: str) -> list[tuple[str, dict]]:
    """`user` sends crafted callback data; returns the Bot API calls it caused."""
    fake = bot.fake
    menu = await bot.say(user, "/start", language_code="en")
    before = len(fake.calls)
    await fake.press(user, menu.message_id, data, force=True)
    await fake.wait_for(lambda: any(m == "answerCallbackQuery" for m, _ in fake.calls[before:]), 10)
    await bot.settle()
    return fake.calls[before:]


@pytest.mark.parametrize("action", list(AdminAction))
async def test_crafted_overview_callbacks_from_a_non_admin_do_nothing(
    running_bot: RunningBot, action: AdminAction
) -> None:
    """The /admin buttons' data from a stranger: the answer any unknown button gets."""
    calls = await press_crafted(running_bot, STRANGER, AdminCb(action=action).pack())
    answers = [params for name, params in calls if name == "answerCallbackQuery"]
    assert [a.get("text") for a in answers] == [STALE]
    assert not {"sendPhoto", "sendChatAction", "sendDocument"} & {name for name, _ in calls}
    shown = " ".join(m.text or "" for m in running_bot.fake.bot_messages(STRANGER))
    for hint in ("Staff tools", "/broadcast", "Owners, admins", "audit log", "Campaigns"):
        assert hint not in shown
    # No composer was started: what the stranger writes next is an ordinary question.
    assert "Saved as the version" not in await answer_to(running_bot, STRANGER, "hello there")
    assert tuple(await running_bot.services.db.fetchone("SELECT COUNT(*) FROM audit_log")) == (0,)


@pytest.mark.parametrize("action", [AdminAction.ADMINS, AdminAction.AUDIT, AdminAction.REPORTS])
async def test_crafted_overview_callbacks_beyond_an_editors_role_do_nothing(
    running_bot: RunningBot, action: AdminAction
) -> None:
    await running_bot.services.admins.set_role(ADMIN_ID, 555, "editor")
    calls = await press_crafted(running_bot, 555, AdminCb(action=action).pack())
    answers = [params for name, params in calls if name == "answerCallbackQuery"]
    assert [a.get("text") for a in answers] == [STALE]
    shown = " ".join(m.text or "" for m in running_bot.fake.bot_messages(555))
    assert "Owners, admins" not in shown and "audit log" not in shown


async def test_owner_adds_and_removes_an_editor_and_the_audit_log_records_it(
    running_bot: RunningBot,
) -> None:
    editor = 555
    unknown = await answer_to(running_bot, editor, "/no_such_command")
    assert "555" in await answer_to(running_bot, ADMIN_ID, "/admin_add 555 editor")
    assert "Send the message" in await answer_to(running_bot, editor, "/broadcast")
    await answer_to(running_bot, editor, "/cancel_broadcast")
    # Editors cannot manage roles: for them the command does not exist.
    assert await answer_to(running_bot, editor, "/admin_add 556 admin") == unknown
    assert "555" in await answer_to(running_bot, ADMIN_ID, "/admins")
    assert "555" in await answer_to(running_bot, ADMIN_ID, "/admin_remove 555")
    assert await answer_to(running_bot, editor, "/broadcast") == unknown
    audit = await answer_to(running_bot, ADMIN_ID, "/audit")
    assert "admin_add:editor 555" in audit and "admin_remove 555" in audit
    rows = await running_bot.services.db.fetchall(
        "SELECT admin_id, action, target FROM audit_log ORDER BY id"
    )
    assert [tuple(r) for r in rows] == [
        (ADMIN_ID, "admin_add:editor", "555"),
        (ADMIN_ID, "admin_remove", "555"),
    ]


async def test_broadcast_flow_preview_audience_confirm_progress_and_summary(
    running_bot: RunningBot,
) -> None:
    fake = running_bot.fake
    ru_users, en_users = [6001, 6002], [6101]
    await subscribe(running_bot, ru_users, "ru")
    await subscribe(running_bot, en_users, "en")
    await answer_to(running_bot, ADMIN_ID, "/broadcast")
    await running_bot.say(ADMIN_ID, "Общая новость", language_code="en")
    await tap(running_bot, ADMIN_ID, "English")
    await running_bot.say(ADMIN_ID, "English news", language_code="en")
    await tap(running_bot, ADMIN_ID, "Preview")
    await fake.wait_for(lambda: "Who receives it?" in running_bot.last_text(ADMIN_ID), 15)
    texts = [m.text for m in fake.bot_messages(ADMIN_ID)]
    assert "Общая новость" in texts and "English news" in texts  # the preview: copies
    await tap(running_bot, ADMIN_ID, "Russian")
    await tap(running_bot, ADMIN_ID, "English")
    await tap(running_bot, ADMIN_ID, "Next")
    await tap(running_bot, ADMIN_ID, "Now")
    await tap(running_bot, ADMIN_ID, "Send")
    await fake.wait_for(lambda: "Broadcast 1 finished" in running_bot.last_text(ADMIN_ID), 15)
    for uid in ru_users:
        assert [m.text for m in fake.bot_messages(uid)] == ["Общая новость"]
    assert [m.text for m in fake.bot_messages(6101)] == ["English news"]
    assert "Sent: 3" in running_bot.last_text(ADMIN_ID)
    assert not any(name == "forwardMessage" for name, _ in fake.calls)
    actions = await running_bot.services.db.fetchall("SELECT action FROM audit_log")
    assert ("broadcast",) in [tuple(a) for a in actions]


async def test_scheduled_broadcast_then_cancel(running_bot: RunningBot) -> None:
    await subscribe(running_bot, [7001])
    await answer_to(running_bot, ADMIN_ID, "/broadcast")
    await running_bot.say(ADMIN_ID, "Later", language_code="en")
    await tap(running_bot, ADMIN_ID, "Preview")
    await running_bot.fake.wait_for(lambda: "Who receives" in running_bot.last_text(ADMIN_ID), 15)
    await tap(running_bot, ADMIN_ID, "All subscribers")
    await tap(running_bot, ADMIN_ID, "Next")
    await tap(running_bot, ADMIN_ID, "date and time")
    assert "future" in await answer_to(running_bot, ADMIN_ID, "tomorrow")
    assert "Confirm" in await answer_to(running_bot, ADMIN_ID, "2099-01-01 09:00")
    await tap(running_bot, ADMIN_ID, "Send")
    await running_bot.fake.wait_for(lambda: "scheduled" in running_bot.last_text(ADMIN_ID), 10)
    await answer_to(running_bot, ADMIN_ID, "/cancel_broadcast")
    await running_bot.fake.wait_for(lambda: "cancelled" in running_bot.last_text(ADMIN_ID), 10)
    row = await running_bot.services.db.fetchone("SELECT state FROM deliveries")
    assert row[0] == "cancelled"
    assert running_bot.fake.bot_messages(7001) == []


async def test_stats_is_a_chart_with_a_summary(running_bot: RunningBot) -> None:
    await subscribe(running_bot, [8001, 8002], "tg")
    await running_bot.say(ADMIN_ID, "/stats", language_code="en")
    await running_bot.settle()
    photo = running_bot.fake.bot_messages(ADMIN_ID)[-1]
    assert photo.media == "photo"
    assert "Subscribers: 2" in (photo.text or "")
