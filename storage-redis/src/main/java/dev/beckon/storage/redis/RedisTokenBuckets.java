package dev.beckon.storage.redis;

import dev.beckon.broadcast.SendLimiter;
import dev.beckon.broadcast.TokenBucket;
import dev.beckon.broadcast.TokenBuckets;
import dev.beckon.ratelimit.bucket4j.Bucket4jTokenBuckets;
import dev.beckon.ratelimit.bucket4j.BucketStateStore;
import dev.beckon.ratelimit.bucket4j.StoredState;
import dev.beckon.store.StoreException;
import dev.beckon.store.spi.StoreErrors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Fleet-wide token buckets in Redis, kept by Bucket4j: the {@link TokenBuckets} under {@link
 * SendLimiter#fleet}. Every process that uses the same Redis and the same limiter prefix shares the
 * limits.
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
 * and is never closed. Bucket4j computes every state (its compare-and-swap SPI, through {@code
 * Bucket4jTokenBuckets} of beckon-ratelimit-bucket4j); a Lua script writes a key only if it still
 * holds the state read. Bucket4j's arithmetic runs on each process's clock: keep the clocks in step
 * (NTP). Thread-safe.
 *
 * <p>A key is hostile input. A Lua script measures it and sends its value only when it is a string
 * of at most 4 KiB; the value is read only when it is a state this class writes for the same limits
 * (same size, same configuration, tokens within capacity). Any other key (too long, another type,
 * garbage, another configuration) fails the call with a {@link StoreException} naming the key, and
 * is deleted so that the bucket starts afresh (full) at the next call: nothing is granted on a key
 * that cannot be read.
 */
public final class RedisTokenBuckets implements TokenBuckets {

  /** Returns {kind, length[, value]}: kind 0 none, 1 a string sent, 2 another type, 3 too long. */
  private static final byte[] READ =
      ("local t = redis.call('type', KEYS[1]).ok "
              + "if t == 'none' then return {0, 0} end "
              + "if t ~= 'string' then return {2, 0} end "
              + "local n = redis.call('strlen', KEYS[1]) "
              + "if n > tonumber(ARGV[1]) then return {3, n} end "
              + "return {1, n, redis.call('get', KEYS[1])}")
          .getBytes(StandardCharsets.UTF_8);

  /** Creates the key if it is still missing. */
  private static final byte[] CREATE =
      "if redis.call('set', KEYS[1], ARGV[1], 'nx', 'px', ARGV[2]) then return 1 else return 0 end"
          .getBytes(StandardCharsets.UTF_8);

  /** Replaces the key if it still holds the state read. */
  private static final byte[] REPLACE =
      ("if redis.call('get', KEYS[1]) == ARGV[1] then "
              + "redis.call('psetex', KEYS[1], ARGV[3], ARGV[2]) return 1 else return 0 end")
          .getBytes(StandardCharsets.UTF_8);

  private final UnifiedJedis redis;
  private final Bucket4jTokenBuckets buckets;

  private RedisTokenBuckets(UnifiedJedis redis) {
    this.redis = redis;
    this.buckets = Bucket4jTokenBuckets.over(new Keys(), this, "key");
  }

  /**
   * Buckets over a Redis client.
   *
   * @param redis a {@code RedisClient} or {@code RedisClusterClient}; not closed by Beckon
   * @return the buckets
   */
  public static RedisTokenBuckets over(UnifiedJedis redis) {
    return new RedisTokenBuckets(Objects.requireNonNull(redis, "redis"));
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreException when Redis fails, or when the bucket's key cannot be read (see the class
   *     comment); the message names the key
   */
  @Override
  public long tryTake(String name, List<TokenBucket> limits) {
    return buckets.tryTake(name, limits);
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreException when Redis fails, or when the bucket's key cannot be read (see the class
   *     comment); the message names the key
   */
  @Override
  public void giveBack(String name, List<TokenBucket> limits) {
    buckets.giveBack(name, limits);
  }

  @Override
  public String toString() {
    return "RedisTokenBuckets";
  }

  /** One Lua script per read and per write, a {@code DEL} per delete. */
  private final class Keys implements BucketStateStore {

    @Override
    public StoredState read(String name) {
      Object answer =
          redis.eval(
              READ,
              1,
              name.getBytes(StandardCharsets.UTF_8),
              Integer.toString(Bucket4jTokenBuckets.MAX_STATE_BYTES)
                  .getBytes(StandardCharsets.UTF_8));
      if (!(answer instanceof List<?> parts)
          || parts.size() < 2
          || !(parts.get(0) instanceof Long kind)
          || !(parts.get(1) instanceof Long length)) {
        return StoredState.unreadable("Redis answered " + answer);
      }
      if (kind == 0) {
        return StoredState.absent();
      }
      if (kind == 2) {
        return StoredState.unreadable("it is not a string");
      }
      if (kind == 3) {
        return StoredState.tooLong(length);
      }
      return StoredState.of(
          parts.size() > 2 && parts.get(2) instanceof byte[] b ? b : new byte[0], 0);
    }

    @Override
    public boolean compareAndSwap(String name, StoredState read, byte[] state, long ttlMillis) {
      byte[] key = name.getBytes(StandardCharsets.UTF_8);
      byte[] px = Long.toString(Math.max(1, ttlMillis)).getBytes(StandardCharsets.UTF_8);
      Object done =
          read.exists()
              ? redis.eval(REPLACE, 1, key, read.bytes(), state, px)
              : redis.eval(CREATE, 1, key, state, px);
      return Long.valueOf(1).equals(done);
    }

    @Override
    public void delete(String name) {
      redis.del(name);
    }

    @Override
    public @Nullable StoreException failure(String operation, RuntimeException e) {
      return e instanceof JedisException
          ? StoreErrors.failure(RedisTokenBuckets.this, operation, e)
          : null;
    }
  }
}
