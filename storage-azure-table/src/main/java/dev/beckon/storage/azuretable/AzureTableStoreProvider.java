package dev.beckon.storage.azuretable;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import dev.beckon.store.spi.DeclaredStoreProvider;
import dev.beckon.store.spi.OpenedStore;
import dev.beckon.store.spi.StoreProvider;
import dev.beckon.store.spi.StoreUri;
import java.util.Set;

/**
 * Opens {@code azure-table:<connection string>[;Table=name][;Create=true]} store URIs ({@link
 * StoreProvider}): an Azure Storage (or Azurite) connection string, with Beckon's two options added
 * as parameters of it. The table defaults to {@code beckonreferences}; {@code Create=true} runs
 * {@link AzureTableReferenceRepository#createTable()} first. The {@code TableClient} uses the JDK's
 * HTTP client and needs no closing.
 */
public final class AzureTableStoreProvider extends DeclaredStoreProvider {

  /** Creates the provider ({@link java.util.ServiceLoader} does). */
  public AzureTableStoreProvider() {
    // a connection string's parts, Beckon's Table and Create among them
    super("azure-table", new StoreUri.Syntax(":", ";", ";", true, false), "Table", "Create=true");
  }

  @Override
  public String usage() {
    return "azure-table:<connection string>[;Table=name][;Create=true] (table default %s)"
        .formatted(defaultTable());
  }

  @Override
  protected String defaultTable() {
    return "beckonreferences";
  }

  @Override
  public Set<String> secretParameters() {
    return Set.of("AccountKey", "SharedAccessSignature");
  }

  @Override
  protected OpenedStore open(StoreUri uri, String table) {
    TableClient client =
        new TableClientBuilder()
            .connectionString(uri.others(Set.of("Table", "Create")))
            .tableName(table)
            .httpClient(new JdkHttpClientBuilder().build())
            .buildClient();
    AzureTableReferenceRepository repo = AzureTableReferenceRepository.builder(client).build();
    if (uri.flag("Create")) {
      repo.createTable();
    }
    return OpenedStore.of(repo, "azure table " + table);
  }
}
