package dev.beckon.delivery.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.storage.dynamodb.DynamoDbReferenceRepository;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The kill storm on SQS: three worker JVMs on one SQS queue (ElasticMQ in this JVM, real time) and
 * its DynamoDB state table, the fake connector in a fault storm, two workers killed with SIGKILL at
 * random moments and replaced. Every delivery ends final; none lost; none arrived twice unless it
 * is UNKNOWN; none arrived that is recorded GONE, FAILED or DEAD.
 */
class SqsKillStormProcessTest {

  private static final Logger LOG = LoggerFactory.getLogger(SqsKillStormProcessTest.class);
  private static final int DELIVERIES = dev.beckon.testkit.KillStorm.deliveries(200);

  @AfterEach
  void drop() {
    Dynalite.dropTables();
  }

  @Test
  @Timeout(1800)
  void killedWorkersLoseNothingAndDuplicateNothingButUnknown() throws Exception {
    ElasticMq.useClock(Clock.systemUTC());
    SqsDeliveryQueue queue =
        SqsDeliveryQueue.builder(ElasticMq.CLIENT, Dynalite.CLIENT)
            .tableName(Dynalite.freshTableName())
            .queueName(ElasticMq.freshQueueName())
            .build();
    queue.createTable();
    queue.createQueue();
    DynamoDbReferenceRepository refs =
        DynamoDbReferenceRepository.builder(Dynalite.CLIENT)
            .tableName(Dynalite.freshTableName())
            .build();
    refs.createTable();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    List<Process> workers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
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
      List<Future<Boolean>> scheduled = new ArrayList<>();
      for (int i = 0; i < DELIVERIES; i++) {
        int n = i;
        scheduled.add(
            pool.submit(
                () ->
                    queue.schedule(batch.get(n).key(), Activity.message("d-" + n), now, "d-" + n)));
      }
      for (Future<Boolean> f : scheduled) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
      }
      long start = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        workers.add(worker(queue, refs, "w" + i));
      }
      int kills = 0;
      long nextKill = System.nanoTime() + Duration.ofMillis(300 + random.nextInt(1200)).toNanos();
      Map<String, String> stateOf;
      Map<String, Integer> states;
      while (true) {
        stateOf = statesByKey(queue);
        states = new HashMap<>();
        for (String s : stateOf.values()) {
          states.merge(s, 1, Integer::sum);
        }
        if (states.getOrDefault("PENDING", 0) == 0) {
          break;
        }
        if (kills < 2 && System.nanoTime() >= nextKill) {
          Process victim = workers.remove(random.nextInt(workers.size()));
          victim.destroyForcibly().waitFor(); // SIGKILL
          kills++;
          workers.add(worker(queue, refs, "r" + kills));
          nextKill = System.nanoTime() + Duration.ofMillis(300 + random.nextInt(1200)).toNanos();
        }
        Thread.sleep(200);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      for (Process p : workers) {
        p.getOutputStream().close();
      }
      for (Process p : workers) {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      workers.clear();

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
      LOG.info(
          "SQS kill storm: seed {}, {} deliveries, 3 workers, {} killed, {} s; states {}; lost {},"
              + " twice {} (UNKNOWN twice {}), UNKNOWN that arrived {}",
          seed,
          DELIVERIES,
          kills,
          String.format(Locale.ROOT, "%.1f", seconds),
          new TreeMap<>(states),
          lost,
          twice,
          twiceUnknown,
          arrivedUnknown);
      java.nio.file.Files.writeString(
          java.nio.file.Path.of("target", "sqs-kill-storm-figures.txt"),
          String.format(
              Locale.ROOT,
              "storm sqs (no fleet pacing): %d deliveries, seed %d, 3 workers, %d killed, %.1f s;"
                  + " states %s; lost %d; twice %d (UNKNOWN twice %d); UNKNOWN that arrived %d%n",
              DELIVERIES,
              seed,
              kills,
              seconds,
              new TreeMap<>(states),
              lost,
              twice,
              twiceUnknown,
              arrivedUnknown));
      assertThat(kills).isEqualTo(2);
      assertThat(stateOf).hasSize(DELIVERIES);
      assertThat(states.getOrDefault("PENDING", 0)).as("100% accounted").isZero();
      assertThat(lost).as("lost").isZero();
      assertThat(twice).as("delivered twice, not UNKNOWN").isZero();
      assertThat(arrivedOtherwise).as("arrived but recorded GONE, FAILED or DEAD").isZero();
    } finally {
      pool.shutdownNow();
      for (Process p : workers) {
        p.destroyForcibly();
      }
    }
  }

  private static Process worker(
      SqsDeliveryQueue queue, DynamoDbReferenceRepository refs, String name) throws IOException {
    String cp =
        Files.readString(Path.of("target", "test-classpath.txt")).strip()
            + File.pathSeparator
            + Path.of("target", "classes").toAbsolutePath()
            + File.pathSeparator
            + Path.of("target", "test-classes").toAbsolutePath();
    File log = new File("target", "sqs-kill-storm-" + name + ".log");
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            cp,
            SqsWorkerProcess.class.getName(),
            "http://127.0.0.1:" + ElasticMq.PORT,
            Dynalite.endpoint(),
            queue.queueName(),
            queue.tableName(),
            refs.tableName(),
            name)
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
  }

  /** Every row's delivery key and state (a scan of the state table). */
  private static Map<String, String> statesByKey(SqsDeliveryQueue queue) {
    Map<String, String> out = new HashMap<>();
    for (Map<String, AttributeValue> item :
        Dynalite.CLIENT
            .scanPaginator(r -> r.tableName(queue.tableName()).consistentRead(true))
            .items()) {
      AttributeValue k = item.get(Wire.KEY);
      AttributeValue s = item.get(Wire.STATE);
      if (k != null && s != null) {
        out.put(k.s(), s.s());
      }
    }
    return out;
  }
}
