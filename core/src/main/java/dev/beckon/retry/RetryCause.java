package dev.beckon.retry;

import org.jspecify.annotations.Nullable;

/**
 * Why a failed attempt is worth another one. The two causes wait different {@link Backoff}s: a
 * throttle means "slow down", so it waits longer (or the service's {@code Retry-After}), while a
 * transient failure is retried soon.
 */
public enum RetryCause {
  /** The service asked to slow down: HTTP 429, a throttling error, a batch's unprocessed items. */
  THROTTLED,
  /**
   * A failure that another attempt may not meet: HTTP 412, 502, 503, 504, a connection that could
   * not be opened, a SQL deadlock.
   */
  TRANSIENT;

  /**
   * The one answer to "is this HTTP status worth retrying", after Teams' documented list: 429 is
   * {@link #THROTTLED}; 412, 502, 503 and 504 are {@link #TRANSIENT}; every other status, 500
   * included, is never retried.
   *
   * <pre>{@code
   * RetryCause.ofStatus(503); // TRANSIENT
   * RetryCause.ofStatus(500); // null: not retried
   * }</pre>
   *
   * @param status an HTTP status
   * @return the cause, or {@code null} when the status must not be retried
   */
  public static @Nullable RetryCause ofStatus(int status) {
    return switch (status) {
      case 429 -> THROTTLED;
      case 412, 502, 503, 504 -> TRANSIENT;
      default -> null;
    };
  }
}
