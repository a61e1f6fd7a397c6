package dev.beckon.send;

import java.time.Duration;
import java.util.Objects;

/**
 * When a send is tried again: 412, 429 (after {@code Retry-After}), 502, 503, 504 and failures to
 * connect, with jittered exponential backoff, within {@code maxAttempts} and the overall timeout. A
 * POST that may have reached the service (a read timeout, a reset after sending) is retried only
 * with {@code retryUnsafePosts} — it may post the message twice — and otherwise ends as {@link
 * SendOutcome.Kind#UNKNOWN}.
 *
 * <p>A {@code Retry-After} never shortens the backoff: one that is 0, a date in the past, or
 * unreadable waits the jittered backoff (never zero). Values above 1 hour are read as 1 hour.
 *
 * @param maxAttempts requests per send, at least 1 (1 = never retry)
 * @param baseDelay first backoff delay, positive
 * @param maxDelay largest backoff delay, at least {@code baseDelay}
 * @param maxRetryAfter the longest {@code Retry-After} honoured; longer ones end the send as
 *     THROTTLED
 * @param retryUnsafePosts whether to retry a POST that may have been delivered
 */
public record RetryPolicy(
    int maxAttempts,
    Duration baseDelay,
    Duration maxDelay,
    Duration maxRetryAfter,
    boolean retryUnsafePosts) {

  /**
   * Validates.
   *
   * @param maxAttempts requests per send, at least 1 (1 = never retry)
   * @param baseDelay first backoff delay, positive
   * @param maxDelay largest backoff delay, at least {@code baseDelay}
   * @param maxRetryAfter the longest {@code Retry-After} honoured; longer ones end the send as
   *     THROTTLED
   * @param retryUnsafePosts whether to retry a POST that may have been delivered
   */
  public RetryPolicy {
    if (maxAttempts < 1 || maxAttempts > 20) {
      throw new IllegalArgumentException(
          "maxAttempts must be between 1 and 20 but was " + maxAttempts);
    }
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    if (baseDelay.isNegative()
        || baseDelay.isZero()
        || maxDelay.compareTo(baseDelay) < 0
        || maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException(
          "baseDelay must be positive, maxDelay >= baseDelay and maxRetryAfter >= 0, but was "
              + baseDelay
              + ", "
              + maxDelay
              + ", "
              + maxRetryAfter);
    }
  }

  /**
   * 4 attempts, 250 ms doubling up to 8 s, Retry-After honoured up to 30 s, unsafe POSTs not
   * retried.
   *
   * @return the defaults
   */
  public static RetryPolicy defaults() {
    return new RetryPolicy(
        4, Duration.ofMillis(250), Duration.ofSeconds(8), Duration.ofSeconds(30), false);
  }

  /**
   * One attempt, no retry: for callers that pace and retry themselves (broadcast).
   *
   * @return the policy
   */
  public static RetryPolicy none() {
    return new RetryPolicy(
        1, Duration.ofMillis(250), Duration.ofSeconds(8), Duration.ofSeconds(30), false);
  }

  /**
   * A copy with another number of attempts.
   *
   * @param value attempts per send
   * @return the copy
   */
  public RetryPolicy withMaxAttempts(int value) {
    return new RetryPolicy(value, baseDelay, maxDelay, maxRetryAfter, retryUnsafePosts);
  }

  /**
   * A copy that retries POSTs that may have been delivered (at the risk of duplicates).
   *
   * @param value whether to
   * @return the copy
   */
  public RetryPolicy withRetryUnsafePosts(boolean value) {
    return new RetryPolicy(maxAttempts, baseDelay, maxDelay, maxRetryAfter, value);
  }
}
