package dev.beckon.storage.dynamodb;

import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreOptions;
import dev.beckon.testkit.StoredPayloadContract;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The whole contract kit against dynalite, a fresh table per repository. dynalite never deletes
 * expired items (it has no Time to Live), so the TTL tests exercise exactly the read filter and the
 * {@code expiresAt <= :now} conditions that real DynamoDB needs too, since it deletes expired items
 * only lazily.
 */
class DynamoDbReferenceRepositoryTest extends StoredPayloadContract {

  private final List<DynamoDbClient> unreachable = new ArrayList<>();

  @AfterEach
  void dropTables() {
    Dynalite.dropTables();
    unreachable.forEach(DynamoDbClient::close);
    unreachable.clear();
  }

  @Override
  protected int raceOperationsPerThread() {
    return 250; // dynalite serialises every request: 8 x 1,000 took about 50 s
  }

  @Override
  protected void writeRawPayload(ReferenceKey key, String payload) {
    Map<String, AttributeValue> k =
        Map.of(
            DynamoDbReferenceRepository.PK,
                AttributeValue.fromS(
                    DynamoDbReferenceRepository.partitionKey(
                        key.channelId(),
                        Math.floorMod(key.bucket(), DynamoDbReferenceRepository.SHARDS))),
            DynamoDbReferenceRepository.SK, AttributeValue.fromS(key.hash()));
    Dynalite.CLIENT.updateItem(
        r ->
            r.tableName(((DynamoDbReferenceRepository) repository).tableName())
                .key(k)
                .conditionExpression("attribute_exists(#sk)")
                .updateExpression("SET #ref = :p")
                .expressionAttributeNames(
                    Map.of(
                        "#ref",
                        DynamoDbReferenceRepository.REFERENCE,
                        "#sk",
                        DynamoDbReferenceRepository.SK))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(payload))));
  }

  @Override
  protected String readRawPayload(ReferenceKey key) {
    Map<String, AttributeValue> item =
        Dynalite.CLIENT
            .getItem(
                r ->
                    r.tableName(((DynamoDbReferenceRepository) repository).tableName())
                        .key(itemKey(key))
                        .consistentRead(true))
            .item();
    if (item == null || !item.containsKey(DynamoDbReferenceRepository.REFERENCE)) {
      throw new IllegalStateException("no row for " + key);
    }
    return item.get(DynamoDbReferenceRepository.REFERENCE).s();
  }

  @Override
  protected Optional<ReferenceRepository> createRepositoryWithoutTable() {
    return Optional.of(
        DynamoDbReferenceRepository.builder(Dynalite.CLIENT)
            .tableName(Dynalite.freshTableName())
            .build());
  }

  @Override
  protected ReferenceRepository createUnreachableRepository(Duration timeout) {
    DynamoDbClient down =
        DynamoDbClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + closedLoopbackPort()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("beckon", "beckon")))
            .overrideConfiguration(
                o -> o.apiCallTimeout(timeout).retryStrategy(AwsRetryStrategy.doNotRetry()))
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(timeout)
                    .socketTimeout(timeout)
                    .build())
            .build();
    unreachable.add(down);
    return DynamoDbReferenceRepository.builder(down)
        .tableName("beckon-unreachable")
        .requestTimeout(timeout)
        .build();
  }

  private static Map<String, AttributeValue> itemKey(ReferenceKey key) {
    return Map.of(
        DynamoDbReferenceRepository.PK,
        AttributeValue.fromS(
            DynamoDbReferenceRepository.partitionKey(
                key.channelId(), Math.floorMod(key.bucket(), DynamoDbReferenceRepository.SHARDS))),
        DynamoDbReferenceRepository.SK,
        AttributeValue.fromS(key.hash()));
  }

  @Override
  protected ReferenceRepository createRepository(StoreOptions options) {
    DynamoDbReferenceRepository repository =
        DynamoDbReferenceRepository.builder(Dynalite.CLIENT)
            .tableName(Dynalite.freshTableName())
            .options(options)
            .build();
    repository.createTable();
    return repository;
  }
}
