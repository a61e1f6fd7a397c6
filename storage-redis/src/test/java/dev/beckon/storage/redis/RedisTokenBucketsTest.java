package dev.beckon.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.broadcast.RateLimit;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.broadcast.SendLimiter;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * What only {@link RedisTokenBuckets} does, on the real Redis: a key expires once its bucket is
 * full again, and a key of another type is refused and deleted. The rest of what a token bucket
 * store must do is {@link RedisTokenBucketsContractTest} (the testkit's contract).
 */
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
  void theKeyExpiresOnceTheBucketIsFullAgain() {
    assertThat(limiter.tryAcquire(c, null)).isZero();
    assertThat(REDIS.pttl(key))
        .as("expires once full again (one token short: 10 min x 1.1 / 18), plus 10 s")
        .isPositive()
        .isLessThanOrEqualTo(Duration.ofSeconds(50).toMillis());
  }

  @Test
  void aKeyOfAnotherTypeIsRefusedAndDeleted() {
    assertThat(limiter.tryAcquire(c, null)).isZero();
    byte[] good = REDIS.get(key);
    REDIS.del(key);
    REDIS.hset(key, "f".getBytes(StandardCharsets.UTF_8), good);
    assertThatThrownBy(() -> limiter.tryAcquire(c, null))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("bucket key '" + prefix + ":c:" + c.hash() + "' is unreadable")
        .hasMessageContaining("it is not a string");
    assertThat(REDIS.exists(key)).as("the unreadable key is deleted").isFalse();
    assertThat(limiter.tryAcquire(c, null)).as("and the bucket starts afresh").isZero();
  }
}
