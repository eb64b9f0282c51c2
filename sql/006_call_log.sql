-- The call log: each lead's follow-up, when an agent last touched it, and its
-- call-log state (kept by the worker's aging job and by agent actions).
ALTER TABLE leads
  ADD COLUMN follow_up_at   DATETIME(6) NULL AFTER archive_reason,
  ADD COLUMN touched_at     DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6) AFTER follow_up_at,
  ADD COLUMN call_state     ENUM('not_scheduled','scheduled','missed','past_due','abandoned',
                                 'available','archived') NOT NULL DEFAULT 'not_scheduled'
                                 AFTER touched_at,
  ADD COLUMN call_state_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6) AFTER call_state,
  ADD COLUMN idle_since     DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6) AFTER call_state_at,
  ADD COLUMN call_tab       ENUM('to_be_scheduled','schedule','lead_bank','none')
                            AS (CASE call_state
                                  WHEN 'scheduled' THEN 'schedule'
                                  WHEN 'abandoned' THEN 'lead_bank'
                                  WHEN 'available' THEN 'lead_bank'
                                  WHEN 'archived' THEN 'none'
                                  ELSE 'to_be_scheduled' END) STORED AFTER idle_since,
  ADD KEY ix_leads_call_owner (owner_id, call_state, follow_up_at),
  ADD KEY ix_leads_call_tab_owner (owner_id, call_tab, id),
  ADD KEY ix_leads_call_tab (call_tab, id),
  ADD KEY ix_leads_call_follow_up (call_state, follow_up_at),
  ADD KEY ix_leads_call_idle (call_state, idle_since),
  ADD KEY ix_leads_call_state_at (call_state, call_state_at);

-- call_tab: the call-log tab a state belongs to, so that each tab is one
-- ordered index range (and its count one index range).
-- idle_since: when the "untouched" clock of a lead that is not scheduled
-- started (its last touch, or its follow-up if that passed later); indexed
-- with the state so each aging rule reads only the leads it moves.
UPDATE leads SET touched_at = updated_at, call_state_at = updated_at, idle_since = updated_at,
  call_state = IF(archived_at IS NOT NULL, 'archived', 'not_scheduled');

-- One row: the aging thresholds and the practice's business calendar.
-- open_days lists ISO weekdays (1 = Monday … 7 = Sunday).
CREATE TABLE call_log_settings (
  id              TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  past_due_days   SMALLINT UNSIGNED NOT NULL DEFAULT 2,
  abandoned_days  SMALLINT UNSIGNED NOT NULL DEFAULT 3,
  available_days  SMALLINT UNSIGNED NOT NULL DEFAULT 5,
  business_days   TINYINT(1) NOT NULL DEFAULT 0,
  time_zone       VARCHAR(64) NOT NULL DEFAULT 'UTC',
  open_days       VARCHAR(20) NOT NULL DEFAULT '1,2,3,4,5',
  version         INT UNSIGNED NOT NULL DEFAULT 1
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO call_log_settings (id) VALUES (1);

-- A secret per user for the iCalendar feed URL.
ALTER TABLE users ADD COLUMN calendar_token CHAR(43) NULL,
  ADD UNIQUE KEY uq_users_calendar_token (calendar_token);
