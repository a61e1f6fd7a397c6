package dev.beckon.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Jitter bounds and the cap of every backoff. */
class BackoffPropertyTest {

  /** min(base * 2^(retry-1), max), computed without overflow. */
  private static long capped(long base, long max, int retry) {
    long d = base;
    for (int i = 1; i < retry && d < max; i++) {
      d = Math.min(d * 2, max);
    }
    return d;
  }

  @Property(tries = 2000)
  void equalJitterIsBetweenHalfAndAllOfTheCappedDelay(
      @ForAll @LongRange(min = 1, max = 60_000) long base,
      @ForAll @LongRange(min = 0, max = 3_600_000) long extra,
      @ForAll @IntRange(min = 1, max = 40) int retry,
      @ForAll long seed) {
    long max = Math.min(base + extra, 3_600_000);
    Backoff b = Backoff.exponential(Duration.ofMillis(base), Duration.ofMillis(max));
    long d = b.delay(retry, new Random(seed)).toMillis();
    long c = capped(base, max, retry);
    assertThat(d).isBetween(Math.max(1, c / 2), c).isLessThanOrEqualTo(max);
  }

  @Property(tries = 2000)
  void fullJitterIsBetweenOneMillisecondAndTheCappedDelay(
      @ForAll @LongRange(min = 1, max = 60_000) long base,
      @ForAll @LongRange(min = 0, max = 600_000) long extra,
      @ForAll @IntRange(min = 1, max = 40) int retry,
      @ForAll long seed) {
    Backoff b =
        new Backoff(Duration.ofMillis(base), Duration.ofMillis(base + extra), Backoff.Jitter.FULL);
    long d = b.delay(retry, new Random(seed)).toMillis();
    assertThat(d).isBetween(1L, capped(base, base + extra, retry));
  }

  @Property(tries = 500)
  void withoutJitterTheDelayDoublesUpToTheCap(
      @ForAll @LongRange(min = 1, max = 10_000) long base,
      @ForAll @IntRange(min = 1, max = 40) int retry) {
    long max = base * 16;
    Backoff b = new Backoff(Duration.ofMillis(base), Duration.ofMillis(max), Backoff.Jitter.NONE);
    assertThat(b.delay(retry, new Random(1)).toMillis()).isEqualTo(capped(base, max, retry));
  }

  @Example
  void aFixedBackoffWaitsTheSameEveryTime() {
    Backoff b = Backoff.fixed(Duration.ofSeconds(1));
    for (int retry = 1; retry < 30; retry++) {
      assertThat(b.delay(retry, new Random(retry))).isEqualTo(Duration.ofSeconds(1));
    }
  }

  @Example
  void invalidBackoffsAreRefused() {
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class);
    Backoff b = Backoff.fixed(Duration.ofSeconds(1));
    assertThatThrownBy(() -> b.delay(0, new Random())).isInstanceOf(IllegalArgumentException.class);
  }
}
