package dev.beckon.storage.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.broadcast.SendLimiter;
import dev.beckon.broadcast.TokenBucket;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.StoreException;
import dev.beckon.store.TableMissingException;
import io.github.bucket4j.BucketState;
import io.github.bucket4j.MathType;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.github.bucket4j.distributed.remote.RemoteStat;
import io.github.bucket4j.distributed.serialization.InternalSerializationHelper;
import io.github.bucket4j.distributed.versioning.Versions;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link DynamoDbTokenBuckets} on dynalite: limits, racing threads, the table's lifecycle, and
 * hostile items (each one deleted with a {@link StoreException}, the next call full).
 */
class DynamoDbTokenBucketsTest {

  /** 20 per 10 minutes per conversation: capacity 2, so the third send at once is refused. */
  private static final RateProfile SLOW =
      new RateProfile(null, null, List.of(RateLimit.of(20, Duration.ofMinutes(10))), 4);

  private static final List<TokenBucket> THREE =
      List.of(new TokenBucket(3, 1, Duration.ofSeconds(1)));

  @AfterEach
  void drop() {
    Dynalite.dropTables();
  }

  private static DynamoDbTokenBuckets buckets() {
    DynamoDbTokenBuckets b =
        DynamoDbTokenBuckets.builder(Dynalite.CLIENT)
            .tableName(Dynalite.freshTableName())
            .requestTimeout(Duration.ofSeconds(30)) // dynalite on a loaded machine
            .build();
    assertThat(b.createTable()).isTrue();
    assertThat(b.createTable()).as("idempotent").isFalse();
    return b;
  }

