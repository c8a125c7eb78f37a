"""The questions of the report flow and the texts of each step (the buttons are in
handlers/reports/keyboards.py).

Answers are stored as short language-neutral codes; the offline CLI prints them in English.
Runs inside a handler, so gettext uses the person's locale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

from bot.reports import costs
from bot.telegram_html import escape

MIN_TEXT = 20
MAX_TEXT = 8000
MAX_FILE_BYTES = 20 * 1024 * 1024  # Telegram's download limit for bots


@dataclass(frozen=True)
class Question:
    key: str
    prompt: object  # lazy text
    options: tuple[tuple[str, object], ...]
    multi: bool = False
    columns: int = 1


QUESTIONS: tuple[Question, ...] = (
    Question(
        "who",
        __("Who is reporting?"),
        (
            ("victim", __("It happened to me")),
            ("relative", __("A relative or a friend")),
            ("witness", __("A witness")),
        ),
    ),
    Question("year", __("When did it happen? Choose the year."), (), columns=3),
    Question(
        "month",
        __("Which month? (1 = January … 12 = December)"),
        tuple((str(m), str(m)) for m in range(1, 13)),
        columns=6,
    ),
    Question(
        "place",
        __("Where did it happen?"),
        (
            ("police", __("Police")),
            ("gknb", __("State Committee for National Security")),
            ("detention", __("Temporary or pre-trial detention facility")),
            ("colony", __("Prison colony")),
            ("army", __("Army unit")),
            ("institution", __("Psychiatric or social institution")),
            ("home", __("At home")),
            ("other", __("Somewhere else")),
        ),
    ),
    Question(
        "region",
        __("In which region or city? (Please do not send a location.)"),
        (
            ("dushanbe", __("Dushanbe")),
            ("sughd", __("Sughd")),
            ("khatlon", __("Khatlon")),
            ("gbao", __("GBAO")),
            ("drs", __("Districts of republican subordination")),
            ("abroad", __("Outside Tajikistan")),
        ),
    ),
    Question(
        "what",
        __("What happened? Choose everything that applies, then press «Done»."),
        (
            ("beating", __("Beating")),
            ("electric", __("Electric shock")),
            ("suffocation", __("Suffocation")),
            ("sexual", __("Sexual violence")),
            ("family_threats", __("Threats to the family")),
            ("forced_confession", __("Forced confession")),
            ("no_lawyer", __("No lawyer")),
            ("no_doctor", __("No doctor")),
            ("no_family", __("No contact with the family")),
            ("hazing", __("Hazing in the army")),
            ("other", __("Something else")),
        ),
        multi=True,
        columns=2,
    ),
    Question(
        "danger",
        __("Is someone in danger right now?"),
        (("yes", __("Yes, right now")), ("no", __("No"))),
    ),
    Question(
        "contact",
        __(
            "May the Coalition's lawyers answer you? You would read their answer with your "
            "receipt code in «Check my report». They cannot contact you in any other way."
        ),
        (("yes", __("Yes")), ("no", __("No"))),
    ),
    Question(
        "stats",
        __("May the Coalition count your report in anonymous statistics?"),
        (("yes", __("Yes")), ("no", __("No"))),
    ),
)
BY_KEY = {q.key: q for q in QUESTIONS}
STEPS = (*(q.key for q in QUESTIONS), "text", "files", "confirm")


def years(today: date) -> tuple[tuple[str, str], ...]:
    recent = tuple((str(today.year - n), str(today.year - n)) for n in range(5))
    return (*recent, ("earlier", str(_("Earlier"))))


def options_of(question: Question, today: date) -> tuple[tuple[str, object], ...]:
    return years(today) if question.key == "year" else question.options


def next_step(step: str) -> str:
    index = STEPS.index(step)
    return STEPS[min(index + 1, len(STEPS) - 1)]


def honesty_text() -> str:
    return _(
        "<b>🛡 Anonymous report</b>\n\n"
        "<b>What is protected</b>\n"
        "• Your report is encrypted. Only the Coalition's lawyers can open it, on a computer "
        "that is not connected to this bot.\n"
        "• We do not keep who you are: no Telegram account, no name, no exact date or time.\n"
        "• All messages of this conversation disappear from this chat a few minutes after "
        "you finish.\n\n"
        "<b>What is not protected</b>\n"
        "• Telegram sees this conversation while it happens: your account, what you send "
        "and when.\n"
        "• Someone who controls your phone can see what you type now.\n"
        "• What you write about yourself can show who you are.\n\n"
        "If you prefer to talk to a person, call the hotlines instead (24 hours a day):\n"
        "{hotlines}\n\n"
        "«✖️ Exit and delete» on every screen removes everything at once."
    ).format(hotlines=hotlines_text())


def hotlines_text() -> str:
    return _(
        "Dushanbe and districts of republican subordination: 98 708 76 76\n"
        "Sughd: 98 787 33 33\n"
        "Khatlon: 98 787 66 66\n"
        "Army: +992 933 331 703, +992 922 221 803"
    )


def question_text(question: Question, number: int) -> str:
    header = _("Question {number} of {total}").format(number=number, total=len(QUESTIONS))
    return f"<i>{header}</i>\n\n{question.prompt}"


def danger_text() -> str:
    return _(
        "<b>Please call the hotline now</b> — lawyers answer 24 hours a day and can act at once:\n"
        "{hotlines}\n\n"
        "You can continue the report below."
    ).format(hotlines=hotlines_text())


def text_prompt() -> str:
    return _(
        "Now describe what happened in your own words: who, where, when, what was done. "
        "Write at least {min} characters. Do not write your name or phone number unless you "
        "want the lawyers to know them."
    ).format(min=MIN_TEXT)


def too_short() -> str:
    return _(
        "This is too short: please write at least {min} characters. Nothing you entered is lost."
    ).format(min=MIN_TEXT)


def too_long() -> str:
    return _(
        "This message is longer than {max} characters. Please send it in several parts. "
        "Nothing you entered is lost."
    ).format(max=MAX_TEXT)


def files_text(count: int) -> str:
    return _(
        "You can add photos, documents, voice messages or videos (up to 20 MB each), "
        "for example medical papers or photos of injuries. Each file is encrypted and removed "
        "from this chat at once.\n\n"
        "⚠️ Photos and videos may contain the place where they were taken. Send them "
        "only if that is safe for you.\n\n"
        "Files received: {count}. When you are ready, press «Continue»."
    ).format(count=count)


def label_of(key: str, code: str) -> str:
    for option, label in BY_KEY[key].options:
        if option == code:
            return str(label)
    return _("Earlier") if code == "earlier" else code


def summary(answers: dict[str, object], text: str, files: int) -> str:
    skipped = _("skipped")
    lines = []
    for question in QUESTIONS:
        value = answers.get(question.key)
        if isinstance(value, list):
            shown = ", ".join(label_of(question.key, v) for v in value) or skipped
        elif value is None:
            shown = skipped
        else:
            shown = label_of(question.key, str(value))
        lines.append(f"• {escape(str(question.prompt).split('?')[0])}: {escape(shown)}")
    # The description is not quoted back: nothing the person typed is shown in the chat again.
    screen = _(
        "<b>Please check your report</b>\n\n{answers}\n\nDescription: {chars} characters\n"
        "Files: {files}\n\nPress «Send report» to send it. After sending you will get a "
        "receipt code: the only way to read the lawyers' answers."
    ).format(answers="\n".join(lines), chars=len(text), files=files)
    return f"{screen}\n\n{no_receipt_note()}"


def no_receipt_note() -> str:
    """Told before sending, and while saving: a crash at that moment must not go unnoticed."""
    return _(
        "⚠️ If no receipt code appears here within a minute, your report was not saved. "
        "Please send it again."
    )


def checks_paused() -> str:
    """Too many wrong receipts on the whole bot this minute (bot/reports/costs.py)."""
    return _(
        "Many codes are being tried on this bot right now, so checking is paused for everyone. "
        "Please try again in a minute."
    )


def too_many_files() -> str:
    return _(
        "A report can have at most {max} files, and this one has them all. This file was not "
        "added; the {max} files already received are kept. You can describe the rest in words, "
        "or add more files later in «Check my report»."
    ).format(max=costs.MAX_DRAFT_FILES)


def files_too_big() -> str:
    return _(
        "A report can have at most {max} MB of files in all, and this file does not fit. It was "
        "not added; the files already received are kept. You can send a smaller file, or add it "
        "later in «Check my report»."
    ).format(max=costs.MAX_DRAFT_BYTES // (1024 * 1024))
