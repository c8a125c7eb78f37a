"""Inline mode (INLINE_MODE=true): `@bot question` in any chat offers the guide's checked answers;
an empty query offers the hotlines. Each result sends the full answer in the person's language
(their choice, Telegram's language, or a `tg:` / `ru:` / `en:` prefix) with "Open in the bot"."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
)
from aiogram.utils.i18n import gettext as _

from bot.i18n import Translator
from bot.links import DeepLinks
from bot.pages import Pages
from bot.trust.inline import (
    CACHE_SECONDS,
    InlineGuide,
    description,
    full_answer,
    result_id,
    split_locale,
)

ANSWER_LINK_PREFIX = "faq_"  # the guide's deep link (handlers/rights/menu.py)
HELP_LINK = "help"
GUIDE_LINK = "rights"  # the button above the results opens the guide's topics in the bot


def _open_button(links: DeepLinks, payload: str) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(text=_("📚 Open in the bot"), url=links.start(payload))
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


def hotlines_result(pages: Pages, links: DeepLinks, locale: str) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=result_id(locale, "hotlines"),
        title=_("🆘 Coalition hotlines, 24 hours a day"),
        description=_("Send the hotline numbers to this chat"),
        input_message_content=InputTextMessageContent(
            message_text=links.on_domain(pages.get("help", locale))
        ),
        reply_markup=_open_button(links, HELP_LINK),
    )


async def on_inline_query(
    query: InlineQuery,
    inline_guide: InlineGuide,
    pages: Pages,
    links: DeepLinks,
    i18n: Translator,
    locale: str,
) -> None:
    language, question = split_locale(query.query, locale)
    with i18n.use_locale(language):
        if not question:
            results = [hotlines_result(pages, links, language)]
        else:
            more = _("<i>The rest of this answer is in the bot: «📚 Open in the bot».</i>")
            results = [
                InlineQueryResultArticle(
                    id=result_id(language, entry.id),
                    title=entry.text(language).question,
                    description=description(entry.text(language).answer),
                    input_message_content=InputTextMessageContent(
                        message_text=links.on_domain(full_answer(entry, language, more))
                    ),
                    reply_markup=_open_button(links, ANSWER_LINK_PREFIX + entry.id),
                )
                for entry in inline_guide.answers(question)
            ]
            if not results:  # nothing checked matches: the hotlines, never an empty list
                results = [hotlines_result(pages, links, language)]
        above = InlineQueryResultsButton(
            text=_("📚 All answers in the bot"), start_parameter=GUIDE_LINK
        )
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True, button=above)


def setup() -> Router:
    router = Router(name="trust.inline")
    router.inline_query.register(on_inline_query)
    return router
