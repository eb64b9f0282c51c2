-- Tasks (PRODUCT §6, issue 11): definitions say what a task asks at each of
-- its three stages, rules say when tasks are made and for whom, recurrences
-- say on which dates a recurring rule fires, and tasks are what a user sees
-- in My Current Tasks.
--
-- Exactly once: every task a rule makes carries the rule, the lead (0 for a
-- standalone task) and an occurrence key naming the event or instant that
-- made it ('h<history id>' for a lead event, 'r<local start>' for a
-- recurrence, 'd<date>' for a date-relative rule, 'n<idle since>' for no
-- contact). The unique key over the three is what makes a second pass, a
-- restarted worker or two workers at once create nothing twice: generation
-- is INSERT IGNORE … SELECT against it.

CREATE TABLE task_definitions (
  id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name              VARCHAR(120) NOT NULL,
  contact_message   VARCHAR(2000) NOT NULL DEFAULT '',
  pending_message   VARCHAR(2000) NOT NULL DEFAULT '',
  complete_message  VARCHAR(2000) NOT NULL DEFAULT '',
  active            TINYINT(1) NOT NULL DEFAULT 1,
  version           INT UNSIGNED NOT NULL DEFAULT 1,
  created_at        DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  UNIQUE KEY uq_task_definitions_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A recurrence: an RFC 5545 RRULE (FREQ, INTERVAL, BYDAY, BYMONTHDAY,
-- BYSETPOS, UNTIL or COUNT) from a local start (wall-clock time in
-- time_zone, no offset), expanded by libical's iterator in that zone, so an
-- occurrence at 09:00 stays at 09:00 local across daylight-saving changes.
CREATE TABLE task_recurrences (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(120) NOT NULL,
  rrule       VARCHAR(500) NOT NULL,
  dtstart     DATETIME NOT NULL,
  time_zone   VARCHAR(64) NOT NULL,
  active      TINYINT(1) NOT NULL DEFAULT 1,
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  created_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A rule. trigger_kind decides which of the trigger columns matter:
--   lead_created                   -
--   status_changed                 trigger_status_id (NULL = any status)
--   state_changed                  trigger_state (NULL = any state)
--   map_entered, map_completed     trigger_map_id (NULL = any map)
--   step_completed                 trigger_step_id
--   date_relative                  date_field, offset_days (< 0: before)
--   no_contact                     offset_days (days without a touch)
--   recurring                      recurrence_id, per_lead (1: one task per
--                                  matching lead at each occurrence)
-- The filters (type, source, status, map) narrow the leads any kind acts
-- on. Assignee: the lead's owner, a fixed user, or round-robin over a
-- unit's members. due_minutes is added to the trigger's instant.
CREATE TABLE task_rules (
  id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name               VARCHAR(120) NOT NULL,
  definition_id      BIGINT UNSIGNED NOT NULL,
  trigger_kind       ENUM('lead_created','status_changed','state_changed','map_entered',
                          'step_completed','map_completed','date_relative','no_contact',
                          'recurring') NOT NULL,
  trigger_status_id  BIGINT UNSIGNED NULL,
  trigger_state      ENUM('new','in_progress','won','lost','completed') NULL,
  trigger_map_id     BIGINT UNSIGNED NULL,
  trigger_step_id    BIGINT UNSIGNED NULL,
  date_field         ENUM('created_at','start_date','expected_completion','follow_up_at') NULL,
  offset_days        INT NOT NULL DEFAULT 0,
  recurrence_id      BIGINT UNSIGNED NULL,
  per_lead           TINYINT(1) NOT NULL DEFAULT 0,
  filter_type_id     BIGINT UNSIGNED NULL,
  filter_source_id   BIGINT UNSIGNED NULL,
  filter_status_id   BIGINT UNSIGNED NULL,
  filter_map_id      BIGINT UNSIGNED NULL,
  assignee_kind      ENUM('owner','user','unit') NOT NULL DEFAULT 'owner',
  assignee_user_id   BIGINT UNSIGNED NULL,
  assignee_unit_id   BIGINT UNSIGNED NULL,
  due_minutes        INT NOT NULL DEFAULT 0,
  active             TINYINT(1) NOT NULL DEFAULT 1,
  version            INT UNSIGNED NOT NULL DEFAULT 1,
  created_at         DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  -- recurring, date-relative and no-contact rules: the instants up to this
  -- one have been turned into tasks
  generated_until    DATETIME(6) NULL,
  KEY ix_task_rules_kind (active, trigger_kind),
  CONSTRAINT fk_task_rules_definition FOREIGN KEY (definition_id) REFERENCES task_definitions (id),
  CONSTRAINT fk_task_rules_recurrence FOREIGN KEY (recurrence_id) REFERENCES task_recurrences (id),
  CONSTRAINT fk_task_rules_status FOREIGN KEY (trigger_status_id) REFERENCES statuses (id),
  CONSTRAINT fk_task_rules_map FOREIGN KEY (trigger_map_id) REFERENCES maps (id),
  CONSTRAINT fk_task_rules_step FOREIGN KEY (trigger_step_id) REFERENCES map_steps (id),
  CONSTRAINT fk_task_rules_user FOREIGN KEY (assignee_user_id) REFERENCES users (id),
  CONSTRAINT fk_task_rules_unit FOREIGN KEY (assignee_unit_id) REFERENCES units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE tasks (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  definition_id   BIGINT UNSIGNED NOT NULL,
  rule_id         BIGINT UNSIGNED NULL,
  lead_id         BIGINT UNSIGNED NULL,
  lead_key        BIGINT UNSIGNED AS (COALESCE(lead_id, 0)) STORED,
  occurrence_key  VARCHAR(40) NOT NULL DEFAULT '',
  assignee_id     BIGINT UNSIGNED NOT NULL,
  stage           ENUM('open','pending','completed') NOT NULL DEFAULT 'open',
  -- open or pending: My Current Tasks reads one range of ix_tasks_mine in
  -- due order (no sort of every open task of the user)
  is_open         TINYINT(1) AS (stage <> 'completed') STORED,
  due_at          DATETIME(6) NOT NULL,
  note            VARCHAR(2000) NULL,
  version         INT UNSIGNED NOT NULL DEFAULT 1,
  created_at      DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  updated_at      DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  completed_at    DATETIME(6) NULL,
  UNIQUE KEY uq_tasks_occurrence (rule_id, lead_key, occurrence_key),
  KEY ix_tasks_mine (assignee_id, is_open, due_at, id),
  KEY ix_tasks_lead (lead_id),
  CONSTRAINT fk_tasks_definition FOREIGN KEY (definition_id) REFERENCES task_definitions (id),
  CONSTRAINT fk_tasks_rule FOREIGN KEY (rule_id) REFERENCES task_rules (id),
  CONSTRAINT fk_tasks_lead FOREIGN KEY (lead_id) REFERENCES leads (id),
  CONSTRAINT fk_tasks_assignee FOREIGN KEY (assignee_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Date-relative and no-contact rules read the leads whose date (or last
-- touch) entered the rule's window since the last pass: an index range per
-- column, not a scan of every lead (follow_up_at has ix_leads_follow_up,
-- sql/016).
ALTER TABLE leads
  ADD KEY ix_leads_created_at (created_at),
  ADD KEY ix_leads_start_date (start_date),
  ADD KEY ix_leads_expected_completion (expected_completion),
  ADD KEY ix_leads_touched_at (touched_at);

-- Where the event pass stands in lead_history (the outbox it drains).
CREATE TABLE task_job_state (
  id              TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  history_cursor  BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- History written before this migration made no task: no rule existed.
INSERT INTO task_job_state (id, history_cursor)
  SELECT 1, COALESCE(MAX(id), 0) FROM lead_history;
