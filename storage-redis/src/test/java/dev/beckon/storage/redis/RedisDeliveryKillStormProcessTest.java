package dev.beckon.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.UnifiedJedis;

/**
 * The kill storm of storage-jdbc's DeliveryKillStormProcessTest on Redis: three worker JVMs on one
 * Redis Streams queue (the single node), the fake connector in a fault storm, two of them killed
 * with SIGKILL at random moments (and replaced). Every delivery must end in a final state; none
 * lost (each DELIVERED one arrived, exactly once); none arrived twice unless it is UNKNOWN.
 */
class RedisDeliveryKillStormProcessTest {

  private static final int DELIVERIES = 2_000;

  private final UnifiedJedis redis = RedisTopology.SINGLE.client();
  private final String id = UUID.randomUUID().toString().substring(0, 12);
  private final String refPrefix = "beckon-storm-r-" + id;

  @org.junit.jupiter.api.AfterEach
  void drop() {
    RedisTopology.deleteTag(redis, "{" + refPrefix + "}");
    RedisTopology.deleteTag(redis, "{beckon-storm-q-" + id + "}");
  }

  @Test
  @Timeout(120)
  void killedWorkersLoseNothingAndDuplicateNothingButUnknown() throws Exception {
    RedisReferenceRepository refs =
        RedisReferenceRepository.builder(redis).keyPrefix(refPrefix).build();
    RedisDeliveryQueue queue =
        RedisDeliveryQueue.builder(redis).keyPrefix("beckon-storm-q-" + id).build();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<Process> workers = new ArrayList<>();
    try (FakeConnector connector = FakeConnector.start()) {
      connector.randomFaults(
          seed,
          Map.of(
              FakeConnector.Fault.throttled(Duration.ofMillis(300)), 0.10,
              FakeConnector.Fault.error(503, "ServiceUnavailable"), 0.05,
              FakeConnector.Fault.error(403, "ConversationBlockedByUser"), 0.02,
              FakeConnector.Fault.error(404, "ConversationNotFound"), 0.01,
              FakeConnector.Fault.drop(), 0.01));
      List<ConversationReference> batch = new ArrayList<>();
      for (int i = 0; i < DELIVERIES; i++) {
        batch.add(
            SampleReferences.reference("msteams", "a:storm-" + i, "tenant-1")
                .withServiceUrl(connector.serviceUrl()));
      }
      refs.saveAll(batch);
      Instant now = Instant.now();
      for (int i = 0; i < DELIVERIES; i++) {
        queue.schedule(batch.get(i).key(), Activity.message("d-" + i), now, "d-" + i);
      }
      long start = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        workers.add(worker(connector, "w" + i));
      }
      int kills = 0;
      long nextKill = System.nanoTime() + Duration.ofMillis(300 + random.nextInt(1200)).toNanos();
      Map<String, Integer> states;
      while (true) {
        states = counts(queue);
        if (states.getOrDefault("PENDING", 0) == 0) {
          break;
        }
        if (kills < 2 && System.nanoTime() >= nextKill) {
          Process victim = workers.remove(random.nextInt(workers.size()));
          victim.destroyForcibly().waitFor(); // SIGKILL
          kills++;
          workers.add(worker(connector, "r" + kills));
          nextKill = System.nanoTime() + Duration.ofMillis(300 + random.nextInt(1200)).toNanos();
        }
        Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      for (Process p : workers) {
        p.getOutputStream().close();
      }
      for (Process p : workers) {
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      workers.clear();

      Map<String, String> stateOf = statesByKey(queue);
      int lost = 0;
      int twice = 0;
      int twiceUnknown = 0;
      int arrivedUnknown = 0;
      int arrivedOtherwise = 0;
      for (int i = 0; i < DELIVERIES; i++) {
        String key = "d-" + i;
        long arrived =
            connector.activities("a:storm-" + i).stream().filter(a -> key.equals(a.text())).count();
        String state = stateOf.get(key);
        if ("DELIVERED".equals(state) && arrived == 0) {
          lost++;
        }
        if (arrived > 1) {
          if ("UNKNOWN".equals(state)) {
            twiceUnknown++;
          } else {
            twice++;
          }
        }
        if (arrived > 0 && !"DELIVERED".equals(state)) {
          if ("UNKNOWN".equals(state)) {
            arrivedUnknown++;
          } else {
            arrivedOtherwise++;
          }
        }
      }
      // this module's tests run on the module path without slf4j: the figures go to a file
      String figures =
          String.format(
              java.util.Locale.ROOT,
              "kill storm (Redis): seed %d, %d deliveries, 3 workers, %d killed, %.1f s; states %s;"
                  + " lost %d, twice %d (UNKNOWN twice %d), UNKNOWN that arrived %d%n",
              seed,
              DELIVERIES,
              kills,
              seconds,
              new TreeMap<>(states),
              lost,
              twice,
              twiceUnknown,
              arrivedUnknown);
      Files.writeString(Path.of("target", "redis-kill-storm-figures.txt"), figures);
      assertThat(kills).isEqualTo(2);
      assertThat(stateOf).hasSize(DELIVERIES);
      assertThat(states.getOrDefault("PENDING", 0)).as("100% accounted").isZero();
      assertThat(lost).as("lost").isZero();
      assertThat(twice).as("delivered twice, not UNKNOWN").isZero();
      assertThat(arrivedOtherwise).as("arrived but recorded GONE, FAILED or DEAD").isZero();
    } finally {
      for (Process p : workers) {
        p.destroyForcibly();
      }
    }
  }

  private Process worker(FakeConnector connector, String name) throws IOException {
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
            Integer.toString(RedisServer.port()),
            refPrefix,
            "beckon-storm-q-" + id,
            connector.serviceUrl(),
            name)
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
  }

  private Map<String, Integer> counts(RedisDeliveryQueue queue) {
    Map<String, Integer> out = new HashMap<>();
    for (String state : statesByKey(queue).values()) {
      out.merge(state, 1, Integer::sum);
    }
    return out;
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
