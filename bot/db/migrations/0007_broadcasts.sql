-- Broadcasts numbered among themselves (1, 2, 3 …), apart from the delivery ids that campaign
-- posts share, and where each one's progress message is: after a restart the same message is
-- edited and the summary is sent once.
CREATE TABLE broadcasts (
    number        INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id   INTEGER NOT NULL UNIQUE REFERENCES deliveries (id) ON DELETE CASCADE,
    chat_id       INTEGER NOT NULL,             -- the composing admin's private chat
    locale        TEXT,                         -- the admin's language for progress and summary
    message_id    INTEGER,                      -- the progress message; NULL until it is sent
    summary_sent  INTEGER NOT NULL DEFAULT 0
);

-- Broadcasts made before this version keep their order; those already over need no summary.
INSERT INTO broadcasts (delivery_id, chat_id, summary_sent)
SELECT id, COALESCE(created_by, 0), state IN ('done', 'cancelled') OR created_by IS NULL
FROM deliveries WHERE kind = 'broadcast' ORDER BY id;
