"""The catch-all, always last: every input nobody else took gets a clear answer or is ignored on purpose."""

from __future__ import annotations

import contextlib
import logging

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter, Command
from aiogram.types import (
    CallbackQuery,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.utils.i18n import gettext as _

from bot.db.users import UserRecord, UserRepo
from bot.links import DeepLinks
from bot.screens import HELP, HOME, STALE_BUTTON, ScreenRegistry, nav_button, open_screen

log = logging.getLogger(__name__)


async def unknown_command(
    message: Message, screens: ScreenRegistry, user_record: UserRecord, locale: str
) -> None:
    await message.answer(_("I don't know this command. Here is the menu."))
    await open_screen(message, screens, user_record, locale, HOME)


async def unknown_text(
    message: Message, screens: ScreenRegistry, user_record: UserRecord, locale: str
) -> None:
    await message.answer(_("I didn't understand that. Please choose a section in the menu below."))
    await open_screen(message, screens, user_record, locale, HOME)


async def location_or_contact(
    message: Message, screens: ScreenRegistry, user_record: UserRecord, locale: str
) -> None:
    # A location or a phone number identifies a person: remove it from the chat at once.
    with contextlib.suppress(TelegramBadRequest):
        await message.delete()
    await message.answer(
        _(
            "For your safety I deleted what you sent: this bot never needs your location "
            "or your phone number."
        )
    )
    await open_screen(message, screens, user_record, locale, HOME)


REPORT_SCREEN = "report"  # registered by handlers/reports when reports are configured


async def file_outside_a_report(
    message: Message, screens: ScreenRegistry, user_record: UserRecord, locale: str
) -> None:
    """A photo or a file sent outside a report may be evidence, and whoever holds the phone
    can read the chat: it goes at once, with the safe way to send it."""
    with contextlib.suppress(TelegramBadRequest):
        await message.delete()
    if screens.get(REPORT_SCREEN) is not None:
        text = _(
            "For your safety I deleted the file you sent: here it would stay in the chat. To "
            "give photos or documents to the Coalition's lawyers, start an anonymous report: "
            "files sent there are sealed so that only the lawyers can open them, and they "
            "leave your chat at once."
        )
        row = [nav_button(_("🛡 Report anonymously"), REPORT_SCREEN)]
    else:
        text = _(
            "For your safety I deleted the file you sent: here it would stay in the chat. To "
            "talk to the Coalition's lawyers, call one of the hotlines."
        )
        row = [nav_button(_("🆘 Get help now"), HELP)]
    await message.answer(text, reply_markup=InlineKeyboardMarkup(inline_keyboard=[row]))


async def other_content(
    message: Message, screens: ScreenRegistry, user_record: UserRecord, locale: str
) -> None:
    await message.answer(_("I can read text and buttons only here. Please use the menu below."))
    await open_screen(message, screens, user_record, locale, HOME)


async def ignore(_event: object) -> None:
    """Edited messages, channel posts and group chatter: ignored on purpose."""


async def group_command(message: Message, links: DeepLinks) -> None:
    link = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=_("Open the bot"), url=links.start(HOME))]]
    )
    await message.reply(
        _("I work in a private chat only, so that nobody else sees what you write."),
        reply_markup=link,
    )


async def stale_callback(
    query: CallbackQuery, screens: ScreenRegistry, user_record: UserRecord | None, locale: str
) -> None:
    await query.answer(str(STALE_BUTTON))
    if user_record is not None:
        await open_screen(query, screens, user_record, locale, HOME)


async def user_blocked_bot(event: ChatMemberUpdated, users: UserRepo) -> None:
    await users.set_blocked(event.from_user.id, True)


async def user_unblocked_bot(event: ChatMemberUpdated, users: UserRepo) -> None:
    await users.set_blocked(event.from_user.id, False)


def setup() -> Router:
    router = Router(name="fallback")
    private = F.chat.type == ChatType.PRIVATE
    router.message.register(location_or_contact, private, F.location | F.venue | F.contact)
    router.message.register(unknown_command, private, F.text.startswith("/"))
    router.message.register(unknown_text, private, F.text)
    files = F.photo | F.document | F.video | F.voice | F.audio | F.video_note
    router.message.register(file_outside_a_report, private, files)
    router.message.register(other_content, private)
    router.message.register(group_command, Command("start", "help"))
    router.message.register(ignore)
    router.edited_message.register(ignore)
    router.channel_post.register(ignore)
    router.edited_channel_post.register(ignore)
    router.callback_query.register(stale_callback)
    member_filter = F.chat.type == ChatType.PRIVATE
    router.my_chat_member.register(
        user_blocked_bot, member_filter, ChatMemberUpdatedFilter(member_status_changed=KICKED)
    )
    router.my_chat_member.register(
        user_unblocked_bot, member_filter, ChatMemberUpdatedFilter(member_status_changed=MEMBER)
    )
    return router
