package dev.beckon.retry;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One retry about to happen, as a {@link RetryListener} sees it.
 *
 * @param operation what is retried, as named by {@link RetryStrategy#start(String)} (e.g. {@code
 *     "send"}, {@code "broadcast"}, {@code "jdbc.deadlock"})
 * @param failedAttempt the number of the attempt that failed, from 1
 * @param cause why it is retried
 * @param delay how long until the next attempt
 * @param reason a short description of the failure (an HTTP status, an error code, an exception's
 *     class), never a secret; or {@code null}
 */
public record RetryEvent(
    String operation,
    int failedAttempt,
    RetryCause cause,
    Duration delay,
    @Nullable String reason) {

  /**
   * Validates.
   *
   * @param operation what is retried, as named by {@link RetryStrategy#start(String)}
   * @param failedAttempt the number of the attempt that failed, from 1
   * @param cause why it is retried
   * @param delay how long until the next attempt
   * @param reason a short description of the failure, never a secret; or {@code null}
   */
  public RetryEvent {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(delay, "delay");
    if (failedAttempt < 1) {
      throw new IllegalArgumentException(
          "failedAttempt must be at least 1 but was " + failedAttempt);
    }
  }
}
