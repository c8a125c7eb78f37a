"""End to end through the fake Bot API over HTTP: first contact, menu, help, bad input, blocking."""

from __future__ import annotations

import pytest

from tests.conftest import RunningBot

HOTLINES = ("98 708 76 76", "98 787 33 33", "98 787 66 66", "+992 933 331 703", "+992 922 221 803")
MENU_WORDS = {
    "tg": ("Кӯмаки фаврӣ", "Дар бораи Эътилоф"),
    "ru": ("Помощь сейчас", "О Коалиции"),
    "en": ("Get help now", "About the Coalition"),
}
LANG_BUTTON = {"tg": "Тоҷикӣ", "ru": "Русский", "en": "English"}


@pytest.mark.parametrize("locale", ["tg", "ru", "en"])
async def test_first_start_picks_language_then_menu_then_help(
    running_bot: RunningBot, locale: str
) -> None:
    user = 1000 + len(locale)
    first = await running_bot.say(user, "/start", language_code="en")
    assert "Choose your language" in first.text and "Забонро интихоб кунед" in first.text
    assert [b["text"] for row in first.reply_markup for b in row] == [
        "Тоҷикӣ",
        "Русский",
        "English",
    ]

    menu = await running_bot.tap(user, LANG_BUTTON[locale])
    buttons = running_bot.buttons(user)
    for word in MENU_WORDS[locale]:
        assert any(word in b for b in buttons), (word, buttons)
    assert menu.message_id == first.message_id  # the picker message became the menu

    help_screen = await running_bot.tap(user, MENU_WORDS[locale][0])
    for number in HOTLINES:
        assert number in help_screen.text
    assert "notorturetj.org" in help_screen.text
    record = await running_bot.services.users.get(user)
    assert record is not None and record.locale == locale


async def test_get_help_now_is_one_tap_from_every_screen(running_bot: RunningBot) -> None:
    user = 2001
    await running_bot.say(user, "/start")
    await running_bot.tap(user, "English")
    for screen_button in ("About the Coalition", "Language"):
        await running_bot.tap(user, "Menu") if "Menu" in running_bot.buttons(user) else None
        await running_bot.tap(user, screen_button)
        assert any("Get help now" in b for b in running_bot.buttons(user)), screen_button
        shown = await running_bot.tap(user, "Get help now")
        assert "98 708 76 76" in shown.text
        await running_bot.tap(user, "Menu")


async def test_deep_link_opens_a_screen_directly(running_bot: RunningBot) -> None:
    user = 2002
    await running_bot.say(user, "/start")
    await running_bot.tap(user, "Русский")
    shown = await running_bot.say(user, "/start help")
    assert "98 787 66 66" in shown.text and "Помощь сейчас" in shown.text
    about = await running_bot.say(user, "/start about")
    assert "2011" in about.text


async def test_deep_link_before_language_choice_opens_after_picking(
    running_bot: RunningBot,
) -> None:
    user = 2003
    picker = await running_bot.say(user, "/start about")
    assert "Choose your language" in picker.text
    shown = await running_bot.tap(user, "Тоҷикӣ")
    assert "Эътилофи ҷомеаи шаҳрвандӣ" in shown.text


async def test_unknown_text_command_and_sticker_get_translated_answers(
    running_bot: RunningBot,
) -> None:
    user = 2004
    await running_bot.say(user, "/start")
    await running_bot.tap(user, "Русский")
    answer = await running_bot.say(user, "/nonexistent junk args")
    assert "не знаю такой команды" in answer.text
    await running_bot.settle()
    running_bot.fake.send_update(
        {
            "message": {
                "message_id": 99,
                "date": 0,
                "chat": {"id": user, "type": "private"},
                "from": {"id": user, "is_bot": False, "first_name": "A"},
                "sticker": {
                    "file_id": "x",
                    "file_unique_id": "y",
                    "type": "regular",
                    "width": 1,
                    "height": 1,
                    "is_animated": False,
                    "is_video": False,
                },
            }
        }
    )
    await running_bot.fake.wait_for(
        lambda: any(
            "только текст и кнопки" in (m.text or "") for m in running_bot.fake.bot_messages(user)
        )
    )


async def test_location_is_deleted_for_safety(running_bot: RunningBot) -> None:
    user = 2005
    await running_bot.say(user, "/start")
    await running_bot.tap(user, "English")
    await running_bot.settle()
    running_bot.fake.send_update(
        {
            "message": {
                "message_id": 500,
                "date": 0,
                "chat": {"id": user, "type": "private"},
                "from": {"id": user, "is_bot": False, "first_name": "A"},
                "location": {"latitude": 38.56, "longitude": 68.78},
            }
        }
    )
    await running_bot.fake.wait_for(
        lambda: any("deleted" in (m.text or "") for m in running_bot.fake.bot_messages(user))
    )
    deletes = [p for m, p in running_bot.fake.calls if m == "deleteMessage"]
    assert any(int(p["message_id"]) == 500 for p in deletes)


