package dev.beckon.storage.jdbc;

import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;

/**
 * Every SQL statement of one repository, built once from its dialect and its validated table name.
 * Values always travel as parameters; the table name is the only text spliced in, and it has been
 * validated as a plain identifier ({@code [schema.]name} of letters, digits and underscores) before
 * it gets here.
 *
 * <p>Parameter order of the row-writing statements (the {@link #COLUMNS} order): key_hash,
 * channel_id, conversation_id, tenant_id, bucket, version, updated_at, expires_at, payload.
 */
final class SqlStatements {

  static final String COLUMNS =
      "key_hash, channel_id, conversation_id, tenant_id, bucket, version, updated_at, expires_at, payload";

  private static final String[] UPDATED = {
    "channel_id",
    "conversation_id",
    "tenant_id",
    "bucket",
    "version",
    "updated_at",
    "expires_at",
    "payload"
  };

  private static final String NOT_EXPIRED = "(expires_at IS NULL OR expires_at > ?)";

  final String save;

  /**
   * Insert-if-absent; for {@link Dialect#MARIADB} a plain insert followed, on a duplicate key, by
   * {@link #reclaimExpired}.
   */
  final String insertIfAbsent;

  /** Whether {@link #insertIfAbsent} takes the "now" parameter after the row (10 parameters). */
  final boolean insertIfAbsentTakesNow;

  /** MariaDB only: replaces an expired row in place (8 set values, key_hash, now). */
  final String reclaimExpired;

  /** 8 set values, key_hash, expected version, now. */
  final String replace;

  final String find;
  final String delete;
  final String deleteVersion;

  /** Expiry bound and batch size. */
  final String purge;

  final String listPrefix;

  SqlStatements(Dialect dialect, String table) {
    String values = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
    String setAll = String.join(" = ?, ", UPDATED) + " = ?";
    switch (dialect) {
      case POSTGRESQL -> {
        String upsert =
            "INSERT INTO "
                + table
                + " AS r ("
                + COLUMNS
                + ") VALUES "
                + values
                + " ON CONFLICT (key_hash) DO UPDATE SET "
                + assignments("EXCLUDED.");
        save = upsert;
        insertIfAbsent = upsert + " WHERE r.expires_at IS NOT NULL AND r.expires_at <= ?";
        insertIfAbsentTakesNow = true;
      }
      case SQLITE -> {
        String upsert =
            "INSERT INTO "
                + table
                + " ("
                + COLUMNS
                + ") VALUES "
                + values
                + " ON CONFLICT (key_hash) DO UPDATE SET "
                + assignments("excluded.");
        save = upsert;
        // in DO UPDATE, unqualified columns are the existing row
        insertIfAbsent = upsert + " WHERE expires_at IS NOT NULL AND expires_at <= ?";
        insertIfAbsentTakesNow = true;
      }
      case MARIADB -> {
        // VALUES(col) rather than MySQL 8's "AS new" row alias, which MariaDB does not parse
        StringBuilder sb = new StringBuilder();
        for (String c : UPDATED) {
          sb.append(sb.length() == 0 ? "" : ", ")
              .append(c)
              .append(" = VALUES(")
              .append(c)
              .append(')');
        }
        save =
            "INSERT INTO "
                + table
                + " ("
                + COLUMNS
                + ") VALUES "
                + values
                + " ON DUPLICATE KEY UPDATE "
                + sb;
        insertIfAbsent = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES " + values;
        insertIfAbsentTakesNow = false;
      }
      case H2 -> {
        String using =
            "MERGE INTO "
                + table
                + " AS r USING (VALUES (CAST(? AS VARCHAR(64)), "
                + "CAST(? AS CHARACTER VARYING), CAST(? AS CHARACTER VARYING), CAST(? AS CHARACTER VARYING), "
                + "CAST(? AS INTEGER), CAST(? AS VARCHAR(32)), CAST(? AS BIGINT), CAST(? AS BIGINT), "
                + "CAST(? AS CHARACTER VARYING))) AS s("
                + COLUMNS
                + ") ON r.key_hash = s.key_hash ";
        String update = "THEN UPDATE SET " + assignments("s.");
        String insert =
            " WHEN NOT MATCHED THEN INSERT ("
                + COLUMNS
                + ") VALUES (s.key_hash, s.channel_id, "
                + "s.conversation_id, s.tenant_id, s.bucket, s.version, s.updated_at, s.expires_at, s.payload)";
        save = using + "WHEN MATCHED " + update + insert;
        insertIfAbsent =
            using
                + "WHEN MATCHED AND r.expires_at IS NOT NULL AND r.expires_at <= ? "
                + update
                + insert;
        insertIfAbsentTakesNow = true;
      }
      default -> throw new IllegalStateException("unknown dialect " + dialect);
    }
    reclaimExpired =
        "UPDATE "
            + table
            + " SET "
            + setAll
            + " WHERE key_hash = ? AND expires_at IS NOT NULL AND expires_at <= ?";
    replace =
        "UPDATE "
            + table
            + " SET "
            + setAll
            + " WHERE key_hash = ? AND version = ? AND "
            + NOT_EXPIRED;
    find = "SELECT version, payload FROM " + table + " WHERE key_hash = ? AND " + NOT_EXPIRED;
    delete = "DELETE FROM " + table + " WHERE key_hash = ? AND " + NOT_EXPIRED;
    deleteVersion =
        "DELETE FROM " + table + " WHERE key_hash = ? AND version = ? AND " + NOT_EXPIRED;
    purge =
        dialect == Dialect.MARIADB
            ? "DELETE FROM " + table + " WHERE expires_at <= ? LIMIT ?"
            : "DELETE FROM "
                + table
                + " WHERE key_hash IN (SELECT key_hash FROM "
                + table
                + " WHERE expires_at <= ? LIMIT ?)";
    listPrefix =
        "SELECT key_hash, channel_id, tenant_id, version, payload, conversation_id FROM "
            + table
            + " WHERE "
            + NOT_EXPIRED;
  }

  /**
   * The listing statement for a combination of filters.
   *
   * @return SQL taking: now, [channel], [tenant], [count, index], [after], limit
   */
  String list(boolean channel, boolean tenant, boolean segment, boolean after) {
    StringBuilder sb = new StringBuilder(listPrefix);
    if (channel) {
      sb.append(" AND channel_id = ?");
    }
    if (tenant) {
      sb.append(" AND tenant_id = ?");
    }
    if (segment) {
      sb.append(" AND bucket % ? = ?");
    }
    if (after) {
      sb.append(" AND key_hash > ?");
    }
    return sb.append(" ORDER BY key_hash LIMIT ?").toString();
  }

  private static String assignments(String source) {
    StringBuilder sb = new StringBuilder();
    for (String c : UPDATED) {
      sb.append(sb.length() == 0 ? "" : ", ").append(c).append(" = ").append(source).append(c);
    }
    return sb.toString();
  }
}
