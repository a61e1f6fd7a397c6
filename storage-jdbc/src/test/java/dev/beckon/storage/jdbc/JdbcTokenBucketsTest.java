package dev.beckon.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.broadcast.SendLimiter;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
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

  @ParameterizedTest
  @EnumSource(names = {"POSTGRESQL", "MARIADB"})
  void anUnreadableRowIsReplacedByAFullBucket(Dialect d) {
    JdbcTokenBuckets b = buckets(d);
    SendLimiter l = SendLimiter.fleet(b, "t", SLOW, 0.1);
    ReferenceKey c = ReferenceKey.of("msteams", "c");
    l.tryAcquire(c, null);
    TestDatabases.execute(
        d,
        "UPDATE "
            + b.tableName()
            + " SET state = "
            + (d == Dialect.POSTGRESQL ? "'\\x00ff'" : "X'00FF'"));
    // Bucket4j cannot read it: this call fails with the documented exception (the worker then
    // waits 1 s), the row is dropped, and the next call starts a full bucket
    try {
      l.tryAcquire(c, null);
    } catch (RuntimeException e) {
      assertThat(e).isInstanceOf(dev.beckon.store.StoreException.class);
    }
    assertThat(l.tryAcquire(c, null)).isZero();
    TestDatabases.execute(
        d,
        "UPDATE "
            + b.tableName()
            + " SET state = "
            + (d == Dialect.POSTGRESQL ? "''::bytea" : "X''"));
    assertThat(l.tryAcquire(c, null)).as("an empty state reads as a full bucket").isZero();
    assertThat(b.purgeExpired()).isZero();
  }
}
