package dev.beckon.storage.azuretable;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import dev.beckon.store.spi.OpenedStore;
import dev.beckon.store.spi.StoreProvider;
import dev.beckon.store.spi.StoreUri;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

/**
 * Opens {@code azure-table:<connection string>[;Table=name][;Create=true]} store URIs ({@link
 * StoreProvider}): an Azure Storage (or Azurite) connection string, with Beckon's two options added
 * as parameters of it. The table defaults to {@code beckonreferences}; {@code Create=true} runs
 * {@link AzureTableReferenceRepository#createTable()} first. The {@code TableClient} uses the JDK's
 * HTTP client and needs no closing.
 */
public final class AzureTableStoreProvider implements StoreProvider {

  private static final String SCHEME = "azure-table:";
  private static final String DEFAULT_TABLE = "beckonreferences";

  /** A connection string's parts, Beckon's {@code Table} and {@code Create} among them. */
  private static final StoreUri.Syntax SYNTAX = new StoreUri.Syntax(":", ";", ";", true, false);

  /** Creates the provider ({@link java.util.ServiceLoader} does). */
  public AzureTableStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("azure-table");
  }

  @Override
  public String usage() {
    return "azure-table:<connection string>[;Table=name][;Create=true] (table default "
        + DEFAULT_TABLE
        + ")";
  }

  @Override
  public Optional<String> createOption() {
    return Optional.of(";Create=true");
  }

  @Override
  public Set<String> secretParameters() {
    return Set.of("AccountKey", "SharedAccessSignature");
  }

  @Override
  public String withTable(String uri, @Nullable String table, boolean create) {
    return StoreUri.parse(uri, SYNTAX)
        .withTable(table, "Table")
        .withCreate(create, "Create=true")
        .toString();
  }

  @Override
  public String identity(String uri) {
    SortedMap<String, String> parts =
        StoreUri.parse(uri, SYNTAX)
            .identity(Set.of("Create", "AccountKey", "SharedAccessSignature"));
    parts.putIfAbsent("table", DEFAULT_TABLE);
    return SCHEME + parts;
  }

  @Override
  public OpenedStore open(String uri) {
    StoreUri u = StoreUri.parse(uri, SYNTAX);
    String table = Objects.requireNonNullElse(u.get("Table"), DEFAULT_TABLE);
    TableClient client =
        new TableClientBuilder()
            .connectionString(u.others(Set.of("Table", "Create")))
            .tableName(table)
            .httpClient(new JdkHttpClientBuilder().build())
            .buildClient();
    AzureTableReferenceRepository repo = AzureTableReferenceRepository.builder(client).build();
    if (u.flag("Create")) {
      repo.createTable();
    }
    return OpenedStore.of(repo, "azure table " + table);
  }
}
