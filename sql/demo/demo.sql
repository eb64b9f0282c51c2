-- Demo data for a first `make run`: settings lists and a few dozen leads that
-- use every field. Loaded by `leadmap demo-data` after the demo users exist
-- (groups Main Clinic and North Clinic, units Front Desk and Sales).

INSERT INTO lookups (kind, name, position) VALUES
  ('lead_type', 'New patient', 1), ('lead_type', 'Implant consultation', 2),
  ('lead_type', 'Orthodontics', 3),
  ('category', 'Cosmetic', 1), ('category', 'Restorative', 2), ('category', 'Preventive', 3),
  ('priority', 'Low', 1), ('priority', 'Medium', 2), ('priority', 'High', 3),
  ('importance', 'Normal', 1), ('importance', 'Key account', 2),
  ('source', 'Web form', 1), ('source', 'Referral', 2), ('source', 'Walk-in', 3),
  ('source', 'Phone call', 4),
  ('lost_reason', 'Too expensive', 1), ('lost_reason', 'Chose another practice', 2),
  ('lost_reason', 'No response', 3),
  ('competitor', 'Smile Studio', 1), ('competitor', 'Downtown Dental', 2);

INSERT INTO statuses (name, state, color, position) VALUES
  ('New', 'new', '#1e88e5', 1),
  ('Contacted', 'in_progress', '#8e24aa', 1),
  ('Consultation booked', 'in_progress', '#00897b', 2),
  ('Won', 'won', '#43a047', 1),
  ('Treatment complete', 'completed', '#2e7d32', 1),
  ('Lost', 'lost', '#e53935', 1);

INSERT INTO products (name, price, position) VALUES
  ('Dental implant', 3200.00, 1), ('Invisalign', 4800.00, 2), ('Whitening', 450.00, 3),
  ('Check-up and cleaning', 120.00, 4);

INSERT INTO custom_fields (field_key, label, type, required, default_value, help, options, position) VALUES
  ('referral', 'Referred by', 'text', 0, NULL, 'Who sent this lead to us', NULL, 1),
  ('service_requested', 'Service requested', 'dropdown', 0, NULL, NULL,
   '["Implants","Orthodontics","Whitening","General dentistry"]', 2),
  ('insurance', 'Insurance', 'dropdown', 0, NULL, NULL,
   '["Delta Dental","Aetna","Cigna","None"]', 3),
  ('preferred_contact', 'Preferred contact', 'radio', 0, '"Phone"', NULL,
   '["Phone","E-mail","Text message"]', 4),
  ('consent', 'Consent to contact', 'checkbox', 0, 'true', NULL, NULL, 5),
  ('budget', 'Budget', 'money', 0, NULL, NULL, NULL, 6),
  ('birth_date', 'Date of birth', 'date', 0, NULL, NULL, NULL, 7),
  ('visits', 'Earlier visits', 'number', 0, NULL, NULL, NULL, 8),
  ('callback_at', 'Call back at', 'datetime', 0, NULL, NULL, NULL, 9),
  ('interests', 'Interests', 'multi_select', 0, NULL, NULL,
   '["Implants","Whitening","Veneers","Braces"]', 10),
  ('history', 'Medical history', 'long_text', 0, NULL, 'Anything the dentist should know', NULL, 11);

-- Orthodontics leads get the "interests" field; the rest apply to every type.
INSERT INTO custom_field_types (field_id, type_id)
  SELECT f.id, l.id FROM custom_fields f JOIN lookups l
  ON l.kind = 'lead_type' AND l.name = 'Orthodontics' WHERE f.field_key = 'interests';

INSERT INTO group_rules (group_id, kind, value, position)
  SELECT id, 'postal_prefix', '627', 1 FROM org_groups WHERE name = 'North Clinic'
  UNION ALL SELECT id, 'region', 'IL', 2 FROM org_groups WHERE name = 'Main Clinic'
  UNION ALL SELECT id, 'country', 'US', 3 FROM org_groups WHERE name = 'Main Clinic';

