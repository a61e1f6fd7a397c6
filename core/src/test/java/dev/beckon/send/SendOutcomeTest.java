package dev.beckon.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beckon.retry.RetryCause;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The outcome's one verdict on retrying, and its builder. */
class SendOutcomeTest {

  private static SendOutcome answered(SendOutcome.Kind kind, int status) {
    return SendOutcome.builder(kind).status(status).attempts(1).build();
  }

  @Test
  void aFailed500IsNotRetryableLikeTheSenderSays() {
    // it used to be: every FAILED was retryable, 500 included, while the sender never retried 500
    assertThat(answered(SendOutcome.Kind.FAILED, 500).retryable()).isFalse();
    assertThat(answered(SendOutcome.Kind.FAILED, 501).retryable()).isFalse();
    assertThat(answered(SendOutcome.Kind.FAILED, 505).retryable()).isFalse();
  }

  @Test
  void teamsDocumentedStatusesAreRetryableWithTheirCause() {
    assertThat(answered(SendOutcome.Kind.THROTTLED, 429).retryCause())
        .isEqualTo(RetryCause.THROTTLED);
    assertThat(answered(SendOutcome.Kind.REJECTED, 412).retryCause())
        .isEqualTo(RetryCause.TRANSIENT);
    for (int s : new int[] {502, 503, 504}) {
      assertThat(answered(SendOutcome.Kind.FAILED, s).retryCause())
          .as("HTTP %d", s)
          .isEqualTo(RetryCause.TRANSIENT);
    }
  }

  @Test
  void withoutAnAnswerOnlyAFailureIsRetryableNeverAnUnknown() {
    assertThat(answered(SendOutcome.Kind.FAILED, 0).retryCause()).isEqualTo(RetryCause.TRANSIENT);
    assertThat(answered(SendOutcome.Kind.UNKNOWN, 0).retryable())
        .as("it may have been delivered")
        .isFalse();
    assertThat(answered(SendOutcome.Kind.REJECTED, 0).retryable()).isFalse();
    assertThat(answered(SendOutcome.Kind.UNAUTHORIZED, 0).retryable()).isFalse();
    assertThat(answered(SendOutcome.Kind.DELIVERED, 201).retryable()).isFalse();
    assertThat(answered(SendOutcome.Kind.CONVERSATION_GONE, 404).retryable()).isFalse();
  }

  @Test
  void theBuilderSetsEveryFieldAndToBuilderCopiesThem() {
    SendOutcome o =
        SendOutcome.builder(SendOutcome.Kind.THROTTLED)
            .status(429)
            .id("i")
            .errorCode("TooManyRequests")
            .message("slow down")
            .correlationId("cv")
            .retryAfter(Duration.ofSeconds(3))
            .attempts(2)
            .build();
    assertThat(o)
        .isEqualTo(
            new SendOutcome(
                SendOutcome.Kind.THROTTLED,
                429,
                "i",
                "TooManyRequests",
                "slow down",
                "cv",
                Duration.ofSeconds(3),
                2,
                null));
    assertThat(o.toBuilder().build()).isEqualTo(o);
    assertThat(o.toBuilder().kind(SendOutcome.Kind.FAILED).build().kind())
        .isEqualTo(SendOutcome.Kind.FAILED);
  }
}
