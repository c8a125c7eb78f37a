-- Quizzes (bot/quiz/store.py). An event's rows (the event, its participants, their polls) are
-- deleted RETENTION (24 h) after the event ends, or after it was opened if it never ended
-- (jobs/quiz.py). Nothing here links to a report, a user's settings or any other table.
CREATE TABLE quiz_events (
    code          TEXT PRIMARY KEY,             -- random; the deep link is ?start=quiz_<code>
    quiz_id       TEXT NOT NULL,                -- content/quizzes/<id>/
    admin_chat    INTEGER NOT NULL,             -- who opened it: gets the leaderboard
    admin_locale  TEXT NOT NULL,
    state         TEXT NOT NULL,                -- open | running | finished
    question      INTEGER NOT NULL DEFAULT -1,  -- the current question's index
    phase         TEXT NOT NULL DEFAULT 'none', -- none | sending | open (for `question`)
    closes_at     REAL,                         -- the current question closes (bot clock, s)
    next_at       REAL,                         -- the next step is due (bot clock, s)
    admin_told    INTEGER NOT NULL DEFAULT 0,
    opened_at     REAL NOT NULL,
    finished_at   REAL
);

-- One row per Telegram user per event (a second device is the same user: the same row).
-- The chat id (= user id) and the nickname live only as long as the event's rows.
CREATE TABLE quiz_participants (
    code          TEXT NOT NULL REFERENCES quiz_events (code) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL,
    locale        TEXT NOT NULL,
    nickname      TEXT,                         -- NULL while it is being chosen
    nickname_key  TEXT,                         -- folded: unique per event
    score         INTEGER NOT NULL DEFAULT 0,
    correct       INTEGER NOT NULL DEFAULT 0,
    elapsed       REAL NOT NULL DEFAULT 0,      -- seconds, summed over correct answers (ties)
    gone          INTEGER NOT NULL DEFAULT 0,   -- left, or blocked the bot
    joined_at     REAL NOT NULL,
    place         INTEGER,                      -- set when the event ends
    prize_code    TEXT,                         -- top three only; random
    prize_shown   INTEGER NOT NULL DEFAULT 0,   -- the admin checked it once already
    told          INTEGER NOT NULL DEFAULT 0,   -- got the leaderboard
    PRIMARY KEY (code, user_id)
);
CREATE UNIQUE INDEX quiz_participants_nickname ON quiz_participants (code, nickname_key);
CREATE UNIQUE INDEX quiz_participants_prize ON quiz_participants (prize_code);

-- Every poll sent to a participant: Telegram gives each private poll its own id, and a
-- poll_answer carries only that id, the user and the options (no date).
CREATE TABLE quiz_polls (
    poll_id       TEXT PRIMARY KEY,
    code          TEXT NOT NULL REFERENCES quiz_events (code) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL,
    question      INTEGER NOT NULL,
    sent_at       REAL NOT NULL,                -- the bot's clock when sendPoll answered
    closes_at     REAL NOT NULL,
    answered      INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX quiz_polls_one ON quiz_polls (code, question, user_id);

-- Counts kept after the event rows are gone: numbers only.
CREATE TABLE quiz_event_counts (
    quiz_id       TEXT PRIMARY KEY,
    events        INTEGER NOT NULL DEFAULT 0,
    participants  INTEGER NOT NULL DEFAULT 0
);

-- The question of the day in the channels: the anonymous poll's totals as Telegram reports
-- them (`poll` updates carry the whole count, so a row is replaced, never added to).
CREATE TABLE quiz_day_results (
    poll_id       TEXT PRIMARY KEY,
    voters        INTEGER NOT NULL,
    correct       INTEGER NOT NULL
);
