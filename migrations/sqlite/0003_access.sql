-- Dashboard users, their sessions, login throttling and the audit log.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,           -- bcrypt
    created_at    DATETIME NOT NULL,
    last_login_at DATETIME,
    disabled_at   DATETIME
);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,           -- SHA-256 of the cookie value
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins, by account and by IP, for throttling.
CREATE TABLE login_failures (
    key TEXT NOT NULL,                     -- "email:..." or "ip:..."
    at  DATETIME NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE audit_events (
    id       TEXT PRIMARY KEY,             -- time-ordered
    at       DATETIME NOT NULL,
    actor    TEXT NOT NULL,                -- "key:ID (name)" or "user:EMAIL"
    action   TEXT NOT NULL,
    study_id TEXT NOT NULL DEFAULT '',
    detail   TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_study ON audit_events (study_id, id);
