"""The "Know your rights" screens: topics → questions → answer (paged), and search results.

Renderers return None only for what the core treats as a stale button; an unknown FAQ id (an
old button or a shared link to a removed entry) gets the topic menu with a friendly note instead.
"""

from __future__ import annotations

from urllib.parse import quote

from aiogram.types import InlineKeyboardButton, Message
from aiogram.utils.i18n import gettext as _

from bot.db.users import UserRecord
from bot.rights.content import (
    SCREEN_ANSWER,
    SCREEN_MENU,
    SCREEN_TOPIC,
    Entry,
    Faq,
    answer_arg,
    page_header,
    parse_answer_arg,
)
from bot.rights.search import Result
from bot.rights.service import FaqService
from bot.screens import HOME, Screen, ScreenRequest, nav_button, open_screen, show
from bot.services import Services

DEEP_LINK_PREFIX = f"{SCREEN_ANSWER}_"
SHARE_URL = "https://t.me/share/url?url={url}&text={text}"


def faq_service(services: Services) -> FaqService:
    service = services.faq
    if service is None:  # not wired in this dispatcher (e.g. a test building its own services)
        from bot.rights.service import load_faq_service

        service = services.faq = load_faq_service()
    return service


def topics_rows(faq: Faq, locale: str) -> list[list[InlineKeyboardButton]]:
    return [[nav_button(t.titles[locale], SCREEN_TOPIC, t.id)] for t in faq.topics]


def menu_text(note: str = "") -> str:
    text = _(
        "<b>📚 Know your rights</b>\n\n"
        "Choose a topic, or simply type your question in your own words, in any language."
    )
    return f"{note}\n\n{text}" if note else text


async def menu_screen(request: ScreenRequest) -> Screen:
    faq = faq_service(request.services).faq
    return Screen(menu_text(), topics_rows(faq, request.locale))


async def topic_screen(request: ScreenRequest) -> Screen:
    faq = faq_service(request.services).faq
    topic = faq.topic(request.arg)
    if topic is None:
        return stale_screen(faq, request.locale)
    locale = request.locale
    rows = [
        [nav_button(faq.entries[entry_id].text(locale).question, SCREEN_ANSWER, entry_id)]
        for entry_id in topic.entry_ids
    ]
    rows.append([nav_button(_("⬅️ All topics"), SCREEN_MENU)])
    return Screen(f"<b>{topic.titles[locale]}</b>\n\n{topic.intros[locale]}", rows)


async def answer_screen(request: ScreenRequest) -> Screen:
    services = request.services
    faq = faq_service(services).faq
    entry_id, page = parse_answer_arg(request.arg)
    entry = faq.entry(entry_id)
    if entry is None:
        return stale_screen(faq, request.locale)
    text = entry.text(request.locale)
    page = min(page, len(text.pages) - 1)
    parts = [page_header(text.question)]
    if page == 0 and entry.awaiting_review:
        parts.append(_("<i>⚖️ This answer is awaiting review by the Coalition's lawyers.</i>"))
    parts.append(text.pages[page])
    if len(text.pages) > 1:
        parts.append(
            _("<i>Page {page} of {total}</i>").format(page=page + 1, total=len(text.pages))
        )
    rows = answer_rows(services, faq, entry, request.locale, page)
    return Screen("\n\n".join(parts), rows)


def answer_rows(
    services: Services, faq: Faq, entry: Entry, locale: str, page: int
) -> list[list[InlineKeyboardButton]]:
    text = entry.text(locale)
    rows: list[list[InlineKeyboardButton]] = []
    if len(text.pages) > 1:
        paging = []
        if page > 0:
            paging.append(
                nav_button(_("◀️ Back a page"), SCREEN_ANSWER, answer_arg(entry.id, page - 1))
            )
        if page < len(text.pages) - 1:
            paging.append(
                nav_button(_("Next page ▶️"), SCREEN_ANSWER, answer_arg(entry.id, page + 1))
            )
        rows.append(paging)
    for related_id in entry.related:
        related = faq.entry(related_id)
        if related is not None:
            rows.append(
                [nav_button("➡️ " + related.text(locale).question, SCREEN_ANSWER, related_id)]
            )
    link = services.deep_link(DEEP_LINK_PREFIX + entry.id)
    share = SHARE_URL.format(url=quote(link, safe=""), text=quote(text.question, safe=""))
    rows.append([InlineKeyboardButton(text=_("📤 Share this answer"), url=share)])
    rows.append(
        [
            nav_button(_("⬅️ Back"), SCREEN_TOPIC, entry.topic),
            nav_button(_("📚 All topics"), SCREEN_MENU),
        ]
    )
    return rows


def stale_screen(faq: Faq, locale: str) -> Screen:
    note = _("This answer is no longer here: the guide has been updated.")
    return Screen(menu_text(note), topics_rows(faq, locale))


def results_screen(services: Services, locale: str, result: Result) -> Screen:
    """Matching questions as buttons; nothing relevant → say so honestly, with the hotlines."""
    faq = faq_service(services).faq
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
    hotlines = services.pages.get("help", locale)
    if result.words:
        return no_answer_screen(faq, locale, hotlines)
    text = _(
        "I could not find an answer to that. Try other words, or choose a topic below.\n\n"
        "If you need help now, call the Coalition's hotline:"
    )
    return Screen(f"{text}\n\n{hotlines}", topics_rows(faq, locale))


def no_answer_screen(faq: Faq, locale: str, hotlines: str) -> Screen:
    """A question the guide does not cover: no unrelated answers, but people who can help."""
    text = _(
        "<b>The guide has no answer to this yet.</b>\n\n"
        "The Coalition's lawyers can help with this question too: call a hotline below. "
        "They also give free advice at mobile legal receptions in Dushanbe, Sughd and Khatlon; "
        "ask on the hotline when and where the next one is."
    )
    return Screen(f"{text}\n\n{hotlines}", topics_rows(faq, locale))


def greeting_text() -> str:
    return _(
        "Hello! This is the bot of the Coalition against Torture and Impunity in Tajikistan. "
        "Choose a section below, or type your question in your own words."
    )


async def reply_to_text(
    message: Message, services: Services, user: UserRecord, locale: str
) -> None:
    """Free text: a greeting gets a greeting and the menu; a clear single match opens its
    answer at once; otherwise the matching questions, or the honest "no answer yet"."""
    result = faq_service(services).find(message.text or "")
    if result.greeting:
        await message.answer(greeting_text())
        await open_screen(message, services, user, locale, HOME)
        return
    direct = result.direct
    if direct is not None:
        request = ScreenRequest(services, user, locale, direct.entry_id)
        screen = await answer_screen(request)
        if screen is not None:
            await show(message, screen, SCREEN_ANSWER)
            return
    await show(message, results_screen(services, locale, result), "search")
