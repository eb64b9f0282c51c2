-- A name search reads candidates from an index on each name: last_name has
-- one (ix_leads_name); this is the first name's.
ALTER TABLE leads ADD KEY ix_leads_first_name (first_name);
