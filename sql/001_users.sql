-- Users, the groups that own leads and the units that leads are assigned to.
CREATE TABLE org_groups (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(120) NOT NULL,
  created_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  UNIQUE KEY uq_org_groups_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE units (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(120) NOT NULL,
  created_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  UNIQUE KEY uq_units_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE users (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email          VARCHAR(254) NOT NULL,
  name           VARCHAR(120) NOT NULL,
  role           ENUM('agent','supervisor','admin') NOT NULL DEFAULT 'agent',
  group_id       BIGINT UNSIGNED NULL,
  password_hash  VARCHAR(255) NOT NULL,
  active         TINYINT(1) NOT NULL DEFAULT 1,
  failed_logins  INT UNSIGNED NOT NULL DEFAULT 0,
  locked_until   DATETIME(6) NULL,
  created_at     DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  updated_at     DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  UNIQUE KEY uq_users_email (email),
  KEY ix_users_group (group_id),
  CONSTRAINT fk_users_group FOREIGN KEY (group_id) REFERENCES org_groups (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_units (
  user_id  BIGINT UNSIGNED NOT NULL,
  unit_id  BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (user_id, unit_id),
  KEY ix_user_units_unit (unit_id),
  CONSTRAINT fk_user_units_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_user_units_unit FOREIGN KEY (unit_id) REFERENCES units (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_permissions (
  user_id     BIGINT UNSIGNED NOT NULL,
  permission  VARCHAR(64) NOT NULL,
  PRIMARY KEY (user_id, permission),
  CONSTRAINT fk_user_permissions_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
