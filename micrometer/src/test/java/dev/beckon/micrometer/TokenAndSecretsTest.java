package dev.beckon.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.TokenProvider;
import dev.beckon.auth.TrustPolicy;
import dev.beckon.reference.ConversationReference;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Token requests as observations (children of their send's span, through micrometer-tracing), and
 * the whole wiring with credentials: the secret and the token never reach a tag, a span attribute,
 * a span name, an MDC value or a log line.
 */
class TokenAndSecretsTest {

  private static final String SECRET = "s3cr3t-value-do-not-log";

  private final FakeConnector connector = FakeConnector.start();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final SimpleTracer tracer = new SimpleTracer();
  private final ObservationRegistry registry = ObservationRegistry.create();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  TokenAndSecretsTest() {
    registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    connector.close();
  }

  private ConversationReference ref(String id) {
    return SampleReferences.reference("msteams", id, "tenant-1")
        .withServiceUrl(connector.serviceUrl());
  }

  private Sender sender(BeckonObservations obs, TokenProvider tokens, RetryStrategy retry) {
    BotConnectorSender s =
        BotConnectorSender.builder()
            .credentials(obs.tokenProvider(tokens))
            .trustPolicy(TrustPolicy.publicCloud().withTrustedHost("127.0.0.1"))
            .retry(retry)
            .build();
    closeables.add(s);
    return obs.sender(s);
  }

  @Test
  void aTokenRequestIsASpanUnderItsSendAndNothingSecretIsObservedAnywhere() {
    BeckonObservations obs =
        BeckonObservations.builder(registry).meterRegistry(meters).highCardinalityIds(true).build();
    ClientCredentials creds =
        ClientCredentials.builder("app-id", SECRET)
            .tokenEndpoint(connector.tokenEndpoint())
            .build();
    RetryStrategy retry =
        RetryStrategy.builder()
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ofMillis(10)))
            .throttlingBackoff(Backoff.fixed(Duration.ofMillis(10)))
            .listener(obs.retryListener())
            .build();
    Sender sender = sender(obs, creds, retry);
    try (LogCapture logs = new LogCapture()) {
      SendOutcome ok = sender.send(ref("a:1"), Activity.message("hello"));
      assertThat(ok.delivered()).isTrue();
      connector.failNext(FakeConnector.Fault.error(503, "busy"));
      assertThat(sender.send(ref("a:2"), Activity.message("again")).delivered()).isTrue();
      // a token endpoint that refuses: the send is UNAUTHORIZED, the token observation an error
      connector.failNextToken(
          new FakeConnector.Fault(401, "{\"error\":\"invalid_client\"}", null, Duration.ZERO));
      ClientCredentials bad =
          ClientCredentials.builder("app-id", SECRET)
              .tokenEndpoint(connector.tokenEndpoint())
              .build();
      assertThat(
              sender(obs, bad, RetryStrategy.none()).send(ref("a:3"), Activity.message("x")).kind())
          .isEqualTo(SendOutcome.Kind.UNAUTHORIZED);

      // spans: one per send and per token request, the first token request a child of its send
      List<SimpleSpan> spans = new ArrayList<>(tracer.getSpans());
      assertThat(spans)
          .extracting(SimpleSpan::getName)
          .contains("beckon.send_activity", "beckon.token");
      SimpleSpan firstSend =
          spans.stream()
              .filter(s -> s.getName().equals("beckon.send_activity"))
              .findFirst()
              .orElseThrow();
      SimpleSpan firstToken =
          spans.stream().filter(s -> s.getName().equals("beckon.token")).findFirst().orElseThrow();
      assertThat(firstToken.getParentId()).isEqualTo(firstSend.getSpanId());
      assertThat(firstSend.getTags())
          .containsEntry("beckon.outcome", "DELIVERED")
          .containsEntry("activity.conversation_id", "a:1")
          .containsEntry("beckon.correlation_id", ok.correlationId());

      // meters: timers per observation, the retry counted, the failed token request an error
      assertThat(meters.get("beckon.token").tag("beckon.outcome", "success").timer().count())
          .isGreaterThanOrEqualTo(2);
      assertThat(meters.get("beckon.token").tag("beckon.outcome", "error").timer().count())
          .isEqualTo(1);
      assertThat(meters.get("beckon.send").tag("beckon.outcome", "UNAUTHORIZED").timer().count())
          .isEqualTo(1);
      assertThat(
              meters
                  .get(BeckonMeters.RETRIES)
                  .tag(BeckonMeters.OPERATION, "send")
                  .tag(BeckonMeters.RETRY_CAUSE, "TRANSIENT")
                  .counter()
                  .count())
          .isEqualTo(1.0);

      List<String> everything = new ArrayList<>();
      for (Meter m : meters.getMeters()) {
        everything.add(m.getId().toString());
      }
      for (SimpleSpan s : spans) {
        everything.add(s.getName() + " " + s.getTags() + " " + s.getEvents() + " " + s.getError());
      }
      everything.addAll(logs.lines());
      assertThat(logs.lines()).as("Beckon logged its sends").isNotEmpty();
      assertThat(everything)
          .isNotEmpty()
          .allSatisfy(
              line ->
                  assertThat(line)
                      .doesNotContain(SECRET)
                      .doesNotContain("fake-token")
                      .doesNotContain("Bearer"));
    }
  }
}
