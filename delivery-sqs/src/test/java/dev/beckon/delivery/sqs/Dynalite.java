package dev.beckon.delivery.sqs;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The dynalite server of the state tables: {@code http://127.0.0.1:4567} unless the system property
 * {@code beckon.dynamodb.endpoint} or the environment variable {@code BECKON_DYNAMODB_ENDPOINT}
 * says otherwise ({@code scripts/servers/start.sh dynalite} starts it).
 */
final class Dynalite {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final List<String> CREATED = new CopyOnWriteArrayList<>();

  static final DynamoDbClient CLIENT =
      DynamoDbClient.builder()
          .endpointOverride(URI.create(endpoint()))
          .region(Region.US_EAST_1)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("beckon", "beckon")))
          .httpClient(
              UrlConnectionHttpClient.builder()
                  .connectionTimeout(Duration.ofSeconds(5))
                  .socketTimeout(Duration.ofSeconds(30))
                  .build())
          .build();

  private Dynalite() {}

  static String endpoint() {
    String p = System.getProperty("beckon.dynamodb.endpoint");
    if (p == null || p.isBlank()) {
      p = System.getenv("BECKON_DYNAMODB_ENDPOINT");
    }
    return p == null || p.isBlank() ? "http://127.0.0.1:4567" : p;
  }

  /** A table name no other test uses; {@link #dropTables()} deletes it. */
  static String freshTableName() {
    String name = "beckon-sqs-" + RUN + "-" + TABLES.incrementAndGet();
    CREATED.add(name);
    return name;
  }

  static void dropTables() {
    for (String name : CREATED) {
      try {
        CLIENT.deleteTable(d -> d.tableName(name));
      } catch (ResourceNotFoundException e) {
        // never created
      }
    }
    CREATED.clear();
  }
}
