-- The dashboard's language, remembered per user (ru or en; empty until
-- the user picks one, when the browser's Accept-Language decides).
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
