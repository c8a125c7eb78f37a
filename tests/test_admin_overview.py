"""/admin through the fake Bot API: the overview per role, its buttons, /help for staff, and the
staff's per-chat command menus (set at start-up and when a role or a language changes)."""

from __future__ import annotations

from pathlib import Path

from devtools.fake_telegram import FakeTelegram
from tests.conftest import ADMIN_ID, RunningBot, start_bot
from tests.reports_helpers import new_trustee, start_reports_bot
from tests.test_admin_flow import answer_to, tap

EDITOR, ADMIN, STRANGER, CITIZEN = 555, 556, 4242, 4343
EVERY_BUTTON = [
    "📣 Broadcast",
    "🗂 Recent broadcasts",
    "📊 Statistics",
    "📅 Campaigns",
    "📝 Reports",
    "👥 Admins",
    "🧾 Audit log",
]
CAMPAIGN_COMMANDS = {"campaigns", "skip", "unskip", "postnow"}
EVERY_ROLE = {"admin", "broadcast", "broadcasts", "cancel_broadcast", "stats"} | CAMPAIGN_COMMANDS
# Legal receptions (announce needs "broadcast"), QR codes and quizzes: every role
# (bot/admin/roles.py).
EVERY_ROLE |= {"announce", "qr", "quiz_open", "quiz_prize"}
OWNERS_ONLY = {"admins", "admin_add", "admin_remove", "audit"}


async def in_english(bot: RunningBot, *users: int) -> None:
    """Each person picks English once, so the bot answers and sets their menu in English."""
    for user in users:
        await bot.say(user, "/start", language_code="en")
        await tap(bot, user, "English")
    await bot.settle()


async def give_roles(bot: RunningBot) -> None:
    directory = bot.services.admins
    await directory.set_role(ADMIN_ID, EDITOR, "editor")
    await directory.set_role(ADMIN_ID, ADMIN, "admin")


def commands_listed(text: str) -> set[str]:
    return {line.split(" ", 1)[0][1:] for line in text.splitlines() if line.startswith("/")}


def chat_menu(fake: FakeTelegram, user: int) -> dict[str, str]:
    scope = {"type": "chat", "chat_id": user}
    return {c["command"]: c["description"] for c in fake.commands(scope=scope)}


async def test_the_overview_lists_what_each_role_may_do(
    unlimited_fake: FakeTelegram, tmp_path: Path
) -> None:
    bot = await start_reports_bot(unlimited_fake, tmp_path, new_trustee())
    try:
        await give_roles(bot)
        await in_english(bot, ADMIN_ID, ADMIN, EDITOR)
        owner = await answer_to(bot, ADMIN_ID, "/admin")
        assert "Your role: owner." in owner
        assert commands_listed(owner) == EVERY_ROLE | OWNERS_ONLY | {"reports"}
        assert bot.buttons(ADMIN_ID) == EVERY_BUTTON

        admin = await answer_to(bot, ADMIN, "/admin")
        assert "Your role: admin." in admin
        assert commands_listed(admin) == EVERY_ROLE | {"reports"}
        assert bot.buttons(ADMIN) == [
            b for b in EVERY_BUTTON if b not in ("👥 Admins", "🧾 Audit log")
        ]
        assert "stop a scheduled or running broadcast" in admin

        editor = await answer_to(bot, EDITOR, "/admin")
        assert "Your role: editor." in editor
        assert commands_listed(editor) == EVERY_ROLE
        assert bot.buttons(EDITOR) == EVERY_BUTTON[:4]
        assert "Discard the broadcast you are composing" in editor
        assert "stop a scheduled" not in editor

        # Reports are there only for roles that may see them; the button shows /reports' answer.
        assert "No reports match these filters." in (await tap(bot, ADMIN, "📝 Reports")).text
    finally:
        await bot.stop()


async def test_a_stranger_gets_the_unknown_command_answer(running_bot: RunningBot) -> None:
    unknown = await answer_to(running_bot, STRANGER, "/no_such_command")
    assert await answer_to(running_bot, STRANGER, "/admin") == unknown
    assert "Staff tools" not in " ".join(
        m.text or "" for m in running_bot.fake.bot_messages(STRANGER)
    )


async def test_without_report_keys_nobody_is_shown_reports(running_bot: RunningBot) -> None:
    await in_english(running_bot, ADMIN_ID)
    owner = await answer_to(running_bot, ADMIN_ID, "/admin")
    assert commands_listed(owner) == EVERY_ROLE | OWNERS_ONLY
    assert "📝 Reports" not in running_bot.buttons(ADMIN_ID)


async def test_the_overview_buttons_start_each_action(running_bot: RunningBot) -> None:
    bot = running_bot
    await in_english(bot, ADMIN_ID)
    await answer_to(bot, ADMIN_ID, "/admin")
    assert "Owners, admins and editors" in (await tap(bot, ADMIN_ID, "👥 Admins")).text
    assert "audit log is empty" in (await tap(bot, ADMIN_ID, "🧾 Audit log")).text
    assert "No broadcasts yet." in (await tap(bot, ADMIN_ID, "🗂 Recent broadcasts")).text
    assert "Campaigns" in (await tap(bot, ADMIN_ID, "📅 Campaigns")).text
    await tap(bot, ADMIN_ID, "📊 Statistics")
    await bot.fake.wait_for(lambda: bot.fake.bot_messages(ADMIN_ID)[-1].media == "photo", 30)
    assert "Users:" in (bot.fake.bot_messages(ADMIN_ID)[-1].text or "")
    assert "Send the message to broadcast" in (await tap(bot, ADMIN_ID, "📣 Broadcast")).text
    # It is the composer's first step: what the owner sends now is the broadcast.
    saved = await answer_to(bot, ADMIN_ID, "News for everyone")
    assert "Saved as the version for: all languages." in saved
    assert "discarded" in await answer_to(bot, ADMIN_ID, "/cancel_broadcast")
    actions = await bot.services.db.fetchall("SELECT action FROM audit_log")
    assert ("stats",) in [tuple(a) for a in actions]


