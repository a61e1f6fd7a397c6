package dev.beckon.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.broadcast.Broadcast;
import dev.beckon.broadcast.BroadcastListener;
import dev.beckon.broadcast.BroadcastProgress;
import dev.beckon.broadcast.BroadcastReport;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryCause;
import dev.beckon.retry.RetryEvent;
import dev.beckon.retry.RetryListener;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.Sender;
import dev.beckon.store.ListQuery;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Meters in a SimpleMeterRegistry: timers from observations, retries, a broadcast's gauges. */
class MetersTest {

  private final FakeConnector connector = FakeConnector.start();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final BotConnectorSender connectorSender =
      BotConnectorSender.builder().anonymous().build();

  @AfterEach
  void close() {
    connectorSender.close();
    connector.close();
  }

  @Test
  void aBroadcastKeepsItsGaugesOutcomesAndRetriesAndEveryCallIsATimer() {
    BeckonObservations obs = BeckonObservations.of(meters);
    InMemoryReferenceRepository memory = new InMemoryReferenceRepository();
    for (int i = 0; i < 6; i++) {
      memory.save(
          SampleReferences.reference("msteams", "a:" + i, "t")
              .withServiceUrl(connector.serviceUrl()));
    }
    connector.failNext("a:3", FakeConnector.Fault.error(404, "ConversationNotFound"));
    connector.failNext("a:4", FakeConnector.Fault.error(503, "ServiceUnavailable"));
    ReferenceRepository repository = obs.repository(memory);
    Sender sender = obs.sender(connectorSender);
    AtomicInteger mine = new AtomicInteger();
    BroadcastReport report =
        Broadcast.builder(repository, sender)
            .id("b1")
            .query(ListQuery.channel("msteams"))
            .message(Activity.message("news"))
            .profile(RateProfile.unpaced(4))
            .retry(
                Broadcast.defaultRetry().toBuilder()
                    .backoff(Backoff.fixed(Duration.ofMillis(10)))
                    .listener(obs.retryListener())
                    .build())
            .listener(
                obs.broadcastListener(
                    "release-notes",
                    new BroadcastListener() {
                      @Override
                      public void onProgress(BroadcastProgress progress) {
                        mine.incrementAndGet();
                      }
                    }))
            .build()
            .start()
            .join();
    assertThat(report.delivered()).isEqualTo(5);
    assertThat(report.gone()).isEqualTo(1);
    assertThat(mine.get()).as("the wrapped listener is called too").isPositive();

    assertThat(gauge(BeckonMeters.BROADCAST_SENT)).isEqualTo(6.0);
    assertThat(gauge(BeckonMeters.BROADCAST_REMAINING)).isZero();
    assertThat(gauge(BeckonMeters.BROADCAST_RATE)).isPositive();
    assertThat(gauge(BeckonMeters.BROADCAST_RATE_FACTOR)).isPositive();
    assertThat(outcomes("DELIVERED")).isEqualTo(5.0);
    assertThat(outcomes("GONE")).isEqualTo(1.0);
    assertThat(outcomes("SKIPPED")).isZero();
    assertThat(
            meters
                .get(BeckonMeters.RETRIES)
                .tag(BeckonMeters.OPERATION, "broadcast")
                .tag(BeckonMeters.RETRY_CAUSE, "TRANSIENT")
                .counter()
                .count())
        .isEqualTo(1.0);
    // observations became timers: 7 sends (one retried) through the one-attempt view, and the
    // listing
    assertThat(meters.get("beckon.send").tag("beckon.outcome", "DELIVERED").timer().count())
        .isEqualTo(5);
    assertThat(meters.get("beckon.send").tag("beckon.outcome", "CONVERSATION_GONE").timer().count())
        .isEqualTo(1);
    assertThat(meters.get("beckon.send").tag("beckon.status.class", "5xx").timer().count())
        .isEqualTo(1);
    assertThat(
            meters
                .get("beckon.store")
                .tag("beckon.operation", "list")
                .tag("beckon.store", "memory")
                .tag("beckon.outcome", "success")
                .timer()
                .count())
        .isPositive();

    // a second broadcast of the name moves the same gauges
    BroadcastListener again = obs.broadcastListener("release-notes");
    again.onProgress(new BroadcastProgress(10, 2, 0, 0, 0, 3, Duration.ofSeconds(1), 0.5));
    assertThat(gauge(BeckonMeters.BROADCAST_SENT)).isEqualTo(2.0);
    assertThat(gauge(BeckonMeters.BROADCAST_REMAINING)).isEqualTo(8.0);
    assertThat(gauge(BeckonMeters.BROADCAST_RATE_FACTOR)).isEqualTo(0.5);
    assertThat(meters.find(BeckonMeters.BROADCAST_SENT).gauges()).hasSize(1);
  }

  private double gauge(String name) {
    return meters.get(name).tag(BeckonMeters.BROADCAST, "release-notes").gauge().value();
  }

  private double outcomes(String kind) {
    return meters
        .get(BeckonMeters.BROADCAST_OUTCOMES)
        .tag(BeckonMeters.BROADCAST, "release-notes")
        .tag(BeckonMeters.OUTCOME, kind)
        .counter()
        .count();
  }

  @Test
  void retryOperationsOutsideTheNameAlphabetAreOtherAndTheReasonIsNeverATag() {
    RetryListener retries = BeckonObservations.of(meters).retryListener();
    retries.onRetry(
        new RetryEvent("jdbc.deadlock", 1, RetryCause.TRANSIENT, Duration.ZERO, "40P01"));
    retries.onRetry(
        new RetryEvent("bad op\nname", 1, RetryCause.THROTTLED, Duration.ZERO, "secret-ish"));
    for (int i = 0; i < 500; i++) {
      retries.onRetry(new RetryEvent("op" + i, 1, RetryCause.TRANSIENT, Duration.ZERO, null));
    }
    assertThat(
            meters
                .get(BeckonMeters.RETRIES)
                .tag(BeckonMeters.OPERATION, "jdbc.deadlock")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            meters
                .get(BeckonMeters.RETRIES)
                .tag(BeckonMeters.OPERATION, "other")
                .tag(BeckonMeters.RETRY_CAUSE, "THROTTLED")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(meters.find(BeckonMeters.RETRIES).counters().size())
        .as("distinct operations are bounded")
        .isLessThanOrEqualTo(130);
    assertThat(meters.getMeters())
        .allSatisfy(m -> assertThat(m.getId().toString()).doesNotContain("secret-ish", "40P01"));
  }

  @Test
  void withoutAMeterRegistryTheMeterListenersRefuseAndBroadcastNamesAreChecked() {
    BeckonObservations observationsOnly = BeckonObservations.of(ObservationRegistry.create());
    assertThat(observationsOnly.meterRegistry()).isEmpty();
    assertThatThrownBy(observationsOnly::retryListener)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("of(observationRegistry, meterRegistry)");
    assertThatThrownBy(() -> observationsOnly.broadcastListener("x"))
        .isInstanceOf(IllegalStateException.class);
    BeckonObservations withMeters = BeckonObservations.of(ObservationRegistry.create(), meters);
    assertThat(withMeters.meterRegistry()).contains(meters);
    assertThatThrownBy(() -> withMeters.broadcastListener("a unique id with spaces"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
