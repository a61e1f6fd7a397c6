-- Beckon conversation references, H2 2.x. ${table} and ${index} are replaced by
-- JdbcReferenceRepository.createSchema() with the validated table name (default beckon_references).
-- Idempotent: safe to run again. Times are epoch milliseconds (UTC).
CREATE TABLE IF NOT EXISTS ${table} (
  key_hash        VARCHAR(64) NOT NULL PRIMARY KEY,
  channel_id      CHARACTER VARYING NOT NULL,
  conversation_id CHARACTER VARYING NOT NULL,
  tenant_id       CHARACTER VARYING NULL,
  bucket          INTEGER     NOT NULL,
  version         VARCHAR(32) NOT NULL,
  updated_at      BIGINT      NOT NULL,
  expires_at      BIGINT      NULL,
  payload         CHARACTER VARYING NOT NULL
);
CREATE INDEX IF NOT EXISTS ${index}_expires ON ${table} (expires_at);