-- Forty leads spread over owners, units, states and every field.
INSERT INTO leads (first_name, last_name, street, city, region, postal_code, country, incomplete,
  type_id, category_id, priority_id, importance_id, source_id, lost_reason_id, probability,
  target_amount, status_id, state, start_date, expected_completion, duration_value,
  duration_unit, actual_completion, owner_id, group_id, unit_id, created_by, created_at,
  updated_at)
SELECT
  ELT(1 + s.seq % 10, 'Ada', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hiro', 'Iris', 'Jonas'),
  ELT(1 + (s.seq * 7) % 10, 'Bar', 'Kim', 'Lopez', 'Nguyen', 'Okafor', 'Patel', 'Quinn', 'Rossi', 'Smith', 'Tanaka'),
  IF(s.seq % 5 = 0, NULL, CONCAT(s.seq, ' Main St')),
  IF(s.seq % 5 = 0, NULL, ELT(1 + s.seq % 3, 'Springfield', 'Chicago', 'Peoria')),
  'IL',
  IF(s.seq % 5 = 0, NULL, ELT(1 + s.seq % 3, '62701', '60601', '61602')),
  'US',
  IF(s.seq % 5 = 0, 1, 0),
  (SELECT id FROM lookups WHERE kind = 'lead_type' AND position = 1 + s.seq % 3),
  (SELECT id FROM lookups WHERE kind = 'category' AND position = 1 + s.seq % 3),
  (SELECT id FROM lookups WHERE kind = 'priority' AND position = 1 + s.seq % 3),
  (SELECT id FROM lookups WHERE kind = 'importance' AND position = 1 + s.seq % 2),
  (SELECT id FROM lookups WHERE kind = 'source' AND position = 1 + s.seq % 4),
  IF(s.seq % 8 = 6, (SELECT id FROM lookups WHERE kind = 'lost_reason' AND position = 1 + s.seq % 3), NULL),
  (s.seq * 13) % 101,
  CAST(500 + s.seq * 125.5 AS DECIMAL(14,2)),
  (SELECT id FROM statuses WHERE name = ELT(1 + s.seq % 8, 'New', 'Contacted',
     'Consultation booked', 'Contacted', 'Won', 'Treatment complete', 'Lost', 'New')),
  ELT(1 + s.seq % 8, 'new', 'in_progress', 'in_progress', 'in_progress', 'won', 'completed',
     'lost', 'new'),
  UTC_TIMESTAMP(6) - INTERVAL (40 - s.seq) DAY,
  IF(s.seq % 2 = 0, UTC_TIMESTAMP(6) + INTERVAL (CAST(s.seq AS SIGNED) - 20) DAY, NULL),
  IF(s.seq % 2 = 1, 2 + s.seq % 5, NULL),
  IF(s.seq % 2 = 1, 'weeks', NULL),
  IF(s.seq % 8 = 5, UTC_TIMESTAMP(6) - INTERVAL 1 DAY, NULL),
  IF(s.seq % 10 = 9, NULL, (SELECT id FROM users WHERE email = ELT(1 + s.seq % 4,
     'agent@example.com', 'agent2@example.com', 'agent@example.com', 'supervisor@example.com'))),
  (SELECT id FROM org_groups WHERE name = IF(s.seq % 4 = 1, 'North Clinic', 'Main Clinic')),
  IF(s.seq % 3 = 0 OR s.seq % 10 = 9,
     (SELECT id FROM units WHERE name = IF(s.seq % 2 = 0, 'Front Desk', 'Sales')), NULL),
  (SELECT id FROM users WHERE email = 'agent@example.com'),
  UTC_TIMESTAMP(6) - INTERVAL (40 - s.seq) DAY,
  UTC_TIMESTAMP(6) - INTERVAL (40 - s.seq) DAY
FROM seq_1_to_40 s;

INSERT INTO lead_phones (lead_id, position, phone, digits)
  SELECT id, 0, CONCAT('+1 555 010 ', LPAD(id, 4, '0')), CONCAT('1555010', LPAD(id, 4, '0'))
  FROM leads WHERE id % 7 <> 3;
INSERT INTO lead_emails (lead_id, position, email)
  SELECT id, 0, LOWER(CONCAT(first_name, '.', last_name, id, '@example.org')) FROM leads;
INSERT INTO lead_products (lead_id, product_id, notes)
  SELECT l.id, p.id, IF(l.id % 2 = 0, 'Asked about financing', NULL)
  FROM leads l JOIN products p ON p.position = 1 + l.id % 4;
INSERT INTO lead_team (lead_id, user_id)
  SELECT l.id, u.id FROM leads l JOIN users u ON u.email = 'agent2@example.com' WHERE l.id % 6 = 0;
INSERT INTO lead_competitors (lead_id, competitor_id)
  SELECT l.id, c.id FROM leads l JOIN lookups c ON c.kind = 'competitor'
  AND c.position = 1 + l.id % 2 WHERE l.id % 4 = 0;

INSERT INTO lead_custom_values (lead_id, field_id, seq, value_text, value_num, value_time)
  SELECT l.id, f.id, 0, CASE f.field_key
      WHEN 'referral' THEN ELT(1 + l.id % 3, 'Dr. Kim', 'A friend', 'Google')
      WHEN 'service_requested' THEN ELT(1 + l.id % 4, 'Implants', 'Orthodontics', 'Whitening', 'General dentistry')
      WHEN 'insurance' THEN ELT(1 + l.id % 4, 'Delta Dental', 'Aetna', 'Cigna', 'None')
      WHEN 'preferred_contact' THEN ELT(1 + l.id % 3, 'Phone', 'E-mail', 'Text message')
      WHEN 'history' THEN 'No known allergies.'
      ELSE NULL END,
    CASE f.field_key WHEN 'consent' THEN 1 WHEN 'budget' THEN 1000 + l.id * 50
      WHEN 'visits' THEN l.id % 5 ELSE NULL END,
    CASE f.field_key WHEN 'birth_date' THEN DATE('1980-01-01') + INTERVAL l.id * 97 DAY
      WHEN 'callback_at' THEN UTC_TIMESTAMP() + INTERVAL l.id HOUR ELSE NULL END
  FROM leads l JOIN custom_fields f ON f.field_key <> 'interests';
INSERT INTO lead_custom_values (lead_id, field_id, seq, value_text)
  SELECT l.id, f.id, 0, 'Braces' FROM leads l JOIN custom_fields f ON f.field_key = 'interests'
  WHERE l.type_id = (SELECT id FROM lookups WHERE kind = 'lead_type' AND name = 'Orthodontics');

INSERT INTO lead_notes (lead_id, author_id, body, created_at)
  SELECT l.id, u.id, CONCAT('First call: ', l.first_name, ' asked about prices and opening hours.'),
    l.created_at + INTERVAL 1 HOUR FROM leads l JOIN users u ON u.email = 'agent@example.com'
  WHERE l.id % 2 = 0;
INSERT INTO lead_history (lead_id, at, actor_kind, actor_id, action)
  SELECT id, created_at, 'agent', created_by, 'created' FROM leads;
INSERT INTO accounts (lead_id, name, created_by)
  SELECT id, CONCAT(first_name, ' ', last_name), created_by FROM leads WHERE state = 'completed';

-- Call-log states, one in seven of each, with times the aging job agrees with.
UPDATE leads SET
  follow_up_at = CASE id % 7
    WHEN 0 THEN UTC_TIMESTAMP(6) + INTERVAL (1 + id % 5) DAY + INTERVAL 9 HOUR
    WHEN 1 THEN UTC_TIMESTAMP(6) - INTERVAL 2 HOUR
    ELSE NULL END,
  touched_at = CASE id % 7
    WHEN 0 THEN UTC_TIMESTAMP(6) - INTERVAL 1 HOUR
    WHEN 1 THEN UTC_TIMESTAMP(6) - INTERVAL 1 DAY
    WHEN 2 THEN UTC_TIMESTAMP(6) - INTERVAL 50 HOUR
    WHEN 3 THEN UTC_TIMESTAMP(6) - INTERVAL 4 DAY
    WHEN 4 THEN UTC_TIMESTAMP(6) - INTERVAL 10 DAY
    ELSE UTC_TIMESTAMP(6) - INTERVAL 1 HOUR END,
  call_state = ELT(1 + id % 7, 'scheduled', 'missed', 'past_due', 'abandoned', 'available',
    'not_scheduled', 'archived'),
  call_state_at = CASE id % 7
    WHEN 3 THEN UTC_TIMESTAMP(6) - INTERVAL 1 DAY
    WHEN 4 THEN UTC_TIMESTAMP(6) - INTERVAL 2 DAY
    ELSE UTC_TIMESTAMP(6) - INTERVAL 1 HOUR END,
  owner_id = IF(id % 7 = 4, NULL, owner_id),
  idle_since = IF(id % 7 = 1, follow_up_at, touched_at),
  archived_at = IF(id % 7 = 6, UTC_TIMESTAMP(6) - INTERVAL 3 DAY, NULL),
  archive_reason = IF(id % 7 = 6, 'Asked not to be contacted', NULL);

-- Two lead maps that together use every step type, a video library, the
-- rules that pick a map from "Service requested", and some leads at various
-- points on them (without history rows: demo leads entered their map before
-- the history starts).
INSERT INTO map_videos (title, url, description) VALUES
  ('Braces explained', 'https://videos.example.com/braces-explained', 'Three minutes on how braces move teeth.'),
  ('Implant surgery, step by step', 'https://videos.example.com/implant-surgery', NULL);
INSERT INTO maps (name) VALUES ('Orthodontics'), ('Implants');
INSERT INTO map_tracks (map_id, position, name)
  SELECT m.id, t.pos, t.name FROM maps m JOIN (
    SELECT 'Orthodontics' AS map, 0 AS pos, 'Consultation' AS name
    UNION ALL SELECT 'Orthodontics', 1, 'Records'
    UNION ALL SELECT 'Orthodontics', 2, 'Treatment'
    UNION ALL SELECT 'Implants', 0, 'Assessment'
    UNION ALL SELECT 'Implants', 1, 'Plan') t ON t.map = m.name;
INSERT INTO map_steps (track_id, position, name, type, required, options, bound_field, video_id,
                       schedule_kind, call_attempts, call_spacing_minutes)
  SELECT t.id, s.pos, s.name, s.type, s.req, s.opts, s.bound,
    (SELECT v.id FROM map_videos v WHERE v.title = s.video), s.kind, s.att, s.sp
  FROM map_tracks t JOIN maps m ON m.id = t.map_id JOIN (
    SELECT 'Orthodontics' AS map, 'Consultation' AS track, 0 AS pos, 'Treatment option' AS name,
      'dropdown' AS type, 1 AS req,
      '[{"id":1,"label":"Braces","active":true},{"id":2,"label":"Clear aligners","active":true},{"id":3,"label":"Retainer","active":true}]' AS opts,
      NULL AS bound, NULL AS video, NULL AS kind, NULL AS att, NULL AS sp
    UNION ALL SELECT 'Orthodontics', 'Consultation', 1, 'Watch: braces explained', 'video', 1,
      NULL, NULL, 'Braces explained', NULL, NULL, NULL
    UNION ALL SELECT 'Orthodontics', 'Consultation', 2, 'Probability', 'mirror', 0,
      NULL, 'probability', NULL, NULL, NULL, NULL
    UNION ALL SELECT 'Orthodontics', 'Records', 0, 'X-rays taken', 'checkbox', 1,
      NULL, NULL, NULL, NULL, NULL, NULL
    UNION ALL SELECT 'Orthodontics', 'Records', 1, 'Scan date', 'date', 1,
      NULL, NULL, NULL, NULL, NULL, NULL
    UNION ALL SELECT 'Orthodontics', 'Treatment', 0, 'Fitting appointment', 'schedule', 1,
      NULL, NULL, NULL, 'meeting', NULL, NULL
    UNION ALL SELECT 'Orthodontics', 'Treatment', 1, 'Post-fitting check-in', 'call', 1,
      NULL, NULL, NULL, NULL, 3, 1440
    UNION ALL SELECT 'Implants', 'Assessment', 0, 'Bone density', 'radio', 1,
      '[{"id":1,"label":"Good","active":true},{"id":2,"label":"Borderline","active":true},{"id":3,"label":"Needs a graft","active":true}]',
      NULL, NULL, NULL, NULL, NULL
    UNION ALL SELECT 'Implants', 'Assessment', 1, 'Budget', 'mirror', 0,
      NULL, 'custom.budget', NULL, NULL, NULL, NULL
    UNION ALL SELECT 'Implants', 'Assessment', 2, 'Intro call', 'call', 0,
      NULL, NULL, NULL, NULL, 2, 60
    UNION ALL SELECT 'Implants', 'Plan', 0, 'Surgery date', 'schedule', 1,
      NULL, NULL, NULL, 'event', NULL, NULL
    UNION ALL SELECT 'Implants', 'Plan', 1, 'Watch: the surgery', 'video', 0,
      NULL, NULL, 'Implant surgery, step by step', NULL, NULL, NULL
    UNION ALL SELECT 'Implants', 'Plan', 2, 'Consent signed', 'checkbox', 1,
      NULL, NULL, NULL, NULL, NULL, NULL) s ON s.map = m.name AND s.track = t.name;
INSERT INTO map_rules (field_id, value, map_id, position)
  SELECT f.id, m.name, m.id, m.id FROM custom_fields f JOIN maps m
  WHERE f.field_key = 'service_requested';

-- Leads 21-25 on Orthodontics, 26-28 on Implants; (lead, map, track or
-- NULL at the end point).
INSERT INTO lead_maps (lead_id, map_id, map_version, current_track_id, entered_at,
                       track_entered_at, completed_at)
  SELECT p.lead_id, m.id, 1, t.id, UTC_TIMESTAMP(6) - INTERVAL 20 DAY,
    UTC_TIMESTAMP(6) - INTERVAL 2 DAY, IF(p.track IS NULL, UTC_TIMESTAMP(6) - INTERVAL 1 DAY, NULL)
  FROM (SELECT 21 AS lead_id, 'Orthodontics' AS map, 'Consultation' AS track
        UNION ALL SELECT 22, 'Orthodontics', 'Consultation'
        UNION ALL SELECT 23, 'Orthodontics', 'Records'
        UNION ALL SELECT 24, 'Orthodontics', 'Treatment'
        UNION ALL SELECT 25, 'Orthodontics', NULL
        UNION ALL SELECT 26, 'Implants', 'Assessment'
        UNION ALL SELECT 27, 'Implants', 'Plan'
        UNION ALL SELECT 28, 'Implants', NULL) p
  JOIN maps m ON m.name = p.map
  LEFT JOIN map_tracks t ON t.map_id = m.id AND t.name = p.track
  WHERE EXISTS (SELECT 1 FROM leads l WHERE l.id = p.lead_id);
-- (lead, step, text, number, time, attempts)
INSERT INTO lead_step_values (lead_id, step_id, value_text, value_num, value_time, done,
                              attempts, last_attempt_at, updated_at)
  SELECT v.lead_id, s.id, v.txt, v.num, IF(v.days IS NULL, NULL,
    TIMESTAMP(DATE(UTC_TIMESTAMP()) + INTERVAL v.days DAY, '10:00:00')),
    v.done, v.att, IF(v.att > 0, UTC_TIMESTAMP(6) - INTERVAL 1 DAY, NULL),
    UTC_TIMESTAMP(6) - INTERVAL 1 DAY
  FROM (SELECT 22 AS lead_id, 'Treatment option' AS step, NULL AS txt, 1 AS num, NULL AS days, 1 AS done, 0 AS att
        UNION ALL SELECT 23, 'Treatment option', NULL, 2, NULL, 1, 0
        UNION ALL SELECT 23, 'Watch: braces explained', 'shown', NULL, NULL, 1, 0
        UNION ALL SELECT 23, 'X-rays taken', NULL, 1, NULL, 1, 0
        UNION ALL SELECT 24, 'Treatment option', NULL, 1, NULL, 1, 0
        UNION ALL SELECT 24, 'Watch: braces explained', 'sent', NULL, NULL, 1, 0
        UNION ALL SELECT 24, 'X-rays taken', NULL, 1, NULL, 1, 0
        UNION ALL SELECT 24, 'Scan date', NULL, NULL, -5, 1, 0
        UNION ALL SELECT 24, 'Fitting appointment', 'meeting', NULL, 7, 1, 0
        UNION ALL SELECT 24, 'Post-fitting check-in', NULL, NULL, NULL, 0, 1
        UNION ALL SELECT 25, 'Treatment option', NULL, 3, NULL, 1, 0
        UNION ALL SELECT 25, 'Watch: braces explained', 'shown', NULL, NULL, 1, 0
        UNION ALL SELECT 25, 'X-rays taken', NULL, 1, NULL, 1, 0
        UNION ALL SELECT 25, 'Scan date', NULL, NULL, -12, 1, 0
        UNION ALL SELECT 25, 'Fitting appointment', 'meeting', NULL, -3, 1, 0
        UNION ALL SELECT 25, 'Post-fitting check-in', 'reached', NULL, NULL, 1, 2
        UNION ALL SELECT 26, 'Intro call', NULL, NULL, NULL, 0, 1
        UNION ALL SELECT 27, 'Bone density', NULL, 2, NULL, 1, 0
        UNION ALL SELECT 27, 'Surgery date', 'event', NULL, 10, 1, 0
        UNION ALL SELECT 28, 'Bone density', NULL, 1, NULL, 1, 0
        UNION ALL SELECT 28, 'Surgery date', 'event', NULL, -2, 1, 0
        UNION ALL SELECT 28, 'Watch: the surgery', 'sent', NULL, NULL, 1, 0
        UNION ALL SELECT 28, 'Consent signed', NULL, 1, NULL, 1, 0) v
  JOIN lead_maps lm ON lm.lead_id = v.lead_id
  JOIN map_tracks t ON t.map_id = lm.map_id
  JOIN map_steps s ON s.track_id = t.id AND s.name = v.step;
INSERT INTO lead_call_attempts (lead_id, step_id, at, outcome, note, by_user)
  SELECT v.lead_id, v.step_id, v.last_attempt_at, IF(v.value_text = 'reached', 'reached', 'no_answer'),
    NULL, l.owner_id
  FROM lead_step_values v JOIN leads l ON l.id = v.lead_id WHERE v.attempts > 0;
-- Call steps of a lead's current track that are not done are on the owner's
-- "Calls due" list, due the spacing after the last attempt (as the service
-- leaves them).
UPDATE lead_step_values v JOIN map_steps s ON s.id = v.step_id
  JOIN lead_maps lm ON lm.lead_id = v.lead_id AND lm.current_track_id = s.track_id
  JOIN leads l ON l.id = v.lead_id
  SET v.next_due_at = COALESCE(v.last_attempt_at + INTERVAL s.call_spacing_minutes MINUTE,
                               UTC_TIMESTAMP(6)),
      v.due_user_id = l.owner_id
  WHERE s.type = 'call' AND v.done = 0;
INSERT INTO lead_events (lead_id, step_id, user_id, kind, starts_at)
  SELECT v.lead_id, v.step_id, COALESCE(l.owner_id, l.created_by), v.value_text, v.value_time
  FROM lead_step_values v JOIN map_steps s ON s.id = v.step_id JOIN leads l ON l.id = v.lead_id
  WHERE s.type = 'schedule' AND v.value_time IS NOT NULL;

-- Saved searches (issue 12): two of the agent's own, and one the supervisor
-- shares with the Main Clinic group.
INSERT INTO saved_searches (user_id, group_id, name, query)
  SELECT id, NULL, 'My incomplete leads', CONCAT('owner=', id, '&incomplete=true')
  FROM users WHERE email = 'agent@example.com'
  UNION ALL SELECT id, NULL, 'Follow-ups due first', 'state=in_progress&sort=follow_up'
  FROM users WHERE email = 'agent@example.com'
  UNION ALL SELECT u.id, u.group_id, 'Missed calls', 'call_state=missed&sort=follow_up'
  FROM users u WHERE u.email = 'supervisor@example.com';
