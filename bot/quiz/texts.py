"""What the quiz's messages say (in the current locale: wrap in `i18n.use_locale`)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.quiz.store import Participant
from bot.telegram_html import escape

SHOWN_PLACES = 10
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}


def board(title: str, ranking: list[Participant]) -> str:
    lines = [_("<b>🏆 Results: {title}</b>").format(title=escape(title))]
    for person in ranking[:SHOWN_PLACES]:
        place = person.place or 0
        mark = MEDALS.get(place, f"{place}.")
        lines.append(f"{mark} {escape(person.nickname or '')} — {person.score}")
    if not ranking:
        lines.append(_("Nobody took part."))
    return "\n".join(lines)


def for_participant(title: str, ranking: list[Participant], me: Participant, total: int) -> str:
    parts = [
        board(title, ranking),
        _("Your place: {place} of {total}, {score} points ({correct} correct).").format(
            place=me.place, total=total, score=me.score, correct=me.correct
        ),
    ]
    if me.prize_code:
        parts.append(
            _(
                "🎁 Your prize code: <code>{code}</code>\nShow it to the organisers at the event. "
                "It is for you only: do not share it."
            ).format(code=me.prize_code)
        )
    parts.append(_("Thank you for playing! The bot forgets your nickname and score within a day."))
    return "\n\n".join(parts)


def for_admin(title: str, ranking: list[Participant]) -> str:
    return "\n\n".join(
        [
            board(title, ranking),
            _(
                "The top three got a prize code in their private chat. Check one with "
                "/quiz_prize &lt;code&gt; when it is shown to you."
            ),
        ]
    )


def joined_late() -> str:
    return _("The quiz is under way: your first question comes with the next one.")
