"""One reception's place: the map (sendVenue, when the coordinates are known), the .ics file for
the calendar, and a button that copies the address."""

from __future__ import annotations

from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    CopyTextButton,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from aiogram.utils.i18n import gettext as _

from bot.clock import Clock
from bot.receptions.ics import ics_filename, reception_ics
from bot.receptions.service import ReceptionService
from bot.receptions.texts import description, short_card, title
from handlers.receptions.callbacks import ReceptionCb, upcoming_or_refuse

COPY_TEXT_LIMIT = 256  # Telegram: CopyTextButton.text is 1-256 characters


async def on_place(
    query: CallbackQuery,
    callback_data: ReceptionCb,
    receptions: ReceptionService,
    clock: Clock,
    locale: str,
) -> None:
    now = clock()
    reception = await upcoming_or_refuse(query, receptions, callback_data.arg, now)
    if reception is None:
        return
    await query.answer()
    bot, chat_id = query.bot, query.from_user.id
    assert bot is not None
    if reception.has_place:
        assert reception.latitude is not None and reception.longitude is not None
        await bot.send_venue(
            chat_id,
            latitude=reception.latitude,
            longitude=reception.longitude,
            title=reception.venue[locale],
            address=reception.address[locale],
        )
    markup = None
    if reception.address:
        address = reception.address[locale][:COPY_TEXT_LIMIT]
        button = InlineKeyboardButton(
            text=_("📋 Copy the address"), copy_text=CopyTextButton(text=address)
        )
        markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
    ics = reception_ics(
        reception,
        locale,
        receptions.tz,
        title=title(reception, locale),
        description=description(reception, locale),
        stamp=now,
    )
    await bot.send_document(
        chat_id,
        BufferedInputFile(ics, filename=ics_filename(reception)),
        caption=short_card(reception, locale)  # a caption has 1024 characters; this fits
        + "\n\n"
        + _("📅 Open the file to add it to your calendar."),
        reply_markup=markup,
    )