async def test_stale_and_forged_buttons_never_raise(running_bot: RunningBot) -> None:
    user = 2006
    await running_bot.say(user, "/start")
    menu = await running_bot.tap(user, "English")
    for data in ("n1:nosuchscreen:", "l1:xx", "garbage", "n1", "n1:help:" + "x" * 40):
        query_id = await running_bot.fake.press(user, menu.message_id, data, force=True)
        await running_bot.fake.wait_for(lambda q=query_id: q in running_bot.fake.callback_answers)
    await running_bot.settle()
    assert all(
        "error" not in (text or "").lower()
        for text in (m.text for m in running_bot.fake.bot_messages(user))
    )
    shown = await running_bot.say(user, "/start")
    assert any("Get help now" in b for b in running_bot.buttons(user)), shown.text


async def test_blocked_user_is_marked_and_unblocking_restores(running_bot: RunningBot) -> None:
    user = 2007
    await running_bot.say(user, "/start")
    await running_bot.tap(user, "English")
    running_bot.fake.block_user(user)
    await running_bot.fake.wait_for(
        lambda: (
            running_bot.services.users._cache.get(user) is None
            or running_bot.services.users._cache[user].blocked
        )
    )
    await running_bot.settle()
    assert (await running_bot.services.users.get(user)).blocked
    running_bot.fake.unblock_user(user)
    await running_bot.settle()
    assert not (await running_bot.services.users.get(user)).blocked


async def test_group_messages_and_channel_posts_are_ignored(running_bot: RunningBot) -> None:
    group = -100500
    running_bot.fake.add_group(group, title="Some group")
    await running_bot.fake.send_text(42, "hello everyone", chat_id=group)
    running_bot.fake.send_update(
        {
            "channel_post": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": -100600, "type": "channel", "title": "c"},
                "text": "news",
            }
        }
    )
    await running_bot.settle()
    assert running_bot.fake.bot_messages(group) == []
    await running_bot.fake.send_text(42, "/start", chat_id=group)
    reply = await running_bot.fake.next_bot_message(group)
    assert "private chat" in reply.text or "личном" in reply.text


async def test_commands_and_descriptions_are_set_per_language(running_bot: RunningBot) -> None:
    fake = running_bot.fake
    await fake.wait_for(lambda: fake.commands(language_code="tg"))
    await fake.wait_idle()
    tg = {c["command"]: c["description"] for c in fake.commands(language_code="tg")}
    ru = {c["command"]: c["description"] for c in fake.commands(language_code="ru")}
    assert tg["language"] == "Иваз кардани забон" and ru["language"] == "Сменить язык"
    user = 2008
    await running_bot.say(user, "/start")
    await running_bot.tap(user, "Тоҷикӣ")
    await fake.wait_idle()
    chat_scoped = fake.commands(scope={"type": "chat", "chat_id": user})
    assert {c["command"] for c in chat_scoped} == set(tg)


async def test_flood_limit_on_answers_is_waited_out(running_bot: RunningBot, caplog) -> None:
    """Telegram allows about 1 message/s per chat: answers wait out a 429 instead of failing."""
    user = 2009
    await running_bot.say(user, "/start")
    await running_bot.tap(user, "English")
    await running_bot.settle()
    for _ in range(4):  # each answer is two messages: the reply and the menu
        await running_bot.fake.send_text(user, "/nonexistent")
    await running_bot.fake.wait_for(
        lambda: (
            sum(
                "don't know this command" in (m.text or "")
                for m in running_bot.fake.bot_messages(user)
            )
            == 4
        ),
        timeout=30,
    )
    assert running_bot.fake.stats.rate_limited > 0  # the limit was really hit
    assert running_bot.fake.stats.sent_during_retry_after == 0
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_a_photo_outside_a_report_is_deleted_with_the_safe_way_to_send_it(
    running_bot: RunningBot,
) -> None:
    user = 2011
    await running_bot.say(user, "/start")
    await running_bot.tap(user, "Русский")
    photo = await running_bot.fake.send_photo(user, b"\xff\xd8PHOTO", caption="синяки")
    answer = await running_bot.fake.next_bot_message(user)
    assert "удалил файл" in answer.text and "горячих линий" in answer.text  # no reports here
    assert photo["message_id"] in running_bot.fake.chat(user).deleted_ids
    assert "Помощь сейчас" in str(answer.reply_markup)


async def test_with_reports_on_a_document_points_to_the_anonymous_report(
    unlimited_fake, tmp_path, trustee
) -> None:
    from tests.reports_helpers import start_reports_bot

    bot = await start_reports_bot(unlimited_fake, tmp_path, trustee)
    try:
        user = 2012
        await bot.say(user, "/start")
        await bot.tap(user, "English")
        answer = await bot.send_file(user, "document", b"%PDF", file_name="exam.pdf")
        assert "start an anonymous report" in answer.text
        sent = [m.text for m in bot.fake.chat(user).messages if not m.from_bot]
        assert sent == ["/start"]  # the document left the chat
        report = await bot.tap(user, "Report anonymously")
        assert "Start the report" in str(report.reply_markup)
    finally:
        await bot.stop()
