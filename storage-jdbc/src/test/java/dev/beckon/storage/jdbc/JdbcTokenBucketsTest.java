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

/** {@link JdbcTokenBuckets} on the real databases: limits, concurrency, hostile rows. */
class JdbcTokenBucketsTest {

  @AfterEach
  void drop() {
    TestDatabases.dropTables();
  }

  private static JdbcTokenBuckets buckets(Dialect d) {
    JdbcTokenBuckets b =
        JdbcTokenBuckets.builder(TestDatabases.dataSource(d))
            .tableName(TestDatabases.freshTableName(d))
            .build();
    b.createSchema();
    b.createSchema(); // idempotent
    return b;
  }

  /** 2 per 10 minutes per conversation: capacity 1, so the second send at once is refused. */
  private static final RateProfile SLOW =
      new RateProfile(null, null, List.of(RateLimit.of(20, Duration.ofMinutes(10))), 4);

  @ParameterizedTest
  @EnumSource(names = {"POSTGRESQL", "MARIADB", "H2", "SQLITE"})
  void aConversationsBurstIsItsCapacityAndADenialSaysHowLong(Dialect d) {
    SendLimiter l = SendLimiter.fleet(buckets(d), "t", SLOW, 0.1);
    ReferenceKey c = ReferenceKey.of("msteams", "c");
    assertThat(l.tryAcquire(c, null)).isZero();
    assertThat(l.tryAcquire(c, null)).isZero();
    Duration wait = l.tryAcquire(c, null);
    assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(2));
    assertThat(l.tryAcquire(ReferenceKey.of("msteams", "other"), null)).isZero();
  }

  @ParameterizedTest
  @EnumSource(names = {"POSTGRESQL", "MARIADB"})
  void racingThreadsNeverTakeMoreThanTheCapacity(Dialect d) throws Exception {
    JdbcTokenBuckets b = buckets(d);
    SendLimiter l = SendLimiter.fleet(b, "t", SLOW, 0.1);
    ReferenceKey c = ReferenceKey.of("msteams", "hot");
    java.util.concurrent.atomic.AtomicInteger granted =
        new java.util.concurrent.atomic.AtomicInteger();
    List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 6; t++) {
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < 5; i++) {
                  if (l.tryAcquire(c, null).isZero()) {
                    granted.incrementAndGet();
                  }
                }
              });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertThat(granted).hasValue(2);
  }

  private static String hex(Dialect d, byte[] bytes) {
    String h = java.util.HexFormat.of().formatHex(bytes);
    return d == Dialect.POSTGRESQL ? "'\\x" + h + "'::bytea" : "X'" + h + "'";
  }

  private static byte[] storedState(Dialect d, JdbcTokenBuckets b) throws Exception {
    try (java.sql.Connection c = TestDatabases.dataSource(d).getConnection();
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT state FROM " + b.tableName())) {
      assertThat(rs.next()).isTrue();
      return rs.getBytes(1);
    }
  }

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

  /**
   * Replaces the bucket's state, then asserts that the next call fails naming it, then recovers.
   */
  private static void assertUnreadable(
      Dialect d, JdbcTokenBuckets b, SendLimiter l, ReferenceKey c, String state, String says)
      throws Exception {
    TestDatabases.execute(d, "UPDATE " + b.tableName() + " SET state = " + state);
    assertThatThrownBy(() -> l.tryAcquire(c, null))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("bucket row 't:c:" + c.hash() + "'")
        .hasMessageContaining(says);
    assertThat(rows(d, b.tableName())).as("the unreadable row is deleted").isZero();
    assertThat(l.tryAcquire(c, null)).as("and the bucket starts afresh").isZero();
  }

  @ParameterizedTest
  @EnumSource(names = {"POSTGRESQL", "MARIADB", "H2", "SQLITE"})
  void aHostileRowFailsNamingTheBucketAndNeverGrants(Dialect d) throws Exception {
    JdbcTokenBuckets b = buckets(d);
    SendLimiter l = SendLimiter.fleet(b, "t", SLOW, 0.1);
    ReferenceKey c = ReferenceKey.of("msteams", "c");
    assertThat(l.tryAcquire(c, null)).isZero();
    byte[] good = storedState(d, b);
    // garbage, and nothing at all (these used to read as a full bucket: a silent grant)
    assertUnreadable(d, b, l, c, hex(d, new byte[] {0, (byte) 0xff}), "are not a Bucket4j state");
    assertUnreadable(d, b, l, c, hex(d, new byte[0]), "are not a Bucket4j state");
    // a count of two billion limits in 12 bytes: Bucket4j would allocate for them
    byte[] huge =
        java.nio.ByteBuffer.allocate(12).putInt(1).putInt(1).putInt(Integer.MAX_VALUE).array();
    assertUnreadable(d, b, l, c, hex(d, huge), "are not a Bucket4j state");
    // the same shape with another capacity (a billion sends) is another configuration
    byte[] foreign = good.clone();
    foreign[20] ^= 0x40; // inside the first limit's capacity
    assertUnreadable(d, b, l, c, hex(d, foreign), "are not a Bucket4j state");
    // a state of the right shape holding more tokens than the capacity
    byte[] rich = storedState(d, b).clone();
    int tokens = rich.length - 12 - 16; // the first limit's tokens: after its refill time
    java.nio.ByteBuffer.wrap(rich).putLong(tokens, 1_000_000_000L);
    assertUnreadable(d, b, l, c, hex(d, rich), "tokens (capacity");
    // more than 4 KiB: the database measures it, and it is never fetched
    // (MariaDB's column holds 8 KiB; the others a megabyte and more)
    int big = d == Dialect.MARIADB ? 8000 : 1_000_000;
    assertUnreadable(
        d,
        b,
        l,
        c,
        // (SQLite's statements are too short for a megabyte literal)
        d == Dialect.SQLITE ? "zeroblob(" + big + ")" : hex(d, new byte[big]),
        "holds " + big + " bytes (at most 4096 are read)");
    // a good state put back reads as what it is
    TestDatabases.execute(d, "UPDATE " + b.tableName() + " SET state = " + hex(d, good));
    assertThat(l.tryAcquire(c, null)).isZero();
    assertThat(b.purgeExpired()).isZero();
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
}
