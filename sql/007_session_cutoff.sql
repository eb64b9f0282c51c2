-- Access tokens issued before this instant stop working: set when a user's
-- password changes, so a reset ends live sessions at once, not after 15 min.
ALTER TABLE users ADD COLUMN tokens_valid_after DATETIME NULL AFTER locked_until;
