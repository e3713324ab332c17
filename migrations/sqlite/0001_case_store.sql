-- Cases, agencies asked, versioned submissions, the audit log and access tokens.
-- Times are RFC 3339 UTC text with microseconds, so they sort as text.
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL CHECK (origin IN ('notification', 'referral')),
    aware_date TEXT,
    submission_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE case_agencies (
    case_id TEXT NOT NULL REFERENCES cases (id),
    agency_id TEXT NOT NULL,
    agency_name TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    asked_by TEXT NOT NULL,
    PRIMARY KEY (case_id, agency_id)
);

CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id TEXT NOT NULL REFERENCES cases (id),
    form TEXT NOT NULL,
    version INTEGER NOT NULL,
    agency TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('valid', 'draft')),
    report TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (case_id, form, agency, version)
);

CREATE TRIGGER submissions_no_update BEFORE UPDATE ON submissions
BEGIN SELECT RAISE(ABORT, 'submissions are append-only'); END;
CREATE TRIGGER submissions_no_delete BEFORE DELETE ON submissions
BEGIN SELECT RAISE(ABORT, 'submissions are append-only'); END;

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    principal TEXT NOT NULL,
    role TEXT NOT NULL,
    agency TEXT NOT NULL,
    action TEXT NOT NULL,
    case_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_case ON audit (case_id, seq);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    secret_sha256 TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agency', 'partnership', 'reviewer', 'admin')),
    agency TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
