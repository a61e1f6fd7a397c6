package dev.beckon.storage.jdbc;

import dev.beckon.reference.ReferenceKey;
import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreOptions;
import dev.beckon.testkit.StoredPayloadContract;
import org.junit.jupiter.api.AfterEach;

/**
 * The whole contract kit against Postgresql, a fresh table per repository, dropped after each test.
 */
class PostgresqlContractTest extends StoredPayloadContract {

  @AfterEach
  void dropTables() {
    TestDatabases.dropTables();
  }

  @Override
  protected ReferenceRepository createRepository(StoreOptions options) {
    return TestDatabases.repository(Dialect.POSTGRESQL, options);
  }

  @Override
  protected void writeRawPayload(ReferenceKey key, String payload) {
    TestDatabases.overwritePayload(
        Dialect.POSTGRESQL, (JdbcReferenceRepository) repository, key, payload);
  }
}
