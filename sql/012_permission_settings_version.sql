-- A user's permissions are kept in each worker's settings cache with the
-- user's units (so that the user check is one primary-key read): granting
-- or revoking one raises settings_version like the other settings tables.
CREATE TRIGGER tr_user_permissions_ins AFTER INSERT ON user_permissions FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
CREATE TRIGGER tr_user_permissions_del AFTER DELETE ON user_permissions FOR EACH ROW
  UPDATE settings_version SET version = version + 1 WHERE id = 1;
