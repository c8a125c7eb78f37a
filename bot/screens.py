"""Screens: named views (text + buttons) that buttons, commands and deep links open the same way.

A feature registers its screens in the dispatcher's ScreenRegistry; the main menu lists the ones
with a menu label, so a button appears only when its feature is wired in.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.callbacks import Nav
from bot.telegram_html import split_html

if TYPE_CHECKING:
    from bot.db.users import UserRecord

log = logging.getLogger(__name__)

SCREEN_NAME_RE = re.compile(r"^[a-z][a-z0-9]{0,15}$")
HOME = "home"
HELP = "help"


@dataclass
class Screen:
    """What a screen shows. `footer` adds the "Get help now" and "Menu" row."""

    text: str
    rows: list[list[InlineKeyboardButton]] = field(default_factory=list)
    footer: bool = True
    protect_content: bool = False
    # Told the chat and message ids once shown (the report screens delete them later).
    on_shown: Callable[[int, list[int]], None] | None = None


@dataclass
class ScreenRequest:
    """Who asks for a screen, in which language, with which argument. A renderer gets every
    service it needs bound when its feature's `setup(...)` registered it, not from here."""

    user: UserRecord
    locale: str
    arg: str = ""


Renderer = Callable[[ScreenRequest], Awaitable[Screen | None]]


@dataclass
class ScreenEntry:
    name: str
    render: Renderer
    menu_label: Any = None  # a lazy translated label; None = not in the main menu
    menu_order: int = 100
    deep_link: bool = True


@dataclass(frozen=True)
class CommandEntry:
    name: str
    description: Any  # a lazy translated text
    order: int


class ScreenRegistry:
    """Screens and bot commands of the features wired into one dispatcher."""

    def __init__(self) -> None:
        self._entries: dict[str, ScreenEntry] = {}
        self._commands: dict[str, CommandEntry] = {}
        self._sorted: tuple[CommandEntry, ...] | None = None
        # Built from the commands (e.g. a language's command menu); emptied when one is added.
        self.command_menus: dict[str, tuple[Any, ...]] = {}

    def add_command(self, name: str, description: Any, order: int = 100) -> None:
        """A command shown in Telegram's command menu (set per language at start-up)."""
        self._commands[name] = CommandEntry(name, description, order)
        self._sorted = None
        self.command_menus.clear()

    def commands(self) -> tuple[CommandEntry, ...]:
        """The commands in menu order (the same tuple until a command is added)."""
        if self._sorted is None:
            self._sorted = tuple(sorted(self._commands.values(), key=lambda c: c.order))
        return self._sorted

    def register(
        self,
        name: str,
        render: Renderer,
        *,
        menu_label: Any = None,
        menu_order: int = 100,
        deep_link: bool = True,
    ) -> None:
        if not SCREEN_NAME_RE.match(name):
            raise ValueError(f"bad screen name {name!r}")
        if name in self._entries:
            raise ValueError(f"screen {name!r} registered twice")
        self._entries[name] = ScreenEntry(name, render, menu_label, menu_order, deep_link)

    def get(self, name: str) -> ScreenEntry | None:
        return self._entries.get(name)

    def menu(self) -> list[ScreenEntry]:
        entries = [e for e in self._entries.values() if e.menu_label is not None]
        return sorted(entries, key=lambda e: e.menu_order)

    def names(self) -> list[str]:
        return list(self._entries)


@functools.lru_cache(maxsize=2048)  # buttons are immutable: the same few thousand recur
def nav_button(text: str, screen: str, arg: str = "") -> InlineKeyboardButton:
    """A button that opens a screen; built once (packing and validating cost ~0.08 ms each)."""
    return InlineKeyboardButton(text=text, callback_data=Nav(screen=screen, arg=arg).pack())


def footer_row(current: str) -> list[InlineKeyboardButton]:
    """ "Get help now" one tap from every screen, and the way home."""
    row = []
    if current != HELP:
        row.append(nav_button(_("🆘 Get help now"), HELP))
    if current != HOME:
        row.append(nav_button(_("🏠 Menu"), HOME))
    return row


