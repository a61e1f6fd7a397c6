-- Beckon delivery queue, H2 2.x: single node (claims compare-and-set row by row; several
-- processes on one H2 server work but contend). ${table} and ${index} are replaced by
-- JdbcDeliveryQueue.createSchema(). Idempotent. Times are epoch milliseconds (UTC).
CREATE TABLE IF NOT EXISTS ${table} (
  key_hash        VARCHAR(64) NOT NULL PRIMARY KEY,
  delivery_key    CHARACTER VARYING NOT NULL,
  channel_id      CHARACTER VARYING NOT NULL,
  conversation_id CHARACTER VARYING NOT NULL,
  payload         CHARACTER VARYING NOT NULL,
  state           VARCHAR(16) NOT NULL,
  attempts        INTEGER     NOT NULL,
  not_before      BIGINT      NOT NULL,
  first_due       BIGINT      NOT NULL,
  created_at      BIGINT      NOT NULL,
  updated_at      BIGINT      NOT NULL,
  lease_token     VARCHAR(64) NULL,
  lease_until     BIGINT      NOT NULL,
  last_outcome    CHARACTER VARYING NULL,
  activity_id     CHARACTER VARYING NULL
);
CREATE INDEX IF NOT EXISTS ${index}_due ON ${table} (state, not_before, key_hash);
CREATE INDEX IF NOT EXISTS ${index}_updated ON ${table} (updated_at);