  @Test
  void aConversationsBurstIsItsCapacityAndADenialSaysHowLong() {
    SendLimiter l = SendLimiter.fleet(buckets(), "t", SLOW, 0.1);
    ReferenceKey c = ReferenceKey.of("msteams", "c");
    assertThat(l.tryAcquire(c, null)).isZero();
    assertThat(l.tryAcquire(c, null)).isZero();
    Duration wait = l.tryAcquire(c, null);
    assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(2));
    assertThat(l.tryAcquire(ReferenceKey.of("msteams", "other"), null)).isZero();
  }

  @Test
  void twoProcessesWorthOfBucketsShareOneLimit() {
    DynamoDbTokenBuckets one = buckets();
    DynamoDbTokenBuckets two =
        DynamoDbTokenBuckets.builder(Dynalite.CLIENT).tableName(one.tableName()).build();
    assertThat(one.tryTake("b", THREE)).isZero();
    assertThat(two.tryTake("b", THREE)).isZero();
    assertThat(one.tryTake("b", THREE)).isZero();
    assertThat(two.tryTake("b", THREE)).isPositive();
    two.giveBack("b", THREE);
    assertThat(one.tryTake("b", THREE)).as("the token given back").isZero();
  }

  @Test
  void racingThreadsNeverTakeMoreThanTheCapacity() throws Exception {
    SendLimiter l = SendLimiter.fleet(buckets(), "t", SLOW, 0.1);
    ReferenceKey c = ReferenceKey.of("msteams", "hot");
    AtomicInteger granted = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
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

  @Test
  void aMissingTableNamesTheCallThatCreatesIt() {
    DynamoDbTokenBuckets b =
        DynamoDbTokenBuckets.builder(Dynalite.CLIENT).tableName(Dynalite.freshTableName()).build();
    assertThatThrownBy(() -> b.tryTake("b", THREE))
        .isInstanceOf(TableMissingException.class)
        .hasMessageContaining(b.tableName())
        .hasMessageContaining("DynamoDbTokenBuckets.createTable()");
  }

  @Test
  void theBuilderRefusesWhatDynamoDbWould() {
    DynamoDbTokenBuckets.Builder b = DynamoDbTokenBuckets.builder(Dynalite.CLIENT);
    assertThatThrownBy(() -> b.tableName("ab")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.tableName("a b c")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(b.build()).hasToString("DynamoDbTokenBuckets[table beckon_rate_limits]");
  }

  @Test
  void anItemIsWrittenAsDocumented() {
    DynamoDbTokenBuckets b = buckets();
    long before = Instant.now().getEpochSecond();
    b.tryTake("b", THREE);
    Map<String, AttributeValue> item = item(b, "b");
    assertThat(item.keySet()).containsExactlyInAnyOrder("name", "state", "version", "expiresAt");
    assertThat(item.get("version").n()).isEqualTo("1");
    assertThat(item.get("state").b().asByteArray().length)
        .isBetween(1, DynamoDbTokenBuckets.MAX_STATE_BYTES);
    // one token short of 3 refills in 1 s; plus 10 s
    assertThat(Long.parseLong(item.get("expiresAt").n())).isBetween(before + 10, before + 13);
    b.tryTake("b", THREE);
    assertThat(item(b, "b").get("version").n()).isEqualTo("2");
  }

  @Test
  void purgeExpiredDeletesTheBucketsThatAreFullAgain() {
    DynamoDbTokenBuckets b = buckets();
    b.tryTake("b", THREE);
    assertThat(b.purgeExpired()).isZero();
    DynamoDbTokenBuckets later =
        DynamoDbTokenBuckets.builder(Dynalite.CLIENT)
            .tableName(b.tableName())
            .clock(Clock.fixed(Instant.now().plusSeconds(60), ZoneOffset.UTC))
            .build();
    assertThat(later.purgeExpired()).isEqualTo(1);
    assertThat(item(b, "b")).isEmpty();
  }

  // ------------------------------------------------------------------ hostile items

  @Test
  void hostileItemsAreDeletedWithAStoreExceptionAndTheNextCallIsFull() {
    DynamoDbTokenBuckets b = buckets();
    b.tryTake("good", THREE);
    byte[] good = item(b, "good").get("state").b().asByteArray();
    byte[] hugeArray = good.clone();
    // every 4-byte window after the header claiming Integer.MAX_VALUE: one of them is an array's
    // length; none may allocate or hang
    List<Map<String, AttributeValue>> hostile = new ArrayList<>();
    hostile.add(Map.of("state", AttributeValue.fromS("not binary"), "version", n("1")));
    hostile.add(Map.of("state", bytes(new byte[5000]), "version", n("1")));
    hostile.add(Map.of("state", bytes(good), "version", AttributeValue.fromS("1")));
    hostile.add(Map.of("state", bytes(good), "version", n("-1")));
    hostile.add(Map.of("state", bytes(good)));
    hostile.add(
        Map.of("state", bytes(new byte[] {0, 0, 0, 1, 0x7f, -1, -1, -1}), "version", n("1")));
    hostile.add(Map.of("state", bytes(new byte[0]), "version", n("1")));
    for (int at = 0; at + 4 <= hugeArray.length; at++) {
      byte[] s = good.clone();
      ByteBuffer.wrap(s).putInt(at, Integer.MAX_VALUE);
      if (!java.util.Arrays.equals(s, good)) {
        hostile.add(Map.of("state", bytes(s), "version", n("1")));
      }
    }
    hostile.add(Map.of("state", bytes(stateOf(good, Duration.ofDays(365), 0)), "version", n("1")));
    hostile.add(Map.of("state", bytes(stateOf(good, Duration.ZERO, 1000)), "version", n("1")));
    hostile.add(
        Map.of(
            "state",
            bytes(otherLimits(b, List.of(new TokenBucket(30, 1, Duration.ofSeconds(1))))),
            "version",
            n("1")));
    int refused = 0;
    for (Map<String, AttributeValue> h : hostile) {
      put(b, "h", h);
      try {
        long wait = b.tryTake("h", THREE);
        // accepted: it was a state Bucket4j can use; never more than a refill away
        assertThat(wait).isLessThanOrEqualTo(Duration.ofSeconds(61).toNanos());
      } catch (StoreException e) {
        refused++;
        assertThat(e).hasMessageContaining("bucket item h was deleted");
        assertThat(item(b, "h")).isEmpty();
        assertThat(b.tryTake("h", THREE)).as("the next call starts it full").isZero();
        assertThat(b.tryTake("h", THREE)).isZero();
        assertThat(b.tryTake("h", THREE)).isZero();
        assertThat(b.tryTake("h", THREE)).as("and its capacity holds").isPositive();
      }
    }
    assertThat(refused).as("the named hostile items are all refused").isGreaterThanOrEqualTo(10);
  }

  @Test
  void theChecksNameWhatIsWrong() {
    DynamoDbTokenBuckets b = buckets();
    b.tryTake("good", THREE);
    byte[] good = item(b, "good").get("state").b().asByteArray();
    long now = System.currentTimeMillis() * 1_000_000;
    DynamoDbTokenBuckets.Limits limits =
        new DynamoDbTokenBuckets.Limits(THREE, Versions.getLatest(), now);
    assertThat(DynamoDbTokenBuckets.problem(good, limits, now)).isNull();
    assertThat(DynamoDbTokenBuckets.problem(new byte[5000], limits, now)).contains("over 4096");
    assertThat(DynamoDbTokenBuckets.problem(new byte[3], limits, now))
        .contains("not one of these limits");
    assertThat(DynamoDbTokenBuckets.problem(stateOf(good, Duration.ofDays(365), 0), limits, now))
        .contains("does not refill");
    assertThat(DynamoDbTokenBuckets.problem(stateOf(good, Duration.ZERO, 1000), limits, now))
        .contains("does not refill");
    byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
    assertThat(DynamoDbTokenBuckets.problem(longer, limits, now)).contains("after its end");
    byte[] shorter = java.util.Arrays.copyOf(good, good.length - 1);
    assertThat(DynamoDbTokenBuckets.problem(shorter, limits, now)).contains("does not parse");
  }

  /** A state of the same limits as {@code good}: refilled {@code ahead} in the future, +tokens. */
  static byte[] stateOf(byte[] good, Duration ahead, long extraTokens) {
    RemoteBucketState parsed = InternalSerializationHelper.deserializeState(good);
    long now = System.currentTimeMillis() * 1_000_000 + ahead.toNanos();
    BucketState s =
        BucketState.createInitialState(parsed.getConfiguration(), MathType.INTEGER_64_BITS, now);
    s.consume(1);
    if (extraTokens > 0) {
      s.forceAddTokens(extraTokens);
    }
    return InternalSerializationHelper.serializeState(
        new RemoteBucketState(s, new RemoteStat(0), null), Versions.getLatest());
  }

  private static byte[] otherLimits(DynamoDbTokenBuckets b, List<TokenBucket> limits) {
    b.tryTake("other", limits);
    return item(b, "other").get("state").b().asByteArray();
  }

  private static AttributeValue n(String v) {
    return AttributeValue.fromN(v);
  }

  private static AttributeValue bytes(byte[] b) {
    return AttributeValue.fromB(SdkBytes.fromByteArray(b));
  }

  static void put(DynamoDbTokenBuckets b, String name, Map<String, AttributeValue> attributes) {
    Map<String, AttributeValue> item = new java.util.HashMap<>(attributes);
    item.put("name", AttributeValue.fromS(name));
    Dynalite.CLIENT.putItem(r -> r.tableName(b.tableName()).item(item));
  }

  static Map<String, AttributeValue> item(DynamoDbTokenBuckets b, String name) {
    return Dynalite.CLIENT
        .getItem(
            r ->
                r.tableName(b.tableName())
                    .key(Map.of("name", AttributeValue.fromS(name)))
                    .consistentRead(true))
        .item();
  }
}
