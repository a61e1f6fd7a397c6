package dev.beckon.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.broadcast.Broadcast;
import dev.beckon.broadcast.BroadcastOutcome;
import dev.beckon.broadcast.BroadcastReport;
import dev.beckon.broadcast.RateProfile;
import dev.beckon.reference.ConversationReference;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryCause;
import dev.beckon.retry.RetryEvent;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.SendOutcome.Kind;
import dev.beckon.send.Sender;
import dev.beckon.store.ListQuery;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one retry model over real loopback HTTP (the FakeConnector): which statuses the sender
 * retries (Teams' list: 412, 429, 502, 503, 504; never 500 nor any other), the listener hook, and a
 * broadcast's sends never retried by the sender whatever the sender was built with.
 */
@Timeout(120)
class RetryModelTest {

  private final FakeConnector connector = FakeConnector.start();
  private final List<RetryEvent> senderRetries = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    connector.close();
  }

  /** Quick retries, 4 attempts, every retry recorded. */
  private BotConnectorSender sender() {
    BotConnectorSender s =
        BotConnectorSender.builder()
            .anonymous()
            .retry(
                RetryStrategy.builder()
                    .maxAttempts(4)
                    .backoff(Backoff.fixed(Duration.ofMillis(5)))
                    .throttlingBackoff(Backoff.fixed(Duration.ofMillis(5)))
                    .listener(senderRetries::add)
                    .build())
            .build();
    closeables.add(s);
    return s;
  }

  private ConversationReference ref(String conversationId) {
    return SampleReferences.reference("msteams", conversationId, "tenant-1")
        .withServiceUrl(connector.serviceUrl());
  }

  private long requestsTo(String conversationId) {
    return connector.requests().stream()
        .filter(r -> conversationId.equals(r.conversationId()))
        .count();
  }

  @ParameterizedTest
  @ValueSource(ints = {412, 429, 502, 503, 504})
  void teamsDocumentedStatusesAreRetried(int status) {
    FakeConnector.Fault fault =
        status == 429
            ? FakeConnector.Fault.throttled(Duration.ZERO)
            : FakeConnector.Fault.error(status, "Transient");
    connector.failNext("c", fault, fault);
    SendOutcome o = sender().send(ref("c"), Activity.message("x"));
    assertThat(o.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(o.attempts()).isEqualTo(3);
    assertThat(requestsTo("c")).isEqualTo(3);
    assertThat(senderRetries)
        .extracting(RetryEvent::cause)
        .containsExactly(
            RetryCause.ofStatus(status), RetryCause.ofStatus(status)); // one event per retry
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 501, 505, 507, 408, 425})
  void anyOtherStatusIsNeverRetried500Included(int status) {
    connector.failNext("c", FakeConnector.Fault.error(status, "Boom"));
    SendOutcome o = sender().send(ref("c"), Activity.message("x"));
    assertThat(o.delivered()).isFalse();
    assertThat(o.status()).isEqualTo(status);
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.retryable()).as("the outcome agrees with the sender").isFalse();
    assertThat(requestsTo("c")).isEqualTo(1);
    assertThat(senderRetries).isEmpty();
  }

  @Test
  void theListenerSeesEachRetryWithItsAttemptCauseAndReason() {
    connector.failNext(
        "c",
        FakeConnector.Fault.error(503, "ServiceUnavailable"),
        FakeConnector.Fault.throttled(Duration.ZERO),
        FakeConnector.Fault.error(502, "BadGateway"));
    SendOutcome o = sender().send(ref("c"), Activity.message("x"));
    assertThat(o.kind()).isEqualTo(Kind.DELIVERED);
    assertThat(o.attempts()).isEqualTo(4);
    assertThat(senderRetries)
        .extracting(RetryEvent::operation, RetryEvent::failedAttempt, RetryEvent::cause)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("send", 1, RetryCause.TRANSIENT),
            org.assertj.core.groups.Tuple.tuple("send", 2, RetryCause.THROTTLED),
            org.assertj.core.groups.Tuple.tuple("send", 3, RetryCause.TRANSIENT));
    assertThat(senderRetries.get(0).reason()).isEqualTo("ServiceUnavailable");
    assertThat(senderRetries).allSatisfy(e -> assertThat(e.delay()).isPositive());
  }

  @Test
  void withoutRetriesMakesOneRequestOnTheSameConnections() {
    BotConnectorSender s = sender();
    Sender once = s.withoutRetries();
    connector.failNext("c", FakeConnector.Fault.error(503, "ServiceUnavailable"));
    SendOutcome o = once.send(ref("c"), Activity.message("x"));
    assertThat(o.kind()).isEqualTo(Kind.FAILED);
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.retryable()).isTrue();
    assertThat(senderRetries).isEmpty();
    ((BotConnectorSender) once).close(); // closing the view does nothing: the sender owns the pool
    assertThat(s.send(ref("c"), Activity.message("y")).delivered()).isTrue();
  }

  @Test
  void aBroadcastsSendsAreNeverRetriedByTheSenderEvenWithRetriesConfigured() {
    InMemoryReferenceRepository repo = new InMemoryReferenceRepository();
    for (int i = 0; i < 20; i++) {
      repo.save(ref("b-" + i));
    }
    for (int i = 0; i < 20; i++) {
      // every conversation fails twice: 503 then 429; the sender alone would retry both
      connector.failNext(
          "b-" + i,
          FakeConnector.Fault.error(503, "ServiceUnavailable"),
          FakeConnector.Fault.throttled(Duration.ZERO));
    }
    List<RetryEvent> broadcastRetries = new CopyOnWriteArrayList<>();
    BroadcastReport r =
        Broadcast.builder(repo, sender())
            .id("no-double-retries")
            .query(ListQuery.all())
            .message(Activity.message("hello"))
            .profile(RateProfile.unpaced(4))
            .retry(
                Broadcast.defaultRetry().toBuilder()
                    .maxAttempts(2)
                    .backoff(Backoff.fixed(Duration.ofMillis(5)))
                    .throttlingBackoff(Backoff.fixed(Duration.ofMillis(5)))
                    .listener(broadcastRetries::add)
                    .build())
            .build()
            .start()
            .join();
    assertThat(r.listed()).isEqualTo(20);
    assertThat(r.failed()).as("2 broadcast attempts: the 503, then the 429").isEqualTo(20);
    assertThat(r.notDelivered())
        .allSatisfy(
            o -> {
              assertThat(o.kind()).isEqualTo(BroadcastOutcome.Kind.FAILED);
              assertThat(o.reason()).startsWith("still throttled after 2 attempts");
            });
    for (int i = 0; i < 20; i++) {
      assertThat(requestsTo("b-" + i))
          .as("b-%d: one request per broadcast attempt", i)
          .isEqualTo(2);
    }
    assertThat(senderRetries).as("the sender's own strategy never applied").isEmpty();
    assertThat(broadcastRetries)
        .hasSize(20)
        .allSatisfy(e -> assertThat(e.operation()).isEqualTo("broadcast"));
  }
}
