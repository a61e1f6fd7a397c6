package dev.beckon.ratelimit.bucket4j;

import dev.beckon.broadcast.SendLimiter;
import dev.beckon.broadcast.TokenBucket;
import dev.beckon.broadcast.TokenBuckets;
import dev.beckon.store.StoreException;
import dev.beckon.store.spi.StoreErrors;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Fleet-wide token buckets kept by Bucket4j in any store: the {@link TokenBuckets} under {@link
 * SendLimiter#fleet}, built on a store's {@link BucketStateStore} (its backend's read,
 * compare-and-swap and delete) through Bucket4j core's own compare-and-swap SPI ({@code
 * AbstractCompareAndSwapBasedProxyManager}). Each store's entry type ({@code JdbcTokenBuckets},
 * {@code RedisTokenBuckets}, {@code DynamoDbTokenBuckets}) is one of these over its backend.
 *
 * <pre>{@code
 * private final TokenBuckets buckets = Bucket4jTokenBuckets.over(new Primitives(), this, "row");
 * public long tryTake(String name, List<TokenBucket> limits) {
 *   return buckets.tryTake(name, limits);
 * }
 * }</pre>
 *
 * <p>Bucket4j computes every state; a {@code tryTake} or {@code giveBack} is one {@link
 * BucketStateStore#read read} and one {@link BucketStateStore#compareAndSwap compare-and-swap},
 * again as long as another process wrote in between (up to 1,000 times). Each bucket may be dropped
 * by the store once it would be full again, plus 10 s (the {@code ttlMillis} of the write).
 *
 * <p><b>A stored state is hostile input.</b> It is handed to Bucket4j only when it is at most
 * {@value #MAX_STATE_BYTES} bytes (the store measures it before fetching it) and has exactly the
 * shape this class writes for the same limits: the same length, and byte for byte the same
 * structure and configuration (learnt from Bucket4j itself); every limit's tokens between 0 and its
 * capacity; its last refill at most {@link #CLOCK_SKEW} ahead of this process's clock; full again
 * after its slowest limit's full refill plus that skew. Any other state (garbage, too long, another
 * type, another configuration, a state from the future) fails the call with a {@link
 * StoreException} whose message names the bucket ({@code bucket <noun> '<name>' is unreadable
 * (<reason>); it was deleted}), and is deleted so that the next call starts the bucket full:
 * nothing is granted on it, no allocation exceeds the state's size, nothing loops. Any other
 * failure that is not the backend's ({@code bucket <noun> '<name>' failed (...)}) keeps the bucket.
 *
 * <p>Bucket4j's arithmetic runs on each process's clock: keep the clocks in step (NTP). Thread-safe
 * when the store is.
 */
public final class Bucket4jTokenBuckets implements TokenBuckets {

  /** The most bytes of a stored state that are read; a longer one is refused unread. */
  public static final int MAX_STATE_BYTES = 4096;

  /**
   * How far ahead of this process's clock a stored last refill may be (the clock skew between the
   * processes of a fleet) before the state is refused.
   */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

  private final BucketStateStore store;
  private final Object owner;
  private final String noun;
  private final Manager manager;
  private final Map<List<TokenBucket>, StoredBucketState> checks = new ConcurrentHashMap<>();

  private Bucket4jTokenBuckets(BucketStateStore store, Object owner, String noun) {
    this.store = store;
    this.owner = owner;
    this.noun = noun;
    this.manager =
        new Manager(
            ClientSideConfig.getDefault()
                .withExpirationAfterWriteStrategy(
                    ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(10)))
                .withMaxRetries(1000));
  }

  /**
   * Buckets over a store's primitives.
   *
   * @param store the backend's read, compare-and-swap and delete
   * @param owner what the exceptions name the store by (its {@code toString()}, read only when an
   *     exception is made): the store's public entry type
   * @param noun what the store calls a bucket in a message: {@code row}, {@code key}, {@code item}
   * @return the buckets
   */
  public static Bucket4jTokenBuckets over(BucketStateStore store, Object owner, String noun) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(owner, "owner");
    if (!noun.matches("[a-z]{1,20}")) {
      throw new IllegalArgumentException("noun must be 1 to 20 lowercase letters");
    }
    return new Bucket4jTokenBuckets(store, owner, noun);
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreException when the store fails, or when the bucket's stored state cannot be read
   *     (see the class comment: it is then deleted); the message names the bucket
   */
  @Override
  public long tryTake(String name, List<TokenBucket> limits) {
    Key key = key(name, limits);
    try {
      ConsumptionProbe p = manager.bucket(key).tryConsumeAndReturnRemaining(1);
      return p.isConsumed() ? 0 : Math.max(1, p.getNanosToWaitForRefill());
    } catch (RuntimeException e) {
      throw failure(key, "tryTake", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreException when the store fails, or when the bucket's stored state cannot be read
   *     (see the class comment: it is then deleted); the message names the bucket
   */
  @Override
  public void giveBack(String name, List<TokenBucket> limits) {
    Key key = key(name, limits);
    try {
      manager.bucket(key).addTokens(1);
    } catch (RuntimeException e) {
      throw failure(key, "giveBack", e);
    }
  }

  /**
   * The store's failure; or the bucket is unreadable, deleted so the next call starts it full; or
   * anything else (a bug, Bucket4j giving up after its retries), which keeps the bucket: deleting
   * it would start it full and grant a whole capacity.
   */
  private StoreException failure(Key key, String operation, RuntimeException e) {
    if (e instanceof StoreException s) {
      return s;
    }
    StoreException backend = store.failure(operation, e);
    if (backend != null) {
      return backend;
    }
    String bucket = "bucket " + noun + " '" + key.name() + "'";
    if (!(e instanceof StoredBucketState.Unreadable)) {
      return StoreErrors.failure(owner, operation, bucket + " failed (" + e + ")", e);
    }
    try {
      store.delete(key.name());
    } catch (RuntimeException ignored) {
      // the failure below is what the caller hears
    }
    return StoreErrors.failure(
        owner, operation, bucket + " is unreadable (" + e.getMessage() + "); it was deleted", null);
  }

  private Key key(String name, List<TokenBucket> limits) {
    StoredBucketState check = checks.get(limits);
    if (check == null) {
      List<TokenBucket> copy = List.copyOf(limits);
      check = checks.computeIfAbsent(copy, l -> new StoredBucketState(l, manager.serialization()));
    }
    return new Key(name, check);
  }

  @Override
  public String toString() {
    return owner.toString();
  }

  /** A bucket, with what its stored state must look like. */
  private record Key(String name, StoredBucketState check) {}

  /** Bucket4j's compare-and-swap proxy manager over the store's primitives. */
  private final class Manager extends AbstractCompareAndSwapBasedProxyManager<Key> {

    Manager(ClientSideConfig config) {
      super(config);
    }

    Bucket bucket(Key key) {
      BucketConfiguration config = key.check().config();
      return builder().build(key, () -> config);
    }

    io.github.bucket4j.distributed.versioning.Version serialization() {
      return getClientSideConfig().getBackwardCompatibilityVersion();
    }

    long nowNanos() {
      return currentTimeNanos();
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(Key key) {
      return new Operation(
          key,
          getClientSideConfig()
              .getExpirationAfterWriteStrategy()
              .orElse(ExpirationAfterWriteStrategy.none()));
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(Key key) {
      throw new UnsupportedOperationException(owner + " is synchronous");
    }

    @Override
    protected CompletableFuture<Void> removeAsync(Key key) {
      return CompletableFuture.failedFuture(
          new UnsupportedOperationException(owner + " is synchronous"));
    }

    @Override
    public void removeProxy(Key key) {
      store.delete(key.name());
    }

    @Override
    public boolean isAsyncModeSupported() {
      return false;
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
      return true; // the ttlMillis of every write
    }

    /** One checked read, then one write only if the bucket still holds what was read. */
    private final class Operation implements CompareAndSwapOperation {
      private final Key key;
      private final ExpirationAfterWriteStrategy expiration;
      private StoredState read = StoredState.absent();

      Operation(Key key, ExpirationAfterWriteStrategy expiration) {
        this.key = key;
        this.expiration = expiration;
      }

      @Override
      public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
        StoredState s = store.read(key.name());
        read = s;
        String problem = s.problem();
        if (problem == null && s.exists()) {
          problem = key.check().problem(s.bytes(), nowNanos());
        }
        if (problem != null) {
          throw new StoredBucketState.Unreadable(problem);
        }
        return s.exists() ? Optional.of(s.bytes()) : Optional.empty();
      }

      @Override
      public boolean compareAndSwap(
          byte @Nullable [] original,
          byte[] updated,
          RemoteBucketState newState,
          Optional<Long> timeoutNanos) {
        long ttl = expiration.calculateTimeToLiveMillis(newState, nowNanos());
        return store.compareAndSwap(key.name(), read, updated, ttl);
      }
    }
  }
}
