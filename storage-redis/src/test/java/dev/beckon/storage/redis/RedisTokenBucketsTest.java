package dev.beckon.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.broadcast.SendLimiter;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** {@link RedisTokenBuckets} on the real Redis: limits, racing processes' threads, hostile keys. */
class RedisTokenBucketsTest {

  private static final RedisClient REDIS = RedisServer.client();

  /** 20 per 10 minutes per conversation, headroom 0.1: a burst of 2, then a wait. */
  private static final RateProfile SLOW =
      new RateProfile(null, null, List.of(RateLimit.of(20, Duration.ofMinutes(10))), 4);

  private final String prefix = "rtb" + UUID.randomUUID().toString().substring(0, 8);
  private final SendLimiter limiter =
      SendLimiter.fleet(RedisTokenBuckets.over(REDIS), prefix, SLOW, 0.1);
  private final ReferenceKey c = ReferenceKey.of("msteams", "c");
  private final byte[] key = (prefix + ":c:" + c.hash()).getBytes(StandardCharsets.UTF_8);

  @AfterEach
  void clean() {
    RedisServer.deletePrefix(REDIS, prefix);
  }

  @Test
  void aConversationsBurstIsItsCapacityAndTheKeyExpires() {
    assertThat(limiter.tryAcquire(c, null)).isZero();
    assertThat(limiter.tryAcquire(c, null)).isZero();
    assertThat(limiter.tryAcquire(c, null)).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(2));
    assertThat(limiter.tryAcquire(ReferenceKey.of("msteams", "other"), null)).isZero();
    assertThat(REDIS.pttl(key)).as("expires once full again, plus 10 s").isPositive();
  }

  @Test
  void racingThreadsNeverTakeMoreThanTheCapacity() throws Exception {
    AtomicInteger granted = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      // every thread its own instance, as separate processes would have
      SendLimiter own = SendLimiter.fleet(RedisTokenBuckets.over(REDIS), prefix, SLOW, 0.1);
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < 5; i++) {
                  if (own.tryAcquire(c, null).isZero()) {
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

  /** Puts a value in the bucket's key, then: the next call fails naming it, then starts afresh. */
  private void assertUnreadable(Runnable write, String says) {
    write.run();
    assertThatThrownBy(() -> limiter.tryAcquire(c, null))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("bucket key '" + prefix + ":c:" + c.hash() + "'")
        .hasMessageContaining(says);
    assertThat(REDIS.exists(key)).as("the unreadable key is deleted").isFalse();
    assertThat(limiter.tryAcquire(c, null)).as("and the bucket starts afresh").isZero();
  }

  private void put(byte[] value) {
    REDIS.set(key, value);
  }

  @Test
  void aHostileKeyFailsNamingTheKeyAndNeverGrants() {
    assertThat(limiter.tryAcquire(c, null)).isZero();
    byte[] good = REDIS.get(key);
    assertUnreadable(() -> put(new byte[] {0, (byte) 0xff}), "are not a Bucket4j state");
    assertUnreadable(() -> put(new byte[0]), "are not a Bucket4j state");
    // a count of two billion limits in 12 bytes: Bucket4j would allocate for them
    byte[] huge = ByteBuffer.allocate(12).putInt(1).putInt(1).putInt(Integer.MAX_VALUE).array();
    assertUnreadable(() -> put(huge), "are not a Bucket4j state");
    // the same shape with a capacity of a billion is another configuration
    byte[] foreign = REDIS.get(key).clone();
    foreign[20] ^= 0x40;
    assertUnreadable(() -> put(foreign), "are not a Bucket4j state");
    // the right shape holding more tokens than the capacity
    byte[] rich = REDIS.get(key).clone();
    ByteBuffer.wrap(rich).putLong(rich.length - 12 - 16, 1_000_000_000L);
    assertUnreadable(() -> put(rich), "tokens (capacity");
    // the right shape, last refilled a day from now
    byte[] ahead = REDIS.get(key).clone();
    ByteBuffer.wrap(ahead)
        .putLong(
            ahead.length - 12 - 24,
            System.currentTimeMillis() * 1_000_000L + Duration.ofDays(1).toNanos());
    assertUnreadable(() -> put(ahead), "last refilled in the future");
    // a megabyte: measured by Redis, never sent
    assertUnreadable(() -> put(new byte[1 << 20]), "holds 1048576 bytes (at most 4096 are read)");
    // another type
    assertUnreadable(
        () -> {
          REDIS.del(key);
          REDIS.hset(key, "f".getBytes(StandardCharsets.UTF_8), good);
        },
        "it is not a string");
    // a good state put back reads as what it is
    put(good);
    assertThat(limiter.tryAcquire(c, null)).isZero();
  }
}
