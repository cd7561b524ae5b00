-- Impression logs imported in bulk: one row per file a study took, with
-- the report of that upload. The primary key makes an upload idempotent:
-- the import inserts its row in the same transaction as the exposures it
-- merges, so a repeated or concurrent upload of the same file id finds
-- the row (or waits for it) and counts nothing twice.

CREATE TABLE impression_files (
    study_id   TEXT NOT NULL,
    file_id    TEXT NOT NULL,              -- chosen by the uploader (file_id or Idempotency-Key)
    report     JSONB NOT NULL,             -- the report the first upload answered
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (study_id, file_id)
);
