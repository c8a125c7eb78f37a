"""Bot API methods that change what was sent: edits, deletes, callback answers, and getFile."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Any

from devtools.fake_telegram.limits import DELETE_AGE, DOWNLOAD_LIMIT, QUERY_AGE, Limits
from devtools.fake_telegram.models import BotEvent, ChatState, ShownMessage
from devtools.fake_telegram.rules import (
    CALLBACK_ANSWER_LIMIT,
    ApiError,
    bad,
    check_reply_markup,
    render_text,
)

BAD_QUERY = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


class EditMethods(Limits):
    """editMessage*, deleteMessage(s), answerCallbackQuery, getFile."""

    # ------------------------------------------------------------------ edit/delete

    def _editable(self, p: dict) -> tuple[ChatState, ShownMessage] | None:
        if p.get("inline_message_id"):
            return None
        if "chat_id" not in p or "message_id" not in p:
            raise bad("message identifier is not specified")
        chat = self._resolve_chat(p["chat_id"])
        self._check_blocked(chat)
        msg = chat.messages.get(p["message_id"])
        if msg is None:
            raise bad("message to edit not found")
        if not msg.from_bot:
            raise bad("message can't be edited")
        return chat, msg

    def _apply_edit(self, method, chat, old: ShownMessage, p: dict, **changes) -> dict:
        raw = dict(old.raw)
        text = changes.get("text", old.text)
        entities = changes.get("entities", old.entities)
        rows = changes.get("reply_markup", old.reply_markup)
        key, ekey = ("caption", "caption_entities") if old.media else ("text", "entities")
        raw.pop(key, None)
        raw.pop(ekey, None)
        raw.pop("reply_markup", None)
        if text:
            raw[key] = text
        if entities:
            raw[ekey] = entities
        if rows:
            raw["reply_markup"] = {"inline_keyboard": rows}
        raw["edit_date"] = int(self.now())
        new = replace(
            old,
            text=text,
            entities=entities,
            reply_markup=rows,
            html=changes.get("html", old.html),
            edit_date=raw["edit_date"],
            raw=raw,
        )
        chat.messages[old.message_id] = new
        self._emit(BotEvent("edit", method, chat.id, new, p))
        return raw

    async def _m_editMessageText(self, p, files, token):
        target = self._editable(p)
        plain, entities = render_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
        rows = check_reply_markup(p.get("reply_markup"))
        if target is None:
            return True
        chat, msg = target
        if msg.media:
            raise bad("there is no text in the message to edit")
        if plain == msg.text and entities == msg.entities and rows == msg.reply_markup:
            raise bad(NOT_MODIFIED)
        return self._apply_edit(
            "editMessageText",
            chat,
            msg,
            p,
            text=plain,
            entities=entities,
            reply_markup=rows,
            html=str(p.get("text")),
        )

    async def _m_editMessageCaption(self, p, files, token):
        target = self._editable(p)
        plain, entities = render_text(
            p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        rows = check_reply_markup(p.get("reply_markup"))
        if target is None:
            return True
        chat, msg = target
        if not msg.media:
            raise bad("there is no caption in the message to edit")
        if (plain or None) == msg.text and entities == msg.entities and rows == msg.reply_markup:
            raise bad(NOT_MODIFIED)
        return self._apply_edit(
            "editMessageCaption",
            chat,
            msg,
            p,
            text=plain or None,
            entities=entities,
            reply_markup=rows,
            html=p.get("caption"),
        )

    async def _m_editMessageReplyMarkup(self, p, files, token):
        target = self._editable(p)
        rows = check_reply_markup(p.get("reply_markup"))
        if target is None:
            return True
        chat, msg = target
        if rows == msg.reply_markup:
            raise bad(NOT_MODIFIED)
        return self._apply_edit("editMessageReplyMarkup", chat, msg, p, reply_markup=rows)

    def _delete(self, chat: ChatState, message_id: Any) -> None:
        msg = chat.messages.get(message_id) if isinstance(message_id, int) else None
        if msg is None:
            raise bad("message to delete not found")
        if self.now() - msg.date > DELETE_AGE:
            raise bad("message can't be deleted")
        if chat.type == "channel" and not msg.from_bot:
            raise bad("message can't be deleted")
        del chat.messages[message_id]
        chat.deleted.append(message_id)

    async def _m_deleteMessage(self, p, files, token):
        chat = self._resolve_chat(p["chat_id"])
        self._delete(chat, p["message_id"])
        self._emit(BotEvent("delete", "deleteMessage", chat.id, None, p))
        return True

    async def _m_deleteMessages(self, p, files, token):
        chat = self._resolve_chat(p["chat_id"])
        ids = p.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad("message_ids must contain 1-100 identifiers")
        for mid in ids:
            with contextlib.suppress(ApiError):  # missing ones are skipped, like Telegram
                self._delete(chat, mid)
        self._emit(BotEvent("delete", "deleteMessages", chat.id, None, p))
        return True

    # ------------------------------------------------------------------ callbacks

    async def _m_answerCallbackQuery(self, p, files, token):
        query_id = str(p["callback_query_id"])
        query = self._queries.get(query_id)
        if query is None or query["answered"] or self.now() - query["date"] > QUERY_AGE:
            raise bad(BAD_QUERY)
        if len(str(p.get("text") or "")) > CALLBACK_ANSWER_LIMIT:
            raise bad("MESSAGE_TOO_LONG")
        query["answered"] = True
        self.callback_answers[query_id] = p
        self._emit(BotEvent("answer", "answerCallbackQuery", None, None, p))
        return True

    # ------------------------------------------------------------------ files

    async def _m_getFile(self, p, files, token):
        stored = self._files.get(str(p["file_id"]))
        if stored is None:
            raise bad("wrong file_id or the file is temporarily unavailable")
        if stored.file_size > DOWNLOAD_LIMIT:
            raise bad("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }
