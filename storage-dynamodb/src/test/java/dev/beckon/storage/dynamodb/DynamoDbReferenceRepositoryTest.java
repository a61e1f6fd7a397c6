package dev.beckon.storage.dynamodb;

import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreOptions;
import dev.beckon.testkit.ReferenceRepositoryContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The whole contract kit against dynalite, a fresh table per repository. dynalite never
 * deletes expired items (it has no Time to Live), so the TTL tests exercise exactly the read
 * filter and the {@code expiresAt <= :now} conditions that real DynamoDB needs too, since it
 * deletes expired items only lazily.
 */
class DynamoDbReferenceRepositoryTest extends ReferenceRepositoryContract {

  @AfterEach
  void dropTables() {
    Dynalite.dropTables();
  }

  @Override
  protected ReferenceRepository createRepository(StoreOptions options) {
    DynamoDbReferenceRepository repository = DynamoDbReferenceRepository.builder(Dynalite.CLIENT)
        .tableName(Dynalite.freshTableName())
        .options(options)
        .build();
    repository.createTable();
    return repository;
  }
}
