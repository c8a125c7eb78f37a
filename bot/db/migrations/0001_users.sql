-- Users of the bot: only what delivery and the language choice need.
-- No names, no usernames, no phone numbers. Report tables never reference this table.
CREATE TABLE users (
    user_id     INTEGER PRIMARY KEY,            -- Telegram user id, needed to deliver messages
    locale      TEXT CHECK (locale IN ('tg', 'ru', 'en')),  -- chosen language; NULL until chosen
    subscribed  INTEGER NOT NULL DEFAULT 0,     -- receives daily posts and news
    blocked     INTEGER NOT NULL DEFAULT 0,     -- blocked the bot (403 or my_chat_member)
    first_seen  TEXT NOT NULL                   -- day only, YYYY-MM-DD
);
CREATE INDEX users_delivery ON users (subscribed, blocked, locale);
