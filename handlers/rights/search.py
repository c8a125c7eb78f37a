"""A question typed in the reader's own words: a greeting, the one clear answer, a short choice
of answers, or the honest "the guide has no answer yet" with the hotlines."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.articles.service import ARTICLE_SCREEN, ArticleService
from bot.articles.store import StoredArticle
from bot.db.users import UserRecord
from bot.pages import Pages
from bot.rights.content import SCREEN_ANSWER, SCREEN_MENU, Faq
from bot.rights.normalize import letter_count
from bot.rights.search import Result
from bot.rights.service import FaqService
from bot.screens import HOME, Screen, ScreenRegistry, nav_button, open_screen, render, show
from handlers.rights.menu import topics_rows

MIN_LETTERS = 2  # "?" or "1" is not a question: the fallback shows the menu instead
RESULTS_SCREEN = "search"  # not registered: search results are not opened by a button


def is_question(message: Message) -> bool:
    text = message.text or ""
    return not text.startswith("/") and letter_count(text) >= MIN_LETTERS


def greeting_text() -> str:
    return _(
        "Hello! This is the bot of the Coalition against Torture and Impunity in Tajikistan. "
        "Choose a section below, or type your question in your own words."
    )


def results_screen(faq: Faq, hotlines: str, locale: str, result: Result) -> Screen:
    """Matching questions as buttons; nothing relevant → say so honestly, with the hotlines."""
    if result.hits:
        rows = [
            [
                nav_button(
                    faq.entries[hit.entry_id].text(locale).question, SCREEN_ANSWER, hit.entry_id
                )
            ]
            for hit in result.hits
        ]
        rows.append([nav_button(_("📚 All topics"), SCREEN_MENU)])
        return Screen(_("These answers may help. Choose one:"), rows)
    if result.words:
        return no_answer_screen(faq, locale, hotlines)
    text = _(
        "I could not find an answer to that. Try other words, or choose a topic below.\n\n"
        "If you need help now, call the Coalition's hotline:"
    )
    return Screen(f"{text}\n\n{hotlines}", topics_rows(faq, locale))


ARTICLE_LABEL = 60


def with_articles(screen: Screen, found: list[StoredArticle], after: int) -> Screen:
    """The guide's answers first (the first `after` rows), then the articles that match, then
    the topic buttons."""
    if not found:
        return screen
    rows = [
        [nav_button("📰 " + _short(article.title), ARTICLE_SCREEN, str(article.id))]
        for article in found
    ]
    text = screen.text + "\n\n" + _("📰 Articles of the Coalition on this are below.")
    merged = screen.rows[:after] + rows + screen.rows[after:]
    return Screen(text, merged, footer=screen.footer)


def _short(title: str) -> str:
    if len(title) <= ARTICLE_LABEL:
        return title
    return (title[:ARTICLE_LABEL].rsplit(" ", 1)[0] or title[:ARTICLE_LABEL]) + "…"


def no_answer_screen(faq: Faq, locale: str, hotlines: str) -> Screen:
    """A question the guide does not cover: no unrelated answers, but people who can help."""
    text = _(
        "<b>The guide has no answer to this yet.</b>\n\n"
        "The Coalition's lawyers can help with this question too: call a hotline below. "
        "They also give free advice at mobile legal receptions in Dushanbe, Sughd and Khatlon; "
        "ask on the hotline when and where the next one is."
    )
    return Screen(f"{text}\n\n{hotlines}", topics_rows(faq, locale))


async def on_question(
    message: Message,
    faq: FaqService,
    pages: Pages,
    screens: ScreenRegistry,
    user_record: UserRecord,
    locale: str,
    articles: ArticleService,
) -> None:
    """Free text: a greeting gets a greeting and the menu; a clear single match opens its
    answer at once; otherwise the matching questions, or the honest "no answer yet"."""
    result = faq.find(message.text or "")
    if result.greeting:
        await message.answer(greeting_text())
        await open_screen(message, screens, user_record, locale, HOME)
        return
    direct = result.direct
    if direct is not None:
        screen = await render(screens, user_record, locale, SCREEN_ANSWER, direct.entry_id)
        if screen is not None:
            await show(message, screen, SCREEN_ANSWER)
            return
    hotlines = pages.get("help", locale)
    screen = results_screen(faq.faq, hotlines, locale, result)
    found = await articles.search(message.text or "", locale) if result.words else []
    await show(message, with_articles(screen, found, len(result.hits)), RESULTS_SCREEN)


def setup() -> Router:
    router = Router(name="rights.search")
    # Free text nobody else claimed (no conversation in progress) is a question for the guide.
    router.message.register(on_question, F.text, StateFilter(None), is_question)
    return router
