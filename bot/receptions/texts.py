"""The words of a reception, in the current locale (a handler's, or `i18n.use_locale(...)`)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot import language_name
from bot.receptions.content import Reception
from bot.receptions.regions import region_label
from bot.telegram_html import escape


def when(reception: Reception) -> str:
    return _("{date}, {start}–{end}").format(
        date=reception.on.strftime("%d.%m.%Y"),
        start=reception.starts.strftime("%H:%M"),
        end=reception.ends.strftime("%H:%M"),
    )


def title(reception: Reception, locale: str) -> str:
    return _("Free legal advice: {city}").format(city=reception.city[locale])


def card(reception: Reception, locale: str) -> str:
    """One reception as Telegram HTML: city and time, place, who, what, languages."""
    lines = [
        f"<b>📍 {escape(reception.city[locale])}</b> · {escape(when(reception))}",
        escape(reception.venue[locale]),
    ]
    if reception.address:
        lines.append(escape(reception.address[locale]))
    lines.append(_("Lawyers: {who}").format(who=escape(reception.organisations[locale])))
    lines.append(_("Questions: {topics}").format(topics=escape(reception.topics[locale])))
    languages = ", ".join(language_name(code) for code in reception.languages)
    lines.append(_("Languages: {languages}").format(languages=languages))
    return "\n".join(lines)


def short_card(reception: Reception, locale: str) -> str:
    """City, time, venue and address: at most about 400 characters (a caption allows 1024)."""
    lines = [
        f"<b>📍 {escape(reception.city[locale])}</b> · {escape(when(reception))}",
        escape(reception.venue[locale]),
    ]
    if reception.address:
        lines.append(escape(reception.address[locale]))
    return "\n".join(lines)


def description(reception: Reception, locale: str) -> str:
    """Plain text for the calendar entry."""
    return "\n".join(
        [
            _("Free legal advice from the Coalition's lawyers."),
            _("Lawyers: {who}").format(who=reception.organisations[locale]),
            _("Questions: {topics}").format(topics=reception.topics[locale]),
        ]
    )


def reminder(reception: Reception, locale: str) -> str:
    return (
        _("⏰ Reminder: tomorrow the Coalition's lawyers give free legal advice.")
        + "\n\n"
        + card(reception, locale)
    )


def announcement(reception: Reception, locale: str, link: str) -> str:
    return (
        _("⚖️ <b>Free legal advice in {region}</b>").format(
            region=escape(region_label(reception.region))
        )
        + "\n\n"
        + card(reception, locale)
        + "\n\n"
        + _(
            '<a href="{link}">Open it in the bot</a>: the place on the map, a calendar file, a reminder.'
        ).format(link=escape(link))
    )
