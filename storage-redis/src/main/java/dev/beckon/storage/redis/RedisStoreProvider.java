package dev.beckon.storage.redis;

import dev.beckon.store.spi.OpenedStore;
import dev.beckon.store.spi.StoreProvider;
import dev.beckon.store.spi.StoreUri;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.RedisClient;

/**
 * Opens {@code redis://[user:password@]host:port[/keyPrefix]} store URIs ({@code rediss://} for
 * TLS) over a Jedis {@code RedisClient} this provider creates and closes ({@link StoreProvider}).
 * The port defaults to 6379 and the key prefix, which stands for the table, to {@code beckon}.
 * Redis has no table to create, so there is no create option.
 */
public final class RedisStoreProvider implements StoreProvider {

  private static final int DEFAULT_PORT = 6379;
  private static final String DEFAULT_PREFIX = "beckon";

  /** Creates the provider ({@link java.util.ServiceLoader} does). */
  public RedisStoreProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("redis", "rediss");
  }

  @Override
  public String usage() {
    return "redis://[user:password@]host:port[/prefix] (rediss:// for TLS; the key prefix is the"
        + " table, default "
        + DEFAULT_PREFIX
        + ", nothing to create)";
  }

  @Override
  public Optional<String> createOption() {
    return Optional.empty();
  }

  @Override
  public String withTable(String uri, @Nullable String table, boolean create) {
    return StoreUri.withPathTable(uri, table, "its key prefix"); // no table to create
  }

  @Override
  public String identity(String uri) {
    URI u = parse(uri);
    return u.getScheme().toLowerCase(Locale.ROOT)
        + "://"
        + u.getHost().toLowerCase(Locale.ROOT)
        + ":"
        + (u.getPort() < 0 ? DEFAULT_PORT : u.getPort())
        + "/"
        + prefix(u);
  }

  @Override
  public OpenedStore open(String uri) {
    URI u = parse(uri);
    String prefix = prefix(u);
    return OpenedStore.over(
        RedisClient.create(server(u)),
        "redis " + u.getHost() + " prefix " + prefix,
        c -> RedisReferenceRepository.builder(c).keyPrefix(prefix).build());
  }

  /** The server of a parsed URI, without its path: what the client connects to. */
  static URI server(URI u) {
    return URI.create(
        u.getScheme()
            + "://"
            + (u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@")
            + u.getHost()
            + ":"
            + (u.getPort() < 0 ? DEFAULT_PORT : u.getPort()));
  }

  private static String prefix(URI u) {
    String path = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
    return path.isEmpty() ? DEFAULT_PREFIX : path;
  }

  /** The URI, checked: a host, a port 1..65535; a syntax error names where it is. */
  static URI parse(String text) {
    return StoreProvider.serverUri(text, "redis URI", "redis://127.0.0.1:6379/prefix");
  }
}
