"""Bot API methods about the bot itself and its chats: getMe, getUpdates, webhooks, commands,
descriptions, menu button, getChat and chat members."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time

from devtools.fake_telegram.models import ChatState
from devtools.fake_telegram.rules import ApiError, bad, check_commands
from devtools.fake_telegram.state import WorldState
from devtools.fake_telegram.updates import DEFAULT_UPDATES


class BotMethods(WorldState):
    """getMe, getUpdates and webhooks, bot settings, chats and members."""

    # ------------------------------------------------------------------ bot & updates

    async def _m_getMe(self, p, files, token):
        return self._bot_user(token) | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": bool(getattr(self, "inline_enabled", False)),
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_logOut(self, p, files, token):
        return True

    _m_close = _m_logOut

    async def _m_getUpdates(self, p, files, token):
        if self._webhooks.get(token, {}).get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        q = self._queue(token)
        q.poll_gen += 1
        gen = q.poll_gen
        q.notify()  # an older long poll is terminated with 409
        limit = p.get("limit") or 100
        if not isinstance(limit, int) or not 1 <= limit <= 100:
            limit = 100
        timeout = p.get("timeout") or 0
        timeout = max(0.0, min(float(timeout), 50.0)) if isinstance(timeout, int | float) else 0
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            q.allowed = frozenset(allowed) if allowed else DEFAULT_UPDATES
        offset = p.get("offset")
        q.confirm(offset if isinstance(offset, int) else None)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = q.event
            if q.poll_gen != gen:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            updates = q.available(limit)
            remaining = deadline - loop.time()
            if updates or remaining <= 0 or self._closing.is_set():
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)
        if updates:
            q.delivered_max = max(q.delivered_max, updates[-1]["update_id"])
            self._last_activity = time.monotonic()
        return updates

    async def _m_setWebhook(self, p, files, token):
        url = str(p.get("url", ""))
        if url and not url.startswith("https://"):
            raise bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad("secret token contains unallowed characters")
        self._webhooks[token] = {"url": url, "secret_token": secret}
        if p.get("drop_pending_updates"):
            self._queue(token).updates.clear()
        self._queue(token).notify()
        return True

    async def _m_deleteWebhook(self, p, files, token):
        self._webhooks.pop(token, None)
        if p.get("drop_pending_updates"):
            self._queue(token).updates.clear()
        return True

    async def _m_getWebhookInfo(self, p, files, token):
        return {
            "url": self._webhooks.get(token, {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue(token).updates),
        }

    # ------------------------------------------------------------------ bot settings

    async def _m_setMyCommands(self, p, files, token):
        commands = check_commands(p.get("commands"), p.get("language_code"))
        key = self._commands_key(token, p.get("scope"), p.get("language_code"))
        self._commands[key] = commands
        return True

    async def _m_getMyCommands(self, p, files, token):
        key = self._commands_key(token, p.get("scope"), p.get("language_code"))
        return self._commands.get(key, [])

    async def _m_deleteMyCommands(self, p, files, token):
        key = self._commands_key(token, p.get("scope"), p.get("language_code"))
        self._commands.pop(key, None)
        return True

    def _set_bot_text(self, token, p, field: str, limit: int) -> bool:
        value = str(p.get(field) or "")
        if len(value) > limit:
            raise bad(f"{field} is too long")
        self._bot_texts[(token, field, str(p.get("language_code") or ""))] = value
        return True

    def _get_bot_text(self, token, p, field: str) -> dict:
        lang = str(p.get("language_code") or "")
        value = self._bot_texts.get((token, field, lang))
        if value is None:
            value = self._bot_texts.get(
                (token, field, ""), self.bot_first_name if field == "name" else ""
            )
        return {field: value}

    async def _m_setMyDescription(self, p, files, token):
        return self._set_bot_text(token, p, "description", 512)

    async def _m_getMyDescription(self, p, files, token):
        return self._get_bot_text(token, p, "description")

    async def _m_setMyShortDescription(self, p, files, token):
        return self._set_bot_text(token, p, "short_description", 120)

    async def _m_getMyShortDescription(self, p, files, token):
        return self._get_bot_text(token, p, "short_description")

    async def _m_setMyName(self, p, files, token):
        return self._set_bot_text(token, p, "name", 64)

    async def _m_getMyName(self, p, files, token):
        return self._get_bot_text(token, p, "name")

    async def _m_setChatMenuButton(self, p, files, token):
        button = p.get("menu_button") or {"type": "default"}
        if "chat_id" in p:
            self._resolve_chat(p["chat_id"]).menu_button = button
        else:
            self._default_menu_button = button
        return True

    async def _m_getChatMenuButton(self, p, files, token):
        if "chat_id" in p:
            return self._resolve_chat(p["chat_id"]).menu_button or self._default_menu_button
        return self._default_menu_button

    # ------------------------------------------------------------------ chats

    async def _m_getChat(self, p, files, token):
        chat = self._resolve_chat(p["chat_id"])
        info = self.spec.minimal("ChatFullInfo") | chat.as_chat()
        info["max_reaction_count"] = 11
        return info

    def _member(self, chat: ChatState, user_id: int, token: str) -> dict:
        bot = self._bot_user(token)
        user = bot if user_id == bot["id"] else self._user(user_id)
        if chat.type == "private":
            if user_id == bot["id"] and chat.id in self._blocked:
                return {"status": "kicked", "user": user, "until_date": 0}
            return {"status": "member", "user": user}
        if user_id in chat.admins or user_id == bot["id"]:
            member = self.spec.minimal("ChatMemberAdministrator")
            for key, value in member.items():
                if value is True:
                    member[key] = True
            return member | {
                "status": "administrator",
                "user": user,
                "can_be_edited": False,
                "is_anonymous": False,
            }
        return {"status": "member", "user": user}

    async def _m_getChatMember(self, p, files, token):
        chat = self._resolve_chat(p["chat_id"])
        return self._member(chat, int(p["user_id"]), token)

    async def _m_getChatAdministrators(self, p, files, token):
        chat = self._resolve_chat(p["chat_id"])
        if chat.type == "private":
            return []
        ids = [*sorted(chat.admins), int(token.split(":", 1)[0])]
        return [self._member(chat, i, token) for i in dict.fromkeys(ids)]
