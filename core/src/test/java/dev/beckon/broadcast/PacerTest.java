package dev.beckon.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Pacing is checked on a virtual clock: the schedules it produces, not the wall time it takes. */
class PacerTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private static int maxInAnyWindow(List<Long> times, long windowNanos) {
    int max = 0;
    int start = 0;
    List<Long> sorted = new ArrayList<>(times);
    sorted.sort(null);
    for (int end = 0; end < sorted.size(); end++) {
      while (sorted.get(end) - sorted.get(start) >= windowNanos) {
        start++;
      }
      max = Math.max(max, end - start + 1);
    }
    return max;
  }

  @Test
  void teamsProfileNeverExceedsAnyLimit() {
    Pacer p = new Pacer(RateProfile.teams(), now::get);
    List<Long> all = new ArrayList<>();
    List<Long> one = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      String conv = i % 10 == 0 ? "hot" : "c" + i;
      long t = p.reserve(conv);
      all.add(t);
      if (conv.equals("hot")) {
        one.add(t);
      }
    }
    assertThat(maxInAnyWindow(all, Duration.ofSeconds(1).toNanos())).isLessThanOrEqualTo(50);
    assertThat(maxInAnyWindow(one, Duration.ofSeconds(1).toNanos())).isLessThanOrEqualTo(7);
    assertThat(maxInAnyWindow(one, Duration.ofSeconds(2).toNanos())).isLessThanOrEqualTo(8);
    assertThat(maxInAnyWindow(one, Duration.ofSeconds(30).toNanos())).isLessThanOrEqualTo(60);
    // 2000 sends at 50/s take about 40 s of schedule
    long span = all.stream().mapToLong(Long::longValue).max().getAsLong() - now.get();
    assertThat(span)
        .isBetween(Duration.ofSeconds(39).toNanos(), Duration.ofSeconds(1000).toNanos());
  }

  @Test
  void aThrottleSlowsEveryoneOncePerSecondAndSuccessesRecover() {
    Pacer p =
        new Pacer(new RateProfile(RateLimit.of(10, Duration.ofSeconds(1)), List.of(), 4), now::get);
    long t0 = p.reserve("a");
    p.throttled();
    p.throttled(); // same second: counts once
    assertThat(p.factor()).isEqualTo(0.8);
    long t1 = p.reserve("b");
    long t2 = p.reserve("c");
    assertThat(t2 - t1)
        .as("slower spacing")
        .isEqualTo((long) (Duration.ofMillis(100).toNanos() / 0.8));
    assertThat(t1 - t0).isLessThan(Duration.ofSeconds(1).toNanos());
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    p.throttled();
    assertThat(p.factor()).isCloseTo(0.64, org.assertj.core.api.Assertions.within(1e-9));
    for (int i = 0; i < 1000; i++) {
      p.succeeded();
    }
    assertThat(p.factor()).isEqualTo(1.0);
  }

  @Test
  void conversationStateIsDroppedOnRelease() {
    Pacer p = new Pacer(RateProfile.teams(), now::get);
    for (int i = 0; i < 1000; i++) {
      p.reserve("c" + i);
      p.release("c" + i);
    }
    assertThat(p.trackedConversations()).isZero();
    p.reserve("x");
    p.reserve("x");
    p.release("x");
    assertThat(p.trackedConversations()).isEqualTo(1);
    p.release("x");
    assertThat(p.trackedConversations()).isZero();
  }

  @Test
  void admitCapsActualSendsEvenWhenTheyBunch() {
    Pacer p =
        new Pacer(new RateProfile(RateLimit.of(5, Duration.ofSeconds(1)), List.of(), 4), now::get);
    for (int i = 0; i < 5; i++) {
      assertThat(p.admit()).isZero();
    }
    assertThat(p.admit())
        .as("a sixth send in the same second waits")
        .isEqualTo(Duration.ofSeconds(1).toNanos());
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(p.admit()).isZero();
  }

  @Test
  void unpacedNeverWaits() {
    Pacer p = new Pacer(RateProfile.unpaced(64), now::get);
    for (int i = 0; i < 1000; i++) {
      assertThat(p.reserve("c" + (i % 3))).isEqualTo(now.get());
    }
  }
}
