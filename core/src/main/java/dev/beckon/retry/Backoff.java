package dev.beckon.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait before retry number {@code n}: {@code min(base * 2^(n-1), max)}, jittered. Never
 * less than 1 millisecond, so a retry never starts at once.
 *
 * <pre>{@code
 * Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(8)); // 125-250 ms, 250-500 ms, …
 * Backoff.fixed(Duration.ofSeconds(1));                               // 1 s every time
 * Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(200)).withJitter(Backoff.Jitter.FULL);
 * }</pre>
 *
 * @param base the first delay (before jitter), at least 1 ms
 * @param max the largest delay (before jitter), at least {@code base}, at most 1 hour
 * @param jitter how the delay is spread
 */
public record Backoff(Duration base, Duration max, Jitter jitter) {

  /** The longest backoff delay: 1 hour. */
  public static final Duration MAX_DELAY = Duration.ofHours(1);

  /** How a delay {@code d} is spread, so that many clients do not retry in step. */
  public enum Jitter {
    /** Exactly {@code d}. */
    NONE,
    /** Uniform between {@code d/2} and {@code d} (the default). */
    EQUAL,
    /** Uniform between 1 ms and {@code d}. */
    FULL
  }

  /**
   * Validates.
   *
   * @param base the first delay (before jitter), at least 1 ms
   * @param max the largest delay (before jitter), at least {@code base}, at most 1 hour
   * @param jitter how the delay is spread
   */
  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(jitter, "jitter");
    if (base.toMillis() < 1 || max.compareTo(base) < 0 || max.compareTo(MAX_DELAY) > 0) {
      throw new IllegalArgumentException(
          "backoff needs 1 ms <= base <= max <= 1 h but was base " + base + ", max " + max);
    }
  }

  /**
   * Doubling from {@code base} up to {@code max}, with {@link Jitter#EQUAL} jitter.
   *
   * @param base the first delay, at least 1 ms
   * @param max the largest delay, at least {@code base}, at most 1 hour
   * @return the backoff
   */
  public static Backoff exponential(Duration base, Duration max) {
    return new Backoff(base, max, Jitter.EQUAL);
  }

  /**
   * The same delay every time, without jitter.
   *
   * @param delay the delay, 1 ms to 1 hour
   * @return the backoff
   */
  public static Backoff fixed(Duration delay) {
    return new Backoff(delay, delay, Jitter.NONE);
  }

  /**
   * A copy with another jitter.
   *
   * @param value the jitter
   * @return the copy
   */
  public Backoff withJitter(Jitter value) {
    return new Backoff(base, max, value);
  }

  /**
   * The delay before a retry.
   *
   * @param retry which retry, from 1 (the wait after the first failed attempt)
   * @param random the source of jitter
   * @return the delay: at least 1 ms, at most {@code max}
   */
  public Duration delay(int retry, RandomGenerator random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry must be at least 1 but was " + retry);
    }
    Objects.requireNonNull(random, "random");
    long maxMs = max.toMillis();
    long d = base.toMillis();
    for (int i = 1; i < retry && d < maxMs; i++) {
      d = Math.min(d * 2, maxMs);
    }
    long jittered =
        switch (jitter) {
          case NONE -> d;
          case EQUAL -> d / 2 + random.nextLong(d - d / 2 + 1);
          case FULL -> 1 + random.nextLong(d);
        };
    return Duration.ofMillis(Math.max(1, Math.min(jittered, d)));
  }
}
