"""The "Photos" button of an article: its images as photos (sendPhoto by URL: Telegram's
servers fetch them, so they arrive where the website is blocked), a caption of at most 1024."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.articles.service import ArticleService
from bot.screens import STALE_BUTTON
from bot.telegram_html import escape
from handlers.articles.callbacks import ArticleAction, ArticleCb

log = logging.getLogger(__name__)
CAPTION_LIMIT = 1024


def caption(title: str, number: int, total: int) -> str:
    """The article's title and "n/total", within Telegram's 1024 characters."""
    suffix = f" ({number}/{total})"
    room = CAPTION_LIMIT - len(suffix)
    short = title if len(title) <= room else title[: room - 1].rsplit(" ", 1)[0] + "…"
    return escape(short) + suffix


async def on_photos(
    callback: CallbackQuery, callback_data: ArticleCb, articles: ArticleService
) -> None:
    article = await articles.get(callback_data.article_id)
    if article is None or callback.message is None or not article.images:
        await callback.answer(str(STALE_BUTTON))
        return
    await callback.answer()
    bot = callback.bot
    assert bot is not None
    chat_id = callback.message.chat.id
    failed = 0
    for number, url in enumerate(article.images, start=1):
        try:
            await bot.send_photo(
                chat_id, url, caption=caption(article.title, number, len(article.images))
            )
        except TelegramBadRequest:  # Telegram could not fetch or read that image
            failed += 1
    if failed:
        log.info("articles: %d of %d photos could not be sent", failed, len(article.images))
        await bot.send_message(
            chat_id, _("Some photos could not be loaded. They are on the website.")
        )


def setup() -> Router:
    router = Router(name="articles.photos")
    router.callback_query.register(on_photos, ArticleCb.filter(F.action == ArticleAction.PHOTOS))
    return router
