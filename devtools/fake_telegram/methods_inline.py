"""Inline mode in the fake: a person types `@bot query` (an ``inline_query`` update), the bot
answers with answerInlineQuery (checked as Telegram checks it), and the person may pick a
result, which the fake posts in a chat as that person's message "via @bot"."""

from __future__ import annotations

import re
import secrets
from typing import Any

from devtools.fake_telegram.models import ShownMessage
from devtools.fake_telegram.rules import bad, check_reply_markup, render_text
from devtools.fake_telegram.state import WorldState

QUERY_LIMIT = 256  # what a Telegram client lets a person type after @bot
MAX_RESULTS = 50
RESULT_ID_BYTES = 64
NEXT_OFFSET_BYTES = 64
ANSWER_WITHIN = 10.0  # seconds: later, Telegram has already shown "no results"
RESULT_TYPES = frozenset(
    {
        "article",
        "photo",
        "gif",
        "mpeg4_gif",
        "video",
        "audio",
        "voice",
        "document",
        "location",
        "venue",
        "contact",
        "game",
        "sticker",
    }
)
_START_PARAMETER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


class InlineMethods(WorldState):
    """answerInlineQuery; people's inline queries and their choice of a result."""

    # Inline mode as switched in @BotFather (/setinline), reported by getMe. People's clients
    # send inline queries only when it is on; set False to play a bot whose owner forgot it.
    inline_enabled: bool = True

    # ------------------------------------------------------------------ people

    def send_inline_query(
        self,
        user_id: int,
        query: str,
        *,
        language_code: str | None = "en",
        chat_type: str = "sender",
        offset: str = "",
    ) -> str:
        """A person types `@bot <query>` in a chat; returns the inline query id. The text is
        cut to 256 characters, as a Telegram client cuts it."""
        if not self.inline_enabled:
            raise RuntimeError("inline mode is off for this bot in @BotFather: no client sends it")
        user = self._user(user_id, language_code=language_code)
        query_id = str(next(self._ids) * 1000003 + secrets.randbelow(1000))
        self._inline_queries()[query_id] = {"date": self.now(), "answer": None, "from": user_id}
        self.send_update(
            {
                "inline_query": {
                    "id": query_id,
                    "from": user,
                    "query": query[:QUERY_LIMIT],
                    "offset": offset,
                    "chat_type": chat_type,
                }
            }
        )
        return query_id

    def inline_answer(self, query_id: str) -> dict | None:
        """What the bot answered to an inline query (results, cache_time, is_personal, ...)."""
        return self._inline_queries().get(query_id, {}).get("answer")

    def choose_inline_result(
        self, user_id: int, query_id: str, result_id: str, *, chat_id: int | None = None
    ) -> ShownMessage:
        """The person taps a result: its message is posted in `chat_id` (default: the person's
        chat with the bot) as their own message, "via @bot", with the result's buttons."""
        answer = self.inline_answer(query_id)
        if answer is None:
            raise LookupError(f"inline query {query_id} has no answer")
        result = next((r for r in answer["results"] if r.get("id") == result_id), None)
        if result is None:
            raise LookupError(f"no result {result_id!r} in the answer to {query_id}")
        content = result.get("input_message_content") or {}
        html = str(content.get("message_text", ""))
        plain, entities = render_text(html, content.get("parse_mode"), content.get("entities"))
        rows = check_reply_markup(result.get("reply_markup"))
        chat = self._chat_for_user(user_id, chat_id)
        shown = self._store(
            chat,
            None,
            user_id,
            text=plain,
            entities=entities,
            html=html,
            rows=rows,
            extra={"via_bot": self._bot_user(self.token)},
        )
        shown.html = html
        return shown

    def _inline_queries(self) -> dict[str, dict]:
        queries = getattr(self, "_inline_state", None)
        if queries is None:
            queries = self._inline_state = {}
        return queries

    # ------------------------------------------------------------------ Bot API

    async def _m_answerInlineQuery(self, p, files, token):
        query = self._inline_queries().get(str(p.get("inline_query_id", "")))
        if query is None or query["answer"] is not None:
            raise bad(TOO_OLD)
        if self.now() - query["date"] > ANSWER_WITHIN:
            raise bad(TOO_OLD)
        results = p.get("results")
        if not isinstance(results, list):
            raise bad("can't parse inline query results JSON object")
        if len(results) > MAX_RESULTS:
            raise bad("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            _check_result(result, seen)
        next_offset = p.get("next_offset")
        if next_offset is not None and len(str(next_offset).encode()) > NEXT_OFFSET_BYTES:
            raise bad("NEXT_OFFSET_INVALID")
        cache_time = p.get("cache_time", 300)
        if not isinstance(cache_time, int) or cache_time < 0:
            raise bad("CACHE_TIME_INVALID")
        button = p.get("button")
        if button is not None:
            _check_results_button(button)
        query["answer"] = {
            "results": results,
            "cache_time": cache_time,
            "is_personal": bool(p.get("is_personal")),
            "next_offset": next_offset or "",
            "button": button,
        }
        return True


def _check_result(result: Any, seen: set[str]) -> None:
    if not isinstance(result, dict):
        raise bad("can't parse inline query result: InlineQueryResult must be an Object")
    if result.get("type") not in RESULT_TYPES:
        raise bad("RESULT_TYPE_INVALID")
    result_id = str(result.get("id") or "")
    if not result_id or len(result_id.encode()) > RESULT_ID_BYTES:
        raise bad("RESULT_ID_INVALID")
    if result_id in seen:
        raise bad("RESULT_ID_DUPLICATE")
    seen.add(result_id)
    if result["type"] == "article" and not str(result.get("title") or "").strip():
        raise bad("RESULT_TITLE_EMPTY")
    content = result.get("input_message_content")
    if result["type"] == "article" and not isinstance(content, dict):
        raise bad("can't parse inline query result: input_message_content is required")
    if isinstance(content, dict) and "message_text" in content:
        render_text(content.get("message_text"), content.get("parse_mode"), content.get("entities"))
    check_reply_markup(result.get("reply_markup"))


def _check_results_button(button: Any) -> None:
    if not isinstance(button, dict) or not str(button.get("text") or "").strip():
        raise bad("BUTTON_TEXT_INVALID")
    start = button.get("start_parameter")
    if start is not None and not _START_PARAMETER.match(str(start)):
        raise bad("START_PARAM_INVALID")
