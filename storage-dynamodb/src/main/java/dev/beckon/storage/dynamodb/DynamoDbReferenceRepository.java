package dev.beckon.storage.dynamodb;

import static dev.beckon.storage.dynamodb.DynamoDbRequests.used;

import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.Segment;
import dev.beckon.store.StoreException;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.spi.AbstractReferenceRepository;
import dev.beckon.store.spi.Precondition;
import dev.beckon.store.spi.RowWrite;
import dev.beckon.store.spi.Scan;
import dev.beckon.store.spi.ScanResult;
import dev.beckon.store.spi.StoreBuilder;
import dev.beckon.store.spi.StoreErrors;
import dev.beckon.store.spi.StoreKeys;
import dev.beckon.store.spi.StoredRow;
import dev.beckon.store.spi.WriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A {@link dev.beckon.store.ReferenceRepository} in one Amazon DynamoDB table, over the AWS SDK v2
 * {@link DynamoDbClient} you bring (credentials, region, HTTP client, retries); never closed here.
 *
 * <pre>{@code
 * DynamoDbReferenceRepository repository = DynamoDbReferenceRepository.builder(client)
 *     .tableName("beckon_references")
 *     .options(StoreOptions.defaults().withTtl(Duration.ofDays(90)))
 *     .build();
 * repository.createTable();   // once, at deployment time (or create the table with your IaC)
 * }</pre>
 *
 * <p>One item per reference: {@code pk} (S, partition key) {@code channelId + "#" + bucket % 16}
 * ({@link #SHARDS}; a channel id over 1024 UTF-8 bytes becomes {@code "~" +
 * hex(SHA-256(channelId))}), {@code sk} (S, sort key) {@link ReferenceKey#hash()}, {@code
 * channelId}, {@code conversationId}, {@code tenantId} (if any), {@code bucket} (N), {@code
 * version}, {@code reference} (the JSON) and, with a TTL, {@code expiresAt} (N, epoch seconds, the
 * Time to Live attribute). One request per save, insertIfAbsent, replace ({@code PutItem}), find
 * ({@code GetItem}, consistent) and delete ({@code DeleteItem}); a refused condition returns the
 * stored item ({@code ReturnValuesOnConditionCheckFailure}), read back only where the service does
 * not. A channel listing queries its 16 shards in order, an all-channel listing scans; {@code
 * saveAll} writes batches of 25 ({@code BatchWriteItem}), retrying unprocessed items by {@link
 * StoreOptions#retry()}. DynamoDB deletes expired items lazily: {@link #purgeExpired()} deletes
 * them at once. The IAM permissions and the gotchas: the README's DynamoDB section. Thread-safe.
 */
public final class DynamoDbReferenceRepository extends AbstractReferenceRepository {

  /** Number of partition-key shards per channel: fixed, part of the stored data. */
  public static final int SHARDS = 16;

  /** The default table name. */
  public static final String DEFAULT_TABLE_NAME = "beckon_references";

  /** The default API call timeout of each request. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  static final String PK = "pk";
  static final String SK = "sk";
  static final String REFERENCE = "reference";
  private static final String EXPIRES = "expiresAt";
  // an expression names attribute x as #x; a request sends only the names and values its
  // expressions use (DynamoDB refuses others)
  private static final Map<String, String> NAMES =
      Stream.of(PK, SK, EXPIRES, "version", "tenantId", "channelId")
          .collect(Collectors.toUnmodifiableMap(n -> "#" + n, n -> n));
  private static final String EXPIRED = "#expiresAt <= :now";
  private static final String LIVE = "(attribute_not_exists(#expiresAt) OR #expiresAt > :now)";
  private static final String IF_VERSION = "#version = :expected AND " + LIVE;
  // listing positions: a channel query's "q<shard index>[.<sk>]", a table scan's "s<sk><pk>"
  private static final Pattern QUERY_AT = Pattern.compile("q(0|[1-9][0-9]?)(?:\\.([0-9a-f]{64}))?");
  private static final Pattern SCAN_AT =
      Pattern.compile("s([0-9a-f]{64})(.{1,1024})#(1[0-5]|[0-9])", Pattern.DOTALL);
  private static final ReturnValuesOnConditionCheckFailure ALL_OLD =
      ReturnValuesOnConditionCheckFailure.ALL_OLD;
  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbReferenceRepository.class);

  private final DynamoDbClient client;
  private final String tableName;
  private final @Nullable AwsRequestOverrideConfiguration timeout;
  private final Duration createTableTimeout;

  private DynamoDbReferenceRepository(Builder b) {
    super(b.storeOptions());
    this.client = b.client;
    this.tableName = b.tableName;
    this.createTableTimeout = b.createTableTimeout;
    this.timeout = DynamoDbRequests.timeout(client, b.requestTimeout);
  }

  /**
   * Starts a builder.
   *
   * @param client your DynamoDB client; never closed by the repository
   * @return the builder
   */
  public static Builder builder(DynamoDbClient client) {
    return new Builder(client);
  }

  /**
   * The table this repository uses.
   *
   * @return the table name
   */
  public String tableName() {
    return tableName;
  }

  /**
   * Creates the table if it does not exist (on demand, keys as in the class javadoc), waits until
   * it is {@code ACTIVE}, and enables Time to Live on {@code expiresAt}; where that fails
   * (dynalite, a missing permission) it logs a warning: expired items stay invisible and {@link
   * #purgeExpired()} deletes them. An existing table is only waited for.
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
                      a -> a.attributeName(PK).attributeType(ScalarAttributeType.S),
                      a -> a.attributeName(SK).attributeType(ScalarAttributeType.S))
                  .keySchema(
                      k -> k.attributeName(PK).keyType(KeyType.HASH),
                      k -> k.attributeName(SK).keyType(KeyType.RANGE)),
          EXPIRES,
          timeout,
          createTableTimeout,
          LOG,
          "conversation references");
    } catch (SdkException e) {
      throw failure("createTable", e);
    }
  }

  // ------------------------------------------------------------------ the primitives

  @Override
  protected Optional<StoredRow> read(ReferenceKey key) {
    Map<String, AttributeValue> item =
        client
            .getItem(
                r ->
                    r.tableName(tableName)
                        .key(keyOf(key))
                        .consistentRead(true)
                        .overrideConfiguration(timeout))
            .item();
    return item.isEmpty() ? Optional.empty() : Optional.of(row(item));
  }

  @Override
  protected WriteResult write(RowWrite row, Precondition precondition) {
    String condition =
        switch (precondition.kind()) {
          case ANY -> null;
          case ABSENT -> "attribute_not_exists(#pk) OR " + EXPIRED;
          case VERSION -> IF_VERSION;
        };
    Map<String, AttributeValue> values = values(precondition.version(), row.nowMillis());
    try {
      client.putItem(
          r ->
              r.tableName(tableName)
                  .item(item(row))
                  .conditionExpression(condition)
                  .expressionAttributeNames(used(condition, NAMES))
                  .expressionAttributeValues(used(condition, values))
                  .returnValuesOnConditionCheckFailure(condition == null ? null : ALL_OLD)
                  .overrideConfiguration(timeout));
      return WriteResult.ok();
    } catch (ConditionalCheckFailedException e) {
      return refusal(e, row.nowMillis());
    }
  }

  @Override
  protected WriteResult remove(ReferenceKey key, Precondition precondition, long nowMillis) {
    String expected = precondition.version();
    try {
      Map<String, AttributeValue> old =
          delete(keyOf(key), expected == null ? null : IF_VERSION, values(expected, nowMillis));
      return expected != null || (!old.isEmpty() && row(old).liveAt(nowMillis))
          ? WriteResult.ok()
          : WriteResult.refused(null);
    } catch (ConditionalCheckFailedException e) {
      return refusal(e, nowMillis);
    }
  }

  /** One {@code DeleteItem}, under a condition if any: the item deleted, else empty. */
  private Map<String, AttributeValue> delete(
      Map<String, AttributeValue> key,
      @Nullable String condition,
      Map<String, AttributeValue> values) {
    return client
        .deleteItem(
            r ->
                r.tableName(tableName)
                    .key(key)
                    .conditionExpression(condition)
                    .expressionAttributeNames(used(condition, NAMES))
                    .expressionAttributeValues(used(condition, values))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(condition == null ? null : ALL_OLD)
                    .overrideConfiguration(timeout))
        .attributes();
  }

  /** A refused condition: the item DynamoDB returned with it, else unknown (dynalite has none). */
  private static WriteResult refusal(ConditionalCheckFailedException e, long nowMillis) {
    if (e.item().isEmpty()) {
      return WriteResult.refusedUnknownVersion();
    }
    StoredRow row = row(e.item());
    return WriteResult.refused(row.liveAt(nowMillis) ? row.version() : null);
  }

  @Override
  protected ScanResult scan(Scan scan) {
    String channel = scan.channelId();
    Segment segment = scan.segment();
    // a channel reads its shards in order: only the segment's when its count divides SHARDS
    int step =
        channel == null || segment == null || SHARDS % segment.count() != 0 ? 1 : segment.count();
    int first = step == 1 ? 0 : Objects.requireNonNull(segment).index();
    int shards = channel == null ? 1 : SHARDS / step;
    Segment pick = step == 1 ? segment : null; // any other segment's items are picked by bucket
    int at = 0;
    Map<String, AttributeValue> start = null;
    String position = scan.position();
    if (position != null) {
      Matcher q = QUERY_AT.matcher(position);
      Matcher s = SCAN_AT.matcher(position);
      if (channel != null && q.matches() && (at = Integer.parseInt(q.group(1))) < shards) {
        start =
            q.group(2) == null ? null : key(partitionKey(channel, first + at * step), q.group(2));
      } else if (channel == null && s.matches() && scanKey(s)) {
        start = key(s.group(2) + "#" + s.group(3), s.group(1));
      } else {
        throw StoreErrors.badCursor("its position is not one of this listing");
      }
    }
    String filter =
        LIVE
            + (scan.tenantId() == null ? "" : " AND #tenantId = :tid")
            + (channel == null ? "" : " AND #channelId = :ch");
    Map<String, AttributeValue> values = new HashMap<>(values(null, scan.nowMillis()));
    values.put(":tid", AttributeValue.fromS(Objects.requireNonNullElse(scan.tenantId(), "")));
    values.put(":ch", AttributeValue.fromS(Objects.requireNonNullElse(channel, "")));
    List<Map<String, AttributeValue>> items;
    Map<String, AttributeValue> from = start;
    Map<String, AttributeValue> next;
    if (channel == null) {
      var r =
          client.scan(
              b ->
                  b.tableName(tableName)
                      .filterExpression(filter)
                      .expressionAttributeNames(used(filter, NAMES))
                      .expressionAttributeValues(used(filter, values))
                      .consistentRead(true)
                      .limit(scan.limit())
                      .exclusiveStartKey(from)
                      .overrideConfiguration(timeout));
      items = r.items();
      next = r.lastEvaluatedKey();
    } else {
      values.put(":pk", AttributeValue.fromS(partitionKey(channel, first + at * step)));
      var r =
          client.query(
              b ->
                  b.tableName(tableName)
                      .keyConditionExpression("#pk = :pk")
                      .filterExpression(filter)
                      .expressionAttributeNames(used(filter + "#pk", NAMES))
                      .expressionAttributeValues(used(filter + ":pk", values))
                      .consistentRead(true)
                      .limit(scan.limit())
                      .exclusiveStartKey(from)
                      .overrideConfiguration(timeout));
      items = r.items();
      next = r.lastEvaluatedKey();
    }
    List<StoredRow> rows = new ArrayList<>();
    for (Map<String, AttributeValue> item : items) {
      StoredRow row = row(item);
      if (pick == null || StoreKeys.bucketOf(row.keyHash()) % pick.count() == pick.index()) {
        rows.add(row);
      }
    }
    if (next.isEmpty()) { // this shard is done: the next one, if any
      return new ScanResult(rows, ++at < shards ? "q" + at : null);
    }
    String sk = text(next, SK);
    return new ScanResult(rows, channel != null ? "q" + at + "." + sk : "s" + sk + text(next, PK));
  }

  @Override
  protected int scansPerPage() {
    return SHARDS + 3; // a channel's shards, and a few short pages over filtered items
  }

  /** Whether a scan position's key is one of this store's: the sk's shard, a short channel. */
  private static boolean scanKey(Matcher s) {
    return Character.digit(s.group(1).charAt(7), 16) == Integer.parseInt(s.group(3))
        && s.group(2).getBytes(StandardCharsets.UTF_8).length <= 1024;
  }

  @Override
  protected long purge(long nowMillis) {
    Map<String, AttributeValue> now = values(null, nowMillis);
    long deleted = 0;
    for (Map<String, AttributeValue> key :
        client
            .scanPaginator(
                r ->
                    r.tableName(tableName)
                        .filterExpression(EXPIRED)
                        .projectionExpression("#pk, #sk")
                        .expressionAttributeNames(used(EXPIRED + "#pk#sk", NAMES))
                        .expressionAttributeValues(used(EXPIRED, now))
                        .overrideConfiguration(timeout))
            .items()) {
      try {
        delete(key, EXPIRED, now); // conditional: a reference saved again since is not deleted
        deleted++;
      } catch (ConditionalCheckFailedException e) {
        // saved again or deleted since the scan
      }
    }
    return deleted;
  }

  @Override
  protected int batchSize() {
    return 25; // BatchWriteItem's limit
  }

  @Override
  protected void writeBatch(List<RowWrite> rows) {
    retryUnprocessed(
        "BatchWriteItem",
        "dynamodb.saveAll",
        rows.stream()
            .map(r -> WriteRequest.builder().putRequest(p -> p.item(item(r))).build())
            .toList(),
        pending ->
            client
                .batchWriteItem(
                    b -> b.requestItems(Map.of(tableName, pending)).overrideConfiguration(timeout))
                .unprocessedItems()
                .getOrDefault(tableName, List.of()));
  }

  @Override
  protected String location() {
    return "table " + tableName;
  }

  @Override
  protected StoreException failure(String operation, RuntimeException e) {
    return e instanceof ResourceNotFoundException
        ? StoreErrors.tableMissing(
            this, operation, "create it with DynamoDbReferenceRepository.createTable()", e)
        : super.failure(operation, e);
  }

  // ------------------------------------------------------------------ items

  /** The item of a row: under DynamoDB's 400 KB, as core caps the JSON at 32 KiB. */
  private static Map<String, AttributeValue> item(RowWrite row) {
    ReferenceDocument doc = row.document();
    Map<String, AttributeValue> item = new HashMap<>(keyOf(doc.key()));
    item.put("channelId", AttributeValue.fromS(doc.key().channelId()));
    item.put("conversationId", AttributeValue.fromS(doc.key().conversationId()));
    String tenant = doc.tenantId();
    if (tenant != null && !tenant.isEmpty()) {
      item.put("tenantId", AttributeValue.fromS(tenant));
    }
    item.put("bucket", AttributeValue.fromN(Integer.toString(doc.bucket())));
    item.put("version", AttributeValue.fromS(row.version()));
    item.put(REFERENCE, AttributeValue.fromS(doc.json()));
    if (row.expires()) {
      item.put(EXPIRES, seconds(row.expiresAtMillis() + 999)); // rounded up to a whole second
    }
    return item;
  }

  private static Map<String, AttributeValue> keyOf(ReferenceKey key) {
    return key(partitionKey(key.channelId(), Math.floorMod(key.bucket(), SHARDS)), key.hash());
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
  }

  /** The partition key of shard 0 to {@link #SHARDS} - 1 of a channel (hashed over 1024 bytes). */
  static String partitionKey(String channelId, int shard) {
    boolean fits = channelId.getBytes(StandardCharsets.UTF_8).length <= 1024;
    return (fits ? channelId : "~" + StoreKeys.hex("SHA-256", channelId)) + "#" + shard;
  }

  /** A stored item as a row: an {@code expiresAt} not a whole number of seconds is expired. */
  private static StoredRow row(Map<String, AttributeValue> item) {
    AttributeValue e = item.get(EXPIRES);
    String n = e == null ? null : Objects.requireNonNullElse(e.n(), "");
    long expires = n == null ? 0 : !n.matches("[1-9][0-9]{0,14}") ? 1 : Long.parseLong(n) * 1000;
    return new StoredRow(
        Objects.requireNonNullElse(text(item, SK), ""),
        text(item, "channelId"),
        text(item, "conversationId"),
        text(item, REFERENCE),
        text(item, "version"),
        expires);
  }

  private static @Nullable String text(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  /** The values of the conditions: {@code :now} in epoch seconds, and {@code :expected}. */
  private static Map<String, AttributeValue> values(@Nullable String expected, long nowMillis) {
    return Map.of(
        ":now", seconds(nowMillis),
        ":expected", AttributeValue.fromS(Objects.requireNonNullElse(expected, "")));
  }

  private static AttributeValue seconds(long millis) {
    return AttributeValue.fromN(Long.toString(Math.floorDiv(millis, 1000L)));
  }

  /** Configures a {@link DynamoDbReferenceRepository}. Not thread-safe. */
  public static final class Builder extends StoreBuilder<Builder> {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private final DynamoDbClient client;
    private String tableName = DEFAULT_TABLE_NAME;
    private @Nullable Duration requestTimeout;
    private Duration createTableTimeout = Duration.ofMinutes(5);

    private Builder(DynamoDbClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Sets the table name (default {@value DynamoDbReferenceRepository#DEFAULT_TABLE_NAME}).
     *
     * @param value 3 to 255 characters of {@code A-Z a-z 0-9 _ - .}
     * @return this builder
     */
    public Builder tableName(String value) {
      this.tableName =
          requireMatch(value, TABLE_NAME, "tableName", "3 to 255 characters of A-Z a-z 0-9 _ - .");
      return this;
    }

    /**
     * Sets the API call timeout of every request (retries included). Default: the client's own
     * {@code apiCallTimeout} when it has one, else {@link #DEFAULT_REQUEST_TIMEOUT} (10 s).
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = requirePositive(value, "requestTimeout");
      return this;
    }

    /**
     * Sets how long {@link #createTable()} waits for the table to become active (default 5 min).
     *
     * @param value a positive duration
     * @return this builder
     */
    public Builder createTableTimeout(Duration value) {
      this.createTableTimeout = requirePositive(value, "createTableTimeout");
      return this;
    }

    /**
     * Builds the repository. Makes no network call: the table is checked on first use.
     *
     * @return the repository
     */
    public DynamoDbReferenceRepository build() {
      return new DynamoDbReferenceRepository(this);
    }
  }
}
