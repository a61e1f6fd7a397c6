-- Beckon conversation references, SQLite 3.35+. ${table} and ${index} are replaced by
-- JdbcReferenceRepository.createSchema() with the validated table name (default beckon_references).
-- Idempotent: safe to run again. Times are epoch milliseconds (UTC).
CREATE TABLE IF NOT EXISTS ${table} (
  key_hash        TEXT    NOT NULL PRIMARY KEY,
  channel_id      TEXT    NOT NULL,
  conversation_id TEXT    NOT NULL,
  tenant_id       TEXT    NULL,
  bucket          INTEGER NOT NULL,
  version         TEXT    NOT NULL,
  updated_at      INTEGER NOT NULL,
  expires_at      INTEGER NULL,
  payload         TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS ${index}_expires ON ${table} (expires_at);
