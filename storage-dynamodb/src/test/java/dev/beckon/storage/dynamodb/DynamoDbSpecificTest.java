package dev.beckon.storage.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.store.ReferenceTooLargeException;
import dev.beckon.store.Segment;
import dev.beckon.store.StoreException;
import dev.beckon.store.StoreOptions;
import dev.beckon.store.StoredReference;
import dev.beckon.store.TableMissingException;
import dev.beckon.store.VersionConflictException;
import dev.beckon.store.spi.Scan;
import dev.beckon.store.spi.ScanResult;
import dev.beckon.testkit.MutableClock;
import dev.beckon.testkit.SampleReferences;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** What the contract kit does not see: table design, request counts, DynamoDB-specific failures. */
class DynamoDbSpecificTest {

  /**
   * Records the operation of every request; can pretend the first BatchWriteItem left items
   * unprocessed.
   */
  static final class Recorder implements ExecutionInterceptor {
    final List<String> operations = new CopyOnWriteArrayList<>();
    final AtomicBoolean failFirstBatch = new AtomicBoolean();
    volatile int unprocessedReported;

    /**
     * The item a refused condition returns, as DynamoDB does with {@code
     * ReturnValuesOnConditionCheckFailure} (dynalite returns none); {@code null} to leave it alone.
     */
    volatile @Nullable Map<String, AttributeValue> conditionItem;

    @Override
    public Throwable modifyException(
        Context.FailedExecution context, ExecutionAttributes attributes) {
      Map<String, AttributeValue> item = conditionItem;
      if (item != null && context.exception() instanceof ConditionalCheckFailedException e) {
        return e.toBuilder().item(item).build();
      }
      return context.exception();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    @Override
    public SdkResponse modifyResponse(
        Context.ModifyResponse context, ExecutionAttributes attributes) {
      if (context.response() instanceof BatchWriteItemResponse && failFirstBatch.getAndSet(false)) {
        // the server did write everything; re-sending 5 items as "unprocessed" is harmless and
        // drives the retry path exactly as throttling on real DynamoDB would
        BatchWriteItemRequest request = (BatchWriteItemRequest) context.request();
        Map.Entry<String, List<WriteRequest>> e =
            request.requestItems().entrySet().iterator().next();
        List<WriteRequest> tail =
            e.getValue().subList(e.getValue().size() - 5, e.getValue().size());
        unprocessedReported = tail.size();
        return ((BatchWriteItemResponse) context.response())
            .toBuilder().unprocessedItems(Map.of(e.getKey(), tail)).build();
      }
      return context.response();
    }

    List<String> take() {
      List<String> out = new ArrayList<>(operations);
      operations.clear();
      return out;
    }
  }

