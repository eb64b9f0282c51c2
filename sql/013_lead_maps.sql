-- The lead map (PRODUCT §4): a map is the journey for one service, an
-- ordered list of tracks, each an ordered list of steps. Leads walk a map
-- step by step; their step values, call attempts and scheduled entries hang
-- off the lead.
--
-- Editing a map that leads are on never loses a value: tracks and steps are
-- never deleted once a map is saved, only deactivated (active = 0) when an
-- admin leaves them out of the definition; a step keeps its type for life;
-- dropdown/radio options keep their ids, and a removed option stays in the
-- list as inactive. Values of hidden steps stay in lead_step_values and come
-- back if the step is shown again. maps.version counts saves (optimistic
-- locking); lead_maps.map_version records the save a lead entered with.

CREATE TABLE map_videos (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title        VARCHAR(200) NOT NULL,
  url          VARCHAR(1000) NOT NULL,
  description  VARCHAR(2000) NULL,
  active       TINYINT(1) NOT NULL DEFAULT 1
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE maps (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(120) NOT NULL,
  active      TINYINT(1) NOT NULL DEFAULT 1,
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  created_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  updated_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE map_tracks (
  id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  map_id    BIGINT UNSIGNED NOT NULL,
  position  INT NOT NULL DEFAULT 0,
  name      VARCHAR(120) NOT NULL,
  active    TINYINT(1) NOT NULL DEFAULT 1,
  KEY ix_map_tracks_map (map_id, position),
  CONSTRAINT fk_map_tracks_map FOREIGN KEY (map_id) REFERENCES maps (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One step. Which columns matter depends on type:
--   dropdown, radio  options: [{"id": 1, "label": "…", "active": true}, …]
--   mirror           bound_field: a system field key ('probability',
--                    'target_amount', 'priority_id' …) or 'custom.<key>'
--   video            video_id
--   schedule         schedule_kind
--   call             call_attempts (N), call_spacing_minutes
-- No foreign key on a mirrored custom field: deleting the field leaves the
-- step pointing at nothing, which the API reports (field_missing).
CREATE TABLE map_steps (
  id                    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  track_id              BIGINT UNSIGNED NOT NULL,
  position              INT NOT NULL DEFAULT 0,
  name                  VARCHAR(120) NOT NULL,
  type                  ENUM('dropdown','radio','checkbox','date','mirror','video','schedule',
                             'call') NOT NULL,
  required              TINYINT(1) NOT NULL DEFAULT 0,
  active                TINYINT(1) NOT NULL DEFAULT 1,
  options               JSON NULL,
  bound_field           VARCHAR(80) NULL,
  video_id              BIGINT UNSIGNED NULL,
  schedule_kind         ENUM('event','meeting','phone_call') NULL,
  call_attempts         SMALLINT UNSIGNED NULL,
  call_spacing_minutes  INT UNSIGNED NULL,
  KEY ix_map_steps_track (track_id, position),
  CONSTRAINT fk_map_steps_track FOREIGN KEY (track_id) REFERENCES map_tracks (id),
  CONSTRAINT fk_map_steps_video FOREIGN KEY (video_id) REFERENCES map_videos (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A lead gets a map when a custom field has a value (the first rule by
-- position wins).
CREATE TABLE map_rules (
  id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  field_id  BIGINT UNSIGNED NOT NULL,
  value     VARCHAR(400) NOT NULL,
  map_id    BIGINT UNSIGNED NOT NULL,
  position  INT NOT NULL DEFAULT 0,
  KEY ix_map_rules_field (field_id, value(100)),
  CONSTRAINT fk_map_rules_field FOREIGN KEY (field_id) REFERENCES custom_fields (id),
  CONSTRAINT fk_map_rules_map FOREIGN KEY (map_id) REFERENCES maps (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The map a lead is on (one at a time; moving keeps the old map's values).
-- current_track_id NULL with completed_at set: the end point.
CREATE TABLE lead_maps (
  lead_id           BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  map_id            BIGINT UNSIGNED NOT NULL,
  map_version       INT UNSIGNED NOT NULL,
  current_track_id  BIGINT UNSIGNED NULL,
  entered_at        DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  track_entered_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  completed_at      DATETIME(6) NULL,
  KEY ix_lead_maps_funnel (map_id, current_track_id),
  CONSTRAINT fk_lead_maps_lead FOREIGN KEY (lead_id) REFERENCES leads (id),
  CONSTRAINT fk_lead_maps_map FOREIGN KEY (map_id) REFERENCES maps (id),
  CONSTRAINT fk_lead_maps_track FOREIGN KEY (current_track_id) REFERENCES map_tracks (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A lead's value of one step, typed like lead_custom_values:
--   dropdown, radio  value_num = option id
--   checkbox         value_num 0 / 1
--   date             value_time
--   video            value_text 'shown' / 'sent'
--   schedule         value_time = when, value_text = kind (lead_events holds the entry)
--   call             attempts, last_attempt_at (done when reached or N made)
-- A mirror step stores nothing here: its value is the lead's field.
CREATE TABLE lead_step_values (
  lead_id          BIGINT UNSIGNED NOT NULL,
  step_id          BIGINT UNSIGNED NOT NULL,
  value_text       VARCHAR(400) NULL,
  value_num        DECIMAL(20,4) NULL,
  value_time       DATETIME(6) NULL,
  done             TINYINT(1) NOT NULL DEFAULT 0,
  attempts         SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  last_attempt_at  DATETIME(6) NULL,
  updated_at       DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  updated_by       BIGINT UNSIGNED NULL,
  version          INT UNSIGNED NOT NULL DEFAULT 1,
  PRIMARY KEY (lead_id, step_id),
  KEY ix_lead_step_values_step (step_id, value_num),
  CONSTRAINT fk_lsv_lead FOREIGN KEY (lead_id) REFERENCES leads (id),
  CONSTRAINT fk_lsv_step FOREIGN KEY (step_id) REFERENCES map_steps (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE lead_call_attempts (
  id       BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  lead_id  BIGINT UNSIGNED NOT NULL,
  step_id  BIGINT UNSIGNED NOT NULL,
  at       DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  outcome  ENUM('reached','no_answer','voicemail','wrong_number') NOT NULL,
  note     VARCHAR(1000) NULL,
  by_user  BIGINT UNSIGNED NULL,
  KEY ix_lead_call_attempts_lead (lead_id, step_id, id),
  CONSTRAINT fk_lca_lead FOREIGN KEY (lead_id) REFERENCES leads (id),
  CONSTRAINT fk_lca_step FOREIGN KEY (step_id) REFERENCES map_steps (id),
  CONSTRAINT fk_lca_user FOREIGN KEY (by_user) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Entries in an agent's schedule made by a schedule step (one per lead and
-- step; moving the step moves it, clearing it cancels it).
CREATE TABLE lead_events (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  lead_id       BIGINT UNSIGNED NOT NULL,
  step_id       BIGINT UNSIGNED NOT NULL,
  user_id       BIGINT UNSIGNED NOT NULL,
  kind          ENUM('event','meeting','phone_call') NOT NULL,
  starts_at     DATETIME(6) NOT NULL,
  cancelled_at  DATETIME(6) NULL,
  UNIQUE KEY uq_lead_events_step (lead_id, step_id),
  KEY ix_lead_events_user (user_id, starts_at),
  CONSTRAINT fk_lead_events_lead FOREIGN KEY (lead_id) REFERENCES leads (id),
  CONSTRAINT fk_lead_events_step FOREIGN KEY (step_id) REFERENCES map_steps (id),
  CONSTRAINT fk_lead_events_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Map definitions are settings: the per-worker cache reloads them when
-- settings_version moves (as sql/008 does for the other settings tables).
CREATE TRIGGER tr_maps_ins AFTER INSERT ON maps FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_maps_upd AFTER UPDATE ON maps FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_maps_del AFTER DELETE ON maps FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

CREATE TRIGGER tr_map_tracks_ins AFTER INSERT ON map_tracks FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_map_tracks_upd AFTER UPDATE ON map_tracks FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_map_tracks_del AFTER DELETE ON map_tracks FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

CREATE TRIGGER tr_map_steps_ins AFTER INSERT ON map_steps FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_map_steps_upd AFTER UPDATE ON map_steps FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_map_steps_del AFTER DELETE ON map_steps FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

CREATE TRIGGER tr_map_videos_ins AFTER INSERT ON map_videos FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_map_videos_upd AFTER UPDATE ON map_videos FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_map_videos_del AFTER DELETE ON map_videos FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

CREATE TRIGGER tr_map_rules_ins AFTER INSERT ON map_rules FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_map_rules_upd AFTER UPDATE ON map_rules FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_map_rules_del AFTER DELETE ON map_rules FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
