-- Contacts: the customers an NPS study invites by email. The email is
-- kept (invitations need it); the respondent id their links carry is the
-- imported rid or a keyed hash of the email.

CREATE TABLE contacts (
    study_id   TEXT NOT NULL,
    id         TEXT NOT NULL,
    email      TEXT NOT NULL,              -- trimmed, lower-case
    rid        TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    locale     TEXT NOT NULL DEFAULT '',   -- '' = the study's default language
    attrs      TEXT NOT NULL DEFAULT '{}',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (study_id, id)
);
CREATE UNIQUE INDEX contacts_email ON contacts (study_id, email);
