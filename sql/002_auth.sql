-- Rotating refresh tokens (stored as hashes, grouped in families) and the audit log.
CREATE TABLE refresh_tokens (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id     BIGINT UNSIGNED NOT NULL,
  family_id   CHAR(32) NOT NULL,
  token_hash  CHAR(64) NOT NULL,
  created_at  DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  expires_at  DATETIME(6) NOT NULL,
  rotated_at  DATETIME(6) NULL,
  revoked_at  DATETIME(6) NULL,
  UNIQUE KEY uq_refresh_tokens_hash (token_hash),
  KEY ix_refresh_tokens_family (family_id),
  KEY ix_refresh_tokens_user (user_id),
  KEY ix_refresh_tokens_expires (expires_at),
  CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who did or saw what, when. entity/entity_id name the record ("user", 7).
CREATE TABLE audit_log (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at         DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
  user_id    BIGINT UNSIGNED NULL,
  action     VARCHAR(64) NOT NULL,
  entity     VARCHAR(32) NULL,
  entity_id  BIGINT UNSIGNED NULL,
  ip         VARCHAR(45) NULL,
  detail     VARCHAR(1000) NULL,
  KEY ix_audit_entity (entity, entity_id, at),
  KEY ix_audit_user (user_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
