"""The guide's screens: topics → questions → answer (paged), opened by buttons, /rights and links.

Renderers return None only for what the core treats as a stale button; an unknown FAQ id (an
old button or a shared link to a removed entry) gets the topic menu with a friendly note instead.
"""

from __future__ import annotations

import functools

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import InlineKeyboardButton
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.links import DeepLinks
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
from bot.screens import Screen, ScreenRegistry, ScreenRequest, nav_button, screen_command

DEEP_LINK_PREFIX = f"{SCREEN_ANSWER}_"


def topics_rows(faq: Faq, locale: str) -> list[list[InlineKeyboardButton]]:
    return [[nav_button(t.titles[locale], SCREEN_TOPIC, t.id)] for t in faq.topics]


def menu_text(note: str = "") -> str:
    text = _(
        "<b>📚 Know your rights</b>\n\n"
        "Choose a topic, or simply type your question in your own words, in any language."
    )
    return f"{note}\n\n{text}" if note else text


def stale_screen(faq: Faq, locale: str) -> Screen:
    note = _("This answer is no longer here: the guide has been updated.")
    return Screen(menu_text(note), topics_rows(faq, locale))


async def menu_screen(faq: Faq, request: ScreenRequest) -> Screen:
    return Screen(menu_text(), topics_rows(faq, request.locale))


async def topic_screen(faq: Faq, request: ScreenRequest) -> Screen:
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


async def answer_screen(faq: Faq, links: DeepLinks, request: ScreenRequest) -> Screen:
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
    share = links.share(
        links.start(DEEP_LINK_PREFIX + entry.id), entry.text(request.locale).question
    )
    text = links.on_domain("\n\n".join(parts))  # an answer's t.me links open where t.me is blocked
    return Screen(text, answer_rows(faq, entry, request.locale, page, share))


def answer_rows(
    faq: Faq, entry: Entry, locale: str, page: int, share: str
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
    rows.append([InlineKeyboardButton(text=_("📤 Share this answer"), url=share)])
    rows.append(
        [
            nav_button(_("⬅️ Back"), SCREEN_TOPIC, entry.topic),
            nav_button(_("📚 All topics"), SCREEN_MENU),
        ]
    )
    return rows


def setup(screens: ScreenRegistry, faq: Faq, links: DeepLinks) -> Router:
    router = Router(name="rights.menu")
    screens.register(
        SCREEN_MENU,
        functools.partial(menu_screen, faq),
        menu_label=__("📚 Know your rights"),
        menu_order=10,
    )
    screens.register(SCREEN_TOPIC, functools.partial(topic_screen, faq))
    screens.register(SCREEN_ANSWER, functools.partial(answer_screen, faq, links))
    screens.add_command("rights", __("Know your rights: questions and answers"), order=10)
    router.message.register(screen_command(SCREEN_MENU), Command("rights"))
    return router
