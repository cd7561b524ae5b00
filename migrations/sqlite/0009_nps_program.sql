-- NPS programs: touches (each time a person was asked, answered or
-- dismissed, by channel: what throttling and response rates read), email
-- invitations as a durable send queue, the installation's unsubscribes,
-- and bounces per contact.

-- The installation's own key: it hashes respondent ids the same way in
-- every study, for throttling across studies, without storing them.
CREATE TABLE installation (
    id         INTEGER PRIMARY KEY,
    person_key TEXT NOT NULL               -- hex, 32 random bytes
);

CREATE TABLE touches (
    study_id    TEXT NOT NULL,
    id          TEXT NOT NULL,
    person      TEXT NOT NULL,             -- the respondent hash of the study of the rid
    person_all  TEXT NOT NULL,             -- the installation hash of the rid
    channel     TEXT NOT NULL,             -- email, widget, link
    kind        TEXT NOT NULL,             -- shown, answered, dismissed
    ask         TEXT NOT NULL DEFAULT '',  -- invitation or widget prompt
    response_id TEXT NOT NULL DEFAULT '',
    at          DATETIME NOT NULL,
    PRIMARY KEY (study_id, id)
);
CREATE INDEX touches_person ON touches (study_id, person, at);
-- Throttling across studies looks a person up in every study at once.
CREATE INDEX touches_person_all ON touches (person_all, at);
CREATE INDEX touches_channel ON touches (study_id, channel, kind);

CREATE TABLE invitations (
    study_id    TEXT NOT NULL,
    id          TEXT NOT NULL,             -- also the ask id its links carry (a reminder: that of its invitation)
    contact_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,             -- invite, reminder
    ask         TEXT NOT NULL,
    status      TEXT NOT NULL,             -- queued, sent, failed, bounced, skipped
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     DATETIME,                  -- due time while queued; also the lease of a claim
    claimed_at  DATETIME,                  -- the last claim: what the per-minute rate counts
    smtp_code   INTEGER,                   -- the SMTP reply of the last attempt
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    sent_at     DATETIME,
    PRIMARY KEY (study_id, id)
);
CREATE INDEX invitations_contact ON invitations (study_id, contact_id);
CREATE INDEX invitations_due ON invitations (next_at) WHERE status = 'queued';
CREATE INDEX invitations_claimed ON invitations (study_id, claimed_at);

-- Unsubscribes hold for every later study of the installation.
CREATE TABLE suppressions (
    email      TEXT PRIMARY KEY,           -- trimmed, lower-case
    reason     TEXT NOT NULL,              -- unsubscribed
    study_id   TEXT NOT NULL DEFAULT '',   -- the study whose email it came from
    at         DATETIME NOT NULL
);

ALTER TABLE contacts ADD COLUMN bounced_at DATETIME;
ALTER TABLE contacts ADD COLUMN bounce_reason TEXT NOT NULL DEFAULT '';
