package dev.beckon.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.memory.InMemoryDeliveryQueue;
import dev.beckon.micrometer.BeckonMeters;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.ConversationParameters;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.storage.jdbc.JdbcDeliveryQueue;
import dev.beckon.storage.jdbc.JdbcReferenceRepository;
import dev.beckon.storage.redis.RedisDeliveryQueue;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import redis.clients.jedis.UnifiedJedis;

/**
 * The delivery queue from the user's beans and the worker as a SmartLifecycle: each client bean,
 * the order between them, the user's own queue, in memory with a WARN only for a worker, the
 * worker's properties, its graceful stop, its meters. Real clients on loopback (H2 in memory, the
 * Redis on 6379, the fake connector).
 */
@ExtendWith(OutputCaptureExtension.class)
class DeliveryAutoConfigurationTest {

  private static FakeConnector connector;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(BeckonAutoConfiguration.class))
          .withPropertyValues("beckon.anonymous=true", "beckon.trusted-hosts=127.0.0.1");

  @BeforeAll
  static void start() {
    connector = FakeConnector.start();
  }

  @AfterAll
  static void stop() {
    connector.close();
  }

  private static ConversationReference atConnector(String conversation) {
    return SampleReferences.reference("msteams", conversation, "tenant-1")
        .withServiceUrl(connector.serviceUrl());
  }

  /** Waits for a condition the worker's thread makes true, at most 30 s. */
  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("the condition within 30 s").isLessThan(end);
      Thread.sleep(20);
    }
  }

  @Test
  void withoutAClientAndWithoutAWorkerThereIsNoQueue() {
    runner.run(
        c -> {
          assertThat(c).doesNotHaveBean(DeliveryQueue.class);
          assertThat(c).doesNotHaveBean(DeliveryWorkerLifecycle.class);
        });
  }

  @Test
  void withoutAClientAWorkerGetsAnInMemoryQueueAndAWarn(CapturedOutput output) {
    runner
        .withPropertyValues("beckon.delivery.enabled=true")
        .run(
            c -> {
              assertThat(c.getBean(DeliveryQueue.class)).isInstanceOf(InMemoryDeliveryQueue.class);
              assertThat(c).hasSingleBean(DeliveryWorkerLifecycle.class);
              assertThat(c.getBean(DeliveryWorkerLifecycle.class).isRunning()).isTrue();
              assertThat(output).contains("delivery queue is in memory").contains("NOT durable");
            });
  }

  @Test
  void aDataSourceGivesAJdbcQueueWithTheTableAndSchemaEvenWithoutAWorker() {
    runner
        .withBean(DataSource.class, StoreAutoConfigurationTest::h2)
        .withPropertyValues(
            "beckon.delivery.table=boot_deliveries", "beckon.delivery.initialize-schema=true")
        .run(
            c -> {
              JdbcDeliveryQueue q = c.getBean(JdbcDeliveryQueue.class);
              assertThat(q.tableName()).isEqualTo("boot_deliveries");
              assertThat(q.dialect()).isEqualTo(JdbcReferenceRepository.Dialect.H2);
              ConversationReference ref = atConnector("a:jdbc-q");
              assertThat(q.schedule(ref.key(), Activity.message("x"), Instant.now(), "k")).isTrue();
              assertThat(q.status("k")).isPresent(); // the table was created at startup
              assertThat(c).doesNotHaveBean(DeliveryWorkerLifecycle.class);
            });
  }

  @Test
  void aUnifiedJedisGivesARedisQueueWithThePrefix() {
    String prefix = "boot-dq-" + UUID.randomUUID();
    runner
        .withBean(UnifiedJedis.class, StoreAutoConfigurationTest::redis)
        .withPropertyValues("beckon.delivery.prefix=" + prefix)
        .run(
            c -> {
              RedisDeliveryQueue q = c.getBean(RedisDeliveryQueue.class);
              assertThat(q.hashTag()).contains(prefix);
              ConversationReference ref = atConnector("a:redis-q");
              assertThat(q.schedule(ref.key(), Activity.message("x"), Instant.now(), "k")).isTrue();
              assertThat(q.status("k").orElseThrow().state()).isEqualTo(DeliveryState.PENDING);
              assertThat(q.cancel("k")).isTrue();
            });
  }

  @Test
  void withBothClientsTheDataSourceComesFirst() {
    runner
        .withBean(DataSource.class, StoreAutoConfigurationTest::h2)
        .withBean(UnifiedJedis.class, StoreAutoConfigurationTest::redis)
        .run(c -> assertThat(c.getBean(DeliveryQueue.class)).isInstanceOf(JdbcDeliveryQueue.class));
  }

  @Test
  void withoutTheModuleTheClientIsIgnored() {
    runner
        .withBean(DataSource.class, StoreAutoConfigurationTest::h2)
        .withClassLoader(new FilteredClassLoader("dev.beckon.storage.jdbc"))
        .run(c -> assertThat(c).doesNotHaveBean(DeliveryQueue.class));
  }

  @Test
  void theUsersQueueWinsAndTheWorkerUsesIt() {
    InMemoryDeliveryQueue mine = new InMemoryDeliveryQueue();
    runner
        .withBean(DataSource.class, StoreAutoConfigurationTest::h2)
        .withBean("myQueue", DeliveryQueue.class, () -> mine)
        .withPropertyValues("beckon.delivery.enabled=true")
        .run(
            c -> {
              assertThat(c).hasSingleBean(DeliveryQueue.class);
              assertThat(c.getBean(DeliveryQueue.class)).isSameAs(mine);
              assertThat(c.getBean(DeliveryWorkerLifecycle.class).queue()).isSameAs(mine);
            });
  }

  @Test
  void beckonDisabledDefinesNoQueueAndNoWorker() {
    runner
        .withBean(DataSource.class, StoreAutoConfigurationTest::h2)
        .withPropertyValues("beckon.enabled=false", "beckon.delivery.enabled=true")
        .run(
            c -> {
              assertThat(c).doesNotHaveBean(DeliveryQueue.class);
              assertThat(c).doesNotHaveBean(DeliveryWorkerLifecycle.class);
            });
  }

  @Test
  void theWorkerSendsAScheduledDeliveryAndStopsWithTheContext() throws Exception {
    ConversationReference ref = atConnector("a:worker-" + UUID.randomUUID());
    DeliveryWorkerLifecycle[] kept = new DeliveryWorkerLifecycle[1];
    runner
        .withPropertyValues(
            "beckon.delivery.enabled=true",
            "beckon.delivery.concurrency=2",
            "beckon.delivery.poll-interval=50ms")
        .run(
            c -> {
              kept[0] = c.getBean(DeliveryWorkerLifecycle.class);
              assertThat(kept[0].isRunning()).isTrue();
              c.getBean(ReferenceRepository.class).save(ref);
              DeliveryQueue q = c.getBean(DeliveryQueue.class);
              q.schedule(ref.key(), Activity.message("your report"), Instant.now(), "report-1");
              eventually(
                  () -> q.status("report-1").orElseThrow().state() == DeliveryState.DELIVERED);
              assertThat(connector.activities(ref.key().conversationId()))
                  .extracting(Activity::text)
                  .containsExactly("your report");
            });
    assertThat(kept[0].isRunning()).isFalse(); // stopped when the context closed
  }

  /** A sender whose one send answers when the test says so. */
  static final class HeldSender implements Sender {
    final CountDownLatch called = new CountDownLatch(1);
    final CompletableFuture<SendOutcome> answer = new CompletableFuture<>();

    @Override
    public CompletableFuture<SendOutcome> sendAsync(ConversationReference to, Activity activity) {
      called.countDown();
      return answer;
    }

    @Override
    public CompletableFuture<SendOutcome> replyAsync(
        ConversationReference to, String replyToId, Activity activity) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<SendOutcome> updateAsync(
        ConversationReference to, String activityId, Activity activity) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<SendOutcome> deleteAsync(ConversationReference to, String id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<SendOutcome> createConversationAsync(
        ConversationReference from, ConversationParameters parameters) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void shutdownWaitsForTheSendInFlightToFinishAndRecordItsOutcome() throws Exception {
    HeldSender held = new HeldSender();
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue();
    ConversationReference ref = atConnector("a:held");
    runner
        .withBean(Sender.class, () -> held)
        .withBean(DeliveryQueue.class, () -> queue)
        .withPropertyValues("beckon.delivery.enabled=true", "beckon.delivery.shutdown-grace=30s")
        .run(
            c -> {
              c.getBean(ReferenceRepository.class).save(ref);
              queue.schedule(ref.key(), Activity.message("x"), Instant.now(), "held-1");
              assertThat(held.called.await(30, TimeUnit.SECONDS)).isTrue();
              Thread closer = new Thread(c::close);
              closer.start();
              // the close waits for the send: still closing, the delivery in flight, not released
              closer.join(300);
              assertThat(closer.isAlive()).isTrue();
              assertThat(queue.status("held-1").orElseThrow().inFlight()).isTrue();
              held.answer.complete(
                  SendOutcome.builder(SendOutcome.Kind.DELIVERED).status(201).id("act-1").build());
              closer.join(TimeUnit.SECONDS.toMillis(30));
              assertThat(closer.isAlive()).isFalse();
              assertThat(queue.status("held-1").orElseThrow().state())
                  .isEqualTo(DeliveryState.DELIVERED);
            });
  }

  @Test
  void aConcurrencyOutOfRangeFailsAtStartupNamingIt() {
    runner
        .withPropertyValues("beckon.delivery.enabled=true", "beckon.delivery.concurrency=0")
        .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("concurrency"));
  }

  @Test
  void withAMeterRegistryTheWorkersQueueKeepsTheDeliveryMeters() {
    runner
        .withConfiguration(AutoConfigurations.of(BeckonObservationAutoConfiguration.class))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("beckon.delivery.enabled=true", "beckon.delivery.name=reports")
        .run(
            c -> {
              MeterRegistry meters = c.getBean(MeterRegistry.class);
              DeliveryQueue q = c.getBean(DeliveryQueue.class);
              q.schedule(
                  atConnector("a:m").key(),
                  Activity.message("x"),
                  Instant.now().plusSeconds(600),
                  "m");
              assertThat(c.getBean(DeliveryWorkerLifecycle.class).queue()).isNotSameAs(q);
              List<String> names =
                  meters.getMeters().stream().map(m -> m.getId().getName()).distinct().toList();
              assertThat(names)
                  .contains(
                      BeckonMeters.DELIVERY_DEPTH,
                      BeckonMeters.DELIVERY_LAG,
                      BeckonMeters.DELIVERY_DEAD,
                      BeckonMeters.DELIVERY_ATTEMPTS);
              assertThat(
                      meters
                          .get(BeckonMeters.DELIVERY_DEPTH)
                          .tag(BeckonMeters.QUEUE, "reports")
                          .gauge()
                          .value())
                  .isEqualTo(1); // the counts are read at the first scrape (10 s max age)
            });
  }
}
