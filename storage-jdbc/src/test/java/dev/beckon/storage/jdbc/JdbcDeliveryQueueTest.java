package dev.beckon.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.Delivery;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What only the JDBC queue does: the transactional outbox and SKIP LOCKED claims. */
class JdbcDeliveryQueueTest {

  private static final ReferenceKey TO = ReferenceKey.of("msteams", "a:outbox");

  @AfterEach
  void drop() {
    TestDatabases.dropTables();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void scheduleInsideTheCallersTransactionCommitsAndRollsBackWithIt(Dialect dialect)
      throws SQLException {
    JdbcDeliveryQueue queue = TestDatabases.deliveryQueue(dialect, Clock.systemUTC());
    String jobs = TestDatabases.freshTableName(dialect);
    TestDatabases.execute(dialect, "CREATE TABLE " + jobs + " (id VARCHAR(20) PRIMARY KEY)");
    try (Connection c = TestDatabases.dataSource(dialect).getConnection()) {
      c.setAutoCommit(false);
      insertJob(c, jobs, "rolled");
      assertThat(queue.schedule(c, TO, Activity.message("no"), Instant.now(), "rolled")).isTrue();
      c.rollback();

      insertJob(c, jobs, "done");
      assertThat(queue.schedule(c, TO, Activity.message("yes"), Instant.now(), "done")).isTrue();
      assertThat(queue.schedule(c, TO, Activity.message("again"), Instant.now(), "done"))
          .as("a duplicate key inside the transaction does not abort it")
          .isFalse();
      if (dialect != Dialect.SQLITE) { // SQLite: one connection, the pool's only one is ours
        assertThat(queue.status("done")).as("invisible before the commit").isEmpty();
      }
      c.commit();
      c.setAutoCommit(true);
    }
    assertThat(queue.status("rolled")).isEmpty();
    assertThat(queue.status("done").orElseThrow().state()).isEqualTo(DeliveryState.PENDING);
    assertThat(count(dialect, jobs)).isEqualTo(1);
    List<Delivery> claimed = queue.claim("w", 10, Duration.ofMinutes(1));
    assertThat(claimed).extracting(d -> d.activity().text()).containsExactly("yes");
  }

  /**
   * While one transaction holds a row FOR UPDATE (a claim in progress on another worker), a claim
   * skips it and takes the next row instead of waiting. On MariaDB this works only because the
   * schema's index serves the claim's ORDER BY; the test also checks that the index is there.
   */
  @ParameterizedTest
  @EnumSource(
      value = Dialect.class,
      names = {"POSTGRESQL", "MARIADB"})
  @Timeout(30)
  void aClaimSkipsRowsAnotherClaimHolds(Dialect dialect) throws SQLException {
    JdbcDeliveryQueue queue = TestDatabases.deliveryQueue(dialect, Clock.systemUTC());
    Instant t = Instant.now().minusSeconds(60);
    queue.schedule(TO, Activity.message("first"), t, "first");
    queue.schedule(TO, Activity.message("second"), t.plusSeconds(1), "second");
    try (Connection holder = TestDatabases.dataSource(dialect).getConnection()) {
      holder.setAutoCommit(false);
      try (Statement st = holder.createStatement()) {
        if (dialect == Dialect.MARIADB) {
          st.execute("SET SESSION innodb_lock_wait_timeout = 20");
        }
        try (ResultSet rs =
            st.executeQuery(
                "SELECT delivery_key FROM "
                    + queue.tableName()
                    + " WHERE state = 'PENDING' ORDER BY state, not_before, key_hash LIMIT 1"
                    + " FOR UPDATE SKIP LOCKED")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("first");
        }
      }
      List<Delivery> claimed = queue.claim("other", 2, Duration.ofMinutes(1));
      assertThat(claimed).extracting(Delivery::deliveryKey).containsExactly("second");
      holder.rollback();
    }
    assertThat(queue.claim("w", 2, Duration.ofMinutes(1)))
        .extracting(Delivery::deliveryKey)
        .containsExactly("first");
    if (dialect == Dialect.MARIADB) {
      try (Connection c = TestDatabases.dataSource(dialect).getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SHOW INDEX FROM " + queue.tableName())) {
        StringBuilder due = new StringBuilder();
        while (rs.next()) {
          if (rs.getString("Key_name").endsWith("_due")) {
            due.append(rs.getString("Column_name")).append(',');
          }
        }
        assertThat(due.toString()).isEqualTo("state,not_before,key_hash,");
      }
    }
  }

  @Test
  void aMissingTableNamesTheCallThatCreatesIt() {
    JdbcDeliveryQueue queue =
        JdbcDeliveryQueue.builder(TestDatabases.dataSource(Dialect.H2))
            .tableName(TestDatabases.freshTableName(Dialect.H2))
            .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> queue.status("k"))
        .isInstanceOf(dev.beckon.store.TableMissingException.class)
        .hasMessageContaining("createSchema()");
    assertThat(queue.schemaScript()).contains("CREATE TABLE IF NOT EXISTS " + queue.tableName());
  }

  private static void insertJob(Connection c, String table, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (id) VALUES (?)")) {
      ps.setString(1, id);
      ps.executeUpdate();
    }
  }

  private static int count(Dialect dialect, String table) throws SQLException {
    try (Connection c = TestDatabases.dataSource(dialect).getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
