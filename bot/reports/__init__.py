"""Anonymous reports of torture and ill-treatment, sealed so that a seized server or phone reveals nothing.

Modules: `crypto` (sealing with trustee keys, padding), `receipt` (16-digit receipts, Argon2id),
`store` (the sealed SQLite tables), `storage` (the reports' own database file), `session`
(in-memory drafts and the delete queue), `limits` (HMAC-keyed rate limits), `costs` (caps on
memory and work), `flow` (the questions and texts of each step), `service` (the logic handlers
call; `create_report_service`), `staff` (notices and the lines staff see), `cli` (offline key
generation and decryption). The Telegram side is handlers/reports/; the jobs, jobs/reports.py.
See ../shared/design/anonymous-reports.md for the threat model.
"""
