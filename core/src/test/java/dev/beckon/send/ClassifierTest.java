package dev.beckon.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationReference;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Reading what a connector answered: Retry-After, error bodies, ids (issue #15 items 5 and 7). */
class ClassifierTest {

  private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");

  @Test
  void retryAfterIsReadCappedOrIgnored() {
    assertThat(Classifier.retryAfter("7", NOW)).isEqualTo(Duration.ofSeconds(7));
    assertThat(Classifier.retryAfter(" 0 ", NOW)).isEqualTo(Duration.ZERO);
    assertThat(Classifier.retryAfter("Tue, 01 Dec 2026 08:00:30 GMT", NOW))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(Classifier.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", NOW))
        .as("past: no wait of its own")
        .isEqualTo(Duration.ZERO);
    assertThat(Classifier.retryAfter("86400", NOW)).as("capped").isEqualTo(Duration.ofHours(1));
    assertThat(Classifier.retryAfter("99999999999999999999999", NOW))
        .as("capped, not unreadable")
        .isEqualTo(Duration.ofHours(1));
    assertThat(Classifier.retryAfter("Fri, 31 Dec 9999 23:59:59 GMT", NOW))
        .isEqualTo(Duration.ofHours(1));
    for (String garbage :
        new String[] {
          "-5",
          "1.5",
          "soon",
          "\u0000\u0001",
          "Sunday, 06-Nov-94 08:49:37 GMT",
          "",
          "  ",
          "x".repeat(10_000)
        }) {
      assertThat(Classifier.retryAfter(garbage, NOW)).as(garbage).isNull();
    }
  }

  @Test
  void errorBodiesInBothShapesAndBounded() {
    assertThat(Classifier.errorCode("{\"error\":{\"code\":\"BadArgument\",\"message\":\"m\"}}"))
        .isEqualTo("BadArgument");
    assertThat(
            Classifier.errorCode(
                "{\"errorCode\":209,\"message\":\"{\\\"subCode\\\":\\\"MessageWritesBlocked\\\"}\"}"))
        .isEqualTo("MessageWritesBlocked");
    assertThat(Classifier.errorCode("{\"errorCode\":209,\"message\":\"plain\"}")).isEqualTo("209");
    assertThat(Classifier.errorCode("{\"errorCode\":null}")).isNull();
    assertThat(Classifier.errorCode("{\"errorCode\":{\"a\":1}}")).isNull();
    String longCode =
        Classifier.errorCode("{\"error\":{\"code\":\"a\\nb" + "c".repeat(1000) + "\"}}");
    assertThat(longCode).hasSize(Classifier.MAX_CODE_LENGTH + 1).startsWith("a b").endsWith("…");
    assertThat(
            Classifier.errorMessage(
                "{\"error\":{\"message\":{\"not\":\"text\"}},\"message\":\"top\"}"))
        .isEqualTo("top");
    assertThat(Classifier.errorMessage("{\"message\":\"line1\\r\\nFAKE LOG LINE\"}"))
        .isEqualTo("line1  FAKE LOG LINE");
    assertThat(Classifier.bounded("😀".repeat(100)))
        .as("never cut inside a surrogate pair")
        .satisfies(b -> assertThat(Character.isHighSurrogate(b.charAt(b.length() - 2))).isFalse());
  }

  @Test
  void aCreatedConversationThatCannotBeAReferenceIsUnknown() {
    ConversationReference from =
        ConversationReference.builder()
            .conversationId("c")
            .channelId("msteams")
            .serviceUrl("https://smba.trafficmanager.net/amer/")
            .build();
    ConversationParameters p =
        ConversationParameters.oneOnOne(ChannelAccount.of("29:m", null), "t");
    SendOutcome delivered =
        new SendOutcome(SendOutcome.Kind.DELIVERED, 201, null, null, null, null, null, 1, null);
    SendOutcome tooLong =
        ConnectorResponses.conversation(
            delivered, "{\"id\":\"" + "x".repeat(5000) + "\"}", from, p);
    assertThat(tooLong.kind()).isEqualTo(SendOutcome.Kind.UNKNOWN);
    assertThat(tooLong.errorCode()).isEqualTo("InvalidConversationResponse");
    assertThat(ConnectorResponses.conversation(delivered, "{\"id\":42}", from, p).errorCode())
        .isEqualTo("NoConversationId");
    assertThat(ConnectorResponses.conversation(delivered, null, from, p).kind())
        .isEqualTo(SendOutcome.Kind.UNKNOWN);
    SendOutcome ok =
        ConnectorResponses.conversation(
            delivered, "{\"id\":\"a:1\",\"serviceUrl\":\"https://x.botframework.com/\"}", from, p);
    assertThat(ok.conversation().serviceUrl()).isEqualTo("https://x.botframework.com/");
  }
}
