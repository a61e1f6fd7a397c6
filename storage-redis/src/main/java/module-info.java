/**
 * Beckon's Redis store over a Jedis {@code UnifiedJedis} you provide.
 *
 * <p>Jedis has no module descriptor; it declares {@code Automatic-Module-Name:
 * redis.clients.jedis}, a stable name to require. Its client type is in the builder's signature, so
 * it is required transitively.
 */
// the HttpClient 5, Jedis and AWS SDK jars name their modules only by Automatic-Module-Name
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.beckon.storage.redis {
  requires transitive dev.beckon.core;
  requires transitive redis.clients.jedis;
  requires dev.beckon.ratelimit.bucket4j; // the fleet-wide token buckets
  requires static transitive org.jspecify; // its annotations are on the API's types

  exports dev.beckon.storage.redis;

  provides dev.beckon.store.spi.StoreProvider with
      dev.beckon.storage.redis.RedisStoreProvider;
  provides dev.beckon.delivery.spi.DeliveryQueueProvider with
      dev.beckon.storage.redis.RedisDeliveryQueueProvider;
}
