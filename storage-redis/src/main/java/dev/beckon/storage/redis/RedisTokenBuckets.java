package dev.beckon.storage.redis;

import dev.beckon.broadcast.SendLimiter;
import dev.beckon.broadcast.TokenBucket;
import dev.beckon.broadcast.TokenBuckets;
import dev.beckon.store.spi.StoreErrors;
import io.github.bucket4j.BandwidthBuilder;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.serialization.Mapper;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Fleet-wide token buckets in Redis, kept by Bucket4j ({@code bucket4j_jdk17-jedis}, its
 * compare-and-swap Lua script): the {@link TokenBuckets} under {@link SendLimiter#fleet}. Every
 * process that uses the same Redis and the same limiter prefix shares the limits.
 *
 * <pre>{@code
 * SendLimiter limiter = SendLimiter.fleet(
 *     RedisTokenBuckets.over(redis), "mybot", RateProfile.teams(), 0.1);
 * DeliveryWorker.builder(queue, references, sender).limiter(limiter)...
 * }</pre>
 *
 * <p>One Redis string per bucket, named by the limiter (its prefix, then {@code :c:}, {@code :t:}
 * or {@code :g} and a SHA-256 hash), holding Bucket4j's serialized state; each expires once its
 * bucket would be full again (plus 10 s), so idle conversations and tenants cost nothing. Each
 * bucket is one key: on a Redis Cluster the buckets spread over the slots. Works with a {@code
 * RedisClient} or a {@code RedisClusterClient} (both are {@link UnifiedJedis}); the client is yours
 * and is never closed. Bucket4j's arithmetic runs on each process's clock: keep the clocks in step
 * (NTP). Thread-safe.
 */
public final class RedisTokenBuckets implements TokenBuckets {

  private final ProxyManager<String> buckets;
  private final Map<List<TokenBucket>, BucketConfiguration> configs = new ConcurrentHashMap<>();

  private RedisTokenBuckets(UnifiedJedis redis) {
    this.buckets =
        Bucket4jJedis.casBasedBuilder(redis)
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                    Duration.ofSeconds(10)))
            .keyMapper(Mapper.STRING)
            .build();
  }

  /**
   * Buckets over a Redis client.
   *
   * @param redis a {@code RedisClient} or {@code RedisClusterClient}; not closed by Beckon
   * @return the buckets
   */
  public static RedisTokenBuckets over(UnifiedJedis redis) {
    return new RedisTokenBuckets(java.util.Objects.requireNonNull(redis, "redis"));
  }

  @Override
  public long tryTake(String name, List<TokenBucket> limits) {
    try {
      ConsumptionProbe p =
          buckets.builder().build(name, () -> config(limits)).tryConsumeAndReturnRemaining(1);
      return p.isConsumed() ? 0 : Math.max(1, p.getNanosToWaitForRefill());
    } catch (JedisException e) {
      throw StoreErrors.failure(this, "tryTake", e);
    } catch (RuntimeException e) {
      throw unreadable(name, e);
    }
  }

  @Override
  public void giveBack(String name, List<TokenBucket> limits) {
    try {
      buckets.builder().build(name, () -> config(limits)).addTokens(1);
    } catch (JedisException e) {
      throw StoreErrors.failure(this, "giveBack", e);
    } catch (RuntimeException e) {
      throw unreadable(name, e);
    }
  }

  /**
   * Bucket4j could not read a stored state (a key written by something else): the key is deleted,
   * so the bucket starts afresh (full) at the next call, and this one fails.
   */
  private dev.beckon.store.StoreException unreadable(String name, RuntimeException e) {
    try {
      buckets.removeProxy(name);
    } catch (RuntimeException ignored) {
      // the failure below is what the caller hears
    }
    return StoreErrors.failure(this, "tryTake", "an unreadable bucket key was deleted", e);
  }

  private BucketConfiguration config(List<TokenBucket> limits) {
    return configs.computeIfAbsent(
        limits,
        l -> {
          ConfigurationBuilder b = BucketConfiguration.builder();
          for (TokenBucket t : l) {
            b.addLimit(
                BandwidthBuilder.builder()
                    .capacity(t.capacity())
                    .refillGreedy(t.refillTokens(), t.refillPeriod())
                    .build());
          }
          return b.build();
        });
  }

  @Override
  public String toString() {
    return "RedisTokenBuckets";
  }
}