async def test_help_for_staff_points_to_admin_and_citizens_see_the_same_page(
    running_bot: RunningBot,
) -> None:
    bot = running_bot
    await in_english(bot, ADMIN_ID, CITIZEN)
    citizen = await answer_to(bot, CITIZEN, "/help")
    assert "/admin" not in citizen and "Staff tools" not in citizen
    assert not any("Staff tools" in b for b in bot.buttons(CITIZEN))
    staff = await answer_to(bot, ADMIN_ID, "/help")
    assert staff.startswith(citizen) and staff.endswith("🛠 Staff tools: /admin")
    overview = await tap(bot, ADMIN_ID, "🛠 Staff tools")
    assert "Your role: owner." in (overview.text or "")


async def test_staff_menus_are_set_per_chat_at_start_and_when_roles_change(
    running_bot: RunningBot,
) -> None:
    bot, fake = running_bot, running_bot.fake
    # The owner never opened the bot: the menu is in DEFAULT_LOCALE (ru).
    await fake.wait_for(lambda: chat_menu(fake, ADMIN_ID))
    owner = chat_menu(fake, ADMIN_ID)
    assert set(owner) >= EVERY_ROLE | OWNERS_ONLY and "reports" not in owner
    assert owner["admin"] == "Инструменты сотрудников: что разрешено вашей роли"
    assert owner["language"] == "Сменить язык"  # everybody's commands are there too
    citizens = {c["command"] for c in fake.commands(language_code="ru")}
    assert set(owner) == citizens | EVERY_ROLE | OWNERS_ONLY

    await in_english(bot, ADMIN_ID, EDITOR)
    assert chat_menu(fake, EDITOR) == {}  # a citizen picking English keeps the default menu
    await answer_to(bot, ADMIN_ID, "/admin_add 555 editor")
    editor = chat_menu(fake, EDITOR)
    assert set(editor) == citizens | EVERY_ROLE
    assert editor["admin"] == "Staff tools: what your role may do"
    assert editor["cancel_broadcast"] == "Discard the broadcast you are composing"
    await answer_to(bot, ADMIN_ID, "/admin_add 555 admin")
    assert "stop a scheduled" in chat_menu(fake, EDITOR)["cancel_broadcast"]

    # The menu follows the staff member's language (Telegram has no Tajik interface).
    await bot.say(EDITOR, "/language", language_code="en")
    await tap(bot, EDITOR, "Тоҷикӣ")
    await bot.settle()
    tajik = chat_menu(fake, EDITOR)
    assert tajik["admin"] == "Асбобҳои кормандон: он чи нақши шумо иҷозат медиҳад"
    assert tajik["language"] == "Иваз кардани забон"

    # Removed: the menu a Tajik citizen has (bot/commands.py), no staff command.
    await answer_to(bot, ADMIN_ID, "/admin_remove 555")
    tg_citizens = {c["command"]: c["description"] for c in fake.commands(language_code="tg")}
    assert chat_menu(fake, EDITOR) == tg_citizens


async def test_removing_an_english_reader_gives_back_the_default_menu(
    running_bot: RunningBot,
) -> None:
    await in_english(running_bot, ADMIN_ID, EDITOR)
    await answer_to(running_bot, ADMIN_ID, "/admin_add 555 editor")
    assert "admin" in chat_menu(running_bot.fake, EDITOR)
    await answer_to(running_bot, ADMIN_ID, "/admin_remove 555")
    assert chat_menu(running_bot.fake, EDITOR) == {}  # the chat scope is gone


async def test_stored_admins_get_their_menu_at_start_up(fake: FakeTelegram, tmp_path: Path) -> None:
    first = await start_bot(fake, tmp_path)
    try:
        await fake.wait_for(lambda: chat_menu(fake, ADMIN_ID))  # start-up's menus are set
        await give_roles(first)  # straight into the database: no menu yet
        async with first.services.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO users (user_id, locale, subscribed, first_seen) "
                "VALUES (?, 'en', 0, '2026-01-01')",
                (ADMIN,),
            )
        await first.settle()
        assert chat_menu(fake, ADMIN) == {} and chat_menu(fake, EDITOR) == {}
    finally:
        await first.stop()
    second = await start_bot(fake, tmp_path)
    try:
        await fake.wait_for(lambda: chat_menu(fake, ADMIN) and chat_menu(fake, EDITOR))
        await second.settle()
        admin, editor = chat_menu(fake, ADMIN), chat_menu(fake, EDITOR)
        assert admin["admin"] == "Staff tools: what your role may do"  # their language
        assert editor["admin"] == "Инструменты сотрудников: что разрешено вашей роли"
        assert not OWNERS_ONLY & set(admin) and not OWNERS_ONLY & set(editor)
    finally:
        await second.stop()
