package dev.beckon.storage.dynamodb;

import dev.beckon.reference.ServiceUrl;
import dev.beckon.store.spi.DeclaredStoreProvider;
import dev.beckon.store.spi.OpenedStore;
import dev.beckon.store.spi.StoreProvider;
import dev.beckon.store.spi.StoreUri;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Opens {@code dynamodb:<table>[?region=us-east-1&endpoint=http://127.0.0.1:4567&create=true]}
 * store URIs ({@link StoreProvider}) over a {@code DynamoDbClient} this provider creates and
 * closes. The region defaults to {@code AWS_REGION}, else {@code us-east-1}; {@code create=true}
 * runs {@link DynamoDbReferenceRepository#createTable()} first. Credentials come from the AWS
 * default chain, except for a loopback endpoint (dynalite, a local emulator), which gets static
 * local credentials; the URI never carries any.
 *
 * <p>The HTTP client is the AWS SDK's {@code url-connection-client}
 * (software.amazon.awssdk:url-connection-client, connect timeout 5 s, socket timeout 30 s), an
 * optional dependency of this module: only {@link #open(String)} needs it, and says so when it is
 * missing.
 */
public final class DynamoDbStoreProvider extends DeclaredStoreProvider {

  /** Creates the provider ({@link java.util.ServiceLoader} does). */
  public DynamoDbStoreProvider() {
    super("dynamodb", new StoreUri.Syntax("?", "&", "&", false, true), null, "create=true");
  }

  @Override
  public String usage() {
    return "dynamodb:<table>?endpoint=...&region=...[&create=true] (credentials from the AWS"
        + " default chain)";
  }

  @Override
  protected Map<String, String> identityDefaults() {
    return Map.of("region", defaultRegion());
  }

  @Override
  protected OpenedStore open(StoreUri uri, String table) {
    String chain = "the AWS default chain";
    StoreUri u =
        uri.requireOnly(
            Set.of("region", "endpoint", "create"),
            "use region, endpoint and create=true; credentials come from " + chain);
    String region = u.get("region");
    DynamoDbClientBuilder b =
        DynamoDbClient.builder()
            .region(Region.of(region == null ? defaultRegion() : region))
            .httpClient(
                StoreProvider.withOptionalLibrary(
                    "dynamodb",
                    "the AWS SDK's url-connection-client"
                        + " (software.amazon.awssdk:url-connection-client)",
                    Http::client));
    String endpoint = u.get("endpoint");
    if (endpoint != null) {
      URI e =
          StoreProvider.endpointUri(endpoint, "dynamodb endpoint", "http://127.0.0.1:4567", chain);
      b.endpointOverride(e);
      if (ServiceUrl.isLoopbackHost(e.getHost().toLowerCase(Locale.ROOT))) {
        b.credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
      }
    }
    return OpenedStore.over(
        b.build(),
        "dynamodb table " + table,
        client ->
            createdIfAsked(
                u,
                DynamoDbReferenceRepository.builder(client).tableName(table).build(),
                DynamoDbReferenceRepository::createTable));
  }

  private static String defaultRegion() {
    return System.getenv().getOrDefault("AWS_REGION", "us-east-1");
  }

  /**
   * The url-connection-client, in a class of its own: loaded on the first {@link #open(String)}.
   */
  private static final class Http {
    static SdkHttpClient client() {
      return software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
          .connectionTimeout(Duration.ofSeconds(5))
          .socketTimeout(Duration.ofSeconds(30))
          .build();
    }
  }
}
