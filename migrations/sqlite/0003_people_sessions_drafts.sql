-- People sign in through the web pages: a partnership user invites a named person and passes
-- on a one-time sign-in link (only the SHA-256 of its code is kept); opening it starts a
-- session (only the SHA-256 of the cookie's secret is kept) that ends when idle, at an
-- absolute limit, at sign-out or when revoked. A form half filled in on the pages is a draft,
-- one per case, form and owner (an agency, or '' for the partnership's and reviewers' forms).
CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    code_sha256 TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    agency TEXT NOT NULL DEFAULT '',
    agency_name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    secret_sha256 TEXT NOT NULL,
    invitation TEXT NOT NULL REFERENCES invitations (id),
    created_at TEXT NOT NULL,
    idle_until TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT
);

CREATE TABLE drafts (
    case_id TEXT NOT NULL,
    form TEXT NOT NULL,
    owner TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (case_id, form, owner)
);
