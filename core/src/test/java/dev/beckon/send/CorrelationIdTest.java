package dev.beckon.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.transport.HttpTransport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The connector's {@code MS-CV} (or {@code X-Correlating-OperationId}) is input from outside: only
 * a value of the correlation-vector alphabet, at most 128 characters, reaches the outcome (and from
 * there log lines, the MDC and span attributes); anything else is dropped whole.
 */
class CorrelationIdTest {

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=._:-";

  private static boolean valid(String v) {
    return !v.isEmpty()
        && v.length() <= SendOutcome.MAX_CORRELATION_ID_LENGTH
        && v.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
  }

  @Property(tries = 1000)
  void anyHeaderGivesAValidIdOrNone(@ForAll String header) {
    String id = SendOutcome.readCorrelationId(header);
    if (id != null) {
      assertThat(valid(id)).as("kept %s", id).isTrue();
      assertThat(header.strip()).isEqualTo(id);
    }
  }

  @Provide
  Arbitrary<String> correlationVectors() {
    return Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMinLength(1).ofMaxLength(128);
  }

  @Property(tries = 300)
  void everyValidIdIsKeptExactlyAndAnOutcomeHoldsIt(@ForAll("correlationVectors") String cv) {
    assertThat(SendOutcome.readCorrelationId(" " + cv + "\t")).isEqualTo(cv);
    assertThat(SendOutcome.builder(SendOutcome.Kind.DELIVERED).correlationId(cv).build())
        .extracting(SendOutcome::correlationId)
        .isEqualTo(cv);
  }

  @Example
  void hostileHeadersAreDroppedWholeNotCut() {
    for (String hostile :
        new String[] {
          "",
          "   ",
          "cv\r\nX-Forged: 1",
          "cv\u0000",
          "cv with spaces",
          "cv\"quote",
          "cv\u202Eevil", // a bidi override
          "é.1",
          "<script>",
          "${jndi:ldap://x}",
          "a".repeat(129),
          "a".repeat(1_000_000)
        }) {
      assertThat(SendOutcome.readCorrelationId(hostile)).as("%.40s", hostile).isNull();
    }
    assertThat(SendOutcome.readCorrelationId(null)).isNull();
    assertThat(SendOutcome.readCorrelationId("a".repeat(128))).hasSize(128);
    assertThat(SendOutcome.readCorrelationId("k1Wd2R3s5aNq8qy/Xp6nYw.1.2"))
        .isEqualTo("k1Wd2R3s5aNq8qy/Xp6nYw.1.2");
    assertThat(SendOutcome.readCorrelationId("0f8fad5b-d9cb-469f-a165-70867728950e"))
        .isEqualTo("0f8fad5b-d9cb-469f-a165-70867728950e");
  }

  @Example
  void anOutcomeRefusesAnInvalidCorrelationId() {
    assertThatThrownBy(
            () -> SendOutcome.builder(SendOutcome.Kind.DELIVERED).correlationId("a\nb").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("correlationId");
  }

  /** A transport of its own that answers 201 with the given headers, through the real sender. */
  private static SendOutcome sendAnswered(Map<String, String> headers) {
    HttpTransport answering =
        (request, timeout) ->
            CompletableFuture.completedFuture(
                new HttpTransport.Response(201, headers, "{\"id\":\"1:new\"}"));
    try (BotConnectorSender sender =
        BotConnectorSender.builder()
            .anonymous()
            .transport(answering)
            .timeouts(
                new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5)))
            .build()) {
      ConversationReference to =
          ConversationReference.builder()
              .conversationId("a:1")
              .channelId("msteams")
              .serviceUrl("http://127.0.0.1:9/amer/")
              .build();
      return sender.send(to, Activity.message("hi"));
    }
  }

  @Example
  void theSenderKeepsAValidMsCvAndDropsAHostileOne() {
    assertThat(sendAnswered(Map.of("ms-cv", "k1Wd2R3s5aNq8qy/Xp6nYw.1")).correlationId())
        .isEqualTo("k1Wd2R3s5aNq8qy/Xp6nYw.1");
    SendOutcome hostile = sendAnswered(Map.of("ms-cv", "x\u2028forged line"));
    assertThat(hostile.delivered()).as("a bad header never changes the outcome").isTrue();
    assertThat(hostile.id()).isEqualTo("1:new");
    assertThat(hostile.correlationId()).isNull();
    assertThat(
            sendAnswered(Map.of("ms-cv", "bad value", "x-correlating-operationid", "op-1"))
                .correlationId())
        .as("an invalid MS-CV falls back to the operation id")
        .isEqualTo("op-1");
  }
}
