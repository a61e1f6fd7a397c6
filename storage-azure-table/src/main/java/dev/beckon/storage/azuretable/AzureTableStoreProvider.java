package dev.beckon.storage.azuretable;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import dev.beckon.store.spi.OpenedStore;
import dev.beckon.store.spi.StoreProvider;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
    if (table == null && !create) {
      return uri;
    }
    String named = null;
    boolean creates = false;
    for (String part : uri.substring(SCHEME.length()).split(";", -1)) {
      if (part.regionMatches(true, 0, "Table=", 0, 6)) {
        named = part.substring(6);
      } else if (part.regionMatches(true, 0, "Create=", 0, 7)) {
        creates = true;
        if (create && !part.equalsIgnoreCase("Create=true")) {
          throw new IllegalArgumentException(
              "--create-table: the store URI says " + part.strip() + "; give one or the other");
        }
      }
    }
    if (named != null && table != null && !named.equals(table)) {
      throw new IllegalArgumentException(
          "table "
              + table
              + " conflicts with the table the store URI names (;Table="
              + named
              + "); give the table once");
    }
    StringBuilder out = new StringBuilder(uri);
    String sep = uri.endsWith(";") || uri.endsWith(":") ? "" : ";";
    if (table != null && named == null) {
      out.append(sep).append("Table=").append(table);
      sep = ";";
    }
    if (create && !creates) {
      out.append(sep).append("Create=true");
    }
    return out.toString();
  }

  @Override
  public String identity(String uri) {
    TreeMap<String, String> parts = new TreeMap<>();
    parts.put("table", DEFAULT_TABLE);
    for (String part : uri.substring(SCHEME.length()).split(";", -1)) {
      int eq = part.indexOf('=');
      String k = (eq < 0 ? part : part.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
      if (!k.isEmpty()
          && !k.equals("create")
          && !k.equals("accountkey")
          && !k.equals("sharedaccesssignature")) {
        parts.put(k, eq < 0 ? "" : part.substring(eq + 1).strip());
      }
    }
    return SCHEME + parts;
  }

  @Override
  public OpenedStore open(String uri) {
    String table = DEFAULT_TABLE;
    boolean create = false;
    StringBuilder cs = new StringBuilder();
    for (String part : uri.substring(SCHEME.length()).split(";", -1)) {
      if (part.regionMatches(true, 0, "Table=", 0, 6)) {
        table = part.substring(6);
      } else if (part.equalsIgnoreCase("Create=true")) {
        create = true;
      } else if (!part.isBlank()) {
        cs.append(part).append(';');
      }
    }
    TableClient client =
        new TableClientBuilder()
            .connectionString(cs.toString())
            .tableName(table)
            .httpClient(new JdkHttpClientBuilder().build())
            .buildClient();
    AzureTableReferenceRepository repo = AzureTableReferenceRepository.builder(client).build();
    if (create) {
      repo.createTable();
    }
    return OpenedStore.of(repo, "azure table " + table);
  }
}
