-- Mobile legal receptions: the region a person chose (once; NULL = not chosen), reminders asked
-- for, counters staff see, and the announcement ledger.
ALTER TABLE users ADD COLUMN region TEXT;      -- dushanbe | sughd | khatlon | gbao | drs
CREATE INDEX users_region ON users (region, blocked);

-- A reminder keeps the chat id ONLY until it is sent (or its reception is over): the row is
-- deleted in the same transaction that counts it as sent. Nothing else about the person.
CREATE TABLE reception_reminders (
    reception_id  TEXT NOT NULL,
    chat_id       INTEGER NOT NULL,
    locale        TEXT NOT NULL,
    due_at        TEXT NOT NULL,                -- ISO time, UTC: the morning before
    claimed_at    TEXT,                         -- set just before the send (see jobs/receptions.py)
    PRIMARY KEY (reception_id, chat_id)
);
CREATE INDEX reception_reminders_due ON reception_reminders (due_at);

-- Counts only: how many reminders were sent per reception (the waiting ones are counted live).
CREATE TABLE reception_reminder_counts (
    reception_id  TEXT PRIMARY KEY,
    sent          INTEGER NOT NULL DEFAULT 0
);

-- Exactly once: a reception is announced to its region at most once; the delivery's dedupe key
-- is `reception:<id>`.
CREATE TABLE reception_announcements (
    reception_id  TEXT PRIMARY KEY,
    delivery_id   INTEGER NOT NULL,
    at            TEXT NOT NULL                 -- ISO time, UTC
);
