package dev.beckon.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreOptions;
import dev.beckon.testkit.StoredPayloadContract;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole contract kit against each of the four databases (PostgreSQL and MariaDB servers, H2 and
 * SQLite files), a fresh table per repository, dropped after each test.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Dialect.class)
class JdbcContractTest extends StoredPayloadContract {

  private final Dialect dialect;
  private final List<HikariDataSource> unreachable = new ArrayList<>();

  JdbcContractTest(Dialect dialect) {
    this.dialect = dialect;
  }

  @AfterEach
  void dropTables() {
    TestDatabases.dropTables();
    unreachable.forEach(HikariDataSource::close);
    unreachable.clear();
  }

  @Override
  protected ReferenceRepository createRepository(StoreOptions options) {
    return TestDatabases.repository(dialect, options);
  }

  @Override
  protected void writeRawPayload(ReferenceKey key, String payload) {
    TestDatabases.overwritePayload(dialect, (JdbcReferenceRepository) repository, key, payload);
  }

  @Override
  protected String readRawPayload(ReferenceKey key) {
    return TestDatabases.readPayload(dialect, (JdbcReferenceRepository) repository, key);
  }

  @Override
  protected Optional<ReferenceRepository> createRepositoryWithoutTable() {
    return Optional.of(
        JdbcReferenceRepository.builder(TestDatabases.dataSource(dialect))
            .tableName(TestDatabases.freshTableName(dialect))
            .build());
  }

  /**
   * A pool whose URL points at a closed loopback port (PostgreSQL, MariaDB, H2 in server mode) or,
   * for the embedded SQLite, at a file in a directory that does not exist.
   */
  @Override
  protected ReferenceRepository createUnreachableRepository(Duration timeout) {
    int port = closedLoopbackPort();
    HikariConfig config = new HikariConfig();
    config.setPoolName(
        "beckon-test-unreachable-" + dialect.name().toLowerCase(java.util.Locale.ROOT));
    config.setConnectionTimeout(timeout.toMillis());
    config.setInitializationFailTimeout(-1); // start without a connection: the calls fail instead
    config.setMaximumPoolSize(1);
    switch (dialect) {
      case POSTGRESQL -> {
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/test?connectTimeout=2");
        config.setUsername("postgres");
      }
      case MARIADB -> {
        config.setJdbcUrl("jdbc:mariadb://127.0.0.1:" + port + "/test?connectTimeout=2000");
        config.setUsername("test");
      }
      case H2 -> {
        config.setJdbcUrl("jdbc:h2:tcp://127.0.0.1:" + port + "/./unreachable");
        config.setUsername("sa");
      }
      case SQLITE ->
          config.setJdbcUrl(
              "jdbc:sqlite:"
                  + new File("target/no-such-directory/unreachable.db").getAbsolutePath());
      default -> throw new IllegalStateException();
    }
    HikariDataSource ds = new HikariDataSource(config);
    unreachable.add(ds);
    return JdbcReferenceRepository.builder(ds)
        .dialect(dialect)
        .tableName("beckon_unreachable")
        .build();
  }
}
