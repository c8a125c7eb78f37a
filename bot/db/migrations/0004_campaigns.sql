-- Daily campaigns. The ledger makes every (campaign, year, day, target) post happen at most once:
-- its row is written before the delivery is enqueued, and the delivery's dedupe key is the row's
-- key, so a restart, a kill -9 or a second process re-enqueues idempotently instead of re-posting.
CREATE TABLE campaign_ledger (
    campaign_id  TEXT NOT NULL,
    year         INTEGER NOT NULL,               -- the year the campaign's window starts
    day          TEXT NOT NULL,                  -- "5" (window day) or "03-01" (calendar day)
    target       TEXT NOT NULL,                  -- "channel:tg" | "subscribers"
    status       TEXT NOT NULL CHECK (status IN ('claimed', 'enqueued', 'missed', 'skipped')),
    delivery_id  TEXT,                           -- the delivery engine's id once enqueued
    updated_at   TEXT NOT NULL,                  -- ISO time, UTC
    UNIQUE (campaign_id, year, day, target)
);

-- Admin controls: a paused campaign posts nothing until resumed; a skipped day is not posted.
CREATE TABLE campaign_pauses (
    campaign_id  TEXT PRIMARY KEY,
    paused_at    TEXT NOT NULL
);
CREATE TABLE campaign_skips (
    campaign_id  TEXT NOT NULL,
    year         INTEGER NOT NULL,
    day          TEXT NOT NULL,
    PRIMARY KEY (campaign_id, year, day)
);
