package dev.beckon.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.storage.jdbc.JdbcReferenceRepository;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.testkit.SampleReferences;
import java.io.File;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * JDBC store on PostgreSQL, MariaDB, H2 (file) and SQLite (file): {@code
 * JdbcReferenceRepository.save} and {@code find} vs the very same SQL statement through raw JDBC on
 * the same HikariCP pool (pre-built parameters: no JSON encoding, no parsing), alternating within
 * each round. Connection settings as in the storage-jdbc tests: {@code
 * -Dbeckon.postgres.url/.user/.password}, {@code -Dbeckon.mariadb.url/.user/.password} or {@code
 * BECKON_POSTGRES_URL} etc.
 */
public final class JdbcBenchmark {

  private static final String COLUMNS =
      "key_hash, channel_id, conversation_id, tenant_id, bucket, version, updated_at, expires_at, payload";

  private JdbcBenchmark() {}

  /**
   * Runs the suite.
   *
   * @param args {@code --quick} for the short variant
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    BenchReport report = new BenchReport("jdbc", args);
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String only = only(args);
    for (Dialect dialect : Dialect.values()) {
      if (only != null && !dialect.name().equalsIgnoreCase(only)) {
        continue;
      }
      try (HikariDataSource pool = pool(dialect, run)) {
        benchmark(report, dialect, pool, "beckon_bench_" + run);
      }
    }
    report.note(
        "same HikariCP pool for both subjects (4 connections; SQLite 1); raw = the repository's own SQL "
            + "text on the same table and rows, reading the same columns, with the same 10 s query timeout "
            + "(Statement.setQueryTimeout; not on H2, whose timeout belongs in the URL), parameters pre-built "
            + "(no JSON write/parse, no hashing); Beckon's numbers include canonical JSON write/parse, key "
            + "hashing and version generation");
    report.note("1 statement per save and per find is asserted by storage-jdbc's JdbcSpecificTest");
    report.note(
        "H2 and SQLite are files under benchmarks/target/bench-db; PostgreSQL and MariaDB on 127.0.0.1");
    report.print();
  }

  private static void benchmark(
      BenchReport report, Dialect dialect, HikariDataSource pool, String table) throws Exception {
    String db = dialect.name().toLowerCase(Locale.ROOT);
    JdbcReferenceRepository repository =
        JdbcReferenceRepository.builder(pool).tableName(table).build();
    repository.createSchema();
    try {
      int keys = 1000;
      List<ConversationReference> refs = new ArrayList<>(keys);
      List<ReferenceDocument> docs = new ArrayList<>(keys);
      List<ReferenceKey> refKeys = new ArrayList<>(keys);
      for (int i = 0; i < keys; i++) {
        ConversationReference ref =
            SampleReferences.reference("msteams", "19:bench-" + i + "@thread.tacv2", "tenant-1");
        refs.add(ref);
        refKeys.add(ref.key());
        docs.add(ReferenceDocument.of(ref));
      }
      repository.saveAll(refs);
      String upsert = upsertSql(dialect, table);
      // the repository's own find statement (it reads every column and filters expiry in core)
      String select =
          "SELECT key_hash, channel_id, conversation_id, tenant_id, version, payload, expires_at"
              + " FROM "
              + table
              + " WHERE key_hash = ?";
      // the repository's query timeout, which it sets on every statement but H2's (whose timeout
      // is in its URL): pgjdbc arms a timer per statement for it, work the raw side must do too
      int timeout =
          dialect == Dialect.H2
              ? 0
              : (int) JdbcReferenceRepository.DEFAULT_QUERY_TIMEOUT.toSeconds();

      boolean server = dialect == Dialect.POSTGRESQL || dialect == Dialect.MARIADB;
      for (int threads : server && !report.quick() ? new int[] {1, 4} : new int[] {1}) {
        String c = "c" + threads;
        String suffix = threads == 1 ? "" : "_" + c;
        new PairedJmh.Trial(report)
            .threads(threads)
            .pair(
                db + ".save_vs_raw" + suffix,
                db + " save ops/s " + c,
                i -> repository.save(refs.get(i % keys)),
                "raw jdbc",
                i -> rawSave(pool, upsert, docs.get(i % keys), timeout))
            .pair(
                db + ".find_vs_raw" + suffix,
                db + " find ops/s " + c,
                i -> repository.find(refKeys.get(i % keys)).orElseThrow(),
                "raw jdbc",
                i -> rawFind(pool, select, docs.get(i % keys), timeout))
            .run();
      }
    } finally {
      try (Connection c = pool.getConnection();
          Statement st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }

  private static int rawSave(
      HikariDataSource pool, String upsert, ReferenceDocument d, int timeoutSeconds) {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(upsert)) {
      if (timeoutSeconds > 0) {
        ps.setQueryTimeout(timeoutSeconds);
      }
      ps.setString(1, d.keyHash());
      ps.setString(2, d.key().channelId());
      ps.setString(3, d.key().conversationId());
      ps.setString(4, d.tenantId());
      ps.setInt(5, d.bucket());
      ps.setString(6, Long.toHexString(System.nanoTime()) + "0000000000000000");
      ps.setLong(7, System.currentTimeMillis());
      ps.setNull(8, Types.BIGINT);
      ps.setString(9, d.json());
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String rawFind(
      HikariDataSource pool, String select, ReferenceDocument d, int timeoutSeconds) {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(select)) {
      if (timeoutSeconds > 0) {
        ps.setQueryTimeout(timeoutSeconds);
      }
      ps.setString(1, d.keyHash());
      try (ResultSet rs = ps.executeQuery()) {
        // the columns the repository reads, in its order
        if (!rs.next()
            || rs.getString(1) == null
            || rs.getString(2) == null
            || rs.getString(3) == null
            || rs.getString(5) == null
            || rs.getLong(7) < 0) {
          throw new IllegalStateException("missing " + d.key());
        }
        return rs.getString(6);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The upsert JdbcReferenceRepository runs for save (see its class javadoc), written out. */
  private static String upsertSql(Dialect dialect, String table) {
    String values = " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    String[] cols = {
      "channel_id",
      "conversation_id",
      "tenant_id",
      "bucket",
      "version",
      "updated_at",
      "expires_at",
      "payload"
    };
    StringBuilder set = new StringBuilder();
    for (String c : cols) {
      String source =
          switch (dialect) {
            case POSTGRESQL -> "EXCLUDED." + c;
            case SQLITE -> "excluded." + c;
            case MARIADB -> "VALUES(" + c + ")";
            case H2 -> "s." + c;
          };
      set.append(set.length() == 0 ? "" : ", ").append(c).append(" = ").append(source);
    }
    return switch (dialect) {
      case POSTGRESQL ->
          "INSERT INTO "
              + table
              + " AS r ("
              + COLUMNS
              + ")"
              + values
              + " ON CONFLICT (key_hash) DO UPDATE SET "
              + set;
      case SQLITE ->
          "INSERT INTO "
              + table
              + " ("
              + COLUMNS
              + ")"
              + values
              + " ON CONFLICT (key_hash) DO UPDATE SET "
              + set;
      case MARIADB ->
          "INSERT INTO "
              + table
              + " ("
              + COLUMNS
              + ")"
              + values
              + " ON DUPLICATE KEY UPDATE "
              + set;
      case H2 ->
          "MERGE INTO "
              + table
              + " AS r USING (VALUES (CAST(? AS VARCHAR(64)), "
              + "CAST(? AS CHARACTER VARYING), CAST(? AS CHARACTER VARYING), CAST(? AS CHARACTER VARYING), "
              + "CAST(? AS INTEGER), CAST(? AS VARCHAR(32)), CAST(? AS BIGINT), CAST(? AS BIGINT), "
              + "CAST(? AS CHARACTER VARYING))) AS s("
              + COLUMNS
              + ") ON r.key_hash = s.key_hash "
              + "WHEN MATCHED THEN UPDATE SET "
              + set
              + " WHEN NOT MATCHED THEN INSERT ("
              + COLUMNS
              + ") VALUES (s.key_hash, "
              + "s.channel_id, s.conversation_id, s.tenant_id, s.bucket, s.version, s.updated_at, s.expires_at, s.payload)";
    };
  }

  private static HikariDataSource pool(Dialect dialect, String run) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("bench-" + dialect.name().toLowerCase(Locale.ROOT));
    config.setMaximumPoolSize(4);
    switch (dialect) {
      case POSTGRESQL -> {
        config.setJdbcUrl(
            setting(
                "beckon.postgres.url",
                "BECKON_POSTGRES_URL",
                "jdbc:postgresql://127.0.0.1:5432/test"));
        config.setUsername(setting("beckon.postgres.user", "BECKON_POSTGRES_USER", "postgres"));
        config.setPassword(setting("beckon.postgres.password", "BECKON_POSTGRES_PASSWORD", ""));
      }
      case MARIADB -> {
        config.setJdbcUrl(
            setting(
                "beckon.mariadb.url", "BECKON_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test"));
        config.setUsername(setting("beckon.mariadb.user", "BECKON_MARIADB_USER", "test"));
        config.setPassword(setting("beckon.mariadb.password", "BECKON_MARIADB_PASSWORD", ""));
      }
      case H2 -> {
        File dir = new File("benchmarks/target/bench-db");
        dir.mkdirs();
        config.setJdbcUrl("jdbc:h2:file:" + new File(dir, "h2-" + run).getAbsolutePath());
        config.setUsername("sa");
        config.setPassword("");
      }
      case SQLITE -> {
        File dir = new File("benchmarks/target/bench-db");
        dir.mkdirs();
        config.setJdbcUrl(
            "jdbc:sqlite:" + new File(dir, "sqlite-" + run + ".db").getAbsolutePath());
        config.setMaximumPoolSize(1);
        config.addDataSourceProperty("journal_mode", "WAL");
      }
    }
    return new HikariDataSource(config);
  }

  /** The {@code --only <dialect>} argument (scripts/bench.sh's suites jdbc-postgresql etc.). */
  private static String only(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--only")) {
        return args[i + 1];
      }
    }
    return null;
  }

  private static String setting(String property, String env, String fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isEmpty()) {
      v = System.getenv(env);
    }
    return v == null || v.isEmpty() ? fallback : v;
  }
}
