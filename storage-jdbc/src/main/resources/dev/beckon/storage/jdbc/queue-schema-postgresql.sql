-- Beckon delivery queue, PostgreSQL 12+. ${table} and ${index} are replaced by
-- JdbcDeliveryQueue.createSchema() with the validated table name (default beckon_deliveries).
-- Idempotent: safe to run again. Times are epoch milliseconds (UTC). The claim reads
-- (state, not_before, key_hash) in that order, FOR UPDATE SKIP LOCKED.
CREATE TABLE IF NOT EXISTS ${table} (
  key_hash        VARCHAR(64) COLLATE "C" NOT NULL PRIMARY KEY,
  delivery_key    TEXT        NOT NULL,
  channel_id      TEXT        NOT NULL,
  conversation_id TEXT        NOT NULL,
  payload         TEXT        NOT NULL,
  state           VARCHAR(16) COLLATE "C" NOT NULL,
  attempts        INTEGER     NOT NULL,
  not_before      BIGINT      NOT NULL,
  first_due       BIGINT      NOT NULL,
  created_at      BIGINT      NOT NULL,
  updated_at      BIGINT      NOT NULL,
  lease_token     VARCHAR(64) NULL,
  lease_until     BIGINT      NOT NULL,
  last_outcome    TEXT        NULL,
  activity_id     TEXT        NULL
);
CREATE INDEX IF NOT EXISTS ${index}_due ON ${table} (state, not_before, key_hash);
CREATE INDEX IF NOT EXISTS ${index}_updated ON ${table} (updated_at);
