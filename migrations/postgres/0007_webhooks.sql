-- Webhooks: subscriptions, and the outbox of their deliveries with each
-- attempt. A delivery row is written in the transaction that commits its
-- event (a response, a study's close), so no event is lost or sent for
-- something that did not commit.

CREATE TABLE webhooks (
    id          TEXT PRIMARY KEY,
    study_id    TEXT NOT NULL DEFAULT '',  -- '' = every study of the installation
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,             -- whsec_..., signs every delivery
    events      TEXT NOT NULL,             -- comma-separated event types
    description TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    deleted_at  TIMESTAMPTZ
);
CREATE INDEX webhooks_study ON webhooks (study_id);

CREATE TABLE webhook_deliveries (
    study_id     TEXT NOT NULL,
    id           TEXT NOT NULL,            -- the webhook-id header, the same on every attempt
    webhook_id   TEXT NOT NULL,
    response_id  TEXT NOT NULL DEFAULT '',  -- the response it tells of, for erasure
    event        TEXT NOT NULL,
    payload      TEXT NOT NULL,            -- the exact body that is signed
    created_at   TIMESTAMPTZ NOT NULL,
    status       TEXT NOT NULL,            -- pending, delivered, failed
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TIMESTAMPTZ,                      -- due time while pending; also a claim's lease
    last_status  INTEGER,                  -- HTTP status of the last attempt
    last_error   TEXT NOT NULL DEFAULT '',
    delivered_at TIMESTAMPTZ,
    PRIMARY KEY (study_id, id)
);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (study_id, webhook_id, id);
-- The worker's query for due deliveries crosses studies, so this one index
-- does not start with study_id; it holds pending rows only, and on a
-- sharded database each shard's worker query uses its own copy.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
    study_id    TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    n           INTEGER NOT NULL,          -- 1 for the first attempt
    at          TIMESTAMPTZ NOT NULL,
    status_code INTEGER,                   -- null when no HTTP answer came
    error       TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (study_id, delivery_id, n)
);
