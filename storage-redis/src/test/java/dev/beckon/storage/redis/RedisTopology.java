package dev.beckon.storage.redis;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The two Redis deployments the tests run on: the single node (127.0.0.1:6379, {@link RedisServer})
 * and the 3-master cluster that src/test/servers/redis-cluster.sh starts on 127.0.0.1:7101-7103 (or
 * {@code BECKON_REDIS_CLUSTER_PORTS}). Clients live as long as the test JVM.
 */
enum RedisTopology {
  SINGLE,
  CLUSTER;

  private static UnifiedJedis single;
  private static UnifiedJedis cluster;

  /** This deployment's shared client. */
  synchronized UnifiedJedis client() {
    if (this == SINGLE) {
      if (single == null) {
        single = RedisServer.client();
      }
      return single;
    }
    if (cluster == null) {
      cluster = clusterClient();
    }
    return cluster;
  }

  static RedisClusterClient clusterClient() {
    String ports =
        System.getProperty(
            "beckon.redis.cluster.ports", System.getenv("BECKON_REDIS_CLUSTER_PORTS"));
    if (ports == null || ports.isBlank()) {
      ports = "7101 7102 7103";
    }
    Set<HostAndPort> nodes = new LinkedHashSet<>();
    for (String p : java.util.regex.Pattern.compile("[ ,]+").splitAsStream(ports.trim()).toList()) {
      nodes.add(new HostAndPort("127.0.0.1", Integer.parseInt(p)));
    }
    return RedisClusterClient.create(nodes);
  }

  /**
   * Deletes every key that starts with a hash tag, on either deployment: a script routed to the
   * tag's slot SCANs that node (never FLUSHDB: the servers are shared). One SCAN step per call, so
   * that deleting the streaming test's 100,000 keys never holds the shared server for seconds in
   * one script (which timed the client out on a loaded machine, and stalled every other test).
   */
  static void deleteTag(UnifiedJedis redis, String tag) {
    String step =
        "local r = redis.call('SCAN', ARGV[2], 'MATCH', ARGV[1], 'COUNT', 1000) "
            + "for _, k in ipairs(r[2]) do redis.call('UNLINK', k) end return r[1]";
    String pattern = tag.replace("{", "\\{").replace("}", "\\}") + "*";
    String cursor = "0";
    do {
      cursor =
          String.valueOf(redis.eval(step, List.of(tag + ":cleanup"), List.of(pattern, cursor)));
    } while (!"0".equals(cursor));
  }
}
