-- The calendar feed's secret is kept as its SHA-256 (hex), like refresh
-- tokens: a copy of the users table (a backup, a read-only account, an
-- injected SELECT) no longer opens anyone's feed. Existing feed addresses
-- keep working: their hash is computed here from the stored token, which is
-- then dropped. The token itself is shown once, when made (POST
-- /api/v1/calendar/feed/reset).
ALTER TABLE users ADD COLUMN calendar_token_hash CHAR(64) CHARACTER SET ascii NULL
  AFTER calendar_token;
UPDATE users SET calendar_token_hash = SHA2(calendar_token, 256)
  WHERE calendar_token IS NOT NULL;
ALTER TABLE users DROP INDEX uq_users_calendar_token, DROP COLUMN calendar_token,
  ADD UNIQUE KEY uq_users_calendar_token_hash (calendar_token_hash);
