package dev.beckon.broadcast;

import java.time.Duration;

/**
 * The token bucket that keeps a {@link RateLimit} when the limit is held by a token-bucket library
 * (the fleet-wide {@link SendLimiter}s over Bucket4j): {@code capacity} tokens at most, refilled
 * continuously at {@code refillTokens} per {@code refillPeriod}.
 *
 * <p>A token bucket alone lets a full bucket's burst and a window's refill add up: {@code N} per
 * second refilled into a bucket of {@code N} grants up to {@code 2N} in one second. {@link
 * #of(RateLimit, double)} therefore splits the limit's permits between a small burst (a tenth of
 * them, at least 1) and the refill (the rest), so that no window of the limit's length ever holds
 * more grants than its permits; and it stretches the refill period by a headroom, so that grants
 * may reach the connector up to {@code headroom × window} later than they were made (network and
 * scheduling jitter) and still never exceed the permits in any window there.
 *
 * @param capacity the bucket's capacity, at least 1
 * @param refillTokens tokens added per {@code refillPeriod}, at least 1
 * @param refillPeriod the refill period, positive
 */
public record TokenBucket(long capacity, long refillTokens, Duration refillPeriod) {

  /**
   * Validates the parts.
   *
   * @param capacity the bucket's capacity, at least 1
   * @param refillTokens tokens added per {@code refillPeriod}, at least 1
   * @param refillPeriod the refill period, positive
   */
  public TokenBucket {
    if (capacity < 1 || refillTokens < 1) {
      throw new IllegalArgumentException("capacity and refillTokens must be at least 1");
    }
    if (refillPeriod.isNegative() || refillPeriod.isZero()) {
      throw new IllegalArgumentException("refillPeriod must be positive");
    }
  }

  /**
   * The bucket for a limit: capacity {@code max(1, permits / 10)}, refill {@code permits −
   * capacity} (1 for a limit of 1 permit) per {@code window × (1 + headroom)}.
   *
   * @param limit the limit to keep
   * @param headroom the tolerated delay between a grant and its arrival, as a fraction of the
   *     window: 0 to 1 (0.1 tolerates 100 ms on a 1 s window)
   * @return the bucket
   */
  public static TokenBucket of(RateLimit limit, double headroom) {
    if (!(headroom >= 0 && headroom <= 1)) {
      throw new IllegalArgumentException("headroom must be between 0 and 1 but was " + headroom);
    }
    long capacity = Math.max(1, limit.permits() / 10);
    long refill = Math.max(1, limit.permits() - capacity);
    long nanos = limit.window().toNanos();
    long period = nanos + (long) Math.ceil(nanos * headroom);
    if (limit.permits() == 1 && period == nanos) {
      period++; // a full bucket of 1 and one token per window would allow 2 in a window
    }
    return new TokenBucket(capacity, refill, Duration.ofNanos(period));
  }
}
