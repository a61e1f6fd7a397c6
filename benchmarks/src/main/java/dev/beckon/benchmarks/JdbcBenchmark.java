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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

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
    for (Dialect dialect : Dialect.values()) {
      try (HikariDataSource pool = pool(dialect, run)) {
        benchmark(report, dialect, pool, "beckon_bench_" + run);
      }
    }
    report.note(
        "same HikariCP pool for both subjects (4 connections; SQLite 1); raw = the repository's own SQL "
            + "text, parameters pre-built (no JSON write/parse, no hashing); Beckon's numbers include canonical JSON "
            + "write/parse, key hashing, version generation and its 10 s query timeout (Statement.setQueryTimeout; not on "
            + "H2, whose timeout belongs in the URL); 'raw jdbc + query timeout' shows what that timeout alone costs");
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
      String select =
          "SELECT version, payload FROM "
              + table
              + " WHERE key_hash = ? AND (expires_at IS NULL OR expires_at > ?)";

      IntConsumer beckonSave = i -> repository.save(refs.get(i % keys));
      IntConsumer rawSave = i -> rawSave(pool, upsert, docs.get(i % keys), 0);
      IntConsumer rawSaveTimeout = i -> rawSave(pool, upsert, docs.get(i % keys), 10);
      IntConsumer beckonFind =
          i -> {
            if (repository.find(refKeys.get(i % keys)).isEmpty()) {
              throw new IllegalStateException("missing " + i);
            }
          };
      IntConsumer rawFind = i -> rawFind(pool, select, docs.get(i % keys), 0);
      IntConsumer rawFindTimeout = i -> rawFind(pool, select, docs.get(i % keys), 10);

      boolean server = dialect == Dialect.POSTGRESQL || dialect == Dialect.MARIADB;
      measureNanos = report.size(250, 1000) * 1_000_000L;
      for (IntConsumer op : List.of(beckonSave, rawSave, beckonFind, rawFind)) {
        opsPerSecond(op, 1); // warm-up: JIT, pool, server-side statement caches
      }
      for (int round = 0; round < report.rounds(); round++) {
        boolean beckonFirst = round % 2 == 0;
        measure(report, db + " save ops/s c1", beckonFirst, beckonSave, rawSave, 1);
        if (dialect != Dialect.H2) {
          report.add(
              db + " save ops/s c1", "raw jdbc + query timeout", opsPerSecond(rawSaveTimeout, 1));
        }
        measure(report, db + " find ops/s c1", beckonFirst, beckonFind, rawFind, 1);
        if (dialect != Dialect.H2) {
          report.add(
              db + " find ops/s c1", "raw jdbc + query timeout", opsPerSecond(rawFindTimeout, 1));
        }
        if (server) {
          measure(report, db + " save ops/s c4", beckonFirst, beckonSave, rawSave, 4);
          measure(report, db + " find ops/s c4", beckonFirst, beckonFind, rawFind, 4);
        }
      }
      report.ratio(db + ".save_vs_raw", db + " save ops/s c1", "beckon", "raw jdbc");
      report.ratio(db + ".find_vs_raw", db + " find ops/s c1", "beckon", "raw jdbc");
      if (server) {
        report.ratio(db + ".save_vs_raw_c4", db + " save ops/s c4", "beckon", "raw jdbc");
        report.ratio(db + ".find_vs_raw_c4", db + " find ops/s c4", "beckon", "raw jdbc");
      }
    } finally {
      try (Connection c = pool.getConnection();
          Statement st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }

  private static void rawSave(
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
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void rawFind(
      HikariDataSource pool, String select, ReferenceDocument d, int timeoutSeconds) {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(select)) {
      if (timeoutSeconds > 0) {
        ps.setQueryTimeout(timeoutSeconds);
      }
      ps.setString(1, d.keyHash());
      ps.setLong(2, System.currentTimeMillis());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getString(2) == null || rs.getString(1) == null) {
          throw new IllegalStateException("missing " + d.key());
        }
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

  private static String setting(String property, String env, String fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isEmpty()) {
      v = System.getenv(env);
    }
    return v == null || v.isEmpty() ? fallback : v;
  }

  private static void measure(
      BenchReport report,
      String metric,
      boolean beckonFirst,
      IntConsumer beckon,
      IntConsumer raw,
      int threads)
      throws Exception {
    if (beckonFirst) {
      report.add(metric, "beckon", opsPerSecond(beckon, threads));
      report.add(metric, "raw jdbc", opsPerSecond(raw, threads));
    } else {
      report.add(metric, "raw jdbc", opsPerSecond(raw, threads));
      report.add(metric, "beckon", opsPerSecond(beckon, threads));
    }
  }

  /** How long one measurement runs; set from the variant in {@link #benchmark}. */
  private static long measureNanos = 1_000_000_000L;

  /**
   * Runs an operation for {@link #measureNanos} (time-based, so fast in-process databases get as
   * many operations as slow servers get time) on {@code threads} threads.
   */
  private static double opsPerSecond(IntConsumer op, int threads) throws Exception {
    if (threads == 1) {
      long start = System.nanoTime();
      long deadline = start + measureNanos;
      int i = 0;
      long now;
      do {
        for (int k = 0; k < 16; k++) {
          op.accept(i++);
        }
        now = System.nanoTime();
      } while (now < deadline);
      return i / ((now - start) / 1e9);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      long deadline = start + measureNanos;
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t * 1_000_000;
        futures.add(
            pool.submit(
                () -> {
                  int i = 0;
                  while (System.nanoTime() < deadline) {
                    op.accept(offset + i++);
                  }
                  return i;
                }));
      }
      long total = 0;
      for (Future<Integer> f : futures) {
        total += f.get();
      }
      return total / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }
}
