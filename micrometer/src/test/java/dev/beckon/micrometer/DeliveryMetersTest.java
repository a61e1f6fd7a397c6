package dev.beckon.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.DeliveryWorker;
import dev.beckon.delivery.memory.InMemoryDeliveryQueue;
import dev.beckon.delivery.spi.ForwardingDeliveryQueue;
import dev.beckon.reference.ConversationReference;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.storage.jdbc.JdbcDeliveryQueue;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.MutableClock;
import dev.beckon.testkit.SampleReferences;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The beckon.delivery.* meters around a real queue, in memory and on PostgreSQL (127.0.0.1:5432), a
 * worker sending to the fake connector through an observed sender: depth, lag and dead gauges from
 * the queue's counts, attempts by final state, the worker's sends as beckon.send observations.
 */
class DeliveryMetersTest {

  private final FakeConnector connector = FakeConnector.start();
  private final BotConnectorSender connectorSender =
      BotConnectorSender.builder().anonymous().build();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final TestObservationRegistry observations = TestObservationRegistry.create();
  private final BeckonObservations beckon =
      BeckonObservations.builder(observations)
          .meterRegistry(meters)
          .deliveryCountsMaxAge(Duration.ZERO)
          .build();

  @AfterEach
  void close() {
    connectorSender.close();
    connector.close();
  }

  static Stream<Arguments> queues() {
    Function<MutableClock, DeliveryQueue> memory = InMemoryDeliveryQueue::new;
    Function<MutableClock, DeliveryQueue> postgres =
        clock -> {
          DataSource ds =
              new DriverManagerDataSource(
                  setting("beckon.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test"),
                  setting("beckon.postgres.user", "postgres"),
                  setting("beckon.postgres.password", ""));
          String table =
              "metrics_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
          JdbcDeliveryQueue q = JdbcDeliveryQueue.builder(ds).tableName(table).clock(clock).build();
          q.createSchema();
          return q;
        };
    return Stream.of(Arguments.of("memory", memory), Arguments.of("postgresql", postgres));
  }

  static String setting(String property, String fallback) {
    String env = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
    return System.getProperty(property, env == null ? fallback : env);
  }

  private double gauge(String name) {
    return meters.get(name).tag(BeckonMeters.QUEUE, "deliveries").gauge().value();
  }

  private double lagSeconds() {
    return meters
        .get(BeckonMeters.DELIVERY_LAG)
        .tag(BeckonMeters.QUEUE, "deliveries")
        .timeGauge()
        .value(TimeUnit.SECONDS);
  }

