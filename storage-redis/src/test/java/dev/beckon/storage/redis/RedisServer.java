package dev.beckon.storage.redis;

import java.util.List;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis the tests use: 127.0.0.1:6379 unless {@code beckon.redis.host}/{@code
 * beckon.redis.port} (or {@code BECKON_REDIS_HOST}/{@code BECKON_REDIS_PORT}) say otherwise.
 */
final class RedisServer {
  private RedisServer() {}

  static String host() {
    String h = System.getProperty("beckon.redis.host", System.getenv("BECKON_REDIS_HOST"));
    return h == null || h.isBlank() ? "127.0.0.1" : h;
  }

  static int port() {
    String p = System.getProperty("beckon.redis.port", System.getenv("BECKON_REDIS_PORT"));
    return p == null || p.isBlank() ? 6379 : Integer.parseInt(p);
  }

  static RedisClient client() {
    return RedisClient.create(host(), port());
  }

  /**
   * Deletes the test's own keys (by SCAN over its prefix; never FLUSHDB: the server may be shared).
   */
  static void deletePrefix(UnifiedJedis redis, String tag) {
    String cursor = ScanParams.SCAN_POINTER_START;
    ScanParams params =
        new ScanParams().match(tag.replace("{", "\\{").replace("}", "\\}") + "*").count(1000);
    do {
      ScanResult<String> r = redis.scan(cursor, params);
      List<String> keys = r.getResult();
      if (!keys.isEmpty()) {
        redis.del(keys.toArray(new String[0]));
      }
      cursor = r.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
  }
}
