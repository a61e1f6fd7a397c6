package dev.beckon.delivery.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.storage.dynamodb.DynamoDbReferenceRepository;
import dev.beckon.storage.dynamodb.DynamoDbTokenBuckets;
import dev.beckon.testkit.KillStorm;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The testkit {@link KillStorm} on SQS: three worker JVMs ({@link SqsWorkerProcess}) on one SQS
 * queue (ElasticMQ in this JVM, real time, reached by the workers over loopback) with its DynamoDB
 * state table and a DynamoDB reference table (dynalite), paced by one fleet-wide {@link
 * DynamoDbTokenBuckets} limiter on dynalite; the fake connector in a fault storm, two workers
 * killed with SIGKILL. Every delivery ends final, none lost, none twice unless UNKNOWN, and no
 * tenant or conversation above its limit in any 1 s window. {@code -Dbeckon.storm.deliveries=N}
 * (scripts/storm.sh) runs a bigger storm.
 */
class SqsKillStormProcessTest {

  private final String limiterPrefix = "s" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void drop() {
    Dynalite.dropTables();
  }

  @Test
  @Timeout(3600)
  void killedWorkersLoseNothingDuplicateNothingButUnknownAndPacingHoldsFleetWide()
      throws Exception {
    // dynalite (one Node process) is the slow part: a smaller CI storm than the JDBC and Redis ones
    int deliveries = KillStorm.deliveries(400);
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
    DynamoDbTokenBuckets buckets =
        DynamoDbTokenBuckets.builder(Dynalite.CLIENT)
            .tableName(Dynalite.freshTableName())
            .requestTimeout(Duration.ofSeconds(30))
            .build();
    buckets.createTable();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Boolean>> scheduled = new ArrayList<>();
    try {
      KillStorm.Backend backend =
          new KillStorm.Backend() {
            @Override
            public void save(List<ConversationReference> references) {
              refs.saveAll(references);
            }

            @Override
            public void schedule(
                ReferenceKey to, Activity activity, Instant notBefore, String key) {
              // one SQS send and one DynamoDB put each: 8 at a time, all done before a worker
              // starts
              scheduled.add(pool.submit(() -> queue.schedule(to, activity, notBefore, key)));
            }

            @Override
            public Map<String, String> states() {
              return statesByKey(queue);
            }

            @Override
            public Process startWorker(String serviceUrl, String name) throws IOException {
              awaitScheduled(scheduled);
              return worker(queue, refs, buckets, name); // the references carry serviceUrl
            }
          };
      KillStorm.Figures f =
          KillStorm.run("sqs", backend, deliveries, Duration.ofSeconds(120 + deliveries / 5));
      Files.writeString(Path.of("target", "kill-storm-sqs-figures.txt"), f.line() + "\n");
      assertThat(f.kills()).isEqualTo(2);
      assertThat(f.accounted()).as("100% accounted: " + f.line()).isEqualTo(deliveries);
      assertThat(f.lost()).as("lost").isZero();
      assertThat(f.twice()).as("delivered twice, not UNKNOWN").isZero();
      assertThat(f.arrivedOtherwise()).as("arrived but recorded GONE, FAILED or DEAD").isZero();
      assertThat(f.pacingProblems(KillStorm.TOLERATED_LATENESS_MILLIS)).as("pacing").isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits for every scheduled delivery (once; later calls find nothing left). */
  private static void awaitScheduled(List<Future<Boolean>> scheduled) throws IOException {
    try {
      for (Future<Boolean> f : scheduled) {
        if (!f.get(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("a storm delivery was already scheduled");
        }
      }
      scheduled.clear();
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("scheduling the storm failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while scheduling the storm", e);
    }
  }

  private Process worker(
      SqsDeliveryQueue queue,
      DynamoDbReferenceRepository refs,
      DynamoDbTokenBuckets buckets,
      String name)
      throws IOException {
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
            buckets.tableName(),
            limiterPrefix,
            name)
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
  }

  /** Every row's delivery key and state (a consistent scan of the state table). */
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
