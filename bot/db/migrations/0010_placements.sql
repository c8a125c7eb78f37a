-- Posters, billboards and QR codes: joins per placement code per day. Nothing else: no user id,
-- no time finer than the day, no link to any other table.
CREATE TABLE placement_joins (
    code   TEXT NOT NULL,
    day    TEXT NOT NULL,                       -- YYYY-MM-DD in TIMEZONE
    count  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (code, day)
);
