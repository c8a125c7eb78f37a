-- When this database first ran the campaigns (a fresh deployment): posts that were due well
-- before it are not sent late on the very first start (see bot/campaigns/runner.py).
CREATE TABLE campaign_meta (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
