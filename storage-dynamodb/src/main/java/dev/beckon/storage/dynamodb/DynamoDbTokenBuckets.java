package dev.beckon.storage.dynamodb;

import static dev.beckon.storage.dynamodb.DynamoDbRequests.used;

import dev.beckon.broadcast.SendLimiter;
import dev.beckon.broadcast.TokenBucket;
import dev.beckon.broadcast.TokenBuckets;
import dev.beckon.ratelimit.bucket4j.Bucket4jTokenBuckets;
import dev.beckon.ratelimit.bucket4j.BucketStateStore;
import dev.beckon.ratelimit.bucket4j.StoredState;
import dev.beckon.store.StoreException;
import dev.beckon.store.spi.StoreErrors;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

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
 * into Bucket4j core's own compare-and-swap SPI through {@code Bucket4jTokenBuckets}
 * (beckon-ratelimit-bucket4j), as {@code JdbcTokenBuckets} does. Bucket4j computes every bucket
 * state; an item is written by a conditional {@code PutItem} only if its {@code version} is still
 * the one read (or, for a new bucket, only if it does not exist yet); a refused condition makes
 * Bucket4j read again. Each take costs one consistent {@code GetItem} and one {@code PutItem} per
 * bucket (two or three buckets per send), more under contention.
 *
 * <p>The table ({@link #createTable()}, or your IaC): partition key {@code name} (S, the bucket's
 * name, at most 80 characters), no sort key, on demand; attributes {@code state} (B, Bucket4j's
 * serialized state, at most {@value #MAX_STATE_BYTES} bytes), {@code version} (N, 1, 2, ...) and
 * {@code expiresAt} (N, epoch seconds, the Time to Live attribute: when the bucket would be full
 * again, plus 10 s). An expired item still reads as the full bucket it is; DynamoDB deletes it in
 * its own time, {@link #purgeExpired()} at once (a new item per conversation sent to is written).
 *
 * <p><b>Stored state is not trusted.</b> Before Bucket4j reads an item, its version must be a
 * positive whole number and its state binary, at most {@value #MAX_STATE_BYTES} bytes, and exactly
 * the shape this process writes for the same limits (length, structure and configuration byte for
 * byte; tokens within capacity; last refill at most {@link #CLOCK_SKEW} ahead; full again after a
 * full refill). An item that fails (hand-edited, another program's, other limits, a state from the
 * future) is deleted and that call throws {@link StoreException} naming it (the worker waits and
 * asks again); the next call starts the bucket full. So a writer of the table can at worst let one
 * bucket's capacity through at once, or hold a bucket empty by writing it again and again; it
 * cannot make this process allocate more than the item's size, loop, or hang.
 *
 * <p>Every request has an API call timeout ({@link Builder#requestTimeout}) unless the client has
 * its own. Bucket4j's arithmetic runs on each process's clock: keep the clocks in step (NTP).
 * Thread-safe; the {@code DynamoDbClient} is yours and is never closed.
 */
public final class DynamoDbTokenBuckets implements TokenBuckets {

  /** The default table name. */
  public static final String DEFAULT_TABLE_NAME = "beckon_rate_limits";

  /** The most bytes of a stored state that are read; a longer one is refused. */
  public static final int MAX_STATE_BYTES = Bucket4jTokenBuckets.MAX_STATE_BYTES;

  /**
   * How far the processes' clocks may differ before one's states look foreign to another: {@link
   * Bucket4jTokenBuckets#CLOCK_SKEW}, the same for every store (10 min).
   */
  public static final Duration CLOCK_SKEW = Bucket4jTokenBuckets.CLOCK_SKEW;

  static final String NAME = "name";
  static final String STATE = "state";
  static final String VERSION = "version";
  static final String EXPIRES = "expiresAt";

  /** The names every expression of this table may use; {@code used} picks those it does. */
  private static final Map<String, String> NAMES =
      Map.of("#n", NAME, "#s", STATE, "#v", VERSION, "#e", EXPIRES);

  private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,17}");
  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbTokenBuckets.class);

  private final DynamoDbClient client;
  private final String tableName;
  private final Clock clock;
  private final Duration createTableTimeout;
  private final @Nullable AwsRequestOverrideConfiguration timeout;
  private final Bucket4jTokenBuckets buckets;

  private DynamoDbTokenBuckets(Builder b) {
    this.client = b.client;
    this.tableName = b.tableName;
    this.clock = b.clock;
    this.createTableTimeout = b.createTableTimeout;
    this.timeout = DynamoDbRequests.timeout(client, b.requestTimeout);
    this.buckets = Bucket4jTokenBuckets.over(new Items(), this, "item");
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
    try {
      return DynamoDbRequests.createTable(
          client,
          tableName,
          r ->
              r.attributeDefinitions(
                      a -> a.attributeName(NAME).attributeType(ScalarAttributeType.S))
                  .keySchema(k -> k.attributeName(NAME).keyType(KeyType.HASH)),
          EXPIRES,
          timeout,
          createTableTimeout,
          LOG,
          "fleet-wide token buckets");
    } catch (SdkException e) {
      throw StoreErrors.failure(this, "createTable", e);
    }
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
                          .expressionAttributeNames(used("#e < :now #n", NAMES))
                          .expressionAttributeValues(now)
                          .overrideConfiguration(timeout))
              .items()) {
        try {
          client.deleteItem(
              r ->
                  r.tableName(tableName)
                      .key(key)
                      .conditionExpression("#e < :now")
                      .expressionAttributeNames(used("#e < :now", NAMES))
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

  /**
   * {@inheritDoc}
   *
   * @throws StoreException when DynamoDB fails ({@code TableMissingException} when the table does
   *     not exist), or when the bucket's item cannot be read (see the class comment: it is then
   *     deleted); the message names the item
   */
  @Override
  public long tryTake(String name, List<TokenBucket> limits) {
    return buckets.tryTake(name, limits);
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreException when DynamoDB fails, or when the bucket's item cannot be read
   */
  @Override
  public void giveBack(String name, List<TokenBucket> limits) {
    buckets.giveBack(name, limits);
  }

  private StoreException failure(String operation, SdkException e) {
    return e instanceof ResourceNotFoundException
        ? StoreErrors.tableMissing(
            this, operation, "create it with DynamoDbTokenBuckets.createTable()", e)
        : StoreErrors.failure(this, operation, e);
  }

  @Override
  public String toString() {
    return "DynamoDbTokenBuckets[table " + tableName + "]";
  }

  /** One consistent {@code GetItem} per read, one conditional {@code PutItem} per write. */
  private final class Items implements BucketStateStore {

    @Override
    public StoredState read(String name) {
      Map<String, AttributeValue> item =
          client
              .getItem(
                  r ->
                      r.tableName(tableName)
                          .key(Map.of(NAME, AttributeValue.fromS(name)))
                          .consistentRead(true)
                          .projectionExpression("#s, #v")
                          .expressionAttributeNames(used("#s, #v", NAMES))
                          .overrideConfiguration(timeout))
              .item();
      if (item == null || item.isEmpty()) {
        return StoredState.absent();
      }
      AttributeValue v = item.get(VERSION);
      AttributeValue s = item.get(STATE);
      String n = v == null ? null : v.n();
      SdkBytes b = s == null ? null : s.b();
      if (n == null || !NUMBER.matcher(n).matches()) {
        return StoredState.unreadable("its version is not a positive whole number");
      }
      if (b == null) {
        return StoredState.unreadable("its state is not binary");
      }
      int length = b.asByteBuffer().remaining();
      return length > MAX_STATE_BYTES
          ? StoredState.tooLong(length)
          : StoredState.of(b.asByteArrayUnsafe(), Long.parseLong(n));
    }

    @Override
    public boolean compareAndSwap(String name, StoredState read, byte[] state, long ttlMillis) {
      long expiresAt =
          ttlMillis <= 0
              ? Long.MAX_VALUE / 1000
              : Math.floorDiv(clock.millis() + ttlMillis + 999, 1000);
      Map<String, AttributeValue> item =
          Map.of(
              NAME, AttributeValue.fromS(name),
              STATE, AttributeValue.fromB(SdkBytes.fromByteArray(state)),
              VERSION, AttributeValue.fromN(Long.toString(read.version() + 1)),
              EXPIRES, AttributeValue.fromN(Long.toString(expiresAt)));
      try {
        if (!read.exists()) {
          client.putItem(
              r ->
                  r.tableName(tableName)
                      .item(item)
                      .conditionExpression("attribute_not_exists(#n)")
                      .expressionAttributeNames(used("attribute_not_exists(#n)", NAMES))
                      .overrideConfiguration(timeout));
        } else {
          client.putItem(
              r ->
                  r.tableName(tableName)
                      .item(item)
                      .conditionExpression("#v = :v")
                      .expressionAttributeNames(used("#v = :v", NAMES))
                      .expressionAttributeValues(
                          Map.of(":v", AttributeValue.fromN(Long.toString(read.version()))))
                      .overrideConfiguration(timeout));
        }
        return true;
      } catch (ConditionalCheckFailedException e) {
        return false; // another process wrote first: Bucket4j reads again
      }
    }

    @Override
    public void delete(String name) {
      client.deleteItem(
          r ->
              r.tableName(tableName)
                  .key(Map.of(NAME, AttributeValue.fromS(name)))
                  .overrideConfiguration(timeout));
    }

    @Override
    public @Nullable StoreException failure(String operation, RuntimeException e) {
      return e instanceof SdkException sdk
          ? DynamoDbTokenBuckets.this.failure(operation, sdk)
          : null;
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