  private DistributionSummary attempts(DeliveryState state) {
    return meters
        .get(BeckonMeters.DELIVERY_ATTEMPTS)
        .tags(BeckonMeters.QUEUE, "deliveries", BeckonMeters.OUTCOME, state.name())
        .summary();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queues")
  void depthLagDeadAndAttemptsFollowTheQueue(
      String backend, Function<MutableClock, DeliveryQueue> create) {
    MutableClock clock = MutableClock.at(Instant.parse("2026-12-01T10:00:00Z"));
    DeliveryQueue queue = beckon.deliveryQueue(create.apply(clock), "deliveries");
    InMemoryReferenceRepository references = new InMemoryReferenceRepository();
    ConversationReference ok = ref("a:ok");
    ConversationReference busy = ref("a:busy");
    references.save(ok);
    references.save(busy);
    connector.failNext("a:busy", FakeConnector.Fault.error(503, "ServiceUnavailable"));

    assertThat(gauge(BeckonMeters.DELIVERY_DEPTH)).isZero();
    assertThat(lagSeconds()).isZero();

    queue.schedule(ok.key(), Activity.message("ready"), clock.instant(), "report-1");
    queue.schedule(busy.key(), Activity.message("ready"), clock.instant(), "report-2");
    queue.schedule(ok.key(), Activity.message("later"), clock.instant().plusSeconds(3600), "r-3");
    clock.advance(Duration.ofSeconds(20));
    assertThat(gauge(BeckonMeters.DELIVERY_DEPTH)).isEqualTo(3);
    assertThat(lagSeconds()).isEqualTo(20);
    assertThat(gauge(BeckonMeters.DELIVERY_DEAD)).isZero();

    DeliveryWorker worker =
        DeliveryWorker.builder(queue, references, beckon.sender(connectorSender))
            .retry(RetryStrategy.builder().maxAttempts(1).build()) // a 503 is then DEAD at once
            .build();
    assertThat(worker.runOnce()).isEqualTo(2);

    assertThat(queue.status("report-1").orElseThrow().state()).isEqualTo(DeliveryState.DELIVERED);
    assertThat(queue.status("report-2").orElseThrow().state()).isEqualTo(DeliveryState.DEAD);
    assertThat(gauge(BeckonMeters.DELIVERY_DEPTH)).isEqualTo(1); // the later one
    assertThat(lagSeconds()).isZero();
    assertThat(gauge(BeckonMeters.DELIVERY_DEAD)).isEqualTo(1);
    assertThat(attempts(DeliveryState.DELIVERED).count()).isEqualTo(1);
    assertThat(attempts(DeliveryState.DELIVERED).totalAmount()).isEqualTo(1);
    assertThat(attempts(DeliveryState.DEAD).count()).isEqualTo(1);
    assertThat(attempts(DeliveryState.FAILED).count()).isZero();
    // the worker's sends are observed (it sends through the observed sender's withoutRetries())
    TestObservationRegistryAssert.assertThat(observations)
        .hasNumberOfObservationsWithNameEqualTo("beckon.send", 2)
        .hasAnObservation(
            o ->
                o.hasContextualNameEqualTo("beckon.send_activity")
                    .hasLowCardinalityKeyValue("beckon.outcome", "DELIVERED"));
  }

  @Test
  void countsAreReadAtMostOncePerMaxAgeAndAFailingQueueReadsNaN() {
    long[] nanos = {0};
    int[] calls = {0};
    boolean[] failing = {false};
    InMemoryDeliveryQueue memory = new InMemoryDeliveryQueue();
    DeliveryQueue counting =
        new ForwardingQueue(memory) {
          @Override
          public java.util.Optional<dev.beckon.delivery.DeliveryCounts> counts() {
            calls[0]++;
            if (failing[0]) {
              throw new IllegalStateException("down");
            }
            return memory.counts();
          }
        };
    new MeteredDeliveryQueue(
        counting, "deliveries", meters, Duration.ofSeconds(10), () -> nanos[0]);
    assertThat(calls[0]).isEqualTo(1); // the probe: can it count?
    memory.schedule(ref("a:1").key(), Activity.message("x"), Instant.now(), "k1");
    assertThat(gauge(BeckonMeters.DELIVERY_DEPTH)).isEqualTo(1); // the first scrape reads afresh
    assertThat(gauge(BeckonMeters.DELIVERY_DEAD)).isZero();
    assertThat(calls[0]).isEqualTo(2); // one read for both gauges
    memory.schedule(ref("a:2").key(), Activity.message("x"), Instant.now(), "k2");
    nanos[0] += Duration.ofSeconds(9).toNanos();
    assertThat(gauge(BeckonMeters.DELIVERY_DEPTH)).isEqualTo(1); // still fresh: not read again
    assertThat(calls[0]).isEqualTo(2);
    nanos[0] += Duration.ofSeconds(1).toNanos();
    assertThat(gauge(BeckonMeters.DELIVERY_DEPTH)).isEqualTo(2);
    assertThat(calls[0]).isEqualTo(3);
    failing[0] = true;
    nanos[0] += Duration.ofSeconds(10).toNanos();
    assertThat(gauge(BeckonMeters.DELIVERY_DEPTH)).isNaN();
    assertThat(gauge(BeckonMeters.DELIVERY_DEAD)).isNaN();
    assertThat(calls[0]).isEqualTo(4); // a failing backend is not asked at every scrape either
  }

  @Test
  void aQueueThatCannotCountGetsAttemptsButNoGauges() {
    DeliveryQueue noCounts = new ForwardingQueue(new InMemoryDeliveryQueue());
    beckon.deliveryQueue(noCounts, "deliveries");
    assertThat(meters.find(BeckonMeters.DELIVERY_DEPTH).gauge()).isNull();
    assertThat(meters.find(BeckonMeters.DELIVERY_LAG).timeGauge()).isNull();
    assertThat(meters.find(BeckonMeters.DELIVERY_DEAD).gauge()).isNull();
    assertThat(attempts(DeliveryState.DELIVERED).count()).isZero();
  }

  @Test
  void theQueueNameIsBoundedAndMetersAreNeeded() {
    InMemoryDeliveryQueue q = new InMemoryDeliveryQueue();
    assertThatThrownBy(() -> beckon.deliveryQueue(q, "a queue with spaces"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> beckon.deliveryQueue(q, "x".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BeckonObservations.of(observations).deliveryQueue(q, "deliveries"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("meterRegistry");
  }

  private ConversationReference ref(String conversation) {
    return SampleReferences.reference("msteams", conversation, "t")
        .withServiceUrl(connector.serviceUrl());
  }

  /** A queue of the test's own that forwards every call and, by default, cannot count. */
  static class ForwardingQueue extends ForwardingDeliveryQueue {
    ForwardingQueue(DeliveryQueue q) {
      super(q);
    }

    @Override
    public java.util.Optional<dev.beckon.delivery.DeliveryCounts> counts() {
      return java.util.Optional.empty();
    }
  }

  /** Connections from DriverManager (the PostgreSQL driver's own data source needs java.naming). */
  record DriverManagerDataSource(String url, String user, String password) implements DataSource {
    @Override
    public java.sql.Connection getConnection() throws java.sql.SQLException {
      return java.sql.DriverManager.getConnection(url, user, password);
    }

    @Override
    public java.sql.Connection getConnection(String u, String p) throws java.sql.SQLException {
      return java.sql.DriverManager.getConnection(url, u, p);
    }

    @Override
    public java.io.PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(java.io.PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public java.util.logging.Logger getParentLogger() {
      return java.util.logging.Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws java.sql.SQLException {
      throw new java.sql.SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }

    @Override
    public String toString() {
      return "DriverManagerDataSource[" + url + "]"; // no password
    }
  }
}
