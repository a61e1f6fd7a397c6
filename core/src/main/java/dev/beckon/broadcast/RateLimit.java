package dev.beckon.broadcast;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code permits} sends in any window of length {@code window}.
 *
 * @param permits how many sends, at least 1
 * @param window the sliding window, at least one millisecond
 */
public record RateLimit(int permits, Duration window) {

  /**
   * Validates both parts.
   *
   * @param permits how many sends, at least 1
   * @param window the sliding window, at least one millisecond
   */
  public RateLimit {
    Objects.requireNonNull(window, "window");
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1 but was " + permits);
    }
    if (window.toMillis() < 1) {
      throw new IllegalArgumentException("window must be at least 1 ms but was " + window);
    }
  }

  /**
   * Creates a limit.
   *
   * @param permits how many sends
   * @param window per window
   * @return the limit
   */
  public static RateLimit of(int permits, Duration window) {
    return new RateLimit(permits, window);
  }

  /**
   * The sustained rate this limit allows.
   *
   * @return sends per second
   */
  public double perSecond() {
    return permits * 1000.0 / window.toMillis();
  }
}
