"""The two screens: the latest articles in the reader's language (paged), and one article
(paged, with its photos, the original page and a Share button)."""

from __future__ import annotations

import re

from aiogram.types import InlineKeyboardButton
from aiogram.utils.i18n import gettext as _

from bot.articles.service import ARTICLE_SCREEN, LIST_SCREEN, ArticleService
from bot.screens import Screen, ScreenRequest, nav_button
from bot.telegram_html import escape
from handlers.articles.callbacks import ArticleAction, ArticleCb

SCREEN_LIST = LIST_SCREEN
SCREEN_ARTICLE = ARTICLE_SCREEN
LABEL_LIMIT = 60
_ARTICLE_ARG = re.compile(r"^(\d{1,9})(?:_(\d{1,4}))?$")


def article_arg(article_id: int, page: int = 0) -> str:
    return str(article_id) if page == 0 else f"{article_id}_{page}"


def _label(title: str) -> str:
    """A button label: the title, shortened at a word end."""
    if len(title) <= LABEL_LIMIT:
        return title
    cut = title[:LABEL_LIMIT].rsplit(" ", 1)[0] or title[:LABEL_LIMIT]
    return cut.rstrip(" ,.;:-") + "…"


async def list_screen(articles: ArticleService, request: ScreenRequest) -> Screen:
    page = int(request.arg) if request.arg.isdigit() and len(request.arg) < 5 else 0
    found, pages = await articles.latest(request.locale, page)
    if not found and page > 0:
        page = pages - 1
        found, pages = await articles.latest(request.locale, page)
    head = _("<b>📰 Articles</b>")
    if not found:
        text = _(
            "No articles here yet. The Coalition's new articles appear here as soon as they are"
            " published on the website."
        )
        return Screen(f"{head}\n\n{text}")
    intro = _(
        "The Coalition's latest articles, in full: they open here even where the website is"
        " blocked."
    )
    rows = [[nav_button("📰 " + _label(a.title), SCREEN_ARTICLE, str(a.id))] for a in found]
    paging = []
    if page > 0:
        paging.append(nav_button(_("◀️ Newer"), SCREEN_LIST, str(page - 1)))
    if page + 1 < pages:
        paging.append(nav_button(_("Older ▶️"), SCREEN_LIST, str(page + 1)))
    if paging:
        rows.append(paging)
    return Screen(f"{head}\n\n{intro}", rows)


async def article_screen(articles: ArticleService, request: ScreenRequest) -> Screen | None:
    """None for an id that is unknown or not readable yet (a stale link opens the menu)."""
    match = _ARTICLE_ARG.match(request.arg)
    if match is None:
        return None
    article = await articles.get(int(match.group(1)))
    if article is None:
        return None
    total = len(article.pages)
    page = min(int(match.group(2) or 0), total - 1)
    parts = [f"<b>{escape(article.title)}</b>", article.pages[page]]
    if total > 1:
        parts.append(
            "<i>" + _("Page {page} of {total}").format(page=page + 1, total=total) + "</i>"
        )
    rows: list[list[InlineKeyboardButton]] = []
    paging = []
    if page > 0:
        paging.append(
            nav_button(_("◀️ Previous page"), SCREEN_ARTICLE, article_arg(article.id, page - 1))
        )
    if page + 1 < total:
        paging.append(
            nav_button(_("Next page ▶️"), SCREEN_ARTICLE, article_arg(article.id, page + 1))
        )
    if paging:
        rows.append(paging)
    if article.images:
        rows.append(
            [
                InlineKeyboardButton(
                    text=_("🖼 Photos ({count})").format(count=len(article.images)),
                    callback_data=ArticleCb(
                        action=ArticleAction.PHOTOS, article_id=article.id
                    ).pack(),
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(text=_("🌐 On the website"), url=article.url),
            InlineKeyboardButton(text=_("📤 Share"), url=articles.share_link(article)),
        ]
    )
    rows.append([nav_button(_("📰 All articles"), SCREEN_LIST)])
    return Screen("\n\n".join(parts), rows)
