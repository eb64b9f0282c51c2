-- One number that every change to what a response names (statuses, lookups,
-- products, custom fields, groups, units, users' names and roles, call-log
-- settings) raises. Each FastCGI worker caches those lists and reloads them
-- when the number it reads with the user check differs from the one it
-- loaded; the app keeps the settings bundle until the number (its ETag)
-- changes. Triggers raise it, so no write path can forget to.
CREATE TABLE settings_version (
  id       TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  version  BIGINT UNSIGNED NOT NULL DEFAULT 1
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO settings_version (id, version) VALUES (1, 1);

CREATE TRIGGER tr_lookups_ins AFTER INSERT ON lookups FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_lookups_upd AFTER UPDATE ON lookups FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_lookups_del AFTER DELETE ON lookups FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

CREATE TRIGGER tr_statuses_ins AFTER INSERT ON statuses FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_statuses_upd AFTER UPDATE ON statuses FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_statuses_del AFTER DELETE ON statuses FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

CREATE TRIGGER tr_products_ins AFTER INSERT ON products FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_products_upd AFTER UPDATE ON products FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_products_del AFTER DELETE ON products FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

CREATE TRIGGER tr_custom_fields_ins AFTER INSERT ON custom_fields FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_custom_fields_upd AFTER UPDATE ON custom_fields FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_custom_fields_del AFTER DELETE ON custom_fields FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

CREATE TRIGGER tr_custom_field_types_ins AFTER INSERT ON custom_field_types FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_custom_field_types_del AFTER DELETE ON custom_field_types FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

CREATE TRIGGER tr_org_groups_ins AFTER INSERT ON org_groups FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_org_groups_upd AFTER UPDATE ON org_groups FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_org_groups_del AFTER DELETE ON org_groups FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

CREATE TRIGGER tr_units_ins AFTER INSERT ON units FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_units_upd AFTER UPDATE ON units FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_units_del AFTER DELETE ON units FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

CREATE TRIGGER tr_group_rules_ins AFTER INSERT ON group_rules FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_group_rules_upd AFTER UPDATE ON group_rules FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_group_rules_del AFTER DELETE ON group_rules FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

CREATE TRIGGER tr_user_units_ins AFTER INSERT ON user_units FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_user_units_del AFTER DELETE ON user_units FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

CREATE TRIGGER tr_call_log_settings_upd AFTER UPDATE ON call_log_settings FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;

-- Users: only what others see of a user (a login's counters are not settings).
CREATE TRIGGER tr_users_ins AFTER INSERT ON users FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_users_upd AFTER UPDATE ON users FOR EACH ROW
  UPDATE settings_version SET version = version + 1
  WHERE id = 1 AND (NOT (OLD.name <=> NEW.name) OR NOT (OLD.role <=> NEW.role)
                    OR NOT (OLD.active <=> NEW.active) OR NOT (OLD.group_id <=> NEW.group_id));
