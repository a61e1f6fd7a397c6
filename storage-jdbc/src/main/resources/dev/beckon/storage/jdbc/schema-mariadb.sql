-- Beckon conversation references, MariaDB 10.5+ / MySQL 8+. ${table} and ${index} are replaced by
-- JdbcReferenceRepository.createSchema() with the validated table name (default beckon_references).
-- Idempotent: safe to run again. Times are epoch milliseconds (UTC). The primary key is the
-- 64-character ASCII key hash (64 bytes), far below InnoDB's 3072-byte index limit; the full ids
-- are TEXT columns. utf8mb4_bin: ids compare byte-exact (case and accents matter).
CREATE TABLE IF NOT EXISTS ${table} (
  key_hash        CHAR(64)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  channel_id      TEXT        NOT NULL,
  conversation_id TEXT        NOT NULL,
  tenant_id       TEXT        NULL,
  bucket          INT         NOT NULL,
  version         VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  updated_at      BIGINT      NOT NULL,
  expires_at      BIGINT      NULL,
  payload         MEDIUMTEXT  NOT NULL,
  INDEX ${index}_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
