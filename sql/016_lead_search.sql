-- Finding leads (PRODUCT §3, Search): the indexes the list's sort orders
-- walk, and saved searches.
--
-- Sorts: created is the id order (ids are given in creation order), name
-- walks ix_leads_name (last, first, then the primary key InnoDB appends),
-- updated and follow-up walk the two keys below (again with the id last),
-- so a keyset page is one ordered index range.
ALTER TABLE leads
  ADD KEY ix_leads_updated (updated_at),
  ADD KEY ix_leads_follow_up (follow_up_at);

-- A saved search is a name and the query string of GET /api/v1/leads, kept
-- as the user typed it and checked by the same parser when saved. A
-- supervisor (or admin) may share one with the group: group_id is then the
-- group whose members see it; only its owner edits or deletes it.
CREATE TABLE saved_searches (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id     BIGINT UNSIGNED NOT NULL,
  group_id    BIGINT UNSIGNED NULL,
  name        VARCHAR(100) NOT NULL,
  query       VARCHAR(2000) NOT NULL,
  created_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  updated_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY uq_saved_searches_user_name (user_id, name),
  KEY ix_saved_searches_group (group_id, id),
  CONSTRAINT fk_saved_searches_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_saved_searches_group FOREIGN KEY (group_id) REFERENCES org_groups (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
