-- Responses, exposures and the running tallies the report reads.
-- Every table here grows with traffic: study_id comes first in every key.

CREATE TABLE responses (
    study_id      TEXT NOT NULL,
    id            TEXT NOT NULL,
    respondent    TEXT NOT NULL,          -- HMAC of the rid, never the rid
    grp           TEXT NOT NULL,          -- exposed, control or all
    status        TEXT NOT NULL DEFAULT 'complete',
    flags         TEXT NOT NULL DEFAULT '', -- comma list: speeder, straightliner, attention
    cell_id       TEXT NOT NULL,
    attrs         TEXT NOT NULL,
    locale        TEXT NOT NULL,
    device        TEXT NOT NULL,
    frequency     INTEGER,                -- impressions seen; null when unknown
    started_at    DATETIME,            -- first render of the page; null for API clients
    completed_at  DATETIME NOT NULL,
    duration_ms   INTEGER,
    consent_at    DATETIME,
    consent_hash  TEXT NOT NULL DEFAULT '',
    answers       TEXT NOT NULL,
    PRIMARY KEY (study_id, id),
    UNIQUE (study_id, respondent)
);
CREATE INDEX responses_completed ON responses (study_id, completed_at);

-- One row per distinct combination of segment attributes; tallies count by
-- cell so that any segment, and raking, are sums over cells.
CREATE TABLE cells (
    study_id         TEXT NOT NULL,
    id               TEXT NOT NULL,
    attrs            TEXT NOT NULL,
    device           TEXT NOT NULL,
    frequency_bucket TEXT NOT NULL,
    PRIMARY KEY (study_id, id)
);

-- Running counts kept in the same transaction as each response:
-- question_key '' slot '' counts responses; slot '_n' counts answers to a
-- question; other slots are option keys, NPS scores or rating levels.
CREATE TABLE tallies (
    study_id     TEXT NOT NULL,
    cell_id      TEXT NOT NULL,
    grp          TEXT NOT NULL,
    flagged      INTEGER NOT NULL,
    question_key TEXT NOT NULL,
    slot         TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (study_id, cell_id, grp, flagged, question_key, slot)
);

-- The same counts by UTC day, for the trend.
CREATE TABLE daily_tallies (
    study_id     TEXT NOT NULL,
    day          TEXT NOT NULL,           -- YYYY-MM-DD, UTC
    grp          TEXT NOT NULL,
    flagged      INTEGER NOT NULL,
    question_key TEXT NOT NULL,
    slot         TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (study_id, day, grp, flagged, question_key, slot)
);

-- Responses per group and flag set: quotas and the flagged counts by reason.
CREATE TABLE group_counts (
    study_id TEXT NOT NULL,
    grp      TEXT NOT NULL,
    flags    TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (study_id, grp, flags)
);

-- Completion times in whole seconds, for the running median that flags speeders.
CREATE TABLE durations (
    study_id TEXT NOT NULL,
    seconds  INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (study_id, seconds)
);

CREATE TABLE exposures (
    study_id   TEXT NOT NULL,
    respondent TEXT NOT NULL,
    first_seen DATETIME NOT NULL,
    last_seen  DATETIME NOT NULL,
    count      INTEGER NOT NULL,
    creative   TEXT NOT NULL DEFAULT '',
    placement  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (study_id, respondent)
);
