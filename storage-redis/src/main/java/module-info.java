/**
 * Beckon's Redis store over a Jedis {@code UnifiedJedis} you provide.
 *
 * <p>Jedis has no module descriptor; it declares {@code Automatic-Module-Name: redis.clients.jedis},
 * a stable name to require. Its client type is in the builder's signature, so it is required
 * transitively.
 */
module dev.beckon.storage.redis {
  requires transitive dev.beckon.core;
  requires transitive redis.clients.jedis;
  requires static org.jspecify;

  exports dev.beckon.storage.redis;
}
