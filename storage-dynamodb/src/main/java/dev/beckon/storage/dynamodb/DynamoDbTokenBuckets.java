package dev.beckon.storage.dynamodb;

import dev.beckon.broadcast.SendLimiter;
import dev.beckon.broadcast.TokenBucket;
import dev.beckon.broadcast.TokenBuckets;
import dev.beckon.store.StoreException;
import dev.beckon.store.spi.StoreErrors;
import io.github.bucket4j.BandwidthBuilder;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketState;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.MathType;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.github.bucket4j.distributed.remote.RemoteStat;
import io.github.bucket4j.distributed.serialization.DataOutputSerializationAdapter;
import io.github.bucket4j.distributed.serialization.DeserializationAdapter;
import io.github.bucket4j.distributed.serialization.InternalSerializationHelper;
import io.github.bucket4j.distributed.serialization.Scope;
import io.github.bucket4j.distributed.versioning.Version;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * Fleet-wide token buckets in a DynamoDB table, kept by Bucket4j: the {@link TokenBuckets} under
 * {@link SendLimiter#fleet} for fleets that keep their references in DynamoDB (with {@code
 * SqsDeliveryQueue}, for example). Every process that uses the same table and limiter prefix shares
 * the limits.
 *
 * <pre>{@code
 * DynamoDbTokenBuckets buckets = DynamoDbTokenBuckets.builder(client).build(); // beckon_rate_limits
 * buckets.createTable();    // once, at deployment time (or create the table with your IaC)
 * SendLimiter limiter = SendLimiter.fleet(buckets, "mybot", RateProfile.teams(), 0.1);
 * }</pre>
 *
 * <p>Bucket4j publishes no DynamoDB module for the AWS SDK v2 at 8.17: this class plugs the table
 * into Bucket4j core's own compare-and-swap SPI ({@code AbstractCompareAndSwapBasedProxyManager}),
 * as {@code JdbcTokenBuckets} does. Bucket4j computes every bucket state; an item is written by a
 * conditional {@code PutItem} only if its {@code version} is still the one read (or, for a new
 * bucket, only if it does not exist yet); a refused condition makes Bucket4j read again. Each take
 * costs one consistent {@code GetItem} and one {@code PutItem} per bucket (two or three buckets per
 * send), more under contention.
 *
 * <p>The table ({@link #createTable()}, or your IaC): partition key {@code name} (S, the bucket's
 * name, at most 80 characters), no sort key, on demand; attributes {@code state} (B, Bucket4j's
 * serialized state, at most {@value #MAX_STATE_BYTES} bytes), {@code version} (N, 1, 2, ...) and
 * {@code expiresAt} (N, epoch seconds, the Time to Live attribute: when the bucket would be full
 * again, plus 10 s). An expired item still reads as the full bucket it is; DynamoDB deletes it in
 * its own time, {@link #purgeExpired()} at once (a new item per conversation sent to is written).
 *
 * <p><b>Stored state is not trusted.</b> Before Bucket4j reads an item, its state must be at most
 * {@value #MAX_STATE_BYTES} bytes, begin with this process's own configuration of the bucket (the
 * same limits), parse to the end with every array bounded by the bytes left, and be full again
 * after one full refill of its slowest limit plus 60 s ({@link #CLOCK_SKEW}). An item that fails
 * (hand-edited, another program's, other limits, a state from the future) is deleted and that call
 * throws {@link StoreException} (the worker waits and asks again); the next call starts the bucket
 * full. So a writer of the table can at worst let one bucket's capacity through at once, or hold a
 * bucket empty by writing it again and again; it cannot make this process allocate more than the
 * item's size, loop, or hang.
 *
 * <p>Every request has an API call timeout ({@link Builder#requestTimeout}) unless the client has
 * its own. Bucket4j's arithmetic runs on each process's clock: keep the clocks in step (NTP).
 * Thread-safe; the {@code DynamoDbClient} is yours and is never closed.
 */
public final class DynamoDbTokenBuckets implements TokenBuckets {

  /** The default table name. */
  public static final String DEFAULT_TABLE_NAME = "beckon_rate_limits";

  /** The most bytes of a stored state that are read; a longer one is refused. */
  public static final int MAX_STATE_BYTES = 4096;

  /** How far the processes' clocks may differ before one's states look foreign to another. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  static final String NAME = "name";
  static final String STATE = "state";
  static final String VERSION = "version";
  static final String EXPIRES = "expiresAt";
  private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,17}");
  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTokenBuckets.class);

  private final DynamoDbClient client;
  private final String tableName;
  private final Clock clock;
  private final Duration createTableTimeout;
  private final @Nullable AwsRequestOverrideConfiguration timeout;
  private final Manager manager;
  private final Map<List<TokenBucket>, Limits> limits = new ConcurrentHashMap<>();

  private DynamoDbTokenBuckets(Builder b) {
    this.client = b.client;
    this.tableName = b.tableName;
    this.clock = b.clock;
    this.createTableTimeout = b.createTableTimeout;
    boolean own;
    try {
      own =
          client.serviceClientConfiguration().overrideConfiguration().apiCallTimeout().isPresent();
    } catch (RuntimeException e) {
      own = false; // a client that does not expose its configuration gets our timeout
    }
    Duration t =
        b.requestTimeout == null && !own
            ? DynamoDbReferenceRepository.DEFAULT_REQUEST_TIMEOUT
            : b.requestTimeout;
    this.timeout =
        t == null ? null : AwsRequestOverrideConfiguration.builder().apiCallTimeout(t).build();
    this.manager =
        new Manager(
            ClientSideConfig.getDefault()
                .withExpirationAfterWriteStrategy(
                    ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(10)))
                .withMaxRetries(1000));
  }

  /**
   * Starts a builder.
   *
   * @param client your DynamoDB client; never closed by the buckets
   * @return the builder
   */
  public static Builder builder(DynamoDbClient client) {
    return new Builder(client);
  }

  /**
   * The table these buckets use.
   *
   * @return the table name
   */
  public String tableName() {
    return tableName;
  }

  /**
   * Creates the table if it does not exist (on demand, keys as in the class javadoc), waits until
   * it is {@code ACTIVE}, and enables Time to Live on {@code expiresAt}; where that fails
   * (dynalite, a missing permission) it logs a warning: call {@link #purgeExpired()} now and then.
   * An existing table is only waited for.
   *
   * @return {@code true} when the table was created, {@code false} when it existed already
   * @throws StoreException when the table cannot be created or does not become active in time
   */
  @SuppressWarnings("unchecked") // the SDK's varargs of builder consumers
  public boolean createTable() {
    boolean created = true;
    try (DynamoDbWaiter waiter = client.waiter()) {
      try {
        client.createTable(
            r ->
                r.tableName(tableName)
                    .attributeDefinitions(
                        a -> a.attributeName(NAME).attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName(NAME).keyType(KeyType.HASH))
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .overrideConfiguration(timeout));
        LOG.info("Created DynamoDB table {} (on demand) for fleet-wide token buckets", tableName);
      } catch (ResourceInUseException e) {
        created = false;
      }
      waiter.waitUntilTableExists(
          r -> r.tableName(tableName).overrideConfiguration(timeout),
          w ->
              w.waitTimeout(createTableTimeout)
                  .maxAttempts(Integer.MAX_VALUE)
                  .backoffStrategyV2(
                      BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(200))));
    } catch (SdkException e) {
      throw StoreErrors.failure(this, "createTable", e);
    }
    if (created) {
      try {
        client.updateTimeToLive(
            r ->
                r.tableName(tableName)
                    .timeToLiveSpecification(s -> s.enabled(true).attributeName(EXPIRES))
                    .overrideConfiguration(timeout));
      } catch (SdkException e) {
        LOG.warn(
            "No Time to Live on DynamoDB table {} ({}): call purgeExpired()",
            tableName,
            e.getClass().getSimpleName());
      }
    }
    return created;
  }

  /**
   * Deletes the buckets that have expired (they would be full again; DynamoDB's Time to Live does
   * the same in its own time): they are recreated full when next used, which is the same. One scan
   * of the table, then one conditional {@code DeleteItem} per expired bucket (a bucket used again
   * since the scan is kept).
   *
   * @return how many were deleted
   * @throws StoreException when DynamoDB refuses
   */
  public long purgeExpired() {
    Map<String, AttributeValue> now =
        Map.of(":now", AttributeValue.fromN(Long.toString(clock.millis() / 1000)));
    long deleted = 0;
    try {
      for (Map<String, AttributeValue> key :
          client
              .scanPaginator(
                  r ->
                      r.tableName(tableName)
                          .filterExpression("#e < :now")
                          .projectionExpression("#n")
                          .expressionAttributeNames(Map.of("#e", EXPIRES, "#n", NAME))
                          .expressionAttributeValues(now)
                          .overrideConfiguration(timeout))
              .items()) {
        try {
          client.deleteItem(
              r ->
                  r.tableName(tableName)
                      .key(key)
                      .conditionExpression("#e < :now")
                      .expressionAttributeNames(Map.of("#e", EXPIRES))
                      .expressionAttributeValues(now)
                      .overrideConfiguration(timeout));
          deleted++;
        } catch (ConditionalCheckFailedException e) {
          // used again since the scan
        }
      }
    } catch (SdkException e) {
      throw failure("purgeExpired", e);
    }
    return deleted;
  }

  @Override
  public long tryTake(String name, List<TokenBucket> limits) {
    try {
      ConsumptionProbe p = manager.bucket(name, limitsOf(limits)).tryConsumeAndReturnRemaining(1);
      return p.isConsumed() ? 0 : Math.max(1, p.getNanosToWaitForRefill());
    } catch (StoreException e) {
      throw e;
    } catch (SdkException e) {
      throw failure("tryTake", e);
    } catch (RuntimeException e) {
      throw unreadable(name, "tryTake", e);
    }
  }

  @Override
  public void giveBack(String name, List<TokenBucket> limits) {
    try {
      manager.bucket(name, limitsOf(limits)).addTokens(1);
    } catch (StoreException e) {
      throw e;
    } catch (SdkException e) {
      throw failure("giveBack", e);
    } catch (RuntimeException e) {
      throw unreadable(name, "giveBack", e);
    }
  }

  /** Bucket4j failed on a state that passed the checks (a safety net): the item is deleted. */
  private StoreException unreadable(String name, String operation, RuntimeException e) {
    try {
      delete(name);
    } catch (RuntimeException ignored) {
      // the failure below is what the caller hears
    }
    return StoreErrors.failure(
        this, operation, "Bucket4j could not use the bucket item, which was deleted", e);
  }

  private StoreException failure(String operation, SdkException e) {
    return e instanceof ResourceNotFoundException
        ? StoreErrors.tableMissing(
            this, operation, "create it with DynamoDbTokenBuckets.createTable()", e)
        : StoreErrors.failure(this, operation, e);
  }

  private void delete(String name) {
    client.deleteItem(
        r ->
            r.tableName(tableName)
                .key(Map.of(NAME, AttributeValue.fromS(name)))
                .overrideConfiguration(timeout));
  }

  private Limits limitsOf(List<TokenBucket> list) {
    return limits.computeIfAbsent(
        List.copyOf(list), l -> new Limits(l, manager.version(), manager.nowNanos()));
  }

  @Override
  public String toString() {
    return "DynamoDbTokenBuckets[table " + tableName + "]";
  }

  // ------------------------------------------------------------------ what a stored state must be

  /**
   * One list of limits as Bucket4j sees it: its configuration, the bytes every state of it begins
   * with, and the longest a bucket of it takes to fill up.
   */
  static final class Limits {
    final BucketConfiguration config;
    final byte[] header;
    final long[] capacities;
    final long fullNanos;

    Limits(List<TokenBucket> limits, Version version, long nowNanos) {
      ConfigurationBuilder b = BucketConfiguration.builder();
      long full = 0;
      for (TokenBucket t : limits) {
        b.addLimit(
            BandwidthBuilder.builder()
                .capacity(t.capacity())
                .refillGreedy(t.refillTokens(), t.refillPeriod())
                .build());
        // capacity * period / refill, rounded up, saturated
        double nanos =
            Math.ceil((double) t.capacity() * t.refillPeriod().toNanos() / t.refillTokens());
        full = Math.max(full, nanos >= Long.MAX_VALUE / 4.0 ? Long.MAX_VALUE / 4 : (long) nanos);
      }
      this.config = b.build();
      this.capacities = limits.stream().mapToLong(TokenBucket::capacity).toArray();
      this.fullNanos = full + 1_000_000;
      // a state is a version int, then its configuration, then the bucket's numbers (Bucket4j's
      // format): checked here, once, so that a Bucket4j that changes it fails every test at once
      byte[] fresh =
          InternalSerializationHelper.serializeState(
              new RemoteBucketState(
                  BucketState.createInitialState(config, MathType.INTEGER_64_BITS, nowNanos),
                  new RemoteStat(0),
                  null),
              version);
      byte[] configBytes = serializedConfig(config, version);
      if (fresh.length < 4 + configBytes.length
          || !Arrays.equals(fresh, 4, 4 + configBytes.length, configBytes, 0, configBytes.length)) {
        throw new IllegalStateException(
            "Bucket4j's stored state no longer begins with its configuration: DynamoDbTokenBuckets"
                + " cannot check stored states with this Bucket4j version");
      }
      this.header = Arrays.copyOf(fresh, 4 + configBytes.length);
    }

    private static byte[] serializedConfig(BucketConfiguration config, Version version) {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        BucketConfiguration.SERIALIZATION_HANDLE.serialize(
            DataOutputSerializationAdapter.INSTANCE, out, config, version, Scope.PERSISTED_STATE);
        out.flush();
        return bytes.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * What is wrong with a stored state for these limits, or {@code null} when Bucket4j may read it:
   * at most {@link #MAX_STATE_BYTES}, this process's configuration first, every array bounded by
   * the bytes left, nothing after the end, and full after a full refill plus {@link #CLOCK_SKEW}.
   *
   * @param state the stored bytes
   * @param limits the limits the caller asked for
   * @param nowNanos Bucket4j's time now
   * @return the problem, in words, or {@code null}
   */
  static @Nullable String problem(byte[] state, Limits limits, long nowNanos) {
    if (state.length > MAX_STATE_BYTES) {
      return "its state is over " + MAX_STATE_BYTES + " bytes";
    }
    byte[] h = limits.header;
    if (state.length < h.length || !Arrays.equals(state, 0, h.length, h, 0, h.length)) {
      return "its state is not one of these limits";
    }
    RemoteBucketState parsed;
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      parsed = RemoteBucketState.SERIALIZATION_HANDLE.deserialize(Bounded.INSTANCE, in);
      if (in.available() != 0) {
        return "its state has bytes after its end";
      }
    } catch (IOException | RuntimeException e) {
      return "its state does not parse";
    }
    BucketState s = parsed.copyBucketState();
    long later = saturatedAdd(nowNanos, limits.fullNanos + CLOCK_SKEW.toNanos());
    try {
      s.refillAllBandwidth(later);
      for (int i = 0; i < limits.capacities.length; i++) {
        if (s.getCurrentSize(i) != limits.capacities[i]) {
          return "its state does not refill as these limits do";
        }
      }
    } catch (RuntimeException e) {
      return "its state does not refill";
    }
    return null;
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  /** Bucket4j's own reading of a state, with every array bounded by the bytes left. */
  private static final class Bounded implements DeserializationAdapter<DataInputStream> {
    static final Bounded INSTANCE = new Bounded();
    private static final DataOutputSerializationAdapter PLAIN =
        DataOutputSerializationAdapter.INSTANCE;

    @Override
    public boolean readBoolean(DataInputStream source) throws IOException {
      return PLAIN.readBoolean(source);
    }

    @Override
    public byte readByte(DataInputStream source) throws IOException {
      return PLAIN.readByte(source);
    }

    @Override
    public int readInt(DataInputStream source) throws IOException {
      return PLAIN.readInt(source);
    }

    @Override
    public long readLong(DataInputStream source) throws IOException {
      return PLAIN.readLong(source);
    }

    @Override
    public long[] readLongArray(DataInputStream source) throws IOException {
      long[] array = new long[length(source)];
      for (int i = 0; i < array.length; i++) {
        array[i] = source.readLong();
      }
      return array;
    }

    @Override
    public double[] readDoubleArray(DataInputStream source) throws IOException {
      double[] array = new double[length(source)];
      for (int i = 0; i < array.length; i++) {
        array[i] = source.readDouble();
      }
      return array;
    }

    @Override
    public String readString(DataInputStream source) throws IOException {
      return PLAIN.readString(source); // at most 65,535 bytes, and no more than are there
    }

    private static int length(DataInputStream source) throws IOException {
      int n = source.readInt();
      if (n < 0 || n > source.available() / 8) {
        throw new IOException("an array of " + n + " in " + source.available() + " bytes");
      }
      return n;
    }
  }

  // ------------------------------------------------------------------ Bucket4j's SPI

  /** A bucket's name with the limits it was asked with. */
  private record Key(String name, Limits limits) {}

  /** Bucket4j's compare-and-swap proxy manager over the table. */
  private final class Manager extends AbstractCompareAndSwapBasedProxyManager<Key> {

    Manager(ClientSideConfig config) {
      super(config);
    }

    io.github.bucket4j.Bucket bucket(String name, Limits limits) {
      return builder().build(new Key(name, limits), () -> limits.config);
    }

    Version version() {
      return getBackwardCompatibilityVersion();
    }

    long nowNanos() {
      return currentTimeNanos();
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(Key key) {
      return new Item(
          key,
          getClientSideConfig()
              .getExpirationAfterWriteStrategy()
              .orElse(ExpirationAfterWriteStrategy.none()));
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(Key key) {
      throw new UnsupportedOperationException("DynamoDbTokenBuckets is synchronous");
    }

    @Override
    protected CompletableFuture<Void> removeAsync(Key key) {
      return CompletableFuture.failedFuture(
          new UnsupportedOperationException("DynamoDbTokenBuckets is synchronous"));
    }

    @Override
    public void removeProxy(Key key) {
      delete(key.name());
    }

    @Override
    public boolean isAsyncModeSupported() {
      return false;
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
      return true; // the expiresAt attribute
    }

    /** One read, then one conditional write, of a bucket's item; the version read decides. */
    private final class Item implements CompareAndSwapOperation {
      private final Key key;
      private final ExpirationAfterWriteStrategy expiration;
      private long version;

      Item(Key key, ExpirationAfterWriteStrategy expiration) {
        this.key = key;
        this.expiration = expiration;
      }

      @Override
      public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
        Map<String, AttributeValue> item;
        try {
          item =
              client
                  .getItem(
                      r ->
                          r.tableName(tableName)
                              .key(Map.of(NAME, AttributeValue.fromS(key.name())))
                              .consistentRead(true)
                              .projectionExpression("#s, #v")
                              .expressionAttributeNames(Map.of("#s", STATE, "#v", VERSION))
                              .overrideConfiguration(timeout))
                  .item();
        } catch (SdkException e) {
          throw failure("tryTake", e);
        }
        if (item == null || item.isEmpty()) {
          version = 0;
          return Optional.empty();
        }
        AttributeValue v = item.get(VERSION);
        AttributeValue s = item.get(STATE);
        String n = v == null ? null : v.n();
        SdkBytes b = s == null ? null : s.b();
        String problem;
        if (n == null || !NUMBER.matcher(n).matches()) {
          problem = "its version is not a positive whole number";
        } else if (b == null) {
          problem = "its state is not binary";
        } else if (b.asByteBuffer().remaining() > MAX_STATE_BYTES) {
          problem = "its state is over " + MAX_STATE_BYTES + " bytes";
        } else {
          problem = problem(b.asByteArrayUnsafe(), key.limits(), nowNanos());
        }
        if (problem != null || n == null || b == null) {
          try {
            delete(key.name());
          } catch (SdkException e) {
            throw failure("tryTake", e);
          }
          throw StoreErrors.failure(
              DynamoDbTokenBuckets.this,
              "tryTake",
              "bucket item "
                  + key.name()
                  + " was deleted, as "
                  + problem
                  + " (the next call starts it full)",
              null);
        }
        version = Long.parseLong(n);
        return Optional.of(b.asByteArrayUnsafe());
      }

      @Override
      public boolean compareAndSwap(
          byte @Nullable [] original,
          byte[] updated,
          RemoteBucketState newState,
          Optional<Long> timeoutNanos) {
        long ttl = expiration.calculateTimeToLiveMillis(newState, nowNanos());
        long expiresAt =
            ttl <= 0 ? Long.MAX_VALUE / 1000 : Math.floorDiv(clock.millis() + ttl + 999, 1000);
        Map<String, AttributeValue> item =
            Map.of(
                NAME, AttributeValue.fromS(key.name()),
                STATE, AttributeValue.fromB(SdkBytes.fromByteArray(updated)),
                VERSION, AttributeValue.fromN(Long.toString(version + 1)),
                EXPIRES, AttributeValue.fromN(Long.toString(expiresAt)));
        try {
          if (version == 0) {
            client.putItem(
                r ->
                    r.tableName(tableName)
                        .item(item)
                        .conditionExpression("attribute_not_exists(#n)")
                        .expressionAttributeNames(Map.of("#n", NAME))
                        .overrideConfiguration(timeout));
          } else {
            client.putItem(
                r ->
                    r.tableName(tableName)
                        .item(item)
                        .conditionExpression("#v = :v")
                        .expressionAttributeNames(Map.of("#v", VERSION))
                        .expressionAttributeValues(
                            Map.of(":v", AttributeValue.fromN(Long.toString(version))))
                        .overrideConfiguration(timeout));
          }
          return true;
        } catch (ConditionalCheckFailedException e) {
          return false; // another process wrote first: Bucket4j reads again
        } catch (SdkException e) {
          throw failure("tryTake", e);
        }
      }
    }
  }

  /** Configures {@link DynamoDbTokenBuckets}. Not thread-safe. */
  public static final class Builder {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private final DynamoDbClient client;
    private String tableName = DEFAULT_TABLE_NAME;
    private Clock clock = Clock.systemUTC();
    private @Nullable Duration requestTimeout;
    private Duration createTableTimeout = Duration.ofMinutes(5);

    private Builder(DynamoDbClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Sets the table name (default {@value DynamoDbTokenBuckets#DEFAULT_TABLE_NAME}).
     *
     * @param value 3 to 255 characters of {@code A-Z a-z 0-9 _ - .}
     * @return this builder
     */
    public Builder tableName(String value) {
      if (value == null || !TABLE_NAME.matcher(value).matches()) {
        throw new IllegalArgumentException(
            "tableName must be 3 to 255 characters of A-Z a-z 0-9 _ - .");
      }
      this.tableName = value;
      return this;
    }

    /**
     * Sets the clock of the items' {@code expiresAt} (default the UTC system clock).
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Sets the API call timeout of every request (retries included). Default: the client's own
     * {@code apiCallTimeout} when it has one, else 10 s.
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder requestTimeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive");
      }
      this.requestTimeout = value;
      return this;
    }

    /**
     * Sets how long {@link #createTable()} waits for the table to become active (default 5 min).
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder createTableTimeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("createTableTimeout must be positive");
      }
      this.createTableTimeout = value;
      return this;
    }

    /**
     * Builds the buckets. Makes no network call: the table is checked on first use.
     *
     * @return the buckets
     */
    public DynamoDbTokenBuckets build() {
      return new DynamoDbTokenBuckets(this);
    }
  }
}
