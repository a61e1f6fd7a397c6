package dev.beckon.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import java.io.File;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The four databases the tests run against, one HikariCP pool each for the whole run.
 *
 * <p>PostgreSQL and MariaDB are real servers on 127.0.0.1, started (or reused) by {@code
 * scripts/test.sh} ({@code src/test/servers/postgres.sh}, {@code mariadb.sh} of this module).
 * Defaults, each overridable by a system property or environment variable:
 *
 * <ul>
 *   <li>PostgreSQL: {@code beckon.postgres.url} / {@code BECKON_POSTGRES_URL} ({@code
 *       jdbc:postgresql://127.0.0.1:5432/test}), {@code beckon.postgres.user} / {@code
 *       BECKON_POSTGRES_USER} ({@code postgres}), {@code beckon.postgres.password} / {@code
 *       BECKON_POSTGRES_PASSWORD} (empty);
 *   <li>MariaDB: {@code beckon.mariadb.url} / {@code BECKON_MARIADB_URL} ({@code
 *       jdbc:mariadb://127.0.0.1:3306/test}), {@code beckon.mariadb.user} / {@code
 *       BECKON_MARIADB_USER} ({@code test}), {@code beckon.mariadb.password} / {@code
 *       BECKON_MARIADB_PASSWORD} (empty).
 * </ul>
 *
 * H2 and SQLite are files under {@code target/}.
 */
final class TestDatabases {
  private static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final Map<Dialect, HikariDataSource> POOLS = new ConcurrentHashMap<>();
  private static final List<Object[]> CREATED = new CopyOnWriteArrayList<>();

  private TestDatabases() {}

  static String setting(String property, String env, String fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isEmpty()) {
      v = System.getenv(env);
    }
    return v == null || v.isEmpty() ? fallback : v;
  }

  static DataSource dataSource(Dialect dialect) {
    return POOLS.computeIfAbsent(dialect, TestDatabases::open);
  }

  private static HikariDataSource open(Dialect dialect) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("beckon-test-" + dialect.name().toLowerCase(Locale.ROOT));
    config.setConnectionTimeout(30_000);
    config.setMaximumPoolSize(10);
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
        File dir = new File("target/h2");
        dir.mkdirs();
        config.setJdbcUrl(
            "jdbc:h2:file:"
                + new File(dir, "beckon-" + RUN).getAbsolutePath()
                + ";LOCK_TIMEOUT=10000;QUERY_TIMEOUT=10000");
        config.setUsername("sa");
        config.setPassword("");
      }
      case SQLITE -> {
        File dir = new File("target/sqlite");
        dir.mkdirs();
        config.setJdbcUrl(
            "jdbc:sqlite:" + new File(dir, "beckon-" + RUN + ".db").getAbsolutePath());
        // SQLite has one writer at a time: one connection serialises every call, no SQLITE_BUSY
        config.setMaximumPoolSize(1);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("busy_timeout", "10000");
      }
      default -> throw new IllegalStateException();
    }
    return new HikariDataSource(config);
  }

  /** Returns a table name no other test uses; {@link #dropTables()} drops it. */
  static String freshTableName(Dialect dialect) {
    String name = "beckon_t" + RUN + "_" + TABLES.incrementAndGet();
    CREATED.add(new Object[] {dialect, name});
    return name;
  }

  /** A fresh, empty repository with its table created. */
  static JdbcReferenceRepository repository(
      Dialect dialect, dev.beckon.store.StoreOptions options) {
    JdbcReferenceRepository r =
        JdbcReferenceRepository.builder(dataSource(dialect))
            .tableName(freshTableName(dialect))
            .options(options)
            .build();
    r.createSchema();
    return r;
  }

  /** A fresh, empty delivery queue with its table created. */
  static JdbcDeliveryQueue deliveryQueue(Dialect dialect, java.time.Clock clock) {
    JdbcDeliveryQueue q =
        JdbcDeliveryQueue.builder(dataSource(dialect))
            .tableName(freshTableName(dialect))
            .clock(clock)
            .build();
    q.createSchema();
    return q;
  }

  /** Drops the tables created since the last call. */
  static void dropTables() {
    for (Object[] t : CREATED) {
      execute((Dialect) t[0], "DROP TABLE IF EXISTS " + t[1]);
    }
    CREATED.clear();
  }

  static void execute(Dialect dialect, String sql) {
    try (Connection c = dataSource(dialect).getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** Reads the payload column of a key's row, bypassing the repository. */
  static String readPayload(
      Dialect dialect, JdbcReferenceRepository repository, dev.beckon.reference.ReferenceKey key) {
    String sql = "SELECT payload FROM " + repository.tableName() + " WHERE key_hash = ?";
    try (Connection c = dataSource(dialect).getConnection();
        java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key.hash());
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no row for " + key);
        }
        return rs.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** Overwrites the payload column of a key's row with raw text, bypassing the repository. */
  static void overwritePayload(
      Dialect dialect,
      JdbcReferenceRepository repository,
      dev.beckon.reference.ReferenceKey key,
      String payload) {
    String sql = "UPDATE " + repository.tableName() + " SET payload = ? WHERE key_hash = ?";
    try (Connection c = dataSource(dialect).getConnection();
        java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, payload);
      ps.setString(2, key.hash());
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("no row for " + key);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
