package dev.beckon.storage.redis;

import dev.beckon.broadcast.SendLimiter;
import dev.beckon.broadcast.TokenBucket;
import dev.beckon.broadcast.TokenBuckets;
import dev.beckon.store.StoreException;
import dev.beckon.store.spi.StoreErrors;
import io.github.bucket4j.BandwidthBuilder;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * and is never closed. Bucket4j computes every state (its compare-and-swap SPI, {@code
 * AbstractCompareAndSwapBasedProxyManager}); a Lua script writes a key only if it still holds the
 * state read. Bucket4j's arithmetic runs on each process's clock: keep the clocks in step (NTP).
 * Thread-safe.
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
  private final Manager manager;
  private final Map<List<TokenBucket>, StoredBucketState> checks = new ConcurrentHashMap<>();

  private RedisTokenBuckets(UnifiedJedis redis) {
    this.redis = redis;
    this.manager =
        new Manager(
            ClientSideConfig.getDefault()
                .withExpirationAfterWriteStrategy(
                    ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(10)))
                .withMaxRetries(1000));
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

  /**
   * {@inheritDoc}
   *
   * @throws StoreException when Redis fails, or when the bucket's key cannot be read (see the class
   *     comment); the message names the key
   */
  @Override
  public long tryTake(String name, List<TokenBucket> limits) {
    Key key = key(name, limits);
    try {
      ConsumptionProbe p = manager.bucket(key).tryConsumeAndReturnRemaining(1);
      return p.isConsumed() ? 0 : Math.max(1, p.getNanosToWaitForRefill());
    } catch (JedisException e) {
      throw StoreErrors.failure(this, "tryTake", e);
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw unreadable(key, "tryTake", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreException when Redis fails, or when the bucket's key cannot be read (see the class
   *     comment); the message names the key
   */
  @Override
  public void giveBack(String name, List<TokenBucket> limits) {
    Key key = key(name, limits);
    try {
      manager.bucket(key).addTokens(1);
    } catch (JedisException e) {
      throw StoreErrors.failure(this, "giveBack", e);
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw unreadable(key, "giveBack", e);
    }
  }

  /** The bucket's key could not be read: deleted, so the next call starts a full bucket. */
  private StoreException unreadable(Key key, String operation, RuntimeException e) {
    boolean ours = e instanceof StoredBucketState.Unreadable;
    try {
      redis.del(key.name());
    } catch (RuntimeException ignored) {
      // the failure below is what the caller hears
    }
    return StoreErrors.failure(
        this,
        operation,
        "bucket key '"
            + key.name()
            + "' is unreadable ("
            + (ours ? e.getMessage() : e.toString())
            + "); it was deleted",
        ours ? null : e);
  }

  private Key key(String name, List<TokenBucket> limits) {
    return new Key(
        name,
        checks.computeIfAbsent(
            limits, l -> new StoredBucketState(config(l), manager.serializationVersion())));
  }

  /** A bucket, with what its stored state must look like. */
  private record Key(String name, StoredBucketState check) {}

  /** The Bucket4j configuration of a bucket's limits. */
  private static BucketConfiguration config(List<TokenBucket> limits) {
    ConfigurationBuilder b = BucketConfiguration.builder();
    for (TokenBucket t : limits) {
      b.addLimit(
          BandwidthBuilder.builder()
              .capacity(t.capacity())
              .refillGreedy(t.refillTokens(), t.refillPeriod())
              .build());
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "RedisTokenBuckets";
  }

  /** Bucket4j's compare-and-swap proxy manager over Redis strings. */
  private final class Manager extends AbstractCompareAndSwapBasedProxyManager<Key> {

    Manager(ClientSideConfig config) {
      super(config);
    }

    Bucket bucket(Key key) {
      BucketConfiguration config = key.check().config();
      return builder().build(key, () -> config);
    }

    io.github.bucket4j.distributed.versioning.Version serializationVersion() {
      return getClientSideConfig().getBackwardCompatibilityVersion();
    }

    private ExpirationAfterWriteStrategy expiration() {
      return getClientSideConfig()
          .getExpirationAfterWriteStrategy()
          .orElse(ExpirationAfterWriteStrategy.none());
    }

    private long nowNanos() {
      return currentTimeNanos();
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(Key key) {
      return new Entry(key, expiration());
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(Key key) {
      throw new UnsupportedOperationException("RedisTokenBuckets is synchronous");
    }

    @Override
    protected CompletableFuture<Void> removeAsync(Key key) {
      return CompletableFuture.failedFuture(
          new UnsupportedOperationException("RedisTokenBuckets is synchronous"));
    }

    @Override
    public void removeProxy(Key key) {
      redis.del(key.name());
    }

    @Override
    public boolean isAsyncModeSupported() {
      return false;
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
      return true;
    }

    /** One bounded read, then a write only if the key still holds what was read. */
    private final class Entry implements CompareAndSwapOperation {
      private final Key key;
      private final byte[] name;
      private final ExpirationAfterWriteStrategy expiration;

      Entry(Key key, ExpirationAfterWriteStrategy expiration) {
        this.key = key;
        this.name = key.name().getBytes(StandardCharsets.UTF_8);
        this.expiration = expiration;
      }

      @Override
      public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
        Object answer =
            redis.eval(
                READ,
                1,
                name,
                Integer.toString(StoredBucketState.MAX_BYTES).getBytes(StandardCharsets.UTF_8));
        if (!(answer instanceof List<?> parts) || parts.size() < 2) {
          throw new StoredBucketState.Unreadable("Redis answered " + answer);
        }
        long kind = (Long) parts.get(0);
        long length = (Long) parts.get(1);
        if (kind == 0) {
          return Optional.empty();
        }
        if (kind == 2) {
          throw new StoredBucketState.Unreadable("it is not a string");
        }
        if (kind == 3) {
          throw new StoredBucketState.Unreadable(
              "it holds "
                  + length
                  + " bytes (at most "
                  + StoredBucketState.MAX_BYTES
                  + " are read)");
        }
        byte[] state = parts.size() > 2 && parts.get(2) instanceof byte[] b ? b : new byte[0];
        String problem = key.check().problem(state, nowNanos());
        if (problem != null) {
          throw new StoredBucketState.Unreadable(problem);
        }
        return Optional.of(state);
      }

      @Override
      public boolean compareAndSwap(
          byte @Nullable [] original,
          byte[] updated,
          RemoteBucketState newState,
          Optional<Long> timeoutNanos) {
        long ttl = Math.max(1, expiration.calculateTimeToLiveMillis(newState, nowNanos()));
        byte[] px = Long.toString(ttl).getBytes(StandardCharsets.UTF_8);
        Object done =
            original == null
                ? redis.eval(CREATE, 1, name, updated, px)
                : redis.eval(REPLACE, 1, name, original, updated, px);
        return Long.valueOf(1).equals(done);
      }
    }
  }
}
