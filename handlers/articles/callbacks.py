"""Buttons of the article library that are not a plain screen (Nav opens the screens)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ArticleAction(StrEnum):
    PHOTOS = "p"


class ArticleCb(CallbackData, prefix="ar1"):
    """`ar1:p:<article id>`: send the article's images as photos. Never trusted: the article is
    looked up again, and an unknown one gets the "out of date" answer."""

    action: ArticleAction
    article_id: int
