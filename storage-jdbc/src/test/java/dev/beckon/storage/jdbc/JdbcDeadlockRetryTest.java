package dev.beckon.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.reference.ConversationReference;
import dev.beckon.retry.RetryCause;
import dev.beckon.retry.RetryEvent;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.store.StoreOptions;
import dev.beckon.testkit.SampleReferences;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store retries go through the user's {@link StoreOptions#retry()}: a real PostgreSQL deadlock
 * between the repository's {@code saveAll} and another connection is retried, and the strategy's
 * listener hears it.
 */
class JdbcDeadlockRetryTest {

  @AfterEach
  void dropTables() {
    TestDatabases.dropTables();
  }

  @Test
  @Timeout(60)
  void aDeadlockIsRetriedAndTheUsersListenerHearsIt() throws Exception {
    List<RetryEvent> heard = new CopyOnWriteArrayList<>();
    StoreOptions options =
        StoreOptions.defaults()
            .withRetry(StoreOptions.DEFAULT_RETRY.toBuilder().listener(heard::add).build());
    // the repository's sessions find the deadlock 2 s after they start waiting, the other
    // connection never: the repository's statement is the one PostgreSQL rolls back
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(
        TestDatabases.setting(
            "beckon.postgres.url", "BECKON_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
    ds.setUser(TestDatabases.setting("beckon.postgres.user", "BECKON_POSTGRES_USER", "postgres"));
    ds.setPassword(
        TestDatabases.setting("beckon.postgres.password", "BECKON_POSTGRES_PASSWORD", ""));
    ds.setOptions("-c deadlock_timeout=2s");
    String table = TestDatabases.freshTableName(Dialect.POSTGRESQL);
    JdbcReferenceRepository repo =
        JdbcReferenceRepository.builder(ds).tableName(table).options(options).build();
    repo.createSchema();
    ConversationReference x = SampleReferences.reference("msteams", "deadlock-x", null);
    ConversationReference y = SampleReferences.reference("msteams", "deadlock-y", null);
    repo.saveAll(List.of(x, y));

    try (Connection other = TestDatabases.dataSource(Dialect.POSTGRESQL).getConnection()) {
      other.setAutoCommit(false);
      try (Statement st = other.createStatement()) {
        st.execute("SET LOCAL deadlock_timeout = '60s'");
      }
      touch(other, table, y); // the other connection holds y
      // saveAll locks x, then waits for y
      CompletableFuture<?> saving =
          CompletableFuture.runAsync(
              () ->
                  repo.saveAll(
                      List.of(
                          SampleReferences.reference("msteams", "deadlock-x", "t-new"),
                          SampleReferences.reference("msteams", "deadlock-y", "t-new"))));
      awaitWaitingForALock(table);
      touch(other, table, x); // waits for x: a deadlock, which rolls the saveAll back
      other.commit(); // the retried saveAll goes on
      saving.get(30, TimeUnit.SECONDS);
    }

    assertThat(heard).hasSize(1);
    RetryEvent e = heard.get(0);
    assertThat(e.operation()).isEqualTo("jdbc.saveAll");
    assertThat(e.cause()).isEqualTo(RetryCause.TRANSIENT);
    assertThat(e.reason()).isEqualTo("SQLState 40P01");
    assertThat(e.failedAttempt()).isEqualTo(1);
    assertThat(repo.find(x.key()).orElseThrow().reference().conversation().tenantId())
        .isEqualTo("t-new");
    assertThat(repo.find(y.key()).orElseThrow().reference().conversation().tenantId())
        .isEqualTo("t-new");
  }

  private static void touch(Connection c, String table, ConversationReference ref)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE " + table + " SET updated_at = 1 WHERE key_hash = ?")) {
      ps.setString(1, ref.key().hash());
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  /**
   * Polls, in transactions of its own (a transaction sees one snapshot of the statistics), until a
   * session waits for a row lock on the table; the test's timeout bounds it.
   */
  private static void awaitWaitingForALock(String table) throws Exception {
    String sql =
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            + " AND query LIKE '%' || ? || '%' AND pid <> pg_backend_pid()";
    while (true) {
      try (Connection c = TestDatabases.dataSource(Dialect.POSTGRESQL).getConnection();
          PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, table);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getInt(1) > 0) {
            return;
          }
        }
      }
      Thread.sleep(10);
    }
  }
}
