-- Access tokens carry the generation of their user's credentials (claim
-- `gen`). A password change or a deactivation raises it, and the router
-- refuses a token whose generation differs, so a token issued in the same
-- second as the change (iat has whole seconds) stops working too.
-- tokens_valid_after (007) is no longer read.
ALTER TABLE users ADD COLUMN token_generation INT UNSIGNED NOT NULL DEFAULT 0
  AFTER tokens_valid_after;

-- Failed sign-ins per (e-mail typed, client address): the back-off locks
-- one address out of one account, known or not, so a stranger elsewhere
-- cannot lock the owner out and an unknown e-mail answers like a known one.
-- email_hash: SHA-256 (hex) of the e-mail in lower case, so addresses that
-- are not accounts are not stored in clear. The worker deletes rows a day
-- after their last failure. users.failed_logins and locked_until (001) are
-- no longer read.
CREATE TABLE login_failures (
  email_hash    CHAR(64) CHARACTER SET ascii NOT NULL,
  ip            VARCHAR(45) CHARACTER SET ascii NOT NULL,
  failures      INT UNSIGNED NOT NULL DEFAULT 0,
  locked_until  DATETIME(6) NULL,
  last_failure  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  PRIMARY KEY (email_hash, ip),
  KEY ix_login_failures_last (last_failure)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
