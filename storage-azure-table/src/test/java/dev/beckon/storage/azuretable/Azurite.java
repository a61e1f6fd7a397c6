package dev.beckon.storage.azuretable;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Azurite the tests use: the well-known development account on 127.0.0.1:10002, unless {@code
 * BECKON_AZURE_CONNECTION_STRING} (or {@code -Dbeckon.azure.connectionString}) says otherwise.
 */
final class Azurite {
  static final String DEFAULT =
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
          + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
          + "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final String RUN = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

  private Azurite() {}

  static String connectionString() {
    String v =
        System.getProperty(
            "beckon.azure.connectionString", System.getenv("BECKON_AZURE_CONNECTION_STRING"));
    return v == null || v.isBlank() ? DEFAULT : v;
  }

  static TableClient table(String name) {
    return new TableClientBuilder()
        .connectionString(connectionString())
        .tableName(name)
        .httpClient(new JdkHttpClientBuilder().build())
        .buildClient();
  }

  static String newTableName() {
    return "beckon" + RUN + "t" + TABLES.incrementAndGet();
  }
}
