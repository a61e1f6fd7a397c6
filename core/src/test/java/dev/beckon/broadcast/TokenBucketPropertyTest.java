package dev.beckon.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The bucket shape {@link TokenBucket#of} gives a limit, run as a greedy token bucket (continuous
 * refill, Bucket4j's {@code refillGreedy}) against random request times: the grants, each delayed
 * by a random jitter up to {@code headroom × window} on its way to the connector, never exceed the
 * limit's permits in any window there.
 */
class TokenBucketPropertyTest {

  @Property(tries = 200)
  void grantsDelayedWithinTheHeadroomNeverExceedTheLimit(
      @ForAll @IntRange(min = 1, max = 80) int permits,
      @ForAll @IntRange(min = 1, max = 5000) int windowMillis,
      @ForAll @DoubleRange(min = 0, max = 0.5) double headroom,
      @ForAll @IntRange(min = 1, max = 20) int demandPerGap,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long seed) {
    RateLimit limit = RateLimit.of(permits, Duration.ofMillis(windowMillis));
    TokenBucket b = TokenBucket.of(limit, headroom);
    long window = limit.window().toNanos();
    long period = b.refillPeriod().toNanos();
    Random random = new Random(seed);
    double tokens = (double) b.capacity();
    long last = 0;
    long t = 0;
    long gap = Math.max(1, window / (4L * permits));
    List<Long> arrivals = new ArrayList<>();
    for (int step = 0; step < 800; step++) {
      t += 1 + (long) (random.nextDouble() * (double) gap);
      tokens =
          Math.min(
              (double) b.capacity(),
              tokens + (double) (t - last) * (double) b.refillTokens() / (double) period);
      last = t;
      for (int r = random.nextInt(demandPerGap + 1); r > 0; r--) {
        if (tokens >= 1) {
          tokens -= 1;
          long jitter = (long) (random.nextDouble() * headroom * (double) window);
          arrivals.add(t + jitter);
        }
      }
    }
    assertThat(SendLimiterTest.maxInAnyWindow(arrivals, window)).isLessThanOrEqualTo(permits);
  }
}
