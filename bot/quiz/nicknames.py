"""Nicknames: 2-20 letters, digits, spaces, _ or -; no link, no @mention, no word of the list in
content/quizzes/nicknames.yaml (any language). Real names are never asked for."""

from __future__ import annotations

import re
from enum import StrEnum

from bot.quiz.content import NicknameRules, fold

MIN_LENGTH, MAX_LENGTH = 2, 20
_LINK = re.compile(r"(https?:|www\.|t\.me|\.[a-z]{2,}\b|/)", re.IGNORECASE)


class Nick(StrEnum):
    OK = "ok"
    LENGTH = "length"
    CHARACTERS = "characters"
    LINK = "link"
    ABUSE = "abuse"
    TAKEN = "taken"


def tidy(text: str) -> str:
    return " ".join(text.split())


def check_nickname(text: str, rules: NicknameRules) -> Nick:
    nickname = tidy(text)
    if "@" in nickname or _LINK.search(nickname):
        return Nick.LINK
    if not MIN_LENGTH <= len(nickname) <= MAX_LENGTH:
        return Nick.LENGTH
    if not all(c.isalnum() or c in " _-" for c in nickname):
        return Nick.CHARACTERS
    folded = fold(nickname)
    squashed = re.sub(r"[\s_\-]+", "", folded)
    if any(word in folded or word.replace(" ", "") in squashed for word in rules.banned):
        return Nick.ABUSE
    return Nick.OK


def nickname_key(text: str) -> str:
    """What two nicknames must not share in one event: case, ё/е and spacing do not count."""
    return re.sub(r"[\s_\-]+", "", fold(tidy(text)))
