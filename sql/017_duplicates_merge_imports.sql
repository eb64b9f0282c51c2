-- Duplicate detection, merging two leads, and CSV import (issue 12, part 2).

-- A merged-away lead keeps its row (its id answers 301 with the survivor) and
-- leaves every list. import_id/import_row name the CSV row a lead came from:
-- the worker inserts a batch of leads in one statement and joins their child
-- rows back through this key, whatever ids the server hands out.
ALTER TABLE leads
  ADD COLUMN merged_into BIGINT UNSIGNED NULL,
  ADD COLUMN import_id   BIGINT UNSIGNED NULL,
  ADD COLUMN import_row  INT UNSIGNED NULL,
  ADD KEY ix_leads_merged_into (merged_into),
  ADD UNIQUE KEY uq_leads_import_row (import_id, import_row),
  ADD CONSTRAINT fk_leads_merged_into FOREIGN KEY (merged_into) REFERENCES leads (id);

-- The duplicate key of a phone: its last ten digits (a number typed with or
-- without its country code matches), compared by equality through an index
-- so that a batch of 1,000 imported rows is one join.
ALTER TABLE lead_phones
  ADD COLUMN dup_tail VARCHAR(10) AS (RIGHT(digits, 10)) STORED,
  ADD KEY ix_lead_phones_dup_tail (dup_tail, lead_id);

-- Column mappings a user saved to reuse with the next file: JSON object
-- {"CSV header": "first_name" | "custom.<key>" | …}, stored as typed.
CREATE TABLE import_mappings (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id     BIGINT UNSIGNED NOT NULL,
  name        VARCHAR(100) NOT NULL,
  mapping     TEXT NOT NULL,
  updated_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  UNIQUE KEY uq_import_mappings_name (user_id, name),
  CONSTRAINT fk_import_mappings_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One uploaded file. status: uploaded (parsed, rows stored), queued (commit
-- asked; the worker picks it up), running, done, failed. next_row is where
-- the worker goes on after a crash: every batch moves it in the transaction
-- that writes the batch's leads, so a row is in or out, never half-written.
CREATE TABLE imports (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id          BIGINT UNSIGNED NOT NULL,
  file_name        VARCHAR(200) NOT NULL DEFAULT '',
  delimiter        CHAR(1) NOT NULL,
  columns          TEXT NOT NULL,
  mapping          TEXT NULL,
  skip_duplicates  TINYINT(1) NOT NULL DEFAULT 1,
  status           ENUM('uploaded','queued','running','done','failed') NOT NULL DEFAULT 'uploaded',
  total_rows       INT UNSIGNED NOT NULL DEFAULT 0,
  next_row         INT UNSIGNED NOT NULL DEFAULT 1,
  imported_rows    INT UNSIGNED NOT NULL DEFAULT 0,
  error_rows       INT UNSIGNED NOT NULL DEFAULT 0,
  duplicate_rows   INT UNSIGNED NOT NULL DEFAULT 0,
  created_at       DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  finished_at      DATETIME(6) NULL,
  version          INT UNSIGNED NOT NULL DEFAULT 1,
  KEY ix_imports_user (user_id, id),
  KEY ix_imports_status (status, id),
  CONSTRAINT fk_imports_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The file's data rows (row 1 is the first after the header), cells as a
-- JSON array of strings; outcome once committed: imported (lead_id), error
-- (message names the fields), duplicate (skipped).
CREATE TABLE import_rows (
  import_id  BIGINT UNSIGNED NOT NULL,
  row_no     INT UNSIGNED NOT NULL,
  cells      MEDIUMTEXT NOT NULL,
  outcome    ENUM('imported','error','duplicate') NULL,
  message    VARCHAR(2000) NULL,
  lead_id    BIGINT UNSIGNED NULL,
  PRIMARY KEY (import_id, row_no),
  CONSTRAINT fk_import_rows_import FOREIGN KEY (import_id) REFERENCES imports (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
