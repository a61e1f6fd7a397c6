package dev.beckon.storage.dynamodb;

import dev.beckon.store.spi.OpenedStore;
import dev.beckon.store.spi.StoreProvider;
import dev.beckon.store.spi.StoreUri;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
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
 * optional dependency of this module: only {@link #open} needs it, and says so when it is missing.
 */
public final class DynamoDbStoreProvider implements StoreProvider {

  private static final String SCHEME = "dynamodb:";
  private static final StoreUri.Syntax SYNTAX = new StoreUri.Syntax("?", "&", "&", false, true);

  /** Creates the provider ({@link java.util.ServiceLoader} does). */
  public DynamoDbStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("dynamodb");
  }

  @Override
  public String usage() {
    return "dynamodb:<table>?endpoint=...&region=...[&create=true] (credentials from the AWS"
        + " default chain)";
  }

  @Override
  public Optional<String> createOption() {
    return Optional.of("&create=true");
  }

  @Override
  public String withTable(String uri, @Nullable String table, boolean create) {
    StoreUri u = StoreUri.parse(uri, SYNTAX);
    String named = u.base().substring(SCHEME.length());
    StoreUri.requireSameTable(table, named, "dynamodb:" + named);
    u = named.isEmpty() && table != null ? u.withBase(SCHEME + table) : u;
    return u.withCreate(create, "create=true").toString();
  }

  @Override
  public String identity(String uri) {
    StoreUri u = StoreUri.parse(uri, SYNTAX);
    Map<String, String> params = u.identity(Set.of("create"));
    params.putIfAbsent("region", defaultRegion());
    return u.base() + params;
  }

  @Override
  public OpenedStore open(String uri) {
    StoreUri u =
        StoreUri.parse(uri, SYNTAX)
            .requireOnly(
                Set.of("region", "endpoint", "create"),
                "use region, endpoint and create=true; credentials come from the AWS default"
                    + " chain");
    String table = u.base().substring(SCHEME.length());
    if (table.isBlank()) {
      throw new IllegalArgumentException(
          "dynamodb: needs a table name, e.g. dynamodb:beckon_references?region=eu-west-1");
    }
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
      URI e = endpoint(endpoint);
      b.endpointOverride(e);
      if (isLoopback(e.getHost())) {
        b.credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
      }
    }
    return OpenedStore.over(
        b.build(),
        "dynamodb table " + table,
        client -> {
          DynamoDbReferenceRepository repo =
              DynamoDbReferenceRepository.builder(client).tableName(table).build();
          if (u.flag("create")) {
            repo.createTable();
          }
          return repo;
        });
  }

  private static String defaultRegion() {
    return System.getenv().getOrDefault("AWS_REGION", "us-east-1");
  }

  /**
   * The url-connection-client calls, in a class of their own: it is loaded on the first {@link
   * #open}, so the provider is found and its other methods work without that library.
   */
  private static final class Http {
    static SdkHttpClient client() {
      return software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
          .connectionTimeout(Duration.ofSeconds(5))
          .socketTimeout(Duration.ofSeconds(30))
          .build();
    }
  }

  /** The endpoint, checked: a host, a port 1..65535, no credentials. */
  private static URI endpoint(String text) {
    URI u = StoreProvider.serverUri(text, "dynamodb endpoint", "http://127.0.0.1:4567");
    if (u.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "the dynamodb endpoint must not carry credentials (user:password@): "
              + "they come from the AWS default chain");
    }
    return u;
  }

  private static boolean isLoopback(@Nullable String host) {
    return host != null
        && (host.equals("localhost")
            || host.startsWith("127.")
            || host.equals("[::1]")
            || host.equals("::1"));
  }
}
