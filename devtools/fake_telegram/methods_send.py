"""Bot API methods that send: messages, media, albums, chat actions, copies and forwards."""

from __future__ import annotations

from typing import Any

from devtools.fake_telegram.limits import PHOTO_LIMIT, UPLOAD_LIMIT, Limits
from devtools.fake_telegram.models import BotEvent, ChatState, ShownMessage, StoredFile
from devtools.fake_telegram.rules import ApiError, bad, check_reply_markup, render_text

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
SEND_KINDS = {
    "sendPhoto": "photo",
    "sendDocument": "document",
    "sendVoice": "voice",
    "sendAudio": "audio",
    "sendVideo": "video",
    "sendAnimation": "animation",
    "sendVideoNote": "video_note",
}


class SendMethods(Limits):
    """send*, copy* and forwardMessage: each checks the limits, stores the message, emits it."""

    def _reply_extra(self, chat: ChatState, p: dict) -> dict:
        reply = p.get("reply_parameters")
        if isinstance(reply, dict) and reply.get("message_id"):
            target = chat.messages.get(reply["message_id"])
            if target is None:
                if not reply.get("allow_sending_without_reply"):
                    raise bad("message to be replied not found")
                return {}
            return {"reply_to_message": target.raw}
        return {}

    def _sent(self, method: str, chat: ChatState, shown: ShownMessage, p: dict) -> dict:
        self._emit(BotEvent("send", method, chat.id, shown, p))
        return shown.raw

    async def _m_sendMessage(self, p, files, token):
        chat = self._chat_for_send(p)
        text = p.get("text")
        plain, entities = render_text(text, p.get("parse_mode"), p.get("entities"))
        rows = check_reply_markup(p.get("reply_markup"))
        extra = self._reply_extra(chat, p)
        self._flood(token, chat)
        shown = self._store(
            chat,
            token,
            text=plain,
            entities=entities,
            html=str(text),
            rows=rows,
            protect=bool(p.get("protect_content")),
            extra=extra,
        )
        return self._sent("sendMessage", chat, shown, p)

    def _input_file(self, value: Any, files: dict, kind: str, field: str) -> StoredFile:
        if isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value[len("attach://") :])
        else:
            upload = files.get(field) if not isinstance(value, str) or not value else None
            if upload is None and isinstance(value, str) and value in self._files:
                return self._files[value]
            if (
                upload is None
                and isinstance(value, str)
                and value.startswith(("http://", "https://"))
            ):
                return self._register_file(kind, b"", value.rsplit("/", 1)[-1] or None)
        if upload is None:
            raise bad("wrong file identifier/HTTP URL specified")
        data, filename, content_type = upload
        if len(data) > UPLOAD_LIMIT:
            raise ApiError(413, "Request Entity Too Large")
        if kind == "photo" and len(data) > PHOTO_LIMIT:
            raise bad("PHOTO_INVALID_DIMENSIONS")
        if not data:
            raise bad("file must be non-empty")
        return self._register_file(kind, data, filename, content_type)

    async def _send_media(self, name: str, p: dict, files: dict, token: str):
        kind = SEND_KINDS[name]
        chat = self._chat_for_send(p)
        caption = p.get("caption")
        plain, entities = render_text(
            caption, p.get("parse_mode"), p.get("caption_entities"), caption=True
        )
        rows = check_reply_markup(p.get("reply_markup"))
        extra = self._reply_extra(chat, p)
        stored = self._input_file(p.get(kind), files, kind, kind)
        self._flood(token, chat)
        shown = self._store(
            chat,
            token,
            text=plain or None,
            entities=entities,
            html=None if caption is None else str(caption),
            media=(kind, self._media_object(kind, stored, p.get("duration"))),
            rows=rows,
            protect=bool(p.get("protect_content")),
            extra=extra,
        )
        return self._sent(name, chat, shown, p)

    async def _m_sendMediaGroup(self, p, files, token):
        chat = self._chat_for_send(p)
        media = p.get("media")
        if not isinstance(media, list) or len(media) < 2:
            raise bad("MEDIA_EMPTY: a media group must have 2-10 items")
        if len(media) > 10:
            raise bad("too much messages to send as an album")
        prepared = []
        for item in media:
            kind = item.get("type")
            if kind not in ("photo", "video", "document", "audio"):
                raise bad("unsupported media type in the album")
            plain, entities = render_text(
                item.get("caption"),
                item.get("parse_mode"),
                item.get("caption_entities"),
                caption=True,
            )
            stored = self._input_file(item.get("media"), files, kind, "media")
            prepared.append((kind, stored, plain, entities, item.get("caption")))
        self._flood(token, chat, len(prepared))
        group_id = str(10**15 + next(self._ids))
        result = []
        for kind, stored, plain, entities, caption in prepared:
            shown = self._store(
                chat,
                token,
                text=plain or None,
                entities=entities,
                html=caption,
                media=(kind, self._media_object(kind, stored)),
                protect=bool(p.get("protect_content")),
                extra={"media_group_id": group_id},
            )
            result.append(self._sent("sendMediaGroup", chat, shown, p))
        return result

    async def _m_sendChatAction(self, p, files, token):
        chat = self._chat_for_send(p)
        if p.get("action") not in CHAT_ACTIONS:
            raise bad("wrong parameter action in request")
        self._emit(BotEvent("action", "sendChatAction", chat.id, None, p))
        return True

    def _source(self, p: dict, message_id: Any, what: str) -> ShownMessage:
        source_chat = self._resolve_chat(p.get("from_chat_id"))
        msg = source_chat.messages.get(message_id) if isinstance(message_id, int) else None
        if msg is None:
            raise bad(f"message to {what} not found")
        if msg.protect_content:
            raise bad(f"message can't be {'forwarded' if what == 'forward' else 'copied'}")
        return msg

    def _copy_one(self, chat, token, src: ShownMessage, p: dict, method: str) -> ShownMessage:
        text, entities, html = src.text, src.entities, src.html
        if src.media and "caption" in p:
            text, entities = render_text(
                p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
            )
            html = p.get("caption")
        media = (src.media, src.raw[src.media]) if src.media else None
        rows = check_reply_markup(p.get("reply_markup"))
        shown = self._store(
            chat,
            token,
            text=text or None,
            entities=entities,
            html=html,
            media=media,
            rows=rows,
            protect=bool(p.get("protect_content")),
        )
        self._emit(BotEvent("send", method, chat.id, shown, p))
        return shown

    async def _m_copyMessage(self, p, files, token):
        chat = self._chat_for_send(p)
        src = self._source(p, p.get("message_id"), "copy")
        self._flood(token, chat)
        return {"message_id": self._copy_one(chat, token, src, p, "copyMessage").message_id}

    async def _m_copyMessages(self, p, files, token):
        chat = self._chat_for_send(p)
        ids = p.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad("message_ids must contain 1-100 identifiers")
        sources = [self._source(p, i, "copy") for i in sorted(ids)]
        self._flood(token, chat, len(sources))
        plain = {k: v for k, v in p.items() if k != "reply_markup"}
        return [
            {"message_id": self._copy_one(chat, token, s, plain, "copyMessages").message_id}
            for s in sources
        ]

    async def _m_forwardMessage(self, p, files, token):
        chat = self._chat_for_send(p)
        src = self._source(p, p.get("message_id"), "forward")
        self._flood(token, chat)
        origin: dict[str, Any] = {"type": "user", "date": src.date}
        sender = src.raw.get("from")
        if sender:
            origin["sender_user"] = sender
        else:
            origin = {"type": "chat", "date": src.date, "sender_chat": src.raw["chat"]}
        media = (src.media, src.raw[src.media]) if src.media else None
        shown = self._store(
            chat,
            token,
            text=src.text,
            entities=src.entities,
            html=src.html,
            media=media,
            protect=bool(p.get("protect_content")),
            extra={"forward_origin": origin},
        )
        return self._sent("forwardMessage", chat, shown, p)
