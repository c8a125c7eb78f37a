"""The report chat's I/O: every message sent is tracked for deletion; media is downloaded, its
file id dropped and the person's message deleted at once; acknowledgements repeat nothing."""

from __future__ import annotations

import contextlib
import io
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.reports import flow
from bot.reports.session import Session

MEDIA_KINDS = ("photo", "document", "voice", "video", "audio", "video_note")


def text_received(count: int) -> str:
    """What replaces a text the person sent: its length, never its words."""
    return _("✓ Received, characters: {count}.").format(count=count)


def media_received(kind: str, caption: str | None) -> str:
    """What replaces a file the person sent: its kind, never its name or caption."""
    texts = {
        "photo": _("✓ Photo received and encrypted."),
        "document": _("✓ Document received and encrypted."),
        "voice": _("✓ Voice message received and encrypted."),
        "video": _("✓ Video received and encrypted."),
        "audio": _("✓ Audio received and encrypted."),
        "video_note": _("✓ Video message received and encrypted."),
    }
    text = texts.get(kind, texts["document"])
    if caption:
        text += " " + _("Its caption is encrypted with it (characters: {count}).").format(
            count=len(caption)
        )
    return text


def wipe_notice(seconds: float) -> str:
    """When the bot's messages of this session leave the chat."""
    if seconds >= 60:
        return _("⏳ These messages disappear from this chat in {minutes} min.").format(
            minutes=round(seconds / 60)
        )
    return _("⏳ These messages disappear from this chat in {seconds} s.").format(
        seconds=max(1, round(seconds))
    )


async def delete_now(bot: Bot, chat_id: int, message_ids: list[int]) -> None:
    """Delete at once (the person's messages as soon as read; a session on Exit)."""
    for start in range(0, len(message_ids), 100):
        with contextlib.suppress(TelegramAPIError):
            await bot.delete_messages(chat_id, message_ids[start : start + 100])


def chat_of(event: Message | CallbackQuery) -> int:
    """The chat a report session is keyed on (a private chat: the person's own)."""
    if isinstance(event, Message):
        return event.chat.id
    return event.message.chat.id if event.message is not None else event.from_user.id


def declared_size(message: Message) -> int | None:
    """The size Telegram announces for a media message; None when it is no media."""
    kind = next((k for k in MEDIA_KINDS if getattr(message, k)), None)
    if kind is None:
        return None
    media = getattr(message, kind)
    item = media[-1] if isinstance(media, list) else media
    return item.file_size or 0


async def send_tracked(
    bot: Bot, session: Session, chat_id: int, text: str, **kwargs: Any
) -> Message:
    sent = await bot.send_message(chat_id, text, **kwargs)
    session.track(sent.message_id)
    return sent


async def prompt(
    bot: Bot, session: Session, chat_id: int, text: str, markup: InlineKeyboardMarkup
) -> None:
    """A new prompt at the bottom of the chat; the old prompt goes at once (it is stale)."""
    old = session.prompt_id
    sent = await send_tracked(bot, session, chat_id, text, reply_markup=markup)
    session.prompt_id = sent.message_id
    if old is not None:
        await delete_now(bot, chat_id, [old])


async def download_media(
    message: Message, bot: Bot, session: Session
) -> tuple[str, str | None, str | None, bytes] | None:
    """Download a media message; None (after telling the person why) when it cannot be taken."""
    kind = next((k for k in MEDIA_KINDS if getattr(message, k)), None)
    if kind is None:
        await delete_now(bot, message.chat.id, [message.message_id])  # a sticker, a poll, …
        await send_tracked(
            bot,
            session,
            message.chat.id,
            _(
                "I can take text, photos, documents, voice messages and videos here. "
                "Nothing you entered is lost."
            ),
        )
        return None
    media = getattr(message, kind)
    item = media[-1] if isinstance(media, list) else media  # the largest photo size
    name = getattr(item, "file_name", None)
    mime = getattr(item, "mime_type", None)
    too_big = _(
        "This file is larger than 20 MB, and Telegram does not let bots receive it. Please send "
        "a smaller file or describe it in words. Nothing you entered is lost."
    )
    if (item.file_size or 0) > flow.MAX_FILE_BYTES:
        await delete_now(bot, message.chat.id, [message.message_id])
        await send_tracked(bot, session, message.chat.id, too_big)
        return None
    buffer = io.BytesIO()
    try:
        await bot.download(item.file_id, destination=buffer)
    except TelegramAPIError:
        await send_tracked(bot, session, message.chat.id, too_big)
        return None
    finally:
        # The file id is discarded here: only the sealed bytes are kept.
        await delete_now(bot, message.chat.id, [message.message_id])
    return kind, name, mime, buffer.getvalue()
