"""The article library: the "📰 Articles" screen, one article's pages (deep link art_<id>) and
its photos (the library's logic is in bot/articles)."""

from __future__ import annotations

import functools

from aiogram import Router
from aiogram.utils.i18n import lazy_gettext as __

from bot.articles.service import ArticleService
from bot.screens import ScreenRegistry
from handlers.articles import photos
from handlers.articles.screens import SCREEN_ARTICLE, SCREEN_LIST, article_screen, list_screen


def setup(screens: ScreenRegistry, articles: ArticleService) -> Router:
    screens.register(
        SCREEN_LIST,
        functools.partial(list_screen, articles),
        # Without FEED_URLS the library stays empty: no menu button (links still open it).
        menu_label=__("📰 Articles") if articles.feeds else None,
        menu_order=60,
    )
    screens.register(SCREEN_ARTICLE, functools.partial(article_screen, articles))
    router = Router(name="articles")
    router.include_router(photos.setup())
    return router
