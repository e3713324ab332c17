-- Every write is audited in its own transaction with what it wrote (a submission's number and
-- the SHA-256 of its body) and a keyed MAC of the entry's hash, kept outside the database's
-- reach; tokens record who made them and can expire or be revoked; reviewers are assigned to
-- cases; a retried upload with the same Idempotency-Key gets its first receipt.
ALTER TABLE audit ADD COLUMN detail TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN mac TEXT NOT NULL DEFAULT '';

ALTER TABLE tokens ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN expires_at TEXT;
ALTER TABLE tokens ADD COLUMN revoked_at TEXT;

CREATE TABLE case_reviewers (
    case_id TEXT NOT NULL REFERENCES cases (id),
    reviewer TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    PRIMARY KEY (case_id, reviewer)
);

CREATE TABLE idempotency (
    principal TEXT NOT NULL,
    key TEXT NOT NULL,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (principal, key)
);
