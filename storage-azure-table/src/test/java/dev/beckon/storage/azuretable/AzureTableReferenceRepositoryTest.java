package dev.beckon.storage.azuretable;

import com.azure.data.tables.TableClient;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreOptions;
import dev.beckon.testkit.ReferenceRepositoryContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The contract kit on Azurite (started by scripts/test.sh), one fresh table per repository. */
class AzureTableReferenceRepositoryTest extends ReferenceRepositoryContract {

  private final List<TableClient> tables = new ArrayList<>();

  @Override
  protected ReferenceRepository createRepository(StoreOptions options) {
    TableClient t = Azurite.table(Azurite.newTableName());
    tables.add(t);
    AzureTableReferenceRepository repo = AzureTableReferenceRepository.builder(t).options(options).build();
    repo.createTable();
    return repo;
  }

  @AfterEach
  void dropTables() {
    for (TableClient t : tables) {
      try {
        t.deleteTable();
      } catch (RuntimeException ignored) {
        // best effort
      }
    }
    tables.clear();
  }
}
