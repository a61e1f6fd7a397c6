package dev.beckon.storage.jdbc;

import dev.beckon.storage.jdbc.JdbcReferenceRepository.Dialect;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreOptions;
import dev.beckon.testkit.ReferenceRepositoryContract;
import org.junit.jupiter.api.AfterEach;

/** The whole contract kit against Mariadb, a fresh table per repository, dropped after each test. */
class MariadbContractTest extends ReferenceRepositoryContract {

  @AfterEach
  void dropTables() {
    TestDatabases.dropTables();
  }

  @Override
  protected ReferenceRepository createRepository(StoreOptions options) {
    return TestDatabases.repository(Dialect.MARIADB, options);
  }
}
