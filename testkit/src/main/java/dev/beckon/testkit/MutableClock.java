package dev.beckon.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until moved: for TTL and token-expiry tests. Thread-safe.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.now();
 * clock.advance(Duration.ofHours(2));
 * }</pre>
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;

  private MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /**
   * A clock standing at the current time.
   *
   * @return the clock
   */
  public static MutableClock now() {
    return new MutableClock(Instant.now());
  }

  /**
   * A clock standing at a given instant.
   *
   * @param start the instant
   * @return the clock
   */
  public static MutableClock at(Instant start) {
    return new MutableClock(start);
  }

  /**
   * Moves the clock forward (or back, with a negative duration).
   *
   * @param by how far
   */
  public void advance(Duration by) {
    now.updateAndGet(i -> i.plus(by));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Objects.requireNonNull(now.get(), "the clock always holds an instant");
  }
}
