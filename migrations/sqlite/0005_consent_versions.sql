-- Consent as proof (152-FZ): every text a study ever asked respondents to
-- accept is kept, numbered per study, and each response names the version
-- it accepted. Changing the text adds a version; none is overwritten.
CREATE TABLE consent_versions (
    study_id   TEXT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    created_at DATETIME NOT NULL,
    texts      TEXT NOT NULL,               -- JSON: locale -> text
    PRIMARY KEY (study_id, version)
);
ALTER TABLE studies ADD COLUMN consent_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN consent_version INTEGER;

-- Studies and responses from before versions: their text is version 1.
INSERT INTO consent_versions (study_id, version, created_at, texts)
    SELECT id, 1, created_at, json_extract(settings, '$.consent') FROM studies
    WHERE json_type(settings, '$.consent') = 'object' AND json_extract(settings, '$.consent') <> '{}';
UPDATE studies SET consent_version = 1
    WHERE id IN (SELECT study_id FROM consent_versions);
UPDATE responses SET consent_version = 1 WHERE consent_at IS NOT NULL;
