package dev.beckon.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.beckon.activity.Activity;
import dev.beckon.micrometer.BeckonObservationDocumentation.SendKeys;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationReference;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.BotConnectorSender;
import dev.beckon.send.ConversationParameters;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.send.Timeouts;
import dev.beckon.testkit.FakeConnector;
import dev.beckon.testkit.SampleReferences;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** A send's Observation against the testkit's fake connector, over real HTTP on loopback. */
class SendObservationTest {

  private final FakeConnector connector = FakeConnector.start();
  private final BotConnectorSender connectorSender =
      BotConnectorSender.builder()
          .anonymous()
          .retry(RetryStrategy.none())
          .timeouts(
              new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5)))
          .build();
  private final TestObservationRegistry registry = TestObservationRegistry.create();
  private final StoppedContexts stopped = new StoppedContexts();

  SendObservationTest() {
    registry.observationConfig().observationHandler(stopped);
  }

  @AfterEach
  void close() {
    connectorSender.close();
    connector.close();
  }

  private ConversationReference ref(String conversationId) {
    return SampleReferences.reference("msteams", conversationId, "tenant-1")
        .withServiceUrl(connector.serviceUrl());
  }

  private List<Observation.Context> sends(TestObservationRegistry unused) {
    return stopped.named("beckon.send");
  }

  @Test
  void aDeliveredSendIsObservedWithItsLowCardinalityKeysAndNoIdsByDefault() {
    Sender sender = BeckonObservations.of(registry).sender(connectorSender);
    SendOutcome o = sender.send(ref("a:1xyz"), Activity.message("ready"));
    assertThat(o.delivered()).isTrue();

    assertThat(registry)
        .hasNumberOfObservationsWithNameEqualTo("beckon.send", 1)
        .hasObservationWithNameEqualTo("beckon.send")
        .that()
        .hasBeenStarted()
        .hasBeenStopped()
        .hasContextualNameEqualTo("beckon.send_activity")
        .hasLowCardinalityKeyValue("beckon.operation", "send_activity")
        .hasLowCardinalityKeyValue("beckon.outcome", "DELIVERED")
        .hasLowCardinalityKeyValue("beckon.status.class", "2xx")
        .hasLowCardinalityKeyValue("activity.channel_id", "msteams")
        .hasLowCardinalityKeyValue("activity.type", "message")
        .hasHighCardinalityKeyValue("beckon.correlation_id", o.correlationId())
        .doesNotHaveHighCardinalityKeyValueWithKey("activity.conversation_id")
        .doesNotHaveHighCardinalityKeyValueWithKey("activity.id")
        .doesNotHaveError();
    assertThat(o.correlationId()).startsWith("fake-cv-");
  }

  @Test
  void highCardinalityIdsAreThereOnlyWhenAskedFor() {
    Sender sender =
        BeckonObservations.builder(registry)
            .highCardinalityIds(true)
            .build()
            .sender(connectorSender);
    SendOutcome o = sender.send(ref("a:ids"), Activity.message("x"));
    SendOutcome r = sender.reply(ref("a:ids"), "1712", Activity.message("thread"));
    assertThat(r.delivered()).isTrue();
    List<Observation.Context> all = sends(registry);
    assertThat(all).hasSize(2);
    assertThat(all.get(0).getHighCardinalityKeyValue("activity.conversation_id").getValue())
        .isEqualTo("a:ids");
    assertThat(all.get(0).getHighCardinalityKeyValue("activity.id").getValue())
        .as("the new activity's id")
        .isEqualTo(o.id());
    assertThat(all.get(1).getHighCardinalityKeyValue("activity.id").getValue())
        .as("the activity replied to")
        .isEqualTo("1712");
    assertThat(all.get(1).getLowCardinalityKeyValue("beckon.operation").getValue())
        .isEqualTo("reply_to_activity");
    for (Observation.Context c : all) {
      assertThat(c.getLowCardinalityKeyValues().stream().map(kv -> kv.getKey()))
          .as("ids never become metric tags")
          .doesNotContain("activity.conversation_id", "activity.id");
    }
  }

  @Test
  void everyOperationHasItsNameAndAFailedSendItsKindAndStatusClass() {
    Sender sender = BeckonObservations.of(registry).sender(connectorSender);
    connector.failNext(FakeConnector.Fault.error(404, "ConversationNotFound"));
    SendOutcome gone = sender.send(ref("a:gone"), Activity.message("x"));
    assertThat(gone.kind()).isEqualTo(SendOutcome.Kind.CONVERSATION_GONE);
    sender.update(ref("a:u"), "1:old", Activity.message("new text"));
    sender.delete(ref("a:d"), "1:old");
    sender.createConversation(
        ref("19:team@thread.tacv2"),
        ConversationParameters.oneOnOne(ChannelAccount.of("29:member", "M"), "tenant-1"));

    List<Observation.Context> all = sends(registry);
    assertThat(all)
        .extracting(c -> c.getLowCardinalityKeyValue("beckon.operation").getValue())
        .containsExactly(
            "send_activity", "update_activity", "delete_activity", "create_conversation");
    assertThat(all)
        .extracting(Observation.Context::getContextualName)
        .containsExactly(
            "beckon.send_activity",
            "beckon.update_activity",
            "beckon.delete_activity",
            "beckon.create_conversation");
    Observation.Context failed = all.get(0);
    assertThat(failed.getLowCardinalityKeyValue("beckon.outcome").getValue())
        .isEqualTo("CONVERSATION_GONE");
    assertThat(failed.getLowCardinalityKeyValue("beckon.status.class").getValue()).isEqualTo("4xx");
    assertThat(all.get(2).getLowCardinalityKeyValue("activity.type").getValue())
        .as("a delete sends no activity")
        .isEqualTo("none");
  }

  @Test
  void aChannelOrTypeOutsideTheKnownSetsIsOtherSoTagsStayBounded() {
    Sender sender = BeckonObservations.of(registry).sender(connectorSender);
    ConversationReference odd =
        SampleReferences.reference("channel-" + "x".repeat(500), "a:odd", null)
            .withServiceUrl(connector.serviceUrl());
    sender.send(odd, Activity.builder("customType" + "y".repeat(300)).build());
    Observation.Context c = sends(registry).get(0);
    assertThat(c.getLowCardinalityKeyValue("activity.channel_id").getValue()).isEqualTo("other");
    assertThat(c.getLowCardinalityKeyValue("activity.type").getValue()).isEqualTo("other");
  }

  @Test
  void aRefusalBeforeAnyRequestIsObservedWithStatusClassNone() {
    ConversationReference untrusted =
        SampleReferences.reference("msteams", "a:1", null)
            .withServiceUrl("https://evil.example.com/");
    BotConnectorSender trusted =
        BotConnectorSender.builder()
            .credentials(() -> CompletableFuture.failedFuture(new IllegalStateException("unused")))
            .build();
    try (trusted) {
      SendOutcome o =
          BeckonObservations.of(registry).sender(trusted).send(untrusted, Activity.message("x"));
      assertThat(o.kind()).isEqualTo(SendOutcome.Kind.REJECTED);
    }
    Observation.Context c = sends(registry).get(0);
    assertThat(c.getLowCardinalityKeyValue("beckon.outcome").getValue()).isEqualTo("REJECTED");
    assertThat(c.getLowCardinalityKeyValue("beckon.status.class").getValue()).isEqualTo("none");
  }

  @Test
  void aSenderThatThrowsIsObservedAsAnErrorAndTheExceptionPassesThrough() {
    Sender throwing =
        new Sender() {
          @Override
          public CompletableFuture<SendOutcome> sendAsync(
              ConversationReference to, Activity activity) {
            return CompletableFuture.failedFuture(new IllegalStateException("boom"));
          }

          @Override
          public CompletableFuture<SendOutcome> replyAsync(
              ConversationReference to, String replyToId, Activity activity) {
            throw new IllegalArgumentException("refused at once");
          }

          @Override
          public CompletableFuture<SendOutcome> updateAsync(
              ConversationReference to, String activityId, Activity activity) {
            throw new UnsupportedOperationException();
          }

          @Override
          public CompletableFuture<SendOutcome> deleteAsync(
              ConversationReference to, String activityId) {
            throw new UnsupportedOperationException();
          }

          @Override
          public CompletableFuture<SendOutcome> createConversationAsync(
              ConversationReference from, ConversationParameters parameters) {
            throw new UnsupportedOperationException();
          }
        };
    Sender sender = BeckonObservations.of(registry).sender(throwing);
    CompletableFuture<SendOutcome> f = sender.sendAsync(ref("a:1"), Activity.message("x"));
    assertThat(f).isCompletedExceptionally();
    org.assertj.core.api.Assertions.assertThatThrownBy(f::join)
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("boom");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> sender.replyAsync(ref("a:1"), "1", Activity.message("x")))
        .isInstanceOf(IllegalArgumentException.class);
    List<Observation.Context> all = sends(registry);
    assertThat(all).hasSize(2);
    assertThat(all)
        .allSatisfy(
            c -> {
              assertThat(c.getLowCardinalityKeyValue("beckon.outcome").getValue())
                  .isEqualTo("ERROR");
              assertThat(c.getError()).isNotNull();
            });
  }

  @Test
  void theCorrelationIdIsInTheMdcWhileTheSendCompletesAndRestoredAfterwards() {
    Sender sender = BeckonObservations.of(registry).sender(connectorSender);
    org.slf4j.Logger log = LoggerFactory.getLogger("app");
    List<String> seenInCallback = new ArrayList<>();
    try (LogCapture logs = new LogCapture()) {
      MDC.put(BeckonObservations.MDC_CORRELATION_ID, "outer");
      try {
        // attached before the answer comes: it runs where the sender completes the future
        connector.failNext(FakeConnector.Fault.delay(Duration.ofMillis(200)));
        CompletableFuture<Void> done =
            sender
                .sendAsync(ref("a:mdc"), Activity.message("x"))
                .thenAccept(
                    o -> {
                      seenInCallback.add(MDC.get(BeckonObservations.MDC_CORRELATION_ID));
                      log.info("delivered {}", o.id());
                    });
        done.join();
      } finally {
        assertThat(MDC.get(BeckonObservations.MDC_CORRELATION_ID))
            .as("the caller's thread keeps its own value")
            .isEqualTo("outer");
        MDC.remove(BeckonObservations.MDC_CORRELATION_ID);
      }
      assertThat(seenInCallback).hasSize(1);
      assertThat(seenInCallback.get(0)).startsWith("fake-cv-");
      ILoggingEvent appLine =
          logs.events().stream()
              .filter(e -> e.getLoggerName().equals("app"))
              .findFirst()
              .orElseThrow();
      assertThat(appLine.getMDCPropertyMap())
          .containsEntry(BeckonObservations.MDC_CORRELATION_ID, seenInCallback.get(0));
      ILoggingEvent beckonLine =
          logs.events().stream()
              .filter(e -> e.getLoggerName().equals(ObservedSender.class.getName()))
              .findFirst()
              .orElseThrow();
      assertThat(beckonLine.getFormattedMessage())
          .startsWith("send_activity on msteams: DELIVERED (HTTP 200");
      assertThat(beckonLine.getMDCPropertyMap())
          .containsEntry(BeckonObservations.MDC_CORRELATION_ID, seenInCallback.get(0));
    }
  }

  @Test
  void aBroadcastThroughTheObservedSenderIsObservedThroughItsOneAttemptView() {
    BotConnectorSender retrying =
        BotConnectorSender.builder().anonymous().retry(RetryStrategy.defaults()).build();
    try (retrying) {
      Sender observed = BeckonObservations.of(registry).sender(retrying);
      Sender once = observed.withoutRetries();
      assertThat(once).isNotSameAs(observed).isSameAs(observed.withoutRetries());
      once.send(ref("a:once"), Activity.message("x"));
      assertThat(sends(registry)).hasSize(1);
    }
    Sender plain = BeckonObservations.of(registry).sender(connectorSender);
    assertThat(plain.withoutRetries())
        .as("a sender without retries is its own view")
        .isSameAs(plain);
  }

  @Test
  void keyNamesAreTheDocumentedOnes() {
    assertThat(BeckonObservationDocumentation.SEND.getName()).isEqualTo("beckon.send");
    assertThat(BeckonObservationDocumentation.SEND.getLowCardinalityKeyNames())
        .extracting(k -> k.asString())
        .containsExactly(
            "beckon.operation",
            "beckon.outcome",
            "beckon.status.class",
            "activity.channel_id",
            "activity.type");
    assertThat(BeckonObservationDocumentation.SEND.getHighCardinalityKeyNames())
        .containsExactly(SendKeys.CONVERSATION_ID, SendKeys.ACTIVITY_ID, SendKeys.CORRELATION_ID);
    assertThat(BeckonObservationDocumentation.STORE.getName()).isEqualTo("beckon.store");
    assertThat(BeckonObservationDocumentation.TOKEN.getName()).isEqualTo("beckon.token");
  }
}
