-- Studies, their questions and options, and API keys.
-- Tables that grow with traffic (later: responses, answers, exposures) carry
-- study_id first in every key so that the schema can shard by study.

CREATE TABLE studies (
    id               TEXT PRIMARY KEY,
    public_key       TEXT NOT NULL UNIQUE,
    secret           BYTEA NOT NULL,
    -- The signing secret may be rotated; during the grace period tokens
    -- signed with the previous one still verify.
    previous_secret       BYTEA,
    previous_secret_until TIMESTAMPTZ,
    -- assignment_key never changes: holdout groups and respondent hashes
    -- are keyed by it, so rotating the secret moves nobody between groups.
    assignment_key   BYTEA NOT NULL,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    status           TEXT NOT NULL,
    brand            TEXT NOT NULL DEFAULT '',
    locales          JSONB NOT NULL,
    default_locale   TEXT NOT NULL,
    assignment       TEXT NOT NULL,
    control_share    DOUBLE PRECISION NOT NULL,
    target_per_group BIGINT NOT NULL DEFAULT 0,
    confidence       DOUBLE PRECISION NOT NULL,
    reach            BIGINT NOT NULL DEFAULT 0,
    spend            DOUBLE PRECISION NOT NULL DEFAULT 0,
    currency         TEXT NOT NULL DEFAULT '',
    settings         JSONB NOT NULL DEFAULT '{}',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    launched_at      TIMESTAMPTZ,
    closed_at        TIMESTAMPTZ
);
CREATE INDEX studies_status_kind ON studies (status, kind, id);

CREATE TABLE questions (
    study_id   TEXT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    position   INTEGER NOT NULL,
    type       TEXT NOT NULL,
    metric     TEXT NOT NULL DEFAULT '',
    text       JSONB NOT NULL,
    required   BOOLEAN NOT NULL DEFAULT TRUE,
    randomize  BOOLEAN NOT NULL DEFAULT FALSE,
    scale      INTEGER NOT NULL DEFAULT 0,
    attention  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (study_id, key)
);

CREATE TABLE question_options (
    study_id     TEXT NOT NULL,
    question_key TEXT NOT NULL,
    key          TEXT NOT NULL,
    position     INTEGER NOT NULL,
    text         JSONB NOT NULL,
    positive     BOOLEAN NOT NULL DEFAULT FALSE,
    fixed        BOOLEAN NOT NULL DEFAULT FALSE,
    exclusive    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (study_id, question_key, key),
    FOREIGN KEY (study_id, question_key) REFERENCES questions (study_id, key) ON DELETE CASCADE
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
