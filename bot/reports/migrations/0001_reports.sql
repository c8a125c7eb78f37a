-- The sealed reports, in a SQLite file of their own (bot/reports/storage.py). No other feature
-- writes this file, so nothing in it orders a report after some user's activity.
-- (Until version 5 of the main database these tables lived there: see its 0002 and 0006.)
CREATE TABLE reports (
    report_id     BLOB PRIMARY KEY,               -- 16 random bytes
    ref           TEXT NOT NULL UNIQUE,           -- short random reference for staff, R-7F3K9Q
    lookup        BLOB NOT NULL UNIQUE,           -- Argon2id(receipt, salt 1)
    reporter_key  BLOB NOT NULL,                  -- X25519 public key from Argon2id(receipt, salt 2)
    category      TEXT,                           -- kind of place (police, army, ...) or NULL
    oblast        TEXT,                           -- region or NULL
    urgency       TEXT NOT NULL DEFAULT 'unknown' CHECK (urgency IN ('danger', 'no', 'unknown')),
    status        TEXT NOT NULL DEFAULT 'new'
                  CHECK (status IN ('new', 'in_review', 'lawyer', 'closed')),
    stats_consent INTEGER NOT NULL DEFAULT 0,
    week          TEXT NOT NULL,                  -- Monday of the week it was made, YYYY-MM-DD
    active_week   TEXT NOT NULL                   -- Monday of the week of the last activity
) WITHOUT ROWID;
CREATE INDEX reports_status ON reports (status);
CREATE INDEX reports_active ON reports (active_week);

-- Answers, later additions, files and staff replies; each body sealed with its own key K,
-- K sealed to every trustee key (and, for replies, to the reporter's key).
CREATE TABLE report_entries (
    entry_id    BLOB PRIMARY KEY,                 -- 16 random bytes
    report_id   BLOB NOT NULL REFERENCES reports (report_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,                 -- order inside the report (0, 1, 2, ...)
    kind        TEXT NOT NULL CHECK (kind IN ('answers', 'text', 'file', 'reply')),
    week        TEXT NOT NULL,
    sealed_keys TEXT NOT NULL,                    -- JSON {key id: base64 SealedBox(K)}
    body        BLOB NOT NULL,                    -- SecretBox(K, padded payload)
    UNIQUE (report_id, seq)
) WITHOUT ROWID;

-- This deployment's receipt salts (bot/reports/receipt.py), drawn on first start.
CREATE TABLE report_meta (
    item   TEXT PRIMARY KEY,
    value  BLOB NOT NULL
) WITHOUT ROWID;
