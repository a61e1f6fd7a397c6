-- Beckon delivery queue, MariaDB 10.6+ / MySQL 8+ (SKIP LOCKED). ${table} and ${index} are
-- replaced by JdbcDeliveryQueue.createSchema() with the validated table name (default
-- beckon_deliveries). Idempotent: safe to run again. Times are epoch milliseconds (UTC).
-- InnoDB skips locked rows in "ORDER BY not_before, key_hash ... FOR UPDATE SKIP LOCKED" only when
-- an index serves that order: ${index}_due is what makes claims of several workers not wait on
-- each other. Do not drop it.
CREATE TABLE IF NOT EXISTS ${table} (
  key_hash        CHAR(64)    CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  delivery_key    TEXT        NOT NULL,
  channel_id      TEXT        NOT NULL,
  conversation_id TEXT        NOT NULL,
  payload         MEDIUMTEXT  NOT NULL,
  state           VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  attempts        INT         NOT NULL,
  not_before      BIGINT      NOT NULL,
  first_due       BIGINT      NOT NULL,
  created_at      BIGINT      NOT NULL,
  updated_at      BIGINT      NOT NULL,
  lease_token     VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  lease_until     BIGINT      NOT NULL,
  last_outcome    TEXT        NULL,
  activity_id     TEXT        NULL,
  INDEX ${index}_due (state, not_before, key_hash),
  INDEX ${index}_updated (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
