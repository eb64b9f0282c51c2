-- The lead record and everything hanging off it.
CREATE TABLE leads (
  id                   BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  first_name           VARCHAR(100) NOT NULL DEFAULT '',
  last_name            VARCHAR(100) NOT NULL DEFAULT '',
  street               VARCHAR(200) NULL,
  city                 VARCHAR(100) NULL,
  region               VARCHAR(100) NULL,
  postal_code          VARCHAR(20) NULL,
  country              CHAR(2) NULL,
  incomplete           TINYINT(1) NOT NULL DEFAULT 1,
  type_id              BIGINT UNSIGNED NULL,
  category_id          BIGINT UNSIGNED NULL,
  priority_id          BIGINT UNSIGNED NULL,
  importance_id        BIGINT UNSIGNED NULL,
  source_id            BIGINT UNSIGNED NULL,
  lost_reason_id       BIGINT UNSIGNED NULL,
  probability          TINYINT UNSIGNED NULL,
  target_amount        DECIMAL(14,2) NULL,
  status_id            BIGINT UNSIGNED NOT NULL,
  state                ENUM('new','in_progress','won','lost','completed') NOT NULL DEFAULT 'new',
  archived_at          DATETIME(6) NULL,
  archive_reason       VARCHAR(500) NULL,
  start_date           DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  expected_completion  DATETIME(6) NULL,
  duration_value       INT UNSIGNED NULL,
  duration_unit        ENUM('minutes','hours','days','weeks','months','years') NULL,
  actual_completion    DATETIME(6) NULL,
  owner_id             BIGINT UNSIGNED NULL,
  group_id             BIGINT UNSIGNED NULL,
  unit_id              BIGINT UNSIGNED NULL,
  created_by           BIGINT UNSIGNED NULL,
  created_at           DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  updated_at           DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  version              INT UNSIGNED NOT NULL DEFAULT 1,
  KEY ix_leads_owner (owner_id, id),
  KEY ix_leads_group (group_id, id),
  KEY ix_leads_unit (unit_id, owner_id),
  KEY ix_leads_state (state, status_id),
  KEY ix_leads_name (last_name, first_name),
  KEY ix_leads_incomplete (incomplete, id),
  CONSTRAINT fk_leads_type FOREIGN KEY (type_id) REFERENCES lookups (id),
  CONSTRAINT fk_leads_category FOREIGN KEY (category_id) REFERENCES lookups (id),
  CONSTRAINT fk_leads_priority FOREIGN KEY (priority_id) REFERENCES lookups (id),
  CONSTRAINT fk_leads_importance FOREIGN KEY (importance_id) REFERENCES lookups (id),
  CONSTRAINT fk_leads_source FOREIGN KEY (source_id) REFERENCES lookups (id),
  CONSTRAINT fk_leads_lost_reason FOREIGN KEY (lost_reason_id) REFERENCES lookups (id),
  CONSTRAINT fk_leads_status FOREIGN KEY (status_id) REFERENCES statuses (id),
  CONSTRAINT fk_leads_owner FOREIGN KEY (owner_id) REFERENCES users (id),
  CONSTRAINT fk_leads_group FOREIGN KEY (group_id) REFERENCES org_groups (id),
  CONSTRAINT fk_leads_unit FOREIGN KEY (unit_id) REFERENCES units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Phones as typed, and their digits for search in any formatting. The
-- digits are also kept reversed, so that "ends with" (a number typed without
-- its country code) is an index prefix search.
CREATE TABLE lead_phones (
  lead_id   BIGINT UNSIGNED NOT NULL,
  position  TINYINT UNSIGNED NOT NULL,
  phone     VARCHAR(40) NOT NULL,
  digits    VARCHAR(20) NOT NULL,
  rdigits   VARCHAR(20) AS (REVERSE(digits)) STORED,
  PRIMARY KEY (lead_id, position),
  KEY ix_lead_phones_rdigits (rdigits),
  CONSTRAINT fk_lead_phones_lead FOREIGN KEY (lead_id) REFERENCES leads (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE lead_emails (
  lead_id   BIGINT UNSIGNED NOT NULL,
  position  TINYINT UNSIGNED NOT NULL,
  email     VARCHAR(254) NOT NULL,
  PRIMARY KEY (lead_id, position),
  KEY ix_lead_emails_email (email),
  CONSTRAINT fk_lead_emails_lead FOREIGN KEY (lead_id) REFERENCES leads (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Custom-field values, typed so that a filter can use an index; a
-- multi-select stores one row per chosen option (seq 0, 1, …).
CREATE TABLE lead_custom_values (
  lead_id     BIGINT UNSIGNED NOT NULL,
  field_id    BIGINT UNSIGNED NOT NULL,
  seq         SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  value_text  VARCHAR(4000) NULL,
  value_num   DECIMAL(20,4) NULL,
  value_time  DATETIME(6) NULL,
  PRIMARY KEY (lead_id, field_id, seq),
  KEY ix_lcv_text (field_id, value_text(100)),
  KEY ix_lcv_num (field_id, value_num),
  KEY ix_lcv_time (field_id, value_time),
  CONSTRAINT fk_lcv_lead FOREIGN KEY (lead_id) REFERENCES leads (id),
  CONSTRAINT fk_lcv_field FOREIGN KEY (field_id) REFERENCES custom_fields (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE lead_products (
  lead_id     BIGINT UNSIGNED NOT NULL,
  product_id  BIGINT UNSIGNED NOT NULL,
  notes       VARCHAR(1000) NULL,
  PRIMARY KEY (lead_id, product_id),
  CONSTRAINT fk_lead_products_lead FOREIGN KEY (lead_id) REFERENCES leads (id),
  CONSTRAINT fk_lead_products_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE lead_team (
  lead_id  BIGINT UNSIGNED NOT NULL,
  user_id  BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (lead_id, user_id),
  KEY ix_lead_team_user (user_id, lead_id),
  CONSTRAINT fk_lead_team_lead FOREIGN KEY (lead_id) REFERENCES leads (id),
  CONSTRAINT fk_lead_team_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE lead_competitors (
  lead_id        BIGINT UNSIGNED NOT NULL,
  competitor_id  BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (lead_id, competitor_id),
  CONSTRAINT fk_lead_competitors_lead FOREIGN KEY (lead_id) REFERENCES leads (id),
  CONSTRAINT fk_lead_competitors_competitor FOREIGN KEY (competitor_id) REFERENCES lookups (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Shared notes; an edit moves the earlier text to lead_note_revisions.
CREATE TABLE lead_notes (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  lead_id     BIGINT UNSIGNED NOT NULL,
  author_id   BIGINT UNSIGNED NOT NULL,
  body        TEXT NOT NULL,
  created_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  edited_at   DATETIME(6) NULL,
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  KEY ix_lead_notes_lead (lead_id, id),
  CONSTRAINT fk_lead_notes_lead FOREIGN KEY (lead_id) REFERENCES leads (id),
  CONSTRAINT fk_lead_notes_author FOREIGN KEY (author_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE lead_note_revisions (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  note_id    BIGINT UNSIGNED NOT NULL,
  body       TEXT NOT NULL,
  edited_by  BIGINT UNSIGNED NOT NULL,
  edited_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  KEY ix_note_revisions_note (note_id, id),
  CONSTRAINT fk_note_revisions_note FOREIGN KEY (note_id) REFERENCES lead_notes (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Field-level history of every change: who (the lead through a form, an
-- agent, or the system with the rule that acted), when, before and after.
CREATE TABLE lead_history (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  lead_id       BIGINT UNSIGNED NOT NULL,
  at            DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  actor_kind    ENUM('lead','agent','system') NOT NULL,
  actor_id      BIGINT UNSIGNED NULL,
  action        VARCHAR(40) NOT NULL,
  field         VARCHAR(64) NULL,
  before_value  VARCHAR(2000) NULL,
  after_value   VARCHAR(2000) NULL,
  rule          VARCHAR(64) NULL,
  KEY ix_lead_history_lead (lead_id, id),
  CONSTRAINT fk_lead_history_lead FOREIGN KEY (lead_id) REFERENCES leads (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A won lead converted into a customer account keeps the link to its lead.
CREATE TABLE accounts (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  lead_id     BIGINT UNSIGNED NOT NULL,
  name        VARCHAR(200) NOT NULL,
  created_by  BIGINT UNSIGNED NULL,
  created_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  UNIQUE KEY uq_accounts_lead (lead_id),
  CONSTRAINT fk_accounts_lead FOREIGN KEY (lead_id) REFERENCES leads (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
