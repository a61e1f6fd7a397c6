package dev.beckon.send;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.beckon.activity.Activity;
import dev.beckon.reference.ChannelAccount;
import dev.beckon.reference.ConversationReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The connector response reader — error codes and messages in both body shapes of PROTOCOL.md §2,
 * {@code Retry-After}, the activity id and the created conversation — turns any bytes a service
 * answers into a value: it never throws.
 *
 * <p>An input is text: the first line is the status, the second the {@code Retry-After} value (read
 * as an {@code MS-CV} too), the rest the body. Seeds: {@code
 * ConnectorResponseFuzzTestInputs/readsAnyAnswer/}. Real fuzzing: {@code JAZZER_FUZZ=1 mvn -pl core
 * test -Dtest=ConnectorResponseFuzzTest#readsAnyAnswer}.
 */
class ConnectorResponseFuzzTest {

  private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
  private static final ConversationReference FROM =
      ConversationReference.builder()
          .conversationId("19:team@thread.tacv2")
          .channelId("msteams")
          .bot(ChannelAccount.of("28:bot", "Bot"))
          .serviceUrl("https://smba.trafficmanager.net/amer/")
          .build();
  private static final List<ConversationParameters> PARAMETERS =
      List.of(
          ConversationParameters.oneOnOne(ChannelAccount.of("29:member", "M"), "tenant-1"),
          ConversationParameters.channelThread(
              "19:channel@thread.tacv2", Activity.message("first"), "tenant-1"));

  @FuzzTest(maxDuration = "30s")
  void readsAnyAnswer(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    String[] parts = text.split("\n", 3);
    int status = status(parts[0]);
    String retryAfter = parts.length > 1 ? parts[1] : null;
    String body = parts.length > 2 ? parts[2] : "";

    String code = Classifier.errorCode(body);
    check(
        code == null || code.length() <= Classifier.MAX_CODE_LENGTH + 1, "error code not bounded");
    check(
        code == null || code.chars().noneMatch(Character::isISOControl),
        "control character in a code");
    String message = Classifier.errorMessage(body);
    check(message == null || message.length() <= 301, "error message not bounded");
    check(Classifier.kind(status, code) != null, "no kind");
    Duration wait = Classifier.retryAfter(retryAfter, NOW);
    check(
        wait == null
            || (!wait.isNegative()
                && wait.compareTo(dev.beckon.retry.RetryStrategy.MAX_RETRY_AFTER) <= 0),
        "Retry-After out of range: " + wait);

    // the second line doubles as an MS-CV header: kept only in the correlation-vector alphabet
    String cv = SendOutcome.readCorrelationId(retryAfter);
    check(
        cv == null
            || (cv.length() <= SendOutcome.MAX_CORRELATION_ID_LENGTH
                && cv.chars()
                    .allMatch(
                        c ->
                            c < 128
                                && (Character.isLetterOrDigit(c) || "+/=._:-".indexOf(c) >= 0))),
        "correlation id not in its alphabet: " + cv);
    if (cv != null) {
      check(
          SendOutcome.builder(SendOutcome.Kind.DELIVERED).correlationId(cv).build() != null,
          "a read correlation id is accepted by the outcome");
    }

    SendOutcome delivered =
        new SendOutcome(SendOutcome.Kind.DELIVERED, status, null, null, null, "cv", null, 1, null);
    SendOutcome activity = ConnectorResponses.activity(delivered, body);
    check(activity.delivered(), "a delivered send stays delivered");
    for (ConversationParameters p : PARAMETERS) {
      SendOutcome created = ConnectorResponses.conversation(delivered, body, FROM, p);
      check(
          created.delivered()
              ? created.conversation() != null && created.id() != null
              : created.kind() == SendOutcome.Kind.UNKNOWN && created.message() != null,
          "created: " + created.kind());
    }
  }

  private static int status(String line) {
    try {
      return Integer.parseInt(line.trim());
    } catch (NumberFormatException e) {
      return 200;
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }
}