def build_markup(screen: Screen, current: str) -> InlineKeyboardMarkup | None:
    rows = [list(row) for row in screen.rows]
    if screen.footer and (extra := footer_row(current)):
        rows.append(extra)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def render(
    screens: ScreenRegistry, user: UserRecord, locale: str, name: str, arg: str = ""
) -> Screen | None:
    """Render a screen by name; None when the name or argument is unknown (a stale link)."""
    entry = screens.get(name)
    if entry is None:
        return None
    return await entry.render(ScreenRequest(user, locale, arg))


# A text of at most this many characters cannot exceed 4096 visible UTF-16 units (tags and
# entities only add characters; one character is at most 2 units), so it needs no splitting.
# Splitting walks the text character by character: skipping it for the usual short screen
# saves about a millisecond of CPU per shown screen.
_NO_SPLIT_NEEDED = 4096 // 2


def _chunks(text: str) -> list[str]:
    if len(text) <= _NO_SPLIT_NEEDED and text.strip():
        return [text]
    return list(_split_long(text))


@functools.lru_cache(maxsize=256)
def _split_long(text: str) -> tuple[str, ...]:
    """Long screens are mostly the guide's answers, the same texts again and again: split once
    (walking ~4,000 characters of HTML costs milliseconds)."""
    return tuple(split_html(text, 4096))


async def open_screen(
    event: Message | CallbackQuery,
    screens: ScreenRegistry,
    user: UserRecord,
    locale: str,
    payload: str,
) -> None:
    """Open the screen a deep link, a command or a button names (`name` or `name_arg`);
    an unknown name, or a screen that cannot be shown, opens the main menu instead."""
    registry = screens
    name, _sep, arg = payload.partition("_")
    entry = registry.get(name)
    screen = None
    if entry is not None and entry.deep_link:
        screen = await render(registry, user, locale, name, arg)
    if screen is None:
        name, screen = HOME, await render(registry, user, locale, HOME)
    assert screen is not None  # the main menu always renders
    await show(event, screen, name)


def screen_command(name: str) -> Callable[..., Awaitable[None]]:
    """A command handler that opens one screen (e.g. /help, /about, /rights)."""

    async def handler(
        message: Message, screens: ScreenRegistry, user_record: UserRecord, locale: str
    ) -> None:
        await open_screen(message, screens, user_record, locale, name)

    handler.__name__ = f"cmd_{name}"
    return handler


async def show(event: Message | CallbackQuery, screen: Screen, current: str) -> None:
    """Show a screen: edit the message a button belongs to, or send a new one.

    Texts longer than Telegram allows are sent as several messages, buttons on the last.
    """
    markup = build_markup(screen, current)
    chunks = _chunks(screen.text)
    shown: list[int] = []
    if isinstance(event, CallbackQuery):
        message = event.message
        if len(chunks) == 1 and isinstance(message, Message) and message.text is not None:
            try:
                await message.edit_text(chunks[0], reply_markup=markup)
                return _shown(screen, message.chat.id, [message.message_id])
            except TelegramBadRequest as exc:
                if "message is not modified" in exc.message:
                    return _shown(screen, message.chat.id, [message.message_id])
                log.debug("edit failed (%s); sending a new message", exc.__class__.__name__)
        target = message.chat.id if message is not None else event.from_user.id
        bot = event.bot
        assert bot is not None
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            sent = await bot.send_message(
                target,
                chunk,
                reply_markup=markup if last else None,
                protect_content=screen.protect_content,
            )
            shown.append(sent.message_id)
        return _shown(screen, target, shown)
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        sent = await event.answer(
            chunk, reply_markup=markup if last else None, protect_content=screen.protect_content
        )
        shown.append(sent.message_id)
    return _shown(screen, event.chat.id, shown)


def _shown(screen: Screen, chat_id: int, message_ids: list[int]) -> None:
    if screen.on_shown is not None:
        screen.on_shown(chat_id, message_ids)


STALE_BUTTON = __("This button is out of date. Here is the menu.")
