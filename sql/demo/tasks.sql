-- Demo tasks (issue 11): definitions, a rule of each kind, two recurring
-- schedules, and a few tasks for Ada Agent (one overdue, one pending, one
-- due later) so that My Current Tasks shows something at the first sign-in.
-- Loaded by `leadmap demo-data` after demo.sql.

INSERT INTO task_definitions (name, contact_message, pending_message, complete_message) VALUES
  ('Welcome call', 'Call the new lead within the hour: introduce the practice and offer a consultation.',
   'Waiting for the lead to call back or choose a date. Try again tomorrow.',
   'The lead was reached and knows the next step.'),
  ('Consultation follow-up', 'Call after the consultation: answer questions and send the treatment plan.',
   'The lead is thinking it over; a reminder goes out in two days.',
   'The lead accepted or declined the plan; record the outcome on the lead.'),
  ('Re-engage quiet lead', 'Nobody has contacted this lead for a week: call or e-mail to keep it warm.',
   'Message left; waiting for an answer.', 'The lead answered.'),
  ('Monthly check-in', 'Monthly call with patients in treatment: how is it going, any discomfort?',
   'Waiting for the patient to call back.', 'Check-in done.'),
  ('Front desk review', 'Review the week''s unscheduled leads with the front desk team.',
   'Review postponed; say until when.', 'Review done.');

INSERT INTO task_recurrences (name, rrule, dtstart, time_zone) VALUES
  ('Every month, first Monday', 'FREQ=MONTHLY;INTERVAL=1;BYDAY=1MO',
   DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-01 09:00:00'), 'America/Chicago'),
  ('Every 2nd Tuesday', 'FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU',
   DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-01 09:00:00'), 'America/Chicago');

INSERT INTO task_rules (name, definition_id, trigger_kind, trigger_status_id, trigger_state,
  date_field, offset_days, recurrence_id, per_lead, assignee_kind, assignee_user_id,
  assignee_unit_id, due_minutes)
SELECT v.name, d.id, v.kind, s.id, v.state, v.df, v.od, r.id, v.per_lead, v.ak,
  (SELECT id FROM users WHERE email = v.user_email), (SELECT id FROM units WHERE name = v.unit_name),
  v.due
FROM (SELECT 'Welcome new leads' AS name, 'Welcome call' AS def, 'lead_created' AS kind,
        NULL AS status, NULL AS state, NULL AS df, 0 AS od, NULL AS rec, 0 AS per_lead,
        'owner' AS ak, NULL AS user_email, NULL AS unit_name, 60 AS due
      UNION ALL SELECT 'After the consultation', 'Consultation follow-up', 'status_changed',
        'Consultation booked', NULL, NULL, 0, NULL, 0, 'owner', NULL, NULL, 24 * 60
      UNION ALL SELECT 'Won: welcome aboard', 'Welcome call', 'state_changed', NULL, 'won', NULL, 0,
        NULL, 0, 'owner', NULL, NULL, 0
      UNION ALL SELECT 'Quiet for a week', 'Re-engage quiet lead', 'no_contact', NULL, NULL, NULL, 7,
        NULL, 0, 'owner', NULL, NULL, 0
      UNION ALL SELECT 'Before the expected end', 'Consultation follow-up', 'date_relative', NULL,
        NULL, 'expected_completion', -3, NULL, 0, 'owner', NULL, NULL, 0
      UNION ALL SELECT 'Monthly check-in while in treatment', 'Monthly check-in', 'recurring', NULL,
        'in_progress', NULL, 0, 'Every month, first Monday', 1, 'owner', NULL, NULL, 0
      UNION ALL SELECT 'Front desk review, 2nd Tuesday', 'Front desk review', 'recurring', NULL,
        NULL, NULL, 0, 'Every 2nd Tuesday', 0, 'unit', NULL, 'Front Desk', 0) v
JOIN task_definitions d ON d.name = v.def
LEFT JOIN statuses s ON s.name = v.status
LEFT JOIN task_recurrences r ON r.name = v.rec;

-- Tasks as the rules made them, keyed like the worker keys them so it never
-- makes them again.
INSERT INTO tasks (definition_id, rule_id, lead_id, occurrence_key, assignee_id, stage, due_at, note)
SELECT r.definition_id, r.id, l.id, v.okey, l.owner_id, v.stage, v.due, v.note
FROM (SELECT 'Welcome new leads' AS rule_name, 0 AS nth, 'demo-1' AS okey, 'open' AS stage,
        UTC_TIMESTAMP() - INTERVAL 1 DAY AS due, NULL AS note
      UNION ALL SELECT 'After the consultation', 1, 'demo-2', 'pending',
        UTC_TIMESTAMP() + INTERVAL 3 HOUR, 'Left a voicemail; she will call back after work.'
      UNION ALL SELECT 'Quiet for a week', 2, 'demo-3', 'open', UTC_TIMESTAMP() + INTERVAL 1 DAY, NULL
      UNION ALL SELECT 'Before the expected end', 3, 'demo-4', 'open',
        UTC_TIMESTAMP() + INTERVAL 2 DAY, NULL) v
JOIN task_rules r ON r.name = v.rule_name
JOIN (SELECT l.id, l.owner_id, ROW_NUMBER() OVER (ORDER BY l.id) - 1 AS k
      FROM leads l JOIN users u ON u.id = l.owner_id AND u.email = 'agent@example.com'
      WHERE l.archived_at IS NULL) l ON l.k = v.nth;
