package dev.beckon.storage.azuretable;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreOptions;
import dev.beckon.testkit.StoredPayloadContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/** The contract kit on Azurite (started by scripts/test.sh), one fresh table per repository. */
class AzureTableReferenceRepositoryTest extends StoredPayloadContract {

  private final List<TableClient> tables = new ArrayList<>();

  @Override
  protected ReferenceRepository createRepository(StoreOptions options) {
    TableClient t = Azurite.table(Azurite.newTableName());
    tables.add(t);
    AzureTableReferenceRepository repo =
        AzureTableReferenceRepository.builder(t).options(options).build();
    repo.createTable();
    return repo;
  }

  /**
   * 25,000 instead of 100,000: Azurite is one Node process at about 2 ms per entity, so the full
   * volume cost over 3 minutes of the CI's 20 (most of it seeding). What the test proves does not
   * depend on the volume: 50 pages of 500 cross as many continuation tokens, every reference is
   * seen once, and never more than one page is held ahead of the consumer.
   */
  @Override
  protected int streamVolume() {
    return 25_000;
  }

  @Override
  protected int raceOperationsPerThread() {
    return 200; // Azurite: 8 x 1,000 took about 70 s (and 200 found the delete race the SDK's 404
    // hid)
  }

  @Override
  protected void writeRawPayload(ReferenceKey key, String payload) {
    // tables.get(0) is the table of the default repository, created before each test
    TableClient t = tables.get(0);
    TableEntity e =
        t.getEntity(
            AzureTableReferenceRepository.partition(key.channelId(), key.bucket()), key.hash());
    e.addProperty("reference", payload);
    t.updateEntity(e, TableEntityUpdateMode.REPLACE);
  }

  @Override
  protected String readRawPayload(ReferenceKey key) {
    TableEntity e =
        tables
            .get(0)
            .getEntity(
                AzureTableReferenceRepository.partition(key.channelId(), key.bucket()), key.hash());
    return (String) e.getProperty("reference");
  }

  @Override
  protected Optional<ReferenceRepository> createRepositoryWithoutTable() {
    TableClient t = Azurite.table(Azurite.newTableName());
    tables.add(t); // deleting a table never created fails, and is ignored
    return Optional.of(AzureTableReferenceRepository.builder(t).build());
  }

  @Override
  protected ReferenceRepository createUnreachableRepository(Duration timeout) {
    String endpoint = "http://127.0.0.1:" + closedLoopbackPort() + "/devstoreaccount1";
    TableClient t =
        new TableClientBuilder()
            .connectionString(
                Azurite.connectionString()
                    .replaceFirst("TableEndpoint=[^;]*;?", "TableEndpoint=" + endpoint + ";"))
            .tableName("beckonunreachable")
            .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
            .httpClient(
                new JdkHttpClientBuilder()
                    .connectionTimeout(timeout)
                    .responseTimeout(timeout)
                    .build())
            .buildClient();
    return AzureTableReferenceRepository.builder(t).timeout(timeout).build();
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
