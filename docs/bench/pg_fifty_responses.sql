-- pgbench anchor: 50 response rows per transaction (what group commit can
-- reach at best), in the product's own responses table.
INSERT INTO responses (study_id, id, respondent, grp, status, flags, cell_id, attrs, locale, device,
                       frequency, started_at, completed_at, duration_ms, answers)
SELECT 'bench', md5(random()::text), md5(random()::text), 'exposed', 'complete', '', 'c1',
       '{"age":"25-34"}', 'ru', 'mobile', NULL, NULL, now(), NULL,
       '{"recall":"yes","nps":9,"why":"нравится"}'
FROM generate_series(1, 50);
