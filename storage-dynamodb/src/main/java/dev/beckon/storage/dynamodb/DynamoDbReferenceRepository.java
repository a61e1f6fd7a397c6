package dev.beckon.storage.dynamodb;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.PurgeableRepository;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.Segment;
import dev.beckon.store.StoreException;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.StoredReference;
import dev.beckon.store.TableMissingException;
import dev.beckon.store.UnreadableReference;
import dev.beckon.store.UnreadableReferenceException;
import dev.beckon.store.VersionConflictException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A {@link dev.beckon.store.ReferenceRepository} in one Amazon DynamoDB table, over the AWS SDK for
 * Java v2. You bring the {@link DynamoDbClient} (credentials, region, HTTP client, retries are
 * yours); the repository never closes it.
 *
 * <pre>{@code
 * DynamoDbClient client = DynamoDbClient.builder()
 *     .region(Region.EU_WEST_1)
 *     .httpClient(UrlConnectionHttpClient.create())    // or ApacheHttpClient / Apache5HttpClient
 *     .build();
 * DynamoDbReferenceRepository repository = DynamoDbReferenceRepository.builder(client)
 *     .tableName("beckon_references")
 *     .options(StoreOptions.defaults().withTtl(Duration.ofDays(90)))
 *     .build();
 * repository.createTable();   // once, at deployment time (or create the table with your IaC)
 * }</pre>
 *
 * <h2>Table design</h2>
 *
 * <table>
 *   <caption>Attributes of one item (one reference)</caption>
 *   <tr><th>attribute</th><th>type</th><th>content</th></tr>
 *   <tr><td>{@code pk}</td><td>S, partition key</td><td>{@code channelId + "#" + shard}, where
 *       {@code shard = key.bucket() % 16} ({@link #SHARDS}); a channel id longer than 1024 UTF-8
 *       bytes is replaced by {@code "~" + hex(SHA-256(channelId))} here (keys are limited to
 *       2048 bytes)</td></tr>
 *   <tr><td>{@code sk}</td><td>S, sort key</td><td>{@link ReferenceKey#hash()}: 64 hex chars</td></tr>
 *   <tr><td>{@code channelId}</td><td>S</td><td>the channel id, exactly</td></tr>
 *   <tr><td>{@code conversationId}</td><td>S</td><td>the conversation id, exactly</td></tr>
 *   <tr><td>{@code tenantId}</td><td>S</td><td>{@code conversation.tenantId}; absent when there is none</td></tr>
 *   <tr><td>{@code bucket}</td><td>N</td><td>{@link ReferenceKey#bucket()}, for segments</td></tr>
 *   <tr><td>{@code version}</td><td>S</td><td>random 128-bit version token of the last write</td></tr>
 *   <tr><td>{@code reference}</td><td>S</td><td>the canonical v4 reference JSON</td></tr>
 *   <tr><td>{@code expiresAt}</td><td>N</td><td>epoch seconds; only with a TTL. {@link #createTable()}
 *       makes it the table's Time to Live attribute</td></tr>
 * </table>
 *
 * <p>Why this shape: the 16 shards spread one busy channel (Teams) over 16 partition key values, so
 * writes of a single channel never concentrate on one partition, while listing one channel stays a
 * {@code Query} of 16 partitions (never a table scan). Listing every channel is a {@code Scan}. No
 * secondary index is needed. The shard count is part of the stored data: it never changes.
 *
 * <h2>Semantics</h2>
 *
 * <ul>
 *   <li>{@code save}: one {@code PutItem} (last write wins); {@code find}: one strongly consistent
 *       {@code GetItem}.
 *   <li>{@code insertIfAbsent}: {@code PutItem} with {@code attribute_not_exists(pk) OR expiresAt
 *       <= :now} (an expired item counts as absent); {@code replace} and versioned {@code delete}:
 *       conditions on {@code version}.
 *   <li>Expiry: DynamoDB deletes expired items lazily (often days later), so every read also
 *       filters them with the injected clock; {@link #purgeExpired()} deletes them on demand.
 *   <li>Listing: a channel listing queries the channel's shards in order; an all-channel listing
 *       scans. Reads are strongly consistent. The cursor wraps DynamoDB's {@code LastEvaluatedKey};
 *       a page may hold fewer items than the page size (filters are applied after DynamoDB's {@code
 *       Limit}).
 *   <li>Segments: an all-channel listing uses DynamoDB's parallel scan ({@code Segment}/{@code
 *       TotalSegments}); a channel listing uses {@code bucket % count == index}: with a count that
 *       divides 16 each segment queries only its own shards, with any other count every segment
 *       reads the channel's shards and keeps its own items.
 *   <li>{@code saveAll}: {@code BatchWriteItem} in batches of 25, retrying unprocessed items with
 *       backoff; a key given twice is written once, with its last reference.
 * </ul>
 *
 * <p>Every request carries an API call timeout ({@link Builder#requestTimeout}, default 10 s)
 * unless the client was built with its own {@code apiCallTimeout}.
 *
 * <p>Thread-safe: one instance per table, shared by every thread.
 */
public final class DynamoDbReferenceRepository implements PurgeableRepository {

  /** Number of partition-key shards per channel: fixed, part of the stored data. */
  public static final int SHARDS = 16;

  /** The default table name. */
  public static final String DEFAULT_TABLE_NAME = "beckon_references";

  /** The default API call timeout of each request. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  static final String PK = "pk";
  static final String SK = "sk";
  static final String CHANNEL = "channelId";
  static final String CONVERSATION = "conversationId";
  static final String TENANT = "tenantId";
  static final String BUCKET = "bucket";
  static final String VERSION = "version";
  static final String REFERENCE = "reference";
  static final String EXPIRES = "expiresAt";

  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbReferenceRepository.class);
  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
  private static final int BATCH_SIZE = 25;
  private static final int MAX_CHANNEL_KEY_BYTES = 1024;
  private static final String NOT_EXPIRED = "(attribute_not_exists(#exp) OR #exp > :now)";
  private static final int MAX_BATCH_ATTEMPTS = 10;

  private final DynamoDbClient client;
  private final String tableName;
  private final StoreOptions options;
  private final @Nullable AwsRequestOverrideConfiguration timeout;
  private final Duration createTableTimeout;

  private DynamoDbReferenceRepository(Builder b) {
    this.client = b.client;
    this.tableName = b.tableName;
    this.options = b.options;
    this.createTableTimeout = b.createTableTimeout;
    Duration t = b.requestTimeout;
    if (t == null && !clientHasOwnTimeout(b.client)) {
      t = DEFAULT_REQUEST_TIMEOUT;
    }
    this.timeout =
        t == null ? null : AwsRequestOverrideConfiguration.builder().apiCallTimeout(t).build();
  }

  /**
   * Names the backend and the table, e.g. {@code DynamoDbReferenceRepository[table beckon]}; never
   * the client's endpoint or credentials.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "DynamoDbReferenceRepository[table " + tableName + "]";
  }

  private static boolean clientHasOwnTimeout(DynamoDbClient client) {
    try {
      return client
          .serviceClientConfiguration()
          .overrideConfiguration()
          .apiCallTimeout()
          .isPresent();
    } catch (RuntimeException e) {
      return false; // a client that does not expose its configuration gets our timeout
    }
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

  // ------------------------------------------------------------------ schema

  /**
   * Creates the table if it does not exist (on-demand billing, keys as in the class javadoc), waits
   * until it is {@code ACTIVE}, and enables Time to Live on {@code expiresAt}. Needs {@code
   * dynamodb:CreateTable}, {@code DescribeTable} and {@code UpdateTimeToLive}. Where Time to Live
   * cannot be enabled (a service without it, such as dynalite, or a missing permission) a warning
   * is logged and the table is still usable: expired references stay invisible to reads and {@link
   * #purgeExpired()} removes them. When the table exists already, this only waits until it is
   * active and changes nothing (not even Time to Live).
   *
   * @return {@code true} when the table was created, {@code false} when it existed already
   * @throws StoreException when the table cannot be created or does not become active in time
   */
  public boolean createTable() {
    boolean created;
    try {
      client.createTable(
          r ->
              r.tableName(tableName)
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName(PK)
                          .attributeType(ScalarAttributeType.S)
                          .build(),
                      AttributeDefinition.builder()
                          .attributeName(SK)
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                      KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .overrideConfiguration(timeout));
      created = true;
      LOG.info("Created DynamoDB table {} (on demand) for conversation references", tableName);
    } catch (ResourceInUseException e) {
      created = false;
      LOG.debug("DynamoDB table {} exists already", tableName);
    } catch (SdkException e) {
      throw new StoreException(
          "Could not create DynamoDB table '" + tableName + "': " + e.getMessage(), e);
    }
    awaitActive();
    if (created) {
      enableTimeToLive();
    }
    return created;
  }

  private void awaitActive() {
    long deadline = System.nanoTime() + createTableTimeout.toNanos();
    while (true) {
      TableStatus status =
          call(
              "DescribeTable",
              () ->
                  client
                      .describeTable(r -> r.tableName(tableName).overrideConfiguration(timeout))
                      .table()
                      .tableStatus());
      if (status == TableStatus.ACTIVE) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new StoreException(
            "DynamoDB table '"
                + tableName
                + "' is still "
                + status
                + " after "
                + createTableTimeout,
            null);
      }
      sleep(200);
    }
  }

  private void enableTimeToLive() {
    try {
      client.updateTimeToLive(
          r ->
              r.tableName(tableName)
                  .timeToLiveSpecification(s -> s.enabled(true).attributeName(EXPIRES))
                  .overrideConfiguration(timeout));
      LOG.debug("enabled Time to Live on {}.{}", tableName, EXPIRES);
    } catch (SdkException e) {
      String code =
          e instanceof DynamoDbException d && d.awsErrorDetails() != null
              ? d.awsErrorDetails().errorCode()
              : e.getClass().getSimpleName();
      LOG.warn(
          "Could not enable Time to Live on DynamoDB table '{}' (attribute {}): {}. Expired references "
              + "stay invisible to reads; call purgeExpired() to delete them.",
          tableName,
          EXPIRES,
          code);
    }
  }

  // ------------------------------------------------------------------ writes

  @Override
  public StoredReference save(ConversationReference reference) {
    ReferenceDocument doc = ReferenceDocument.of(reference);
    String version = newVersion();
    Map<String, AttributeValue> item = item(doc, version, options.expiryOfWriteNow().orElse(null));
    call(
        "PutItem",
        () ->
            client.putItem(r -> r.tableName(tableName).item(item).overrideConfiguration(timeout)));
    return new StoredReference(reference, version);
  }

  @Override
  public Optional<StoredReference> insertIfAbsent(ConversationReference reference) {
    ReferenceDocument doc = ReferenceDocument.of(reference);
    String version = newVersion();
    Map<String, AttributeValue> item = item(doc, version, options.expiryOfWriteNow().orElse(null));
    try {
      call(
          "PutItem",
          () ->
              client.putItem(
                  r ->
                      r.tableName(tableName)
                          .item(item)
                          .conditionExpression("attribute_not_exists(#pk) OR #exp <= :now")
                          .expressionAttributeNames(Map.of("#pk", PK, "#exp", EXPIRES))
                          .expressionAttributeValues(Map.of(":now", number(nowSeconds())))
                          .overrideConfiguration(timeout)));
      return Optional.of(new StoredReference(reference, version));
    } catch (ConditionalCheckFailedException e) {
      return Optional.empty();
    }
  }

  @Override
  public StoredReference replace(ConversationReference reference, String expectedVersion) {
    Objects.requireNonNull(expectedVersion, "expectedVersion");
    ReferenceDocument doc = ReferenceDocument.of(reference);
    String version = newVersion();
    Map<String, AttributeValue> item = item(doc, version, options.expiryOfWriteNow().orElse(null));
    try {
      call(
          "PutItem",
          () ->
              client.putItem(
                  r ->
                      r.tableName(tableName)
                          .item(item)
                          .conditionExpression("#ver = :expected AND " + NOT_EXPIRED)
                          .expressionAttributeNames(Map.of("#ver", VERSION, "#exp", EXPIRES))
                          .expressionAttributeValues(
                              Map.of(
                                  ":expected",
                                  string(expectedVersion),
                                  ":now",
                                  number(nowSeconds())))
                          .overrideConfiguration(timeout)));
      return new StoredReference(reference, version);
    } catch (ConditionalCheckFailedException e) {
      throw new VersionConflictException(doc.key(), expectedVersion, currentVersion(doc.key()));
    }
  }

  @Override
  public List<StoredReference> saveAll(Collection<ConversationReference> references) {
    List<StoredReference> out = new ArrayList<>(references.size());
    // last write wins inside one call: a key given twice is written once, with its last item
    Map<String, Map<String, AttributeValue>> latest = new LinkedHashMap<>();
    Instant expiry = options.expiryOfWriteNow().orElse(null);
    for (ConversationReference reference : references) {
      ReferenceDocument doc = ReferenceDocument.of(reference);
      String version = newVersion();
      latest.remove(doc.keyHash());
      latest.put(doc.keyHash(), item(doc, version, expiry));
      out.add(new StoredReference(reference, version));
    }
    List<WriteRequest> writes = new ArrayList<>(latest.size());
    for (Map<String, AttributeValue> item : latest.values()) {
      writes.add(
          WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
    }
    for (int from = 0; from < writes.size(); from += BATCH_SIZE) {
      writeBatch(
          writes.subList(from, Math.min(writes.size(), from + BATCH_SIZE)), from, writes.size());
    }
    return out;
  }

  private void writeBatch(List<WriteRequest> batch, int savedBefore, int total) {
    List<WriteRequest> pending = batch;
    for (int attempt = 1; ; attempt++) {
      Map<String, List<WriteRequest>> request = Map.of(tableName, pending);
      BatchWriteItemResponse response =
          call(
              "BatchWriteItem",
              () ->
                  client.batchWriteItem(
                      r -> r.requestItems(request).overrideConfiguration(timeout)));
      List<WriteRequest> unprocessed =
          response.hasUnprocessedItems()
              ? response.unprocessedItems().getOrDefault(tableName, List.of())
              : List.of();
      if (unprocessed.isEmpty()) {
        return;
      }
      if (attempt >= MAX_BATCH_ATTEMPTS) {
        throw new StoreException(
            "DynamoDB BatchWriteItem on table '"
                + tableName
                + "' left "
                + unprocessed.size()
                + " items unprocessed after "
                + attempt
                + " attempts (throttled); "
                + savedBefore
                + " of "
                + total
                + " distinct references were saved before this batch",
            null);
      }
      LOG.debug(
          "BatchWriteItem on {}: {} unprocessed items, attempt {}",
          tableName,
          unprocessed.size(),
          attempt);
      pending = unprocessed;
      long backoff = Math.min(2000, 25L << attempt);
      sleep(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
    }
  }

  // ------------------------------------------------------------------ reads and deletes

  @Override
  public Optional<StoredReference> find(ReferenceKey key) {
    Map<String, AttributeValue> k = keyOf(key);
    GetItemResponse response =
        call(
            "GetItem",
            () ->
                client.getItem(
                    r ->
                        r.tableName(tableName)
                            .key(k)
                            .consistentRead(true)
                            .overrideConfiguration(timeout)));
    if (!response.hasItem() || response.item().isEmpty() || isExpired(response.item())) {
      return Optional.empty();
    }
    Map<String, AttributeValue> item = response.item();
    return Optional.of(ReferenceDocument.read(key, text(item, REFERENCE), text(item, VERSION)));
  }

  @Override
  public boolean delete(ReferenceKey key) {
    Map<String, AttributeValue> k = keyOf(key);
    DeleteItemResponse response =
        call(
            "DeleteItem",
            () ->
                client.deleteItem(
                    r ->
                        r.tableName(tableName)
                            .key(k)
                            .returnValues(ReturnValue.ALL_OLD)
                            .overrideConfiguration(timeout)));
    return response.hasAttributes()
        && !response.attributes().isEmpty()
        && !isExpired(response.attributes());
  }

  @Override
  public boolean delete(ReferenceKey key, String expectedVersion) {
    Objects.requireNonNull(expectedVersion, "expectedVersion");
    Map<String, AttributeValue> k = keyOf(key);
    try {
      call(
          "DeleteItem",
          () ->
              client.deleteItem(
                  r ->
                      r.tableName(tableName)
                          .key(k)
                          .conditionExpression("#ver = :expected AND " + NOT_EXPIRED)
                          .expressionAttributeNames(Map.of("#ver", VERSION, "#exp", EXPIRES))
                          .expressionAttributeValues(
                              Map.of(
                                  ":expected",
                                  string(expectedVersion),
                                  ":now",
                                  number(nowSeconds())))
                          .overrideConfiguration(timeout)));
      return true;
    } catch (ConditionalCheckFailedException e) {
      String actual = currentVersion(key);
      if (actual == null) {
        return false;
      }
      throw new VersionConflictException(key, expectedVersion, actual);
    }
  }

  private @Nullable String currentVersion(ReferenceKey key) {
    return find(key).map(StoredReference::version).orElse(null);
  }

  @Override
  public long purgeExpired() {
    long deleted = 0;
    Map<String, AttributeValue> start = null;
    AttributeValue now = number(nowSeconds());
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse page =
          call(
              "Scan",
              () ->
                  client.scan(
                      r ->
                          r.tableName(tableName)
                              .filterExpression("#exp <= :now")
                              .projectionExpression("#pk, #sk")
                              .expressionAttributeNames(
                                  Map.of("#exp", EXPIRES, "#pk", PK, "#sk", SK))
                              .expressionAttributeValues(Map.of(":now", now))
                              .exclusiveStartKey(from)
                              .overrideConfiguration(timeout)));
      for (Map<String, AttributeValue> item : page.items()) {
        Map<String, AttributeValue> k = Map.of(PK, item.get(PK), SK, item.get(SK));
        try {
          // conditional: a reference saved again since the scan is not deleted
          call(
              "DeleteItem",
              () ->
                  client.deleteItem(
                      r ->
                          r.tableName(tableName)
                              .key(k)
                              .conditionExpression("#exp <= :now")
                              .expressionAttributeNames(Map.of("#exp", EXPIRES))
                              .expressionAttributeValues(Map.of(":now", now))
                              .overrideConfiguration(timeout)));
          deleted++;
        } catch (ConditionalCheckFailedException e) {
          LOG.debug("{}: item refreshed or deleted during purge", tableName);
        }
      }
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    LOG.debug("purged {} expired references from {}", deleted, tableName);
    return deleted;
  }

  // ------------------------------------------------------------------ listing

  @Override
  public Page list(ListQuery query) {
    Objects.requireNonNull(query, "query");
    return query.channelId() == null ? scan(query) : queryChannel(query);
  }

  private Page queryChannel(ListQuery query) {
    String channel = Objects.requireNonNull(query.channelId());
    Segment segment = query.segment();
    int[] shards = shardsOf(segment);
    // with a count that does not divide SHARDS, the segment's items are picked client-side
    Segment pick = segment != null && SHARDS % segment.count() != 0 ? segment : null;
    long fingerprint =
        ListCursor.fingerprint(
            tableName,
            'Q',
            channel,
            query.tenantId(),
            segment == null ? null : segment.index() + "/" + segment.count());
    int position = 0;
    Map<String, AttributeValue> start = null;
    if (query.cursor() != null) {
      ListCursor c = ListCursor.decode(query.cursor(), 'Q', fingerprint, shards.length);
      position = c.position();
      if (c.hasStartKey()) {
        start = startKey(c);
      }
    }
    StringBuilder filter = new StringBuilder("#ch = :ch AND ").append(NOT_EXPIRED);
    Map<String, String> names = new HashMap<>(Map.of("#pk", PK, "#ch", CHANNEL, "#exp", EXPIRES));
    Map<String, AttributeValue> values =
        new HashMap<>(Map.of(":ch", string(channel), ":now", number(nowSeconds())));
    if (query.tenantId() != null) {
      filter.append(" AND #tid = :tid");
      names.put("#tid", TENANT);
      values.put(":tid", string(query.tenantId()));
    }
    List<StoredReference> items = new ArrayList<>();
    List<UnreadableReference> unreadable = new ArrayList<>();
    int requests = 0;
    int maxRequests = shards.length + 4;
    while (position < shards.length
        && items.size() + unreadable.size() < query.pageSize()
        && requests < maxRequests) {
      int limit = query.pageSize() - items.size() - unreadable.size();
      Map<String, AttributeValue> from = start;
      values.put(":pk", string(partitionKey(channel, shards[position])));
      Map<String, AttributeValue> vals = Map.copyOf(values);
      QueryResponse response =
          call(
              "Query",
              () ->
                  client.query(
                      r ->
                          r.tableName(tableName)
                              .keyConditionExpression("#pk = :pk")
                              .filterExpression(filter.toString())
                              .expressionAttributeNames(names)
                              .expressionAttributeValues(vals)
                              .consistentRead(true)
                              .limit(limit)
                              .exclusiveStartKey(from)
                              .overrideConfiguration(timeout)));
      requests++;
      for (Map<String, AttributeValue> item : response.items()) {
        if (pick == null || bucketOf(item) % pick.count() == pick.index()) {
          add(item, items, unreadable);
        }
      }
      if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
        start = response.lastEvaluatedKey();
      } else {
        start = null;
        position++;
      }
    }
    String next = null;
    if (position < shards.length) {
      next =
          new ListCursor(
                  'Q',
                  fingerprint,
                  position,
                  start == null ? null : keyPart(start, PK),
                  start == null ? null : keyPart(start, SK))
              .encode();
    }
    return new Page(items, next, unreadable);
  }

  private Page scan(ListQuery query) {
    Segment segment = query.segment();
    long fingerprint =
        ListCursor.fingerprint(
            tableName,
            'S',
            null,
            query.tenantId(),
            segment == null ? null : segment.index() + "/" + segment.count());
    Map<String, AttributeValue> start = null;
    if (query.cursor() != null) {
      ListCursor c = ListCursor.decode(query.cursor(), 'S', fingerprint, 1);
      if (!c.hasStartKey()) {
        throw new IllegalArgumentException(
            "Invalid listing cursor for the DynamoDB reference store: "
                + "a scan cursor must carry a start key");
      }
      start = startKey(c);
    }
    StringBuilder filter = new StringBuilder(NOT_EXPIRED);
    Map<String, String> names = new HashMap<>(Map.of("#exp", EXPIRES));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", number(nowSeconds())));
    if (query.tenantId() != null) {
      filter.append(" AND #tid = :tid");
      names.put("#tid", TENANT);
      values.put(":tid", string(query.tenantId()));
    }
    boolean parallel = segment != null && segment.count() > 1;
    List<StoredReference> items = new ArrayList<>();
    List<UnreadableReference> unreadable = new ArrayList<>();
    int requests = 0;
    boolean done = false;
    while (!done && items.size() + unreadable.size() < query.pageSize() && requests < 4) {
      int limit = query.pageSize() - items.size() - unreadable.size();
      ScanRequest.Builder request =
          ScanRequest.builder()
              .tableName(tableName)
              .filterExpression(filter.toString())
              .expressionAttributeNames(names)
              .expressionAttributeValues(values)
              .consistentRead(true)
              .limit(limit)
              .exclusiveStartKey(start)
              .overrideConfiguration(timeout);
      if (parallel && segment != null) {
        request.segment(segment.index()).totalSegments(segment.count());
      }
      ScanRequest built = request.build();
      ScanResponse response = call("Scan", () -> client.scan(built));
      requests++;
      for (Map<String, AttributeValue> item : response.items()) {
        add(item, items, unreadable);
      }
      if (response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()) {
        start = response.lastEvaluatedKey();
      } else {
        done = true;
      }
    }
    // not done: the last request answered a LastEvaluatedKey (the loop runs at least once)
    String next =
        done
            ? null
            : cursorAt(fingerprint, Objects.requireNonNull(start, "the scan's last key")).encode();
    return new Page(items, next, unreadable);
  }

  /** The start key a cursor carries ({@link ListCursor#hasStartKey()} is true). */
  private static Map<String, AttributeValue> startKey(ListCursor c) {
    return Map.of(
        PK,
        string(Objects.requireNonNull(c.pk(), "the cursor's pk")),
        SK,
        string(Objects.requireNonNull(c.sk(), "the cursor's sk")));
  }

  private static ListCursor cursorAt(long fingerprint, Map<String, AttributeValue> start) {
    return new ListCursor('S', fingerprint, 0, keyPart(start, PK), keyPart(start, SK));
  }

  /**
   * One attribute of a key that DynamoDB answered or that a cursor carried: both have PK and SK.
   */
  private static String keyPart(Map<String, AttributeValue> key, String name) {
    return Objects.requireNonNull(key.get(name), () -> "the key has no " + name).s();
  }

  /** The shards a channel listing reads, in order. */
  private static int[] shardsOf(@Nullable Segment segment) {
    if (segment == null || SHARDS % segment.count() != 0) {
      int[] all = new int[SHARDS];
      for (int i = 0; i < SHARDS; i++) {
        all[i] = i;
      }
      return all;
    }
    // bucket % count == (bucket % SHARDS) % count when count divides SHARDS
    int[] own = new int[SHARDS / segment.count()];
    for (int i = 0, s = segment.index(); s < SHARDS; s += segment.count()) {
      own[i++] = s;
    }
    return own;
  }

  // ------------------------------------------------------------------ items

  /**
   * The item of a reference. It always fits DynamoDB's 400 KB item limit: core caps the JSON at
   * {@link ReferenceDocument#MAX_JSON_BYTES} (32 KiB), and the other attributes repeat strings of
   * that JSON (channel, conversation, tenant) or are short (hashes, numbers), so an item is at most
   * about 4 × 32 KiB — no size check is needed here.
   *
   * @param doc the document
   * @param version the version token
   * @param expiry when it expires, or {@code null}
   * @return the attributes
   */
  static Map<String, AttributeValue> item(
      ReferenceDocument doc, String version, @Nullable Instant expiry) {
    Map<String, AttributeValue> item = new HashMap<>(16);
    item.put(PK, string(partitionKey(doc.key().channelId(), Math.floorMod(doc.bucket(), SHARDS))));
    item.put(SK, string(doc.keyHash()));
    item.put(CHANNEL, string(doc.key().channelId()));
    item.put(CONVERSATION, string(doc.key().conversationId()));
    if (doc.tenantId() != null && !doc.tenantId().isEmpty()) {
      item.put(TENANT, string(doc.tenantId()));
    }
    item.put(BUCKET, number(doc.bucket()));
    item.put(VERSION, string(version));
    item.put(REFERENCE, string(doc.json()));
    if (expiry != null) {
      item.put(EXPIRES, number(expiry.getEpochSecond() + (expiry.getNano() > 0 ? 1 : 0)));
    }
    return item;
  }

  private static Map<String, AttributeValue> keyOf(ReferenceKey key) {
    return Map.of(
        PK, string(partitionKey(key.channelId(), Math.floorMod(key.bucket(), SHARDS))),
        SK, string(key.hash()));
  }

  /**
   * The partition key of a channel's shard.
   *
   * @param channelId the channel
   * @param shard 0 to {@link #SHARDS} - 1
   * @return {@code channelId#shard}, or {@code ~sha256hex#shard} for a channel id over 1024 bytes
   */
  static String partitionKey(String channelId, int shard) {
    String channel = channelId;
    byte[] bytes = channelId.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_CHANNEL_KEY_BYTES) {
      channel = "~" + HexFormat.of().formatHex(ListCursor.sha256(bytes));
    }
    return channel + "#" + shard;
  }

  /** Adds a listed item to the page's references, or to its unreadable rows. */
  private static void add(
      Map<String, AttributeValue> item,
      List<StoredReference> items,
      List<UnreadableReference> unreadable) {
    String keyHash = text(item, SK);
    try {
      items.add(
          ReferenceDocument.read(
              keyHash == null ? "" : keyHash,
              text(item, CHANNEL),
              text(item, CONVERSATION),
              text(item, REFERENCE),
              text(item, VERSION)));
    } catch (UnreadableReferenceException e) {
      unreadable.add(e.unreadable());
    }
  }

  /** A string attribute, or {@code null} when it is missing or not a string. */
  private static @Nullable String text(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  /**
   * The item's bucket; from its key hash (whose first 31 bits it is) if the attribute is
   * unreadable.
   */
  private static int bucketOf(Map<String, AttributeValue> item) {
    AttributeValue b = item.get(BUCKET);
    try {
      if (b != null && b.n() != null) {
        return Integer.parseInt(b.n());
      }
      String sk = text(item, SK);
      if (sk == null) {
        return -1;
      }
      return (int) (Long.parseLong(sk.substring(0, 8), 16) & 0x7fffffffL);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private boolean isExpired(Map<String, AttributeValue> item) {
    AttributeValue e = item.get(EXPIRES);
    return e != null && e.n() != null && nowSeconds() >= Long.parseLong(e.n());
  }

  private long nowSeconds() {
    return Math.floorDiv(options.clock().millis(), 1000L);
  }

  private static String newVersion() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return HexFormat.of().toHexDigits(r.nextLong()) + HexFormat.of().toHexDigits(r.nextLong());
  }

  private static AttributeValue string(String s) {
    return AttributeValue.builder().s(s).build();
  }

  private static AttributeValue number(long n) {
    return AttributeValue.builder().n(Long.toString(n)).build();
  }

  private <T> T call(String operation, Supplier<T> request) {
    try {
      return request.get();
    } catch (ConditionalCheckFailedException e) {
      throw e;
    } catch (ResourceNotFoundException e) {
      throw new TableMissingException(
          "DynamoDB table '"
              + tableName
              + "' does not exist ("
              + operation
              + "). Create it once with DynamoDbReferenceRepository.createTable() or your infrastructure tooling "
              + "(schema in the DynamoDbReferenceRepository javadoc).",
          e);
    } catch (SdkException e) {
      throw new StoreException(
          "DynamoDB " + operation + " on table '" + tableName + "' failed: " + e.getMessage(), e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("Interrupted while waiting for DynamoDB", e);
    }
  }

  /**
   * Configures a {@link DynamoDbReferenceRepository}; the repository it builds is immutable. Not
   * thread-safe: use one builder per thread.
   */
  public static final class Builder {
    private final DynamoDbClient client;
    private String tableName = DEFAULT_TABLE_NAME;
    private StoreOptions options = StoreOptions.defaults();
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
      Objects.requireNonNull(value, "tableName");
      if (!TABLE_NAME.matcher(value).matches()) {
        throw new IllegalArgumentException(
            "DynamoDB table names are 3 to 255 characters of A-Z a-z 0-9 _ - . but was '"
                + value
                + "'");
      }
      this.tableName = value;
      return this;
    }

    /**
     * Sets the TTL and clock (default: no TTL, system clock).
     *
     * @param value the options
     * @return this builder
     */
    public Builder options(StoreOptions value) {
      this.options = Objects.requireNonNull(value, "options");
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
      Objects.requireNonNull(value, "requestTimeout");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive but was " + value);
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
      Objects.requireNonNull(value, "createTableTimeout");
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("createTableTimeout must be positive but was " + value);
      }
      this.createTableTimeout = value;
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
