"""What the broadcast composer tells the admin: the audience, times, progress, summary, the list.

Every function reads the current locale (handlers have the admin's; the watcher sets it with
`i18n.use_locale`). Times are shown in TIMEZONE with its name after them.
"""

from __future__ import annotations

import html
from datetime import datetime

from aiogram.utils.i18n import gettext as _

from bot import LOCALES, language_name
from bot.config import Settings
from bot.delivery import Audience, DeliveryProgress


def format_moment(moment: datetime, settings: Settings) -> str:
    """'2026-12-10 09:00 (Asia/Dushanbe)'."""
    return f"{moment.astimezone(settings.tz):%Y-%m-%d %H:%M} ({settings.timezone})"


def audience_text(audience: Audience, settings: Settings) -> str:
    """'all subscribers, @channel' or 'subscribers: Russian, English' (HTML-escaped)."""
    who = []
    if audience.subscribers:
        if set(LOCALES) <= set(audience.locales):
            who.append(_("all subscribers"))
        else:
            names = ", ".join(language_name(loc) for loc in LOCALES if loc in audience.locales)
            who.append(_("subscribers: {language}").format(language=names))
    who += [c.chat for c in settings.channels if c.locale in audience.channels]
    return html.escape(", ".join(who))


def confirm_text(
    audience: Audience, when: datetime | None, recipients: tuple[int, int], settings: Settings
) -> str:
    users, channels = recipients
    return _(
        "Send to: {who}\nRecipients: {count} (subscribers: {users}, channels: {channels})\n"
        "When: {when}\nConfirm?"
    ).format(
        who=audience_text(audience, settings),
        count=users + channels,
        users=users,
        channels=channels,
        when=format_moment(when, settings) if when else _("now"),
    )


def _is_waiting(p: DeliveryProgress, now: datetime) -> bool:
    """Scheduled for later (a "now" broadcast is in state scheduled too, for a moment)."""
    return p.state == "scheduled" and p.not_before is not None and p.not_before > now


def progress_text(number: int, p: DeliveryProgress, now: datetime, settings: Settings) -> str:
    """The progress message while the broadcast is waiting or being sent."""
    if _is_waiting(p, now):
        assert p.not_before is not None
        return _(
            "🕒 Broadcast {number} is scheduled for {when}.\n/cancel_broadcast stops it."
        ).format(number=number, when=format_moment(p.not_before, settings))
    lines = [
        _("📤 Broadcast {number} is being sent…").format(number=number),
        _("Sent: {sent} · blocked: {blocked} · failed: {failed} · left: {left}").format(
            sent=p.sent, blocked=p.blocked, failed=p.failed, left=p.left
        ),
    ]
    if p.rate > 0:
        eta = int(p.eta or 0)
        lines.append(
            _("Rate: {rate}/s · about {minutes} min {seconds} s left").format(
                rate=f"{p.rate:.1f}", minutes=eta // 60, seconds=eta % 60
            )
        )
    return "\n".join(lines)


def ended_text(number: int) -> str:
    """What the progress message becomes when the summary is sent (the figures are there)."""
    return _("Broadcast {number}: sending has ended, the summary follows.").format(number=number)


def summary_text(number: int, p: DeliveryProgress) -> str:
    """The one final message of a finished or cancelled broadcast."""
    if p.state == "cancelled":
        head = _("⏹ Broadcast {number} cancelled.").format(number=number)
    else:
        head = _("✅ Broadcast {number} finished.").format(number=number)
    lines = [
        head,
        _("Sent: {sent} · blocked: {blocked} · failed: {failed}").format(
            sent=p.sent, blocked=p.blocked, failed=p.failed
        ),
    ]
    if p.cancelled:
        lines.append(_("Not sent because cancelled: {count}").format(count=p.cancelled))
    return "\n".join(lines)


def state_name(p: DeliveryProgress, now: datetime) -> str:
    if p.state == "done":
        return _("finished")
    if p.state == "cancelled":
        return _("cancelled")
    if _is_waiting(p, now):
        return _("scheduled")
    return _("being sent")


def list_text(rows: list[tuple[int, DeliveryProgress]], now: datetime, settings: Settings) -> str:
    """/broadcasts: the newest first, one paragraph each."""
    if not rows:
        return _("No broadcasts yet.")
    parts = [_("Recent broadcasts:")]
    for number, p in rows:
        moment = p.not_before if _is_waiting(p, now) else (p.started_at or p.created_at)
        parts.append(
            _(
                "<b>{number}</b> · {state} · {when}\n{who}\n"
                "sent {sent} · failed {failed} · blocked {blocked}"
            ).format(
                number=number,
                state=state_name(p, now),
                when=format_moment(moment, settings) if moment else "—",
                who=audience_text(p.audience, settings) if p.audience else "—",
                sent=p.sent,
                failed=p.failed,
                blocked=p.blocked,
            )
        )
    return "\n\n".join(parts)
