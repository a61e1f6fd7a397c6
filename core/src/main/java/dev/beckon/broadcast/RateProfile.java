package dev.beckon.broadcast;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How fast a broadcast may send: a global rate, limits per conversation and a concurrency bound.
 * Profiles are plain data: use {@link #teams()}, {@link #unpaced(int)} or build your own.
 *
 * <pre>{@code
 * RateProfile mine = new RateProfile(RateLimit.of(20, Duration.ofSeconds(1)),
 *     List.of(RateLimit.of(1, Duration.ofSeconds(1))), 8);
 * }</pre>
 *
 * <p>On a 429 the whole broadcast slows down: the global rate drops to 80% of its current value, at
 * most once a second so that a burst of 429s counts once, and never below 1/64 of the configured
 * rate; every 10 successful sends bring back 2% of the configured rate. The throttled send itself
 * waits its {@code Retry-After}. Without a global limit there is no rate to adapt: only the
 * throttled send waits.
 *
 * @param global the global limit (e.g. Teams: 50 requests per second per app per tenant), or {@code
 *     null} for none
 * @param perConversation limits every single conversation must stay within (may be empty)
 * @param maxConcurrency how many sends may be in flight at once, 1 to 1024
 */
public record RateProfile(
    @Nullable RateLimit global, List<RateLimit> perConversation, int maxConcurrency) {

  /**
   * Validates the bounds.
   *
   * @param global the global limit (e.g. Teams: 50 requests per second per app per tenant), or
   *     {@code null} for none
   * @param perConversation limits every single conversation must stay within (may be empty)
   * @param maxConcurrency how many sends may be in flight at once, 1 to 1024
   */
  public RateProfile {
    perConversation = List.copyOf(Objects.requireNonNull(perConversation, "perConversation"));
    if (maxConcurrency < 1 || maxConcurrency > 1024) {
      throw new IllegalArgumentException(
          "maxConcurrency must be between 1 and 1024 but was " + maxConcurrency);
    }
  }

  /**
   * Microsoft Teams' published limits: 50 requests per second per app per tenant globally; per
   * conversation 7 per second, 8 per 2 seconds, 60 per 30 seconds, 1800 per hour; 16 in flight.
   *
   * @return the Teams profile
   */
  public static RateProfile teams() {
    return new RateProfile(
        RateLimit.of(50, Duration.ofSeconds(1)),
        List.of(
            RateLimit.of(7, Duration.ofSeconds(1)),
            RateLimit.of(8, Duration.ofSeconds(2)),
            RateLimit.of(60, Duration.ofSeconds(30)),
            RateLimit.of(1800, Duration.ofHours(1))),
        16);
  }

  /**
   * No pacing at all, only a concurrency bound (for benchmarks and channels without limits).
   *
   * @param maxConcurrency sends in flight
   * @return the profile
   */
  public static RateProfile unpaced(int maxConcurrency) {
    return new RateProfile(null, List.of(), maxConcurrency);
  }

  /**
   * A copy with another global limit.
   *
   * @param limit the global limit, or {@code null} for none
   * @return the copy
   */
  public RateProfile withGlobal(@Nullable RateLimit limit) {
    return new RateProfile(limit, perConversation, maxConcurrency);
  }

  /**
   * A copy with another concurrency bound.
   *
   * @param value sends in flight
   * @return the copy
   */
  public RateProfile withMaxConcurrency(int value) {
    return new RateProfile(global, perConversation, value);
  }
}
