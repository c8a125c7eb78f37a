-- Admin roles, the audit log, and the persistent delivery queue (broadcasts and campaigns).

-- Admins and editors added by owners (owners themselves are ADMIN_IDS and are not stored).
CREATE TABLE admins (
    user_id   INTEGER PRIMARY KEY,
    role      TEXT NOT NULL CHECK (role IN ('admin', 'editor')),
    added_by  INTEGER NOT NULL,
    added_at  TEXT NOT NULL                     -- ISO time, UTC
);

-- Every admin action: who, what, when, on what. Never message texts.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    admin_id  INTEGER NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT,
    at        TEXT NOT NULL                     -- ISO time, UTC
);
CREATE INDEX audit_log_at ON audit_log (at);

-- One row per delivery (a broadcast, a campaign post). `versions` and `audience` are JSON.
CREATE TABLE deliveries (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT NOT NULL,
    dedupe_key     TEXT NOT NULL UNIQUE,
    versions       TEXT NOT NULL,
    audience       TEXT NOT NULL,
    not_before     TEXT,                        -- ISO time, UTC; NULL = at once
    created_by     INTEGER,
    created_at     TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'scheduled'
                   CHECK (state IN ('scheduled', 'expanding', 'sending', 'done', 'cancelled')),
    expand_cursor  INTEGER NOT NULL DEFAULT -1, -- last user_id already queued (resumable)
    started_at     TEXT,
    finished_at    TEXT
);
CREATE INDEX deliveries_active ON deliveries (state, id);

-- One row per (delivery, recipient). `target` is a user id or a channel as text.
-- pending -> sending (committed before the request) -> sent | blocked | failed | cancelled.
CREATE TABLE delivery_items (
    delivery_id  INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    target       TEXT NOT NULL,
    locale       TEXT NOT NULL,
    is_channel   INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'sending', 'sent', 'blocked', 'failed', 'cancelled')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    reason       TEXT,
    PRIMARY KEY (delivery_id, target)
);
CREATE INDEX delivery_items_state ON delivery_items (delivery_id, state);

-- Users who asked not to receive one campaign.
CREATE TABLE campaign_optouts (
    user_id      INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    campaign_id  TEXT NOT NULL,
    PRIMARY KEY (user_id, campaign_id)
);
