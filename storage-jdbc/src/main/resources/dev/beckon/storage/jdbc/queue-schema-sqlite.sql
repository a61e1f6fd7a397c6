-- Beckon delivery queue, SQLite 3.35+: single node, one writer at a time (claims
-- compare-and-set row by row). ${table} and ${index} are replaced by
-- JdbcDeliveryQueue.createSchema(). Idempotent. Times are epoch milliseconds (UTC).
CREATE TABLE IF NOT EXISTS ${table} (
  key_hash        TEXT    NOT NULL PRIMARY KEY,
  delivery_key    TEXT    NOT NULL,
  channel_id      TEXT    NOT NULL,
  conversation_id TEXT    NOT NULL,
  payload         TEXT    NOT NULL,
  state           TEXT    NOT NULL,
  attempts        INTEGER NOT NULL,
  not_before      INTEGER NOT NULL,
  first_due       INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  lease_token     TEXT    NULL,
  lease_until     INTEGER NOT NULL,
  last_outcome    TEXT    NULL,
  activity_id     TEXT    NULL
);
CREATE INDEX IF NOT EXISTS ${index}_due ON ${table} (state, not_before, key_hash);
CREATE INDEX IF NOT EXISTS ${index}_updated ON ${table} (updated_at);
