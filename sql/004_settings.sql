-- Admin-defined lists that leads refer to.

-- Plain named lists, one table: kind says which list a row belongs to.
CREATE TABLE lookups (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind        ENUM('lead_type','category','priority','importance','source','lost_reason',
                   'competitor') NOT NULL,
  name        VARCHAR(120) NOT NULL,
  position    INT NOT NULL DEFAULT 0,
  active      TINYINT(1) NOT NULL DEFAULT 1,
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY uq_lookups_kind_name (kind, name),
  KEY ix_lookups_kind_position (kind, active, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Statuses: each belongs to one life-cycle state.
CREATE TABLE statuses (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(120) NOT NULL,
  state       ENUM('new','in_progress','won','lost','completed') NOT NULL,
  color       CHAR(7) NOT NULL DEFAULT '#607d8b',
  position    INT NOT NULL DEFAULT 0,
  active      TINYINT(1) NOT NULL DEFAULT 1,
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY uq_statuses_name (name),
  KEY ix_statuses_state (state, active, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The products/services catalogue.
CREATE TABLE products (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(120) NOT NULL,
  price       DECIMAL(14,2) NULL,
  position    INT NOT NULL DEFAULT 0,
  active      TINYINT(1) NOT NULL DEFAULT 1,
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY uq_products_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Custom fields. options holds the choices of dropdown/radio/multi-select
-- as a JSON array of strings.
CREATE TABLE custom_fields (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  field_key      VARCHAR(64) NOT NULL,
  label          VARCHAR(120) NOT NULL,
  type           ENUM('text','long_text','number','money','date','datetime','dropdown',
                      'radio','checkbox','multi_select') NOT NULL,
  required       TINYINT(1) NOT NULL DEFAULT 0,
  default_value  VARCHAR(1000) NULL,
  help           VARCHAR(500) NULL,
  options        JSON NULL,
  position       INT NOT NULL DEFAULT 0,
  active         TINYINT(1) NOT NULL DEFAULT 1,
  version        INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY uq_custom_fields_key (field_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Which lead types a custom field applies to (no rows: all types).
CREATE TABLE custom_field_types (
  field_id  BIGINT UNSIGNED NOT NULL,
  type_id   BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (field_id, type_id),
  CONSTRAINT fk_cft_field FOREIGN KEY (field_id) REFERENCES custom_fields (id),
  CONSTRAINT fk_cft_type FOREIGN KEY (type_id) REFERENCES lookups (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Geographic rules that pick the owning group of a new lead from its address;
-- the first matching rule by position wins.
CREATE TABLE group_rules (
  id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  group_id  BIGINT UNSIGNED NOT NULL,
  kind      ENUM('postal_prefix','region','country') NOT NULL,
  value     VARCHAR(40) NOT NULL,
  position  INT NOT NULL DEFAULT 0,
  KEY ix_group_rules_position (position, id),
  CONSTRAINT fk_group_rules_group FOREIGN KEY (group_id) REFERENCES org_groups (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
