-- Call attempts due (issue 10): the agent's list of call steps whose next
-- attempt is due, read from one index range.
--
-- A call step's row in lead_step_values carries when its next attempt is
-- due (next_due_at) and whose list it is on (due_user_id, the lead's owner
-- when the row was written). The service sets next_due_at when the lead
-- enters the track that holds the step (due at once) and after each
-- attempt (the last attempt plus the step's spacing); it is NULL once the
-- step is done or the lead leaves the map. A lead handed to another owner
-- takes its due calls along: the trigger below moves due_user_id, so the
-- lead code needs no knowledge of maps.
ALTER TABLE lead_step_values
  ADD COLUMN next_due_at DATETIME(6) NULL,
  ADD COLUMN due_user_id BIGINT UNSIGNED NULL,
  ADD KEY ix_lead_step_values_due (due_user_id, next_due_at);

CREATE TRIGGER tr_leads_owner_due AFTER UPDATE ON leads FOR EACH ROW
  UPDATE lead_step_values SET due_user_id = NEW.owner_id
   WHERE NOT (NEW.owner_id <=> OLD.owner_id) AND lead_id = NEW.id AND next_due_at IS NOT NULL;
