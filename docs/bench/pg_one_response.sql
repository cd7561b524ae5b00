-- pgbench anchor: one response row per transaction, in the product's own
-- responses table (brandlift migrate up), with a row like a submission's.
INSERT INTO responses (study_id, id, respondent, grp, status, flags, cell_id, attrs, locale, device,
                       frequency, started_at, completed_at, duration_ms, answers)
VALUES ('bench', md5(random()::text), md5(random()::text), 'exposed', 'complete', '', 'c1',
        '{"age":"25-34"}', 'ru', 'mobile', NULL, NULL, now(), NULL,
        '{"recall":"yes","nps":9,"why":"нравится"}');
