package dev.beckon.storage.dynamodb;

import dev.beckon.store.spi.OpenedStore;
import dev.beckon.store.spi.StoreProvider;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
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
  private static final Set<String> PARAMETERS = Set.of("region", "endpoint", "create");

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
    if (table == null && !create) {
      return uri;
    }
    String spec = uri.substring(SCHEME.length());
    int q = spec.indexOf('?');
    String named = q < 0 ? spec : spec.substring(0, q);
    String query = q < 0 ? "" : spec.substring(q + 1);
    if (!named.isEmpty() && table != null && !named.equals(table)) {
      throw new IllegalArgumentException(
          "table "
              + table
              + " conflicts with the table the store URI names (dynamodb:"
              + named
              + "); give the table once");
    }
    String createParam = query(query).get("create");
    if (create && createParam != null && !createParam.equals("true")) {
      throw new IllegalArgumentException(
          "--create-table: the store URI says create=" + createParam + "; give one or the other");
    }
    if (create && createParam == null) {
      query = query.isEmpty() ? "create=true" : query + "&create=true";
    }
    return SCHEME
        + (named.isEmpty() && table != null ? table : named)
        + (query.isEmpty() ? "" : "?" + query);
  }

  @Override
  public String identity(String uri) {
    String spec = uri.substring(SCHEME.length());
    int q = spec.indexOf('?');
    Map<String, String> params = new TreeMap<>(query(q < 0 ? "" : spec.substring(q + 1)));
    params.remove("create");
    params.putIfAbsent("region", defaultRegion());
    return SCHEME + (q < 0 ? spec : spec.substring(0, q)) + params;
  }

  @Override
  public OpenedStore open(String uri) {
    String spec = uri.substring(SCHEME.length());
    int q = spec.indexOf('?');
    String table = q < 0 ? spec : spec.substring(0, q);
    Map<String, String> params = query(q < 0 ? "" : spec.substring(q + 1));
    for (String name : params.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown dynamodb: parameter '"
                + name
                + "' (use region, endpoint and create=true; credentials come from the AWS default"
                + " chain)");
      }
    }
    if (table.isBlank()) {
      throw new IllegalArgumentException(
          "dynamodb: needs a table name, e.g. dynamodb:beckon_references?region=eu-west-1");
    }
    DynamoDbClientBuilder b =
        DynamoDbClient.builder()
            .region(Region.of(params.getOrDefault("region", defaultRegion())))
            .httpClient(httpClient());
    String endpoint = params.get("endpoint");
    if (endpoint != null) {
      URI e = endpoint(endpoint);
      b.endpointOverride(e);
      if (isLoopback(e.getHost())) {
        b.credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
      }
    }
    DynamoDbClient client = b.build();
    try {
      DynamoDbReferenceRepository repo =
          DynamoDbReferenceRepository.builder(client).tableName(table).build();
      if ("true".equals(params.get("create"))) {
        repo.createTable();
      }
      return OpenedStore.of(repo, "dynamodb table " + table, client);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  private static String defaultRegion() {
    return System.getenv().getOrDefault("AWS_REGION", "us-east-1");
  }

  /** The HTTP client, or a clear failure when url-connection-client is not on the class path. */
  private static SdkHttpClient httpClient() {
    try {
      return Http.client();
    } catch (NoClassDefFoundError e) {
      throw new IllegalArgumentException(
          "dynamodb: store URIs need the AWS SDK's url-connection-client"
              + " (software.amazon.awssdk:url-connection-client) on the class path",
          e);
    }
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

  private static Map<String, String> query(String q) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : q.split("&", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = decode(eq < 0 ? part : part.substring(0, eq));
      String v = eq < 0 ? "" : decode(part.substring(eq + 1));
      out.put(k, v);
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "dynamodb: a parameter is not %-encoded correctly: " + e.getMessage(), e);
    }
  }
}
