package dev.beckon.delivery.sqs;

import dev.beckon.delivery.spi.DeliveryQueueProvider;
import dev.beckon.delivery.spi.OpenedQueue;
import dev.beckon.store.spi.StoreProvider;
import dev.beckon.store.spi.StoreUri;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * Opens {@code
 * sqs:<queue>[?table=name&region=us-east-1&endpoint=URL&dynamodb-endpoint=URL&create=true]} queue
 * URIs ({@link DeliveryQueueProvider}), written like the {@code dynamodb:} store URIs of {@code
 * beckon-storage-dynamodb}: the SQS queue's name (default {@value
 * SqsDeliveryQueue#DEFAULT_QUEUE_NAME}), its state table (default {@value
 * SqsDeliveryQueue#DEFAULT_TABLE_NAME}), the region (default {@code AWS_REGION}, else {@code
 * us-east-1}), endpoints for SQS and DynamoDB emulators, and {@code create=true} to create the
 * table and the queue. Credentials come from the AWS default chain, except for loopback endpoints,
 * which get static local credentials; the URI never carries any.
 *
 * <p>The HTTP client is the AWS SDK's {@code url-connection-client}, an optional dependency of this
 * module: only {@link #open} needs it, and says so when it is missing.
 */
public final class SqsDeliveryQueueProvider implements DeliveryQueueProvider {

  private static final String SCHEME = "sqs:";
  private static final StoreUri.Syntax SYNTAX = new StoreUri.Syntax("?", "&", "&", false, true);

  /** Creates the provider ({@link java.util.ServiceLoader} does). */
  public SqsDeliveryQueueProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("sqs");
  }

  @Override
  public String usage() {
    return "sqs:<queue>?table=...&region=...[&endpoint=...&dynamodb-endpoint=...][&create=true]"
        + " (queue default "
        + SqsDeliveryQueue.DEFAULT_QUEUE_NAME
        + ", table "
        + SqsDeliveryQueue.DEFAULT_TABLE_NAME
        + "; credentials from the AWS default chain)";
  }

  @Override
  public OpenedQueue open(String uri) {
    StoreUri u =
        StoreUri.parse(uri, SYNTAX)
            .requireOnly(
                Set.of("table", "region", "endpoint", "dynamodb-endpoint", "create"),
                "use table, region, endpoint, dynamodb-endpoint and create=true; credentials come"
                    + " from the AWS default chain");
    String name = u.base().substring(SCHEME.length());
    String queueName = name.isBlank() ? SqsDeliveryQueue.DEFAULT_QUEUE_NAME : name;
    String table = u.get("table");
    String r = u.get("region");
    Region region = Region.of(r == null ? defaultRegion() : r);
    @Nullable URI sqsEndpoint = endpoint(u.get("endpoint"), "sqs endpoint");
    @Nullable URI dynamoEndpoint = endpoint(u.get("dynamodb-endpoint"), "dynamodb-endpoint");
    SqsClientBuilder sb = SqsClient.builder().region(region).httpClient(http());
    if (sqsEndpoint != null) {
      sb.endpointOverride(sqsEndpoint);
      if (isLoopback(sqsEndpoint.getHost())) {
        sb.credentialsProvider(local());
      }
    }
    DynamoDbClientBuilder db = DynamoDbClient.builder().region(region).httpClient(http());
    if (dynamoEndpoint != null) {
      db.endpointOverride(dynamoEndpoint);
      if (isLoopback(dynamoEndpoint.getHost())) {
        db.credentialsProvider(local());
      }
    }
    SqsClient sqs = sb.build();
    DynamoDbClient dynamo;
    try {
      dynamo = db.build();
    } catch (RuntimeException e) {
      sqs.close();
      throw e;
    }
    try {
      SqsDeliveryQueue.Builder b = SqsDeliveryQueue.builder(sqs, dynamo).queueName(queueName);
      if (table != null) {
        b.tableName(table);
      }
      SqsDeliveryQueue queue = b.build();
      if (u.flag("create")) {
        queue.createTable();
        queue.createQueue();
      }
      return OpenedQueue.of(
          queue, "sqs queue " + queueName + ", table " + queue.tableName(), sqs, dynamo);
    } catch (RuntimeException e) {
      dynamo.close();
      sqs.close();
      throw e;
    }
  }

  private static SdkHttpClient http() {
    return StoreProvider.withOptionalLibrary(
        "sqs",
        "the AWS SDK's url-connection-client (software.amazon.awssdk:url-connection-client)",
        Http::client);
  }

  private static StaticCredentialsProvider local() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
  }

  private static String defaultRegion() {
    return System.getenv().getOrDefault("AWS_REGION", "us-east-1");
  }

  /** The url-connection-client calls, in a class of their own (loaded on the first open). */
  private static final class Http {
    static SdkHttpClient client() {
      return software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
          .connectionTimeout(Duration.ofSeconds(5))
          .socketTimeout(Duration.ofSeconds(30))
          .build();
    }
  }

  private static @Nullable URI endpoint(@Nullable String text, String what) {
    if (text == null) {
      return null;
    }
    URI u = StoreProvider.serverUri(text, what, "http://127.0.0.1:9324");
    if (u.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " must not carry credentials (user:password@): they come from the AWS"
              + " default chain");
    }
    return u;
  }

  private static boolean isLoopback(@Nullable String host) {
    return host != null
        && (host.equals("localhost")
            || host.startsWith("127.")
            || host.equals("[::1]")
            || host.equals("::1"));
  }
}
