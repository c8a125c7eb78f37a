-- The sealed reports moved to a file of their own (bot/reports/storage.py copies any rows of
-- an older database there first). secure_delete zeroes the freed pages.
DROP TABLE IF EXISTS report_entries;
DROP TABLE IF EXISTS reports;
