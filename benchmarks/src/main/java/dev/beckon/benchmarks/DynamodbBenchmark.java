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
import java.util.concurrent.atomic.AtomicLong;
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

      PairedJmh.Op beckonSave = i -> repository.save(refs.get(i % keys));
      PairedJmh.Op beckonFind = i -> repository.find(refKeys.get(i % keys)).orElseThrow();
      PairedJmh.Op rawPut =
          i -> client.putItem(r -> r.tableName(table).item(rawItems.get(i % keys)));
      PairedJmh.Op rawGet =
          i -> {
            var item =
                client
                    .getItem(
                        r -> r.tableName(table).key(rawKeys.get(i % keys)).consistentRead(true))
                    .item();
            if (item.isEmpty()) {
              throw new IllegalStateException("missing " + i);
            }
            return item;
          };
      for (int threads : report.quick() ? new int[] {1} : new int[] {1, 4}) {
        String suffix = threads == 1 ? "" : "_c" + threads;
        new PairedJmh.Trial(report)
            .threads(threads)
            .pair(
                "save_vs_raw_putitem" + suffix,
                "save ops/s c" + threads,
                beckonSave,
                "raw PutItem",
                rawPut)
            .pair(
                "find_vs_raw_getitem" + suffix,
                "find ops/s c" + threads,
                beckonFind,
                "raw GetItem",
                rawGet)
            .run();
      }

      long before = counter.requests.get();
      for (int i = 0; i < 200; i++) {
        beckonSave.run(i);
      }
      long perSave = counter.requests.get() - before;
      before = counter.requests.get();
      for (int i = 0; i < 200; i++) {
        beckonFind.run(i);
      }
      long perFind = counter.requests.get() - before;
      report.add("HTTP requests per call", "beckon save", perSave / 200.0);
      report.add("HTTP requests per call", "beckon find", perFind / 200.0);

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
