package dev.beckon.storage.redis;

import dev.beckon.delivery.spi.DeliveryQueueProvider;
import dev.beckon.delivery.spi.OpenedQueue;
import dev.beckon.store.spi.StoreUri;
import java.net.URI;
import java.util.Set;
import redis.clients.jedis.RedisClient;

/**
 * Opens {@code redis://[user:password@]host:port[/keyPrefix][?group=name]} queue URIs ({@code
 * rediss://} for TLS) over a Jedis {@code RedisClient} this provider creates and closes ({@link
 * DeliveryQueueProvider}): the server is written as in {@link RedisStoreProvider}'s store URIs, the
 * path is the queue's key prefix (default {@value RedisDeliveryQueue#DEFAULT_PREFIX}) and {@code
 * group} its consumer group (default {@code beckon}). Redis has nothing to create.
 */
public final class RedisDeliveryQueueProvider implements DeliveryQueueProvider {

  private static final StoreUri.Syntax SYNTAX = new StoreUri.Syntax("?", "&", "&", false, true);

  /** Creates the provider ({@link java.util.ServiceLoader} does). */
  public RedisDeliveryQueueProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("redis", "rediss");
  }

  @Override
  public String usage() {
    return "redis://[user:password@]host:port[/prefix][?group=name] (rediss:// for TLS; prefix"
        + " default "
        + RedisDeliveryQueue.DEFAULT_PREFIX
        + ", group default beckon)";
  }

  @Override
  public OpenedQueue open(String uri) {
    StoreUri options = StoreUri.parse(uri, SYNTAX).requireOnly(Set.of("group"), "use ?group=name");
    URI u = RedisStoreProvider.parse(options.base());
    String path = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
    String prefix = path.isEmpty() ? RedisDeliveryQueue.DEFAULT_PREFIX : path;
    String group = options.get("group");
    // the names are checked before a client exists
    RedisDeliveryQueue.Builder.check("key prefix", prefix);
    if (group != null) {
      RedisDeliveryQueue.Builder.check("group", group);
    }
    return OpenedQueue.over(
        RedisClient.create(RedisStoreProvider.server(u)),
        "redis " + u.getHost() + " prefix " + prefix,
        c -> {
          RedisDeliveryQueue.Builder q = RedisDeliveryQueue.builder(c).keyPrefix(prefix);
          if (group != null) {
            q.group(group);
          }
          return q.build();
        });
  }
}
