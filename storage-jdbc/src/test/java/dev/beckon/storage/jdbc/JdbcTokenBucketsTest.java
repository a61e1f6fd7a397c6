package dev.beckon.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.broadcast.SendLimiter;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.store.StoreException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What only {@link JdbcTokenBuckets} does, on the real databases: an unreadable row's message names
 * the table and the row, the purge of expired rows as the buckets are used, a batch per interval,
 * and the caller's own purge. The rest of what a token bucket store must do is {@link
 * JdbcTokenBucketsContractTest} (the testkit's contract).
 */
class JdbcTokenBucketsTest {

  @AfterEach
  void drop() {
    TestDatabases.dropTables();
  }

  /** 2 per 10 minutes per conversation: capacity 1, so the second send at once is refused. */
  private static final RateProfile SLOW =
      new RateProfile(null, null, List.of(RateLimit.of(20, Duration.ofMinutes(10))), 4);

  private static int count(Dialect d, String table, String where) throws Exception {
    try (java.sql.Connection c = TestDatabases.dataSource(d).getConnection();
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static int rows(Dialect d, String table) throws Exception {
    try (java.sql.Connection c = TestDatabases.dataSource(d).getConnection();
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"POSTGRESQL", "MARIADB", "H2", "SQLITE"})
  void expiredRowsArePurgedAsTheBucketsAreUsedABatchPerInterval(Dialect d) throws Exception {
    dev.beckon.testkit.MutableClock clock = dev.beckon.testkit.MutableClock.now();
    JdbcTokenBuckets b =
        JdbcTokenBuckets.builder(TestDatabases.dataSource(d))
            .tableName(TestDatabases.freshTableName(d))
            .clock(clock)
            .build();
    b.createSchema();
    // 1,200 conversations sent to long ago (expired), and one whose bucket is still filling
    int old = JdbcTokenBuckets.PURGE_BATCH + 200;
    try (java.sql.Connection c = TestDatabases.dataSource(d).getConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + b.tableName()
                    + " (name, state, version, expires_at) VALUES (?, ?, 1, ?)")) {
      for (int i = 0; i < old; i++) {
        ps.setString(1, "t:c:old" + i);
        ps.setBytes(2, new byte[] {1});
        ps.setLong(3, clock.millis() - 1);
        ps.addBatch();
      }
      ps.setString(1, "t:c:live");
      ps.setBytes(2, new byte[] {1});
      ps.setLong(3, clock.millis() + Duration.ofHours(1).toMillis());
      ps.addBatch();
      ps.executeBatch();
    }
    SendLimiter l = SendLimiter.fleet(b, "t", SLOW, 0.1);
    // the first take purges one batch (and writes its own row)
    assertThat(l.tryAcquire(ReferenceKey.of("msteams", "a"), null)).isZero();
    assertThat(rows(d, b.tableName())).isEqualTo(old - JdbcTokenBuckets.PURGE_BATCH + 2);
    // within the interval, no purge
    clock.advance(Duration.ofSeconds(30));
    assertThat(l.tryAcquire(ReferenceKey.of("msteams", "b"), null)).isZero();
    assertThat(rows(d, b.tableName())).isEqualTo(old - JdbcTokenBuckets.PURGE_BATCH + 3);
    // an interval later, the rest of the expired rows go; live buckets stay
    clock.advance(Duration.ofSeconds(31));
    assertThat(l.tryAcquire(ReferenceKey.of("msteams", "c"), null)).isZero();
    assertThat(count(d, b.tableName(), "name LIKE 't:c:old%'")).isZero();
    assertThat(count(d, b.tableName(), "name = 't:c:live'")).isOne();
    assertThat(count(d, b.tableName(), "expires_at >= " + clock.millis()))
        .as("every bucket still filling is kept")
        .isEqualTo(rows(d, b.tableName()));
  }

  @ParameterizedTest
  @EnumSource(names = {"POSTGRESQL", "MARIADB"})
  void aZeroPurgeIntervalLeavesPurgingToTheCaller(Dialect d) throws Exception {
    dev.beckon.testkit.MutableClock clock = dev.beckon.testkit.MutableClock.now();
    JdbcTokenBuckets b =
        JdbcTokenBuckets.builder(TestDatabases.dataSource(d))
            .tableName(TestDatabases.freshTableName(d))
            .clock(clock)
            .purgeInterval(Duration.ZERO)
            .build();
    b.createSchema();
    SendLimiter l = SendLimiter.fleet(b, "t", SLOW, 0.1);
    l.tryAcquire(ReferenceKey.of("msteams", "a"), null);
    clock.advance(Duration.ofHours(1));
    l.tryAcquire(ReferenceKey.of("msteams", "b"), null);
    assertThat(rows(d, b.tableName())).isEqualTo(2);
    assertThat(b.purgeExpired()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(names = {"POSTGRESQL", "SQLITE"})
  void anUnreadableRowIsNamedAsARowOfTheTable(Dialect d) throws Exception {
    JdbcTokenBuckets b =
        JdbcTokenBuckets.builder(TestDatabases.dataSource(d))
            .tableName(TestDatabases.freshTableName(d))
            .build();
    b.createSchema();
    SendLimiter l = SendLimiter.fleet(b, "t", SLOW, 0.1);
    ReferenceKey c = ReferenceKey.of("msteams", "c");
    assertThat(l.tryAcquire(c, null)).isZero();
    TestDatabases.execute(
        d,
        "UPDATE "
            + b.tableName()
            + " SET state = "
            + (d == Dialect.POSTGRESQL ? "'\\x00ff'::bytea" : "X'00ff'"));
    assertThatThrownBy(() -> l.tryAcquire(c, null))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("JdbcTokenBuckets[" + b.tableName() + ", " + d + "] tryTake failed")
        .hasMessageContaining(
            "bucket row 't:c:" + c.hash() + "' is unreadable (its 2 bytes are not")
        .hasMessageEndingWith("; it was deleted");
    assertThat(rows(d, b.tableName())).isZero();
    assertThat(b.purgeExpired()).isZero();
  }
}
