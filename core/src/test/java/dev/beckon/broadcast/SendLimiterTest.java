package dev.beckon.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beckon.reference.ReferenceKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-process limiter ({@link Pacer#tryAcquire}) on a virtual clock, and the bucket shape. */
class SendLimiterTest {

  private final AtomicLong now = new AtomicLong(5_000_000_000L);

  static int maxInAnyWindow(List<Long> times, long windowNanos) {
    List<Long> sorted = new ArrayList<>(times);
    sorted.sort(null);
    int max = 0;
    int start = 0;
    for (int end = 0; end < sorted.size(); end++) {
      while (sorted.get(end) - sorted.get(start) >= windowNanos) {
        start++;
      }
      max = Math.max(max, end - start + 1);
    }
    return max;
  }

  private static ReferenceKey conv(String id) {
    return ReferenceKey.of("msteams", id);
  }

  @Test
  void unlimitedGrantsEverything() {
    SendLimiter u = SendLimiter.unlimited();
    for (int i = 0; i < 100; i++) {
      assertThat(u.tryAcquire(conv("c"), "t")).isZero();
    }
  }

  @Test
  void tenantWindowHoldsAndADenialCountsNothing() {
    Pacer p =
        new Pacer(
            new RateProfile(null, RateLimit.of(3, Duration.ofSeconds(1)), List.of(), 8), now::get);
    for (int i = 0; i < 3; i++) {
      assertThat(p.tryAcquire(conv("c" + i), "t1")).isZero();
    }
    Duration wait = p.tryAcquire(conv("c9"), "t1");
    assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(p.tryAcquire(conv("c9"), "t2")).as("another tenant").isZero();
    assertThat(p.tryAcquire(conv("c9"), null)).as("no tenant: one more tenant").isZero();
    now.addAndGet(wait.toNanos());
    for (int i = 0; i < 3; i++) {
      assertThat(p.tryAcquire(conv("c9"), "t1")).as("the denial was not counted").isZero();
    }
    assertThat(p.tryAcquire(conv("c9"), "t1")).isPositive();
  }

  @Test
  void conversationWindowsAndGlobalCapHold() {
    Pacer p =
        new Pacer(
            new RateProfile(
                RateLimit.of(5, Duration.ofSeconds(1)),
                null,
                List.of(
                    RateLimit.of(2, Duration.ofSeconds(1)),
                    RateLimit.of(3, Duration.ofSeconds(10))),
                8),
            now::get);
    List<Long> granted = new ArrayList<>();
    for (int step = 0; step < 400; step++) {
      for (String c : List.of("a", "b", "c", "d")) {
        if (p.tryAcquire(conv(c), "t").isZero()) {
          granted.add(now.get());
        }
      }
      now.addAndGet(50_000_000L);
    }
    assertThat(maxInAnyWindow(granted, 1_000_000_000L)).isLessThanOrEqualTo(5);
    // each conversation: 3 per 10 s over 20 s → at most 6 + 3 per conversation, 4 conversations
    assertThat(granted.size()).isLessThanOrEqualTo(4 * 9).isGreaterThan(4);
  }

  @Test
  void idleConversationsAreForgotten() {
    Pacer p =
        new Pacer(
            new RateProfile(null, null, List.of(RateLimit.of(1, Duration.ofSeconds(1))), 8),
            now::get);
    for (int i = 0; i < 10_000; i++) {
      assertThat(p.tryAcquire(conv("c" + i), null)).isZero();
      now.addAndGet(10_000_000L); // 100 new conversations per second
    }
    assertThat(p.trackedConversations()).isLessThan(400);
  }

  @Test
  void tokenBucketSplitsTheLimitBetweenBurstAndRefill() {
    TokenBucket teams = TokenBucket.of(RateLimit.of(50, Duration.ofSeconds(1)), 0.1);
    assertThat(teams.capacity()).isEqualTo(5);
    assertThat(teams.refillTokens()).isEqualTo(45);
    assertThat(teams.refillPeriod()).isEqualTo(Duration.ofMillis(1100));
    TokenBucket one = TokenBucket.of(RateLimit.of(1, Duration.ofSeconds(1)), 0);
    assertThat(one.capacity()).isEqualTo(1);
    assertThat(one.refillTokens()).isEqualTo(1);
    assertThat(one.refillPeriod()).isGreaterThan(Duration.ofSeconds(1));
    assertThatThrownBy(() -> TokenBucket.of(RateLimit.of(5, Duration.ofSeconds(1)), 1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenBucket.of(RateLimit.of(5, Duration.ofSeconds(1)), Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