  private final Recorder recorder = new Recorder();
  private final DynamoDbClient client =
      DynamoDbClient.builder()
          .endpointOverride(URI.create(Dynalite.endpoint()))
          .region(Region.US_EAST_1)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("beckon", "beckon")))
          .httpClient(UrlConnectionHttpClient.create())
          .overrideConfiguration(c -> c.addExecutionInterceptor(recorder))
          .build();

  @AfterEach
  void close() {
    Dynalite.dropTables();
    client.close();
  }

  private DynamoDbReferenceRepository fresh(StoreOptions options) {
    DynamoDbReferenceRepository r =
        DynamoDbReferenceRepository.builder(client)
            .tableName(Dynalite.freshTableName())
            .options(options)
            .build();
    r.createTable();
    recorder.take();
    return r;
  }

  @Test
  @DisplayName("a missing table fails with a StoreException naming the table and createTable()")
  void missingTable() {
    DynamoDbReferenceRepository r =
        DynamoDbReferenceRepository.builder(client).tableName("no-such-table-here").build();
    for (Runnable call :
        List.<Runnable>of(
            () -> r.find(ReferenceKey.of("msteams", "x")),
            () -> r.save(SampleReferences.reference("msteams", "x", null)),
            () -> r.list(ListQuery.channel("msteams")),
            () -> r.list(ListQuery.all()))) {
      assertThatThrownBy(call::run)
          .isInstanceOf(TableMissingException.class)
          .hasMessageContaining("[table no-such-table-here]")
          .hasMessageContaining("DynamoDbReferenceRepository.createTable()")
          .hasCauseInstanceOf(ResourceNotFoundException.class);
    }
  }

  @Test
  @DisplayName("createTable creates once, then reports that the table exists")
  void createTableIsIdempotent() {
    DynamoDbReferenceRepository r =
        DynamoDbReferenceRepository.builder(client).tableName(Dynalite.freshTableName()).build();
    assertThat(r.createTable()).isTrue();
    assertThat(r.createTable()).isFalse();
    assertThat(
            client
                .describeTable(d -> d.tableName(r.tableName()))
                .table()
                .billingModeSummary()
                .billingModeAsString())
        .isEqualTo("PAY_PER_REQUEST");
  }

  @Test
  @DisplayName("one request per save, find, delete; a channel listing queries, never scans")
  void requestCounts() {
    DynamoDbReferenceRepository r = fresh(StoreOptions.defaults());
    ConversationReference ref = SampleReferences.reference("msteams", "19:abc@thread.tacv2", "t");
    r.save(ref);
    assertThat(recorder.take()).containsExactly("PutItem");
    r.find(ref.key());
    assertThat(recorder.take()).containsExactly("GetItem");
    r.insertIfAbsent(ref);
    assertThat(recorder.take()).containsExactly("PutItem");
    r.list(ListQuery.channel("msteams").withPageSize(10));
    assertThat(recorder.take())
        .isNotEmpty()
        .allMatch("Query"::equals)
        .hasSizeLessThanOrEqualTo(DynamoDbReferenceRepository.SHARDS);
    r.list(ListQuery.all());
    assertThat(recorder.take()).containsExactly("Scan");
    assertThat(r.delete(ref.key())).isTrue();
    assertThat(recorder.take()).containsExactly("DeleteItem");
  }

  @Test
  @DisplayName(
      "stored item: pk = channel#(bucket % 16), sk = key hash, ids, tenant, version, JSON, expiresAt in epoch seconds")
  void itemLayout() {
    MutableClock clock = MutableClock.now();
    DynamoDbReferenceRepository r =
        fresh(StoreOptions.defaults().withTtl(Duration.ofHours(2)).withClock(clock));
    ConversationReference ref = SampleReferences.reference("msteams", "a:1#b/c", "tenant-9");
    StoredReference saved = r.save(ref);
    ReferenceKey key = ref.key();
    Map<String, AttributeValue> item =
        client
            .getItem(
                g ->
                    g.tableName(r.tableName())
                        .consistentRead(true)
                        .key(Map.of("pk", s("msteams#" + key.bucket() % 16), "sk", s(key.hash()))))
            .item();
    assertThat(item.get("channelId").s()).isEqualTo("msteams");
    assertThat(item.get("conversationId").s()).isEqualTo("a:1#b/c");
    assertThat(item.get("tenantId").s()).isEqualTo("tenant-9");
    assertThat(item.get("bucket").n()).isEqualTo(Integer.toString(key.bucket()));
    assertThat(item.get("version").s()).isEqualTo(saved.version());
    assertThat(item.get("reference").s()).isEqualTo(ReferenceDocument.of(ref).json());
    long expiry = clock.instant().plus(Duration.ofHours(2)).toEpochMilli();
    assertThat(Long.parseLong(item.get("expiresAt").n())).isEqualTo((expiry + 999) / 1000);
  }

  @Test
  @DisplayName(
      "an expired item the server still holds (DynamoDB deletes lazily) is invisible and insertable over")
  void expiredButNotDeletedIsAbsent() {
    MutableClock clock = MutableClock.now();
    DynamoDbReferenceRepository r =
        fresh(StoreOptions.defaults().withTtl(Duration.ofMinutes(10)).withClock(clock));
    ConversationReference ref = SampleReferences.reference("msteams", "lazy", null);
    StoredReference v1 = r.save(ref);
    clock.advance(Duration.ofMinutes(11));
    ReferenceKey key = ref.key();
    Map<String, AttributeValue> k =
        Map.of("pk", s("msteams#" + key.bucket() % 16), "sk", s(key.hash()));
    assertThat(client.getItem(g -> g.tableName(r.tableName()).key(k).consistentRead(true)).item())
        .as("still on the server")
        .isNotEmpty();
    assertThat(r.find(key)).isEmpty();
    assertThat(r.list(ListQuery.channel("msteams")).items()).isEmpty();
    assertThat(r.list(ListQuery.all()).items()).isEmpty();
    assertThat(r.delete(key, v1.version())).as("versioned delete of an expired item").isFalse();
    assertThat(r.insertIfAbsent(ref)).isPresent();
    assertThat(r.find(key)).isPresent();
    clock.advance(Duration.ofMinutes(11));
    assertThat(r.delete(key)).as("delete of an expired item reports nothing deleted").isFalse();
    assertThat(client.getItem(g -> g.tableName(r.tableName()).key(k).consistentRead(true)).item())
        .isEmpty();
  }

  @Test
  @DisplayName(
      "saveAll: batches of 25 in order, a key given again later wins, unprocessed items retried")
  void saveAllBatches() {
    List<dev.beckon.retry.RetryEvent> heard = new CopyOnWriteArrayList<>();
    DynamoDbReferenceRepository r =
        fresh(
            StoreOptions.defaults()
                .withRetry(StoreOptions.DEFAULT_RETRY.toBuilder().listener(heard::add).build()));
    List<ConversationReference> refs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      refs.add(SampleReferences.reference("msteams", "b-" + i, null));
    }
    for (int i = 0; i < 30; i++) {
      refs.add(SampleReferences.reference("msteams", "b-" + i, "second"));
    }
    recorder.failFirstBatch.set(true);
    List<StoredReference> stored = r.saveAll(refs);
    assertThat(recorder.unprocessedReported).isEqualTo(5);
    assertThat(heard)
        .as("the user's retry strategy retried the unprocessed items, and its listener heard it")
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.operation()).isEqualTo("dynamodb.saveAll");
              assertThat(e.cause()).isEqualTo(dev.beckon.retry.RetryCause.THROTTLED);
              assertThat(e.reason()).isEqualTo("5 unprocessed items");
            });
    assertThat(recorder.take())
        .as("90 references of 60 keys, each written once: 25, 5 unprocessed retried, 25, 10")
        .containsExactly("BatchWriteItem", "BatchWriteItem", "BatchWriteItem", "BatchWriteItem");
    assertThat(stored).hasSize(90);
    for (int i = 0; i < 60; i++) {
      StoredReference found = r.find(ReferenceKey.of("msteams", "b-" + i)).orElseThrow();
      assertThat(found.reference().conversation().tenantId()).isEqualTo(i < 30 ? "second" : null);
      assertThat(found.version()).isEqualTo(stored.get(i < 30 ? 60 + i : i).version());
    }
  }

  @Test
  @DisplayName(
      "cursors: another channel's, a scan's, a tampered one are refused with IllegalArgumentException")
  void cursorsAreBoundToTheirQuery() {
    DynamoDbReferenceRepository r = fresh(StoreOptions.defaults());
    for (int i = 0; i < 40; i++) {
      r.save(SampleReferences.reference(i % 2 == 0 ? "msteams" : "slack", "c-" + i, null));
    }
    String teams = r.list(ListQuery.channel("msteams").withPageSize(3)).next();
    String scan = r.list(ListQuery.all().withPageSize(3)).next();
    assertThat(teams).isNotNull();
    assertThat(scan).isNotNull();
    assertThat(r.list(ListQuery.channel("msteams").withPageSize(3).withCursor(teams)).items())
        .isNotEmpty();
    assertThatThrownBy(() -> r.list(ListQuery.channel("slack").withCursor(teams)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another");
    assertThatThrownBy(() -> r.list(ListQuery.all().withCursor(teams)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> r.list(ListQuery.channel("msteams").withCursor(scan)))
        .isInstanceOf(IllegalArgumentException.class);
    char[] chars = teams.toCharArray();
    chars[chars.length / 2] = chars[chars.length / 2] == 'A' ? 'B' : 'A';
    String tampered = new String(chars);
    assertThatThrownBy(() -> r.list(ListQuery.channel("msteams").withCursor(tampered)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName(
      "every page of a channel listing with a tenant filter may be short, but the listing is complete")
  void shortPagesStillComplete() {
    DynamoDbReferenceRepository r = fresh(StoreOptions.defaults());
    for (int i = 0; i < 120; i++) {
      r.save(SampleReferences.reference("msteams", "x-" + i, i % 10 == 0 ? "rare" : "common"));
    }
    ListQuery q = ListQuery.channel("msteams").withTenant("rare").withPageSize(5);
    List<String> seen = new ArrayList<>();
    while (true) {
      Page p = r.list(q);
      p.items().forEach(s -> seen.add(s.reference().conversation().id()));
      if (p.next() == null) {
        break;
      }
      q = q.withCursor(p.next());
    }
    assertThat(seen).hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName(
      "the largest reference core accepts (32 KiB of JSON, 4096-character ids of 3-byte characters) fits one item")
  void theLargestAcceptedReferenceFitsAnItem() {
    DynamoDbReferenceRepository r = fresh(StoreOptions.defaults());
    String wide = "\u4e2d".repeat(4096); // 12 KiB in UTF-8, the longest id core allows
    ConversationReference base =
        ConversationReference.builder()
            .channelId(wide)
            .conversationId(wide)
            .serviceUrl("https://smba.trafficmanager.net/amer/")
            .build();
    int room = ReferenceDocument.MAX_JSON_BYTES - ReferenceDocument.of(base).jsonBytes() - 32;
    ConversationReference largest =
        ConversationReference.builder()
            .channelId(wide)
            .conversationId(wide)
            .serviceUrl(base.serviceUrl())
            .locale("x".repeat(room))
            .build();
    assertThat(ReferenceDocument.of(largest).jsonBytes())
        .isBetween(ReferenceDocument.MAX_JSON_BYTES - 200, ReferenceDocument.MAX_JSON_BYTES);
    r.save(largest);
    assertThat(r.find(largest.key()))
        .hasValueSatisfying(s -> assertThat(s.reference()).isEqualTo(largest));
    ConversationReference over =
        ConversationReference.builder()
            .channelId("msteams")
            .conversationId("big")
            .serviceUrl(base.serviceUrl())
            .locale("x".repeat(ReferenceDocument.MAX_JSON_BYTES))
            .build();
    assertThatThrownBy(() -> r.save(over)).isInstanceOf(ReferenceTooLargeException.class);
  }

  @Test
  @DisplayName("long channel ids get a hashed partition key under DynamoDB's 2048-byte key limit")
  void longChannelIds() {
    DynamoDbReferenceRepository r = fresh(StoreOptions.defaults());
    String channel = "c".repeat(4000);
    r.save(SampleReferences.reference(channel, "x", null));
    assertThat(r.find(ReferenceKey.of(channel, "x"))).isPresent();
    assertThat(r.list(ListQuery.channel(channel)).items()).hasSize(1);
    assertThat(DynamoDbReferenceRepository.partitionKey(channel, 3))
        .startsWith("~")
        .endsWith("#3")
        .hasSize(1 + 64 + 2);
  }

  @Test
  @DisplayName(
      "every request carries the timeout: a server that never answers fails the call after it, with the SDK's ApiCallTimeoutException as cause")
  void requestTimeoutApplies() throws Exception {
    // a real TCP server on 127.0.0.1 that accepts and never answers (not dynalite: an aborted
    // request would be a stress test of dynalite, not of the timeout)
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        DynamoDbClient slow =
            DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("beckon", "beckon")))
                .httpClient(
                    UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(5)).build())
                .build()) {
      List<Socket> held = new CopyOnWriteArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (IOException e) {
                  // closed
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      DynamoDbReferenceRepository r =
          DynamoDbReferenceRepository.builder(slow)
              .tableName("silent")
              .requestTimeout(Duration.ofMillis(300))
              .build();
      long start = System.nanoTime();
      assertThatThrownBy(() -> r.find(ReferenceKey.of("msteams", "x")))
          .isInstanceOf(StoreException.class)
          .hasRootCauseInstanceOf(ApiCallTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  @DisplayName(
      "a conflict names the version the refused condition returned, in one request; without it (dynalite) one read more")
  void conflictFromTheRefusedCondition() {
    DynamoDbReferenceRepository r = fresh(StoreOptions.defaults());
    ConversationReference ref = SampleReferences.reference("msteams", "conflict", null);
    StoredReference v1 = r.save(ref);
    recorder.take();

    assertThatThrownBy(() -> r.replace(ref, "stale"))
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("the stored version is " + v1.version());
    assertThat(recorder.take()).containsExactly("PutItem", "GetItem");
    assertThatThrownBy(() -> r.delete(ref.key(), "stale"))
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("the stored version is " + v1.version());
    assertThat(recorder.take()).containsExactly("DeleteItem", "GetItem");

    recorder.conditionItem = Map.of("sk", s(ref.key().hash()), "version", s("from-the-service"));
    assertThatThrownBy(() -> r.replace(ref, "stale"))
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("the stored version is from-the-service");
    assertThat(recorder.take()).containsExactly("PutItem");
    assertThatThrownBy(() -> r.delete(ref.key(), "stale"))
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("the stored version is from-the-service");
    assertThat(recorder.take()).containsExactly("DeleteItem");

    recorder.conditionItem =
        Map.of("sk", s(ref.key().hash()), "version", s("gone"), "expiresAt", n(1));
    assertThatThrownBy(() -> r.replace(ref, "stale"))
        .as("an expired item returned by the condition is no stored reference")
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("no reference is stored");
    assertThat(recorder.take()).containsExactly("PutItem");
    recorder.conditionItem = null;
    assertThat(r.find(ref.key())).hasValueSatisfying(f -> assertThat(f).isEqualTo(v1));
  }

  @Test
  @DisplayName("saveAll: a key given twice within one batch is written once, the last wins")
  void duplicateKeyInOneBatch() {
    DynamoDbReferenceRepository r = fresh(StoreOptions.defaults());
    List<StoredReference> stored =
        r.saveAll(
            List.of(
                SampleReferences.reference("msteams", "twice", "first"),
                SampleReferences.reference("msteams", "once", null),
                SampleReferences.reference("msteams", "twice", "last")));
    assertThat(recorder.take()).containsExactly("BatchWriteItem");
    StoredReference found = r.find(ReferenceKey.of("msteams", "twice")).orElseThrow();
    assertThat(found.reference().conversation().tenantId()).isEqualTo("last");
    assertThat(found.version()).isEqualTo(stored.get(2).version());
    assertThat(r.find(ReferenceKey.of("msteams", "once"))).isPresent();
  }

  @Test
  @DisplayName(
      "an expiresAt that is not a whole number of seconds counts as expired, for find as for listings")
  void unreadableExpiryIsExpired() {
    DynamoDbReferenceRepository r = fresh(StoreOptions.defaults());
    ConversationReference ref = SampleReferences.reference("msteams", "odd-expiry", null);
    r.save(ref);
    ReferenceKey key = ref.key();
    for (AttributeValue odd : List.of(s("tomorrow"), n(0))) {
      client.updateItem(
          u ->
              u.tableName(r.tableName())
                  .key(Map.of("pk", s("msteams#" + key.bucket() % 16), "sk", s(key.hash())))
                  .updateExpression("SET expiresAt = :e")
                  .expressionAttributeValues(Map.of(":e", odd)));
      assertThat(r.find(key)).as("find with expiresAt %s", odd).isEmpty();
      assertThat(r.list(ListQuery.channel("msteams")).items()).isEmpty();
      assertThat(r.list(ListQuery.all()).items()).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "listing positions are parsed strictly: a shard out of range, a malformed key, a scan's for a query")
  void positionsAreStrict() {
    DynamoDbReferenceRepository r = fresh(StoreOptions.defaults());
    for (int i = 0; i < 30; i++) {
      r.save(SampleReferences.reference("msteams", "p-" + i, null));
    }
    long now = System.currentTimeMillis();
    ScanResult query = r.scan(new Scan(null, 2, "msteams", null, null, now));
    ScanResult scan = r.scan(new Scan(null, 2, null, null, null, now));
    String q = java.util.Objects.requireNonNull(query.nextPosition());
    String s = java.util.Objects.requireNonNull(scan.nextPosition());
    assertThat(q).matches("q(0|[1-9][0-9]?)(\\.[0-9a-f]{64})?");
    assertThat(s).matches("s[0-9a-f]{64}msteams#[0-9]{1,2}");
    assertThat(r.scan(new Scan(q, 2, "msteams", null, null, now)).rows()).isNotEmpty();
    assertThat(r.scan(new Scan(s, 2, null, null, null, now)).rows()).isNotEmpty();
    assertThat(r.scan(new Scan("q15", 2, "msteams", null, null, now)).rows()).isNotNull();
    assertThat(r.scan(new Scan("q7", 2, "msteams", null, Segment.of(1, 2), now))).isNotNull();
    String hash = ReferenceKey.of("msteams", "p-1").hash();
    int shard = Character.digit(hash.charAt(7), 16);
    List<String> badForQuery =
        List.of(
            "",
            "q",
            "q16",
            "q01",
            "q-1",
            "q1.",
            "q1." + hash.substring(1),
            "q1." + hash + "0",
            "q1." + hash.toUpperCase(java.util.Locale.ROOT),
            "Q1",
            s);
    for (String bad : badForQuery) {
      assertThatThrownBy(() -> r.scan(new Scan(bad, 2, "msteams", null, null, now)))
          .as("position %s", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> r.scan(new Scan("q8", 2, "msteams", null, Segment.of(1, 2), now)))
        .as("8 shards for 2 segments")
        .isInstanceOf(IllegalArgumentException.class);
    List<String> badForScan =
        List.of(
            "",
            "s",
            q,
            "q0",
            "s" + hash,
            "s" + hash + "#" + shard,
            "s" + hash + "msteams#" + (shard + 1) % 16,
            "s" + hash + "msteams#16",
            "s" + hash + "msteams#0" + shard,
            "s" + hash + "c".repeat(1025) + "#" + shard,
            "s" + hash + "\u4e2d".repeat(342) + "#" + shard);
    for (String bad : badForScan) {
      assertThatThrownBy(() -> r.scan(new Scan(bad, 2, null, null, null, now)))
          .as("position %s", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(r.scan(new Scan("s" + hash + "msteams#" + shard, 2, null, null, null, now)))
        .isNotNull();
  }

  private static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  private static AttributeValue s(String v) {
    return AttributeValue.builder().s(v).build();
  }
}
