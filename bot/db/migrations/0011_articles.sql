-- The article library: the Coalition's website mirrored inside the bot (bot/articles).
-- An item of a feed is taken once: (locale, guid) is unique, so a repeat in the feed, a second
-- poll or a restart never makes a second article. A row is written as `pending` when the item is
-- first seen (nothing is lost if the page cannot be fetched yet) and becomes `ready` once its
-- text is stored.
CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    locale        TEXT NOT NULL,                   -- the feed's language
    guid          TEXT NOT NULL,                   -- the item's GUID / Atom id (or its link)
    url           TEXT NOT NULL,                   -- the original page
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',        -- the feed's summary, Telegram HTML
    pages         TEXT NOT NULL DEFAULT '[]',      -- JSON list of Telegram HTML pages
    images        TEXT NOT NULL DEFAULT '[]',      -- JSON list of image URLs
    teaser        TEXT NOT NULL DEFAULT '',        -- whole sentences for the announcement
    search_text   TEXT NOT NULL DEFAULT '',        -- plain text for the search index
    status        TEXT NOT NULL CHECK (status IN ('pending', 'ready')),
    attempts      INTEGER NOT NULL DEFAULT 0,      -- failed fetches of the page so far
    announce      INTEGER NOT NULL DEFAULT 1,      -- 0: found in a feed's first read (backlog)
    published_at  TEXT,                            -- ISO time from the feed, if it gave one
    seen_at       TEXT NOT NULL,                   -- ISO time, UTC: first seen in the feed
    UNIQUE (locale, guid)
);
CREATE INDEX articles_latest ON articles (locale, status, id);

-- Feeds read at least once: items of a feed's very first read are the site's backlog, stored
-- and readable but not announced (a new deployment does not post twenty old articles).
CREATE TABLE article_feeds (
    locale      TEXT PRIMARY KEY,
    first_read  TEXT NOT NULL
);

-- Exactly-once announcements, like the campaign ledger: the row is claimed before the delivery
-- is enqueued, and the delivery's dedupe key is the row's key.
CREATE TABLE article_announcements (
    article_id   INTEGER NOT NULL REFERENCES articles (id),
    target       TEXT NOT NULL,                    -- "channel:<locale>"
    status       TEXT NOT NULL CHECK (status IN ('claimed', 'enqueued')),
    delivery_id  TEXT,
    updated_at   TEXT NOT NULL,
    UNIQUE (article_id, target)
);
