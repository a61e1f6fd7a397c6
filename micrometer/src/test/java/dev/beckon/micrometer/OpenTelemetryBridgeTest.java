package dev.beckon.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.activity.Activity;
import dev.beckon.auth.ClientCredentials;
import dev.beckon.auth.TrustPolicy;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.memory.InMemoryReferenceRepository;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Beckon's observations through micrometer-tracing's OpenTelemetry bridge into an OpenTelemetry
 * SDK, spans exported in memory: the span names docs/observability.md maps to the Agents SDK's
 * {@code agents.proactive.*} ({@code agents.proactive.send_activity} is {@code
 * beckon.send_activity}, {@code agents.proactive.store_conversation} is {@code beckon.store.save},
 * {@code agents.proactive.get_conversation} is {@code beckon.store.find}, {@code
 * agents.authentication.get_access_token} is {@code beckon.token}), their low-cardinality
 * attributes, the token span a child of its send, and no conversation id by default.
 */
class OpenTelemetryBridgeTest {

  private final FakeConnector connector = FakeConnector.start();
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final ObservationRegistry registry = ObservationRegistry.create();
  private BotConnectorSender connectorSender;

  OpenTelemetryBridgeTest() {
    OtelCurrentTraceContext context = new OtelCurrentTraceContext();
    OtelTracer tracer =
        new OtelTracer(
            provider.get("beckon-test"),
            context,
            event -> {},
            new OtelBaggageManager(context, List.of(), List.of()));
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
  }

  @AfterEach
  void close() {
    if (connectorSender != null) {
      connectorSender.close();
    }
    provider.close();
    connector.close();
  }

  private static String attribute(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  private SpanData span(String name) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + ": " + names()));
  }

  private List<String> names() {
    return exporter.getFinishedSpanItems().stream().map(SpanData::getName).toList();
  }

  @Test
  void aSendIsTheSpanBeckonSendActivityWithItsKeysAndItsTokenSpanUnderIt() {
    BeckonObservations beckon = BeckonObservations.of(registry);
    ClientCredentials creds =
        ClientCredentials.builder("app-id", "s3cr3t-value")
            .tokenEndpoint(connector.tokenEndpoint())
            .build();
    connectorSender =
        BotConnectorSender.builder()
            .credentials(beckon.tokenProvider(creds))
            .trustPolicy(TrustPolicy.publicCloud().withTrustedHost("127.0.0.1"))
            .build();
    Sender sender = beckon.sender(connectorSender);
    ReferenceRepository repository = beckon.repository(new InMemoryReferenceRepository());
    ConversationReference ref =
        SampleReferences.reference("msteams", "a:otel", "tenant-1")
            .withServiceUrl(connector.serviceUrl());

    repository.save(ref);
    ConversationReference found = repository.find(ref.key()).orElseThrow().reference();
    SendOutcome o = sender.send(found, Activity.message("ready"));
    assertThat(o.delivered()).isTrue();

    assertThat(names())
        .contains("beckon.store.save", "beckon.store.find", "beckon.send_activity", "beckon.token");
    SpanData send = span("beckon.send_activity");
    assertThat(attribute(send, "beckon.operation")).isEqualTo("send_activity");
    assertThat(attribute(send, "beckon.outcome")).isEqualTo("DELIVERED");
    assertThat(attribute(send, "beckon.status.class")).isEqualTo("2xx");
    assertThat(attribute(send, "activity.channel_id")).isEqualTo("msteams");
    assertThat(attribute(send, "activity.type")).isEqualTo("message");
    assertThat(attribute(send, "beckon.correlation_id")).isEqualTo(o.correlationId());
    assertThat(attribute(send, "activity.conversation_id")).isNull(); // off by default
    SpanData token = span("beckon.token");
    assertThat(attribute(token, "beckon.outcome")).isEqualTo("success");
    assertThat(token.getTraceId()).isEqualTo(send.getTraceId());
    assertThat(token.getParentSpanId()).isEqualTo(send.getSpanId());
    SpanData save = span("beckon.store.save");
    assertThat(attribute(save, "beckon.operation")).isEqualTo("save");
    assertThat(attribute(save, "beckon.store")).isEqualTo("memory");
    assertThat(attribute(save, "beckon.outcome")).isEqualTo("success");
    assertThat(attribute(span("beckon.store.find"), "beckon.outcome")).isEqualTo("success");
    for (SpanData s : exporter.getFinishedSpanItems()) {
      assertThat(s.getAttributes().toString())
          .doesNotContain("s3cr3t-value")
          .doesNotContain("a:otel");
    }
  }
}
