-- Beckon conversation references, PostgreSQL 12+. ${table} and ${index} are replaced by
-- JdbcReferenceRepository.createSchema() with the validated table name (default beckon_references).
-- Idempotent: safe to run again. Times are epoch milliseconds (UTC).
CREATE TABLE IF NOT EXISTS ${table} (
  key_hash        VARCHAR(64) COLLATE "C" NOT NULL PRIMARY KEY,
  channel_id      TEXT        NOT NULL,
  conversation_id TEXT        NOT NULL,
  tenant_id       TEXT        NULL,
  bucket          INTEGER     NOT NULL,
  version         VARCHAR(32) NOT NULL,
  updated_at      BIGINT      NOT NULL,
  expires_at      BIGINT      NULL,
  payload         TEXT        NOT NULL
);
CREATE INDEX IF NOT EXISTS ${index}_expires ON ${table} (expires_at);
