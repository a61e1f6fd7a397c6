package dev.beckon.storage.dynamodb;

import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreOptions;
import dev.beckon.testkit.StoredPayloadContract;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The whole contract kit against dynalite, a fresh table per repository. dynalite never deletes
 * expired items (it has no Time to Live), so the TTL tests exercise exactly the read filter and the
 * {@code expiresAt <= :now} conditions that real DynamoDB needs too, since it deletes expired items
 * only lazily.
 */
class DynamoDbReferenceRepositoryTest extends StoredPayloadContract {

  @AfterEach
  void dropTables() {
    Dynalite.dropTables();
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
