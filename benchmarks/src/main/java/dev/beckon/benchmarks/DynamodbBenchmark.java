package dev.beckon.benchmarks;

import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.storage.dynamodb.DynamoDbReferenceRepository;
import dev.beckon.store.ReferenceDocument;
import dev.beckon.testkit.SampleReferences;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB store on dynalite ({@code 127.0.0.1:4567}, or {@code -Dbeckon.dynamodb.endpoint} /
 * {@code BECKON_DYNAMODB_ENDPOINT}): {@code DynamoDbReferenceRepository.save} and {@code find} vs a
 * raw {@code PutItem} / consistent {@code GetItem} of the very same item (same attributes, same
 * keys, same table, same client), alternating within each round. Also counts the HTTP requests each
 * Beckon call makes.
 */
public final class DynamodbBenchmark {

  private DynamodbBenchmark() {}

  /** Counts requests sent by the client. */
  static final class Counter implements ExecutionInterceptor {
    final AtomicLong requests = new AtomicLong();

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      requests.incrementAndGet();
    }
  }

  /**
   * Runs the suite.
   *
   * @param args {@code --quick} for the short variant
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    BenchReport report = new BenchReport("dynamodb", args);
    String endpoint =
        System.getProperty(
            "beckon.dynamodb.endpoint",
            System.getenv().getOrDefault("BECKON_DYNAMODB_ENDPOINT", "http://127.0.0.1:4567"));
    Counter counter = new Counter();
    try (DynamoDbClient client =
        DynamoDbClient.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(30))
                    .build())
            .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
            .build()) {
      String table = "beckon-bench-" + UUID.randomUUID().toString().substring(0, 8);
      DynamoDbReferenceRepository repository =
          DynamoDbReferenceRepository.builder(client).tableName(table).build();
      repository.createTable();

      int keys = 1000;
      List<ConversationReference> refs = new ArrayList<>(keys);
      List<Map<String, AttributeValue>> rawItems = new ArrayList<>(keys);
      List<Map<String, AttributeValue>> rawKeys = new ArrayList<>(keys);
      List<ReferenceKey> refKeys = new ArrayList<>(keys);
      for (int i = 0; i < keys; i++) {
        ConversationReference ref =
            SampleReferences.reference("msteams", "19:bench-" + i + "@thread.tacv2", "tenant-1");
        refs.add(ref);
        refKeys.add(ref.key());
        rawItems.add(rawItem(ReferenceDocument.of(ref)));
        ReferenceKey k = ref.key();
        rawKeys.add(
            Map.of(
                "pk",
                s("msteams#" + Math.floorMod(k.bucket(), DynamoDbReferenceRepository.SHARDS)),
                "sk",
                s(k.hash())));
      }
      repository.saveAll(refs);

      IntConsumer beckonSave = i -> repository.save(refs.get(i % keys));
      IntConsumer rawPut =
          i -> client.putItem(r -> r.tableName(table).item(rawItems.get(i % keys)));
      IntConsumer beckonFind =
          i -> {
            if (repository.find(refKeys.get(i % keys)).isEmpty()) {
              throw new IllegalStateException("missing " + i);
            }
          };
      IntConsumer rawGet =
          i -> {
            if (client
                .getItem(r -> r.tableName(table).key(rawKeys.get(i % keys)).consistentRead(true))
                .item()
                .isEmpty()) {
              throw new IllegalStateException("missing " + i);
            }
          };

      int ops = report.size(400, 3000);
      // warm-up (JIT, connections)
      for (IntConsumer op : List.of(beckonSave, rawPut, beckonFind, rawGet)) {
        opsPerSecond(op, ops / 2, 1);
      }
      for (int round = 0; round < report.rounds(); round++) {
        boolean beckonFirst = round % 2 == 0;
        measure(report, "save ops/s c1", beckonFirst, beckonSave, rawPut, "raw PutItem", ops, 1);
        measure(report, "find ops/s c1", beckonFirst, beckonFind, rawGet, "raw GetItem", ops, 1);
        measure(report, "save ops/s c4", beckonFirst, beckonSave, rawPut, "raw PutItem", ops, 4);
        measure(report, "find ops/s c4", beckonFirst, beckonFind, rawGet, "raw GetItem", ops, 4);
      }

      long before = counter.requests.get();
      for (int i = 0; i < 200; i++) {
        beckonSave.accept(i);
      }
      long perSave = counter.requests.get() - before;
      before = counter.requests.get();
      for (int i = 0; i < 200; i++) {
        beckonFind.accept(i);
      }
      long perFind = counter.requests.get() - before;
      report.add("HTTP requests per call", "beckon save", perSave / 200.0);
      report.add("HTTP requests per call", "beckon find", perFind / 200.0);

      report.ratio("save_vs_raw_putitem", "save ops/s c1", "beckon", "raw PutItem");
      report.ratio("find_vs_raw_getitem", "find ops/s c1", "beckon", "raw GetItem");
      report.ratio("save_vs_raw_putitem_c4", "save ops/s c4", "beckon", "raw PutItem");
      report.ratio("find_vs_raw_getitem_c4", "find ops/s c4", "beckon", "raw GetItem");
      report.ratioValue("requests_per_save", perSave / 200.0);
      report.ratioValue("requests_per_find", perFind / 200.0);
      report.note(
          "server: dynalite 4.0.0 (in memory) at "
              + endpoint
              + "; client: AWS SDK v2 DynamoDbClient with "
              + "url-connection-client, shared by both subjects; "
              + keys
              + " Teams-thread references cycled");
      report.note(
          "raw PutItem writes the exact item Beckon writes (pre-built, no JSON encoding); raw GetItem is "
              + "consistent like Beckon's and parses nothing; Beckon's numbers include canonical JSON write/parse, "
              + "key hashing, version generation and its per-request API call timeout (10 s default)");
      report.note(
          "c4 = 4 threads sharing the client; dynalite is single-threaded Node, so c4 shows "
              + "server saturation more than client cost");
      report.print();
    }
  }

  private static void measure(
      BenchReport report,
      String metric,
      boolean beckonFirst,
      IntConsumer beckon,
      IntConsumer raw,
      String rawName,
      int ops,
      int threads)
      throws Exception {
    if (beckonFirst) {
      report.add(metric, "beckon", opsPerSecond(beckon, ops, threads));
      report.add(metric, rawName, opsPerSecond(raw, ops, threads));
    } else {
      report.add(metric, rawName, opsPerSecond(raw, ops, threads));
      report.add(metric, "beckon", opsPerSecond(beckon, ops, threads));
    }
  }

  private static double opsPerSecond(IntConsumer op, int ops, int threads) throws Exception {
    if (threads == 1) {
      long start = System.nanoTime();
      for (int i = 0; i < ops; i++) {
        op.accept(i);
      }
      return ops / ((System.nanoTime() - start) / 1e9);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      int per = ops / threads;
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t * per;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < per; i++) {
                    op.accept(offset + i);
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      return per * threads / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The item DynamoDbReferenceRepository writes for a document (see its class javadoc). */
  private static Map<String, AttributeValue> rawItem(ReferenceDocument doc) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(
        "pk",
        s(
            doc.key().channelId()
                + "#"
                + Math.floorMod(doc.bucket(), DynamoDbReferenceRepository.SHARDS)));
    item.put("sk", s(doc.keyHash()));
    item.put("channelId", s(doc.key().channelId()));
    item.put("conversationId", s(doc.key().conversationId()));
    if (doc.tenantId() != null) {
      item.put("tenantId", s(doc.tenantId()));
    }
    item.put("bucket", AttributeValue.builder().n(Integer.toString(doc.bucket())).build());
    item.put("version", s(UUID.randomUUID().toString().replace("-", "")));
    item.put("reference", s(doc.json()));
    return item;
  }

  private static AttributeValue s(String v) {
    return AttributeValue.builder().s(v).build();
  }
}
