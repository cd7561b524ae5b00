-- The write probe of /readyz: it inserts a row here and rolls the insert
-- back, which proves that the database takes writes and leaves nothing.
CREATE TABLE readiness_probe (
    id INTEGER PRIMARY KEY,
    at DATETIME NOT NULL
);
