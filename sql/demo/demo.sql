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
