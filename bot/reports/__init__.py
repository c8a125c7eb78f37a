"""Anonymous reports of torture and ill-treatment, sealed so that a seized server or phone reveals nothing.

Modules: `crypto` (sealing with trustee keys, padding), `receipt` (16-digit receipts, Argon2id),
`store` (the sealed SQLite tables), `session` (in-memory drafts and the delete queue), `limits`
(HMAC-keyed rate limits), `service` (the flow logic handlers call), `staff` (notices, admin
commands), `cli` (offline key generation and decryption), `retention` (purging).
See ../shared/design/anonymous-reports.md for the threat model.
"""
