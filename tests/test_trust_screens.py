"""A bot people can trust, over the fake Bot API in tg/ru/en: "Is this the real bot?", /privacy,
/settings and "I am being detained" (menu, deep links, About), links on LINK_DOMAIN only, the
profile naming the real @username, and a detained flow that writes and logs nothing."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.pages import load_pages
from devtools.fake_telegram import FakeTelegram
from tests.conftest import RunningBot, start_bot

PAGES = load_pages()
LOCALES = ("tg", "ru", "en")
LANG_BUTTON = {"tg": "Тоҷикӣ", "ru": "Русский", "en": "English"}
DETAINED_BUTTON = {"tg": "Маро дастгир мекунанд", "ru": "Меня задерживают", "en": "being detained"}
ABOUT_BUTTON = {"tg": "Эътилоф", "ru": "Коалиции", "en": "About the Coalition"}
VERIFY_BUTTON = {"tg": "боти аслист", "ru": "настоящий бот", "en": "real bot"}
NEVER_ASKS = {"tg": "рақами телефони", "ru": "номер телефона", "en": "phone number"}
URL_RE = re.compile(r"https?://[^\s\"'<>]+")
CHANNELS = "ru:@notorturetj,tg:@notorturetj_tj,en:-1001234"


@pytest.fixture
async def dog_bot(fake: FakeTelegram, tmp_path: Path):
    harness = await start_bot(fake, tmp_path, link_domain="telegram.dog", channels=CHANNELS)
    try:
        yield harness
    finally:
        await harness.stop()


async def start_in(bot: RunningBot, user: int, locale: str) -> None:
    await bot.say(user, "/start", language_code="en")
    await bot.tap(user, LANG_BUTTON[locale])
    bot.fake.advance(5)  # a person reads before tapping again (per-chat flood limit)


def links_of(message) -> list[str]:
    """Every link the person can tap or read: buttons, and the shown text."""
    urls = [b["url"] for b in message.buttons if "url" in b]
    urls += URL_RE.findall(message.html or "")
    urls += [e["url"] for e in message.entities if e.get("url")]
    return urls


def assert_dog_only(message) -> None:
    for url in links_of(message):
        host = urlparse(url).netloc
        assert host in ("telegram.dog", "notorturetj.org"), url
        inner = parse_qs(urlparse(url).query).get("url", [])
        assert all(urlparse(u).netloc == "telegram.dog" for u in inner), url


@pytest.mark.parametrize("locale", LOCALES)
async def test_verify_names_the_exact_bot_and_channels(dog_bot: RunningBot, locale: str) -> None:
    user = 6100 + ord(locale[0])
    await start_in(dog_bot, user, locale)
    shown = await dog_bot.say(user, "/start verify")
    username = dog_bot.services.links.username
    assert username == dog_bot.fake.bot_username  # learnt from getMe
    assert f"@{username}" in shown.text
    assert "@notorturetj" in shown.text and "@notorturetj_tj" in shown.text
    assert "-1001234" not in shown.text  # a numeric channel id means nothing to a reader
    assert NEVER_ASKS[locale] in shown.text and "@notoscam" in shown.text
    assert PAGES.get("verify", locale).splitlines()[0].replace("<b>", "")[:20] in shown.text
    assert "https://telegram.dog/notorturetj" in links_of(shown)
    assert_dog_only(shown)
    # the same screen from About
    dog_bot.fake.advance(5)
    await dog_bot.say(user, "/about")
    again = await dog_bot.tap(user, VERIFY_BUTTON[locale])
    assert f"@{username}" in again.text


@pytest.mark.parametrize("locale", LOCALES)
async def test_privacy_is_a_command_and_a_deep_link(dog_bot: RunningBot, locale: str) -> None:
    user = 6200 + ord(locale[0])
    await start_in(dog_bot, user, locale)
    shown = await dog_bot.say(user, "/privacy")
    days = str(dog_bot.settings.report_retention_days)
    assert days in shown.text and "{retention_days}" not in shown.text
    assert "Telegram" in shown.text
    assert_dog_only(shown)
    dog_bot.fake.advance(5)
    linked = await dog_bot.say(user, "/start privacy")
    assert linked.text == shown.text


async def test_privacy_and_settings_are_in_every_command_menu(dog_bot: RunningBot) -> None:
    # set per language in the order tg, ru, en, then the default: wait for the last one
    await dog_bot.fake.wait_for(lambda: dog_bot.fake.commands(language_code=""), 10)
    for code in ("", "tg", "ru", "en"):
        names = {c["command"] for c in dog_bot.fake.commands(language_code=code)}
        assert {"privacy", "settings", "verify"} <= names, code


@pytest.mark.parametrize("locale", LOCALES)
async def test_settings_joins_language_and_daily_posts(dog_bot: RunningBot, locale: str) -> None:
    user = 6300 + ord(locale[0])
    await start_in(dog_bot, user, locale)
    shown = await dog_bot.say(user, "/settings")
    buttons = [b["text"] for b in shown.buttons]
    assert any("🌐" in b for b in buttons) and any("📰" in b for b in buttons)
    assert any("📍" in b for b in buttons)  # the receptions feature's region screen
    assert_dog_only(shown)
    dog_bot.fake.advance(5)
    picker = await dog_bot.tap(user, "🌐")
    assert any(LANG_BUTTON["en"] in b["text"] for b in picker.buttons)
    dog_bot.fake.advance(5)
    await dog_bot.say(user, "/start settings")
    dog_bot.fake.advance(5)
    daily = await dog_bot.tap(user, "📰")
    assert any("🔔" in b["text"] for b in daily.buttons)  # the subscriptions screen itself
    dog_bot.fake.advance(5)
    await dog_bot.say(user, "/start settings")
    dog_bot.fake.advance(5)
    region = await dog_bot.tap(user, "📍")
    assert "⚖️" in region.text and any(
        "Душанбе" in b["text"] or "Dushanbe" in b["text"] for b in region.buttons
    )


@pytest.mark.parametrize("locale", LOCALES)
async def test_detained_from_the_menu_and_the_deep_link(dog_bot: RunningBot, locale: str) -> None:
    user = 6500 + ord(locale[0])
    await start_in(dog_bot, user, locale)
    await dog_bot.say(user, "/menu")
    menu = [b["text"] for b in dog_bot.fake.bot_messages(user)[-1].buttons]
    index = next(i for i, b in enumerate(menu) if DETAINED_BUTTON[locale] in b)
    assert index == 1  # after "Know your rights" (10), before "Get help now" (20)
    dog_bot.fake.advance(5)
    shown = await dog_bot.tap(user, DETAINED_BUTTON[locale])
    relative = PAGES.get("relative", locale)
    assert "98 708 76 76" in shown.text and "98 787 33 33" in shown.text
    assert "72" in shown.text and "3" in shown.text and "⚖️" in shown.text
    assert relative in shown.text
    copy = next(b for b in shown.buttons if "copy_text" in b)
    assert copy["copy_text"]["text"] == relative
    share = next(b["url"] for b in shown.buttons if "share/url" in b.get("url", ""))
    assert parse_qs(urlparse(share).query)["text"] == [relative]
    assert_dog_only(shown)
    dog_bot.fake.advance(5)
    linked = await dog_bot.say(user, "/start detained")
    assert linked.text == shown.text


def _db_state(bot: RunningBot) -> dict[str, bytes]:
    path = Path(bot.settings.database_path)
    files = [path, path.with_name(path.name + "-wal")]
    return {f.name: f.read_bytes() for f in files if f.exists()}


async def _row_counts(bot: RunningBot) -> dict[str, int]:
    db = bot.services.db
    tables = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
    counts = {}
    for (name,) in tables:
        row = await db.fetchone(f'SELECT COUNT(*) FROM "{name}"')
        counts[name] = row[0]
    return counts


async def test_the_detained_flow_writes_nothing_and_logs_no_text(
    dog_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    user = 6601
    await start_in(dog_bot, user, "ru")
    await dog_bot.settle()
    before_files, before_rows = _db_state(dog_bot), await _row_counts(dog_bot)
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        await dog_bot.say(user, "/start detained")
        dog_bot.fake.advance(5)
        await dog_bot.tap(user, "🏠")
        dog_bot.fake.advance(5)
        await dog_bot.tap(user, DETAINED_BUTTON["ru"])
        await dog_bot.settle()
    assert await _row_counts(dog_bot) == before_rows
    assert _db_state(dog_bot) == before_files
    relative = PAGES.get("relative", "ru")
    for record in caplog.records:
        message = record.getMessage()
        assert relative[:20] not in message and "98 708" not in message, message
        assert str(user) not in message, message
        assert not record.name.startswith("handlers.trust"), message
    key = StorageKey(bot_id=dog_bot.bot.id, chat_id=user, user_id=user)
    assert await dog_bot.dp.fsm.storage.get_data(key=key) == {}
    assert await dog_bot.dp.fsm.storage.get_state(key=key) is None


async def test_the_profile_names_the_real_bot_in_three_languages(dog_bot: RunningBot) -> None:
    fake = dog_bot.fake
    username = fake.bot_username
    await fake.wait_for(lambda: sum(m == "setMyShortDescription" for m, _ in fake.calls) >= 4, 10)
    await dog_bot.settle()
    for code in ("tg", "ru", "en", ""):
        description = (await dog_bot.bot.get_my_description(language_code=code or None)).description
        short = await dog_bot.bot.get_my_short_description(language_code=code or None)
        name = (await dog_bot.bot.get_my_name(language_code=code or None)).name
        assert f"@{username}" in description and "/verify" in description, code
        assert f"@{username}" in short.short_description, code
        assert name and name != fake.bot_first_name, code
    names = {(await dog_bot.bot.get_my_name(language_code=c)).name for c in ("tg", "ru", "en")}
    assert len(names) == 3  # each in its own language


async def test_the_profile_is_not_set_again_when_unchanged(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    first = await start_bot(fake, tmp_path)
    await fake.wait_for(lambda: any(m == "setMyShortDescription" for m, _ in fake.calls), 10)
    await first.settle()
    await first.stop()
    fake.calls.clear()
    second = await start_bot(fake, tmp_path)
    await fake.wait_for(lambda: sum(m == "getMyShortDescription" for m, _ in fake.calls) >= 4, 10)
    await second.settle()
    await second.stop()
    assert not any(m in ("setMyName", "setMyDescription") for m, _ in fake.calls)


async def test_forged_and_odd_buttons_and_commands(dog_bot: RunningBot) -> None:
    from bot.callbacks import Nav

    user = 6901
    await start_in(dog_bot, user, "en")
    shown = await dog_bot.say(user, "/settings")
    fake = dog_bot.fake
    # a button for a screen no feature registers: the menu, not an error
    query_id = await fake.press(user, shown.message_id, Nav(screen="quiz").pack(), force=True)
    home = await fake.next_bot_message(user)
    assert "out of date" in fake.callback_answers[query_id].get("text", "")
    assert any("Know your rights" in b["text"] for b in home.buttons)
    fake.advance(5)
    # an argument nobody sends still opens the same screen
    await fake.press(user, home.message_id, Nav(screen="detained", arg="x" * 40).pack(), force=True)
    detained = await fake.next_bot_message(user)
    assert "98 708 76 76" in detained.text
    fake.advance(5)
    long = await dog_bot.say(user, "/privacy " + "я" * 3000)
    assert str(dog_bot.settings.report_retention_days) in long.text
    fake.advance(5)
    odd = await dog_bot.say(user, "/start detained_" + "z" * 60)
    assert "98 708 76 76" in odd.text
    group = -100_6901
    fake.add_group(group, title="A group")
    await fake.send_text(user, "/privacy", chat_id=group)
    await dog_bot.settle()
    assert not fake.bot_messages(group)  # private chats only


async def test_a_first_visit_by_the_detained_link_opens_it_after_the_language(
    dog_bot: RunningBot,
) -> None:
    user = 6951
    picker = await dog_bot.say(user, "/start detained", language_code="ru")
    assert any(LANG_BUTTON["tg"] in b["text"] for b in picker.buttons)
    shown = await dog_bot.tap(user, LANG_BUTTON["tg"])
    assert PAGES.get("relative", "tg") in shown.text
    assert "Маро дастгир" in shown.text or "дастгир кунанд" in shown.text
