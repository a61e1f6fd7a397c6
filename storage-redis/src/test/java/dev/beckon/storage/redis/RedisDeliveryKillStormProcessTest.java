package dev.beckon.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.testkit.KillStorm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.UnifiedJedis;

/**
 * The testkit {@link KillStorm} on one Redis Streams queue (the single node; {@code
 * -Dbeckon.storm.redis=CLUSTER} for the 3-master cluster): three worker JVMs paced by one {@link
 * RedisTokenBuckets} limiter, the fake connector in a fault storm, two workers killed with SIGKILL.
 * Every delivery ends final, none lost, none twice unless UNKNOWN, and no tenant or conversation
 * above its limit in any 1 s window. {@code -Dbeckon.storm.deliveries=N} (scripts/storm.sh) runs a
 * bigger storm.
 */
class RedisDeliveryKillStormProcessTest {

  private final RedisTopology topology =
      RedisTopology.valueOf(
          System.getProperty("beckon.storm.redis", "SINGLE").toUpperCase(Locale.ROOT));
  private final UnifiedJedis redis = topology.client();
  private final String id = UUID.randomUUID().toString().substring(0, 12);
  private final String refPrefix = "beckon-storm-r-" + id;
  private final String queuePrefix = "beckon-storm-q-" + id;

  @AfterEach
  void drop() {
    RedisTopology.deleteTag(redis, "{" + refPrefix + "}");
    RedisTopology.deleteTag(redis, "{" + queuePrefix + "}");
  }

  @Test
  @Timeout(1800)
  void killedWorkersLoseNothingDuplicateNothingButUnknownAndPacingHoldsFleetWide()
      throws Exception {
    int deliveries = KillStorm.deliveries(2_000);
    RedisReferenceRepository refs =
        RedisReferenceRepository.builder(redis).keyPrefix(refPrefix).build();
    RedisDeliveryQueue queue = RedisDeliveryQueue.builder(redis).keyPrefix(queuePrefix).build();
    String limiterPrefix = "s" + id.substring(0, 8);
    KillStorm.Backend backend =
        new KillStorm.Backend() {
          @Override
          public void save(List<ConversationReference> references) {
            refs.saveAll(references);
          }

          @Override
          public void schedule(ReferenceKey to, Activity activity, Instant notBefore, String key) {
            queue.schedule(to, activity, notBefore, key);
          }

          @Override
          public Map<String, String> states() {
            return statesByKey(queue);
          }

          @Override
          public Process startWorker(String serviceUrl, String name) throws IOException {
            return worker(limiterPrefix, serviceUrl, name);
          }
        };
    String name = topology == RedisTopology.SINGLE ? "redis" : "redis-cluster";
    KillStorm.Figures f =
        KillStorm.run(name, backend, deliveries, Duration.ofSeconds(60 + deliveries / 20));
    // this module's tests run on the module path without slf4j: the figures go to a file
    Files.writeString(Path.of("target", "kill-storm-" + name + "-figures.txt"), f.line() + "\n");
    assertThat(f.kills()).isEqualTo(2);
    assertThat(f.accounted()).as("100% accounted: " + f.line()).isEqualTo(deliveries);
    assertThat(f.lost()).as("lost").isZero();
    assertThat(f.twice()).as("delivered twice, not UNKNOWN").isZero();
    assertThat(f.arrivedOtherwise()).as("arrived but recorded GONE, FAILED or DEAD").isZero();
    assertThat(f.pacingProblems(KillStorm.TOLERATED_LATENESS_MILLIS)).as("pacing").isEmpty();
  }

  private Process worker(String limiterPrefix, String serviceUrl, String name) throws IOException {
    String cp =
        Files.readString(Path.of("target", "test-classpath.txt")).strip()
            + File.pathSeparator
            + Path.of("target", "classes").toAbsolutePath()
            + File.pathSeparator
            + Path.of("target", "test-classes").toAbsolutePath();
    File log = new File("target", "redis-kill-storm-" + name + ".log");
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            cp,
            RedisDeliveryWorkerProcess.class.getName(),
            topology.name(),
            refPrefix,
            queuePrefix,
            limiterPrefix,
            serviceUrl,
            name)
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
  }

  /** Every delivery's state, in one script (HGET over the queue's hashes, by SCAN on its node). */
  private Map<String, String> statesByKey(RedisDeliveryQueue queue) {
    String script =
        "local cursor = '0' local out = {} repeat "
            + "local r = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000) "
            + "cursor = r[1] for _, k in ipairs(r[2]) do "
            + "local f = redis.call('HMGET', k, 'k', 's') "
            + "out[#out + 1] = f[1] or '' out[#out + 1] = f[2] or '' end "
            + "until cursor == '0' return out";
    String pattern = queue.hashTag().replace("{", "\\{").replace("}", "\\}") + ":d:*";
    List<?> flat =
        (List<?>) redis.eval(script, List.of(queue.hashTag() + ":due"), List.of(pattern));
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      out.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return out;
  }
}
