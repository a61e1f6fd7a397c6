package dev.beckon.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The strategy's decisions: the attempt cap, the deadline (on a fake clock), Retry-After, the
 * separation of throttling and transient backoff, the one status classifier and the listener.
 */
class RetryStrategyTest {

  private final AtomicLong now = new AtomicLong();

  private RetryStrategy.Builder strategy() {
    return RetryStrategy.builder()
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .throttlingBackoff(Backoff.fixed(Duration.ofSeconds(2)))
        .nanoTime(now::get)
        .random(new Random(7));
  }

  @Property(tries = 200)
  void neverMoreAttemptsThanTheCap(
      @ForAll @IntRange(min = 1, max = 20) int maxAttempts, @ForAll boolean throttled) {
    RetryStrategy.Retry retry = strategy().maxAttempts(maxAttempts).build().start("t");
    int attempts = 1;
    while (retry.next(throttled ? RetryCause.THROTTLED : RetryCause.TRANSIENT, null, "x") != null) {
      attempts++;
    }
    assertThat(attempts).isEqualTo(maxAttempts);
    assertThat(retry.attempt()).isEqualTo(maxAttempts);
    assertThat(retry.canRetry()).isFalse();
  }

  @Property(tries = 300)
  void noWaitEndsPastTheDeadline(
      @ForAll @LongRange(min = 1, max = 60_000) long deadlineMs,
      @ForAll @LongRange(min = 0, max = 60_000) long elapsedMs) {
    RetryStrategy.Retry retry =
        strategy().maxAttempts(20).deadline(Duration.ofMillis(deadlineMs)).build().start("t");
    now.addAndGet(Duration.ofMillis(elapsedMs).toNanos());
    Duration wait = retry.next(RetryCause.TRANSIENT, null, "x");
    if (elapsedMs + 100 < deadlineMs) {
      assertThat(wait).isEqualTo(Duration.ofMillis(100));
    } else {
      assertThat(wait).isNull();
    }
  }

  @Example
  void theEarlierOfTheCallersBudgetAndTheDeadlineApplies() {
    RetryStrategy s = strategy().maxAttempts(20).deadline(Duration.ofSeconds(10)).build();
    assertThat(s.start("t", Duration.ofMillis(150)).next(RetryCause.TRANSIENT, null, null))
        .isEqualTo(Duration.ofMillis(100));
    assertThat(s.start("t", Duration.ofMillis(100)).next(RetryCause.TRANSIENT, null, null))
        .as("the wait would end at the budget")
        .isNull();
    RetryStrategy.Retry late = s.start("t", Duration.ofHours(1));
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(late.next(RetryCause.TRANSIENT, null, null)).as("the strategy's deadline").isNull();
  }

  @Example
  void throttlesAndTransientFailuresWaitTheirOwnBackoff() {
    RetryStrategy.Retry retry = strategy().maxAttempts(10).build().start("t");
    assertThat(retry.next(RetryCause.TRANSIENT, null, null)).isEqualTo(Duration.ofMillis(100));
    assertThat(retry.next(RetryCause.THROTTLED, null, null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(retry.next(RetryCause.TRANSIENT, null, null)).isEqualTo(Duration.ofMillis(100));
    assertThat(retry.next(RetryCause.TRANSIENT, Duration.ofSeconds(9), null))
        .as("a Retry-After on a transient failure is not a throttle's")
        .isEqualTo(Duration.ofMillis(100));
  }

  @Property(tries = 300)
  void aRetryAfterIsWaitedWhenLongerAndNeverShortensTheBackoff(
      @ForAll @LongRange(min = 0, max = 30_000) long retryAfterMs) {
    RetryStrategy.Retry retry = strategy().maxRetryAfter(Duration.ofSeconds(30)).build().start("t");
    Duration wait = retry.next(RetryCause.THROTTLED, Duration.ofMillis(retryAfterMs), null);
    assertThat(wait).isEqualTo(Duration.ofMillis(Math.max(2000, retryAfterMs)));
  }

  @Example
  void aRetryAfterOfZeroOrInThePastWaitsTheBackoff() {
    RetryStrategy.Retry retry = strategy().build().start("t");
    assertThat(retry.next(RetryCause.THROTTLED, Duration.ZERO, null))
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Example
  void aRetryAfterLongerThanAllowedStopsTheRetries() {
    RetryStrategy s = strategy().maxRetryAfter(Duration.ofSeconds(30)).build();
    assertThat(s.start("t").next(RetryCause.THROTTLED, Duration.ofSeconds(31), null)).isNull();
    assertThat(s.start("t").next(RetryCause.THROTTLED, Duration.ofDays(3), null))
        .as("read as 1 hour, still beyond 30 s")
        .isNull();
    RetryStrategy hour = strategy().maxRetryAfter(RetryStrategy.MAX_RETRY_AFTER).build();
    assertThat(hour.start("t").next(RetryCause.THROTTLED, Duration.ofDays(3), null))
        .as("a Retry-After above 1 hour is read as 1 hour")
        .isEqualTo(Duration.ofHours(1));
  }

  @Example
  void noneNeverRetries() {
    RetryStrategy.Retry retry = RetryStrategy.none().start("t");
    assertThat(retry.canRetry()).isFalse();
    assertThat(retry.next(RetryCause.THROTTLED, null, null)).isNull();
    assertThat(retry.next(RetryCause.TRANSIENT, null, null)).isNull();
  }

  @Example
  void theListenerHearsEachRetryAndNothingElse() {
    List<RetryEvent> events = new ArrayList<>();
    RetryStrategy.Retry retry =
        strategy().maxAttempts(3).listener(events::add).build().start("jdbc.deadlock");
    retry.next(RetryCause.TRANSIENT, null, "40001");
    retry.next(RetryCause.THROTTLED, Duration.ofSeconds(5), "429");
    assertThat(retry.next(RetryCause.TRANSIENT, null, "40001")).as("cap reached").isNull();
    assertThat(events)
        .containsExactly(
            new RetryEvent(
                "jdbc.deadlock", 1, RetryCause.TRANSIENT, Duration.ofMillis(100), "40001"),
            new RetryEvent("jdbc.deadlock", 2, RetryCause.THROTTLED, Duration.ofSeconds(5), "429"));
  }

  @Example
  void aFailingListenerDoesNotChangeTheRetry() {
    RetryStrategy.Retry retry =
        strategy()
            .listener(
                e -> {
                  throw new IllegalStateException("metrics down");
                })
            .build()
            .start("t");
    assertThat(retry.next(RetryCause.TRANSIENT, null, null)).isEqualTo(Duration.ofMillis(100));
    assertThat(retry.attempt()).isEqualTo(2);
  }

  @Example
  void awaitSleepsTheWaitAndSaysWhenToStop() {
    RetryStrategy.Retry retry =
        RetryStrategy.builder()
            .maxAttempts(2)
            .backoff(Backoff.fixed(Duration.ofMillis(1)))
            .build()
            .start("t");
    assertThat(retry.await(RetryCause.TRANSIENT, null, "deadlock")).isTrue();
    assertThat(retry.await(RetryCause.TRANSIENT, null, "deadlock")).isFalse();
  }

  @Example
  void anInterruptedAwaitStopsAndKeepsTheInterrupt() {
    RetryStrategy.Retry retry =
        RetryStrategy.builder().backoff(Backoff.fixed(Duration.ofSeconds(30))).build().start("t");
    Thread.currentThread().interrupt();
    try {
      assertThat(retry.await(RetryCause.TRANSIENT, null, null)).isFalse();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Property(tries = 700)
  void onlyTeamsDocumentedStatusesAreRetried(@ForAll @IntRange(min = 100, max = 599) int status) {
    RetryCause c = RetryCause.ofStatus(status);
    switch (status) {
      case 429 -> assertThat(c).isEqualTo(RetryCause.THROTTLED);
      case 412, 502, 503, 504 -> assertThat(c).isEqualTo(RetryCause.TRANSIENT);
      default -> assertThat(c).as("HTTP %d is never retried", status).isNull();
    }
  }

  @Example
  void invalidSettingsAreRefused() {
    assertThatThrownBy(() -> RetryStrategy.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryStrategy.builder().maxAttempts(21))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryStrategy.builder().maxRetryAfter(Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryStrategy.builder().deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Example
  void toBuilderKeepsEverySetting() {
    RetryStrategy s =
        strategy()
            .maxAttempts(7)
            .maxRetryAfter(Duration.ofMinutes(2))
            .deadline(Duration.ofMinutes(5))
            .build();
    RetryStrategy copy = s.toBuilder().build();
    assertThat(copy.maxAttempts()).isEqualTo(7);
    assertThat(copy.maxRetryAfter()).isEqualTo(Duration.ofMinutes(2));
    assertThat(copy.deadline()).isEqualTo(Duration.ofMinutes(5));
    assertThat(copy.backoff()).isEqualTo(s.backoff());
    assertThat(copy.throttlingBackoff()).isEqualTo(s.throttlingBackoff());
    assertThat(copy.listener()).isSameAs(s.listener());
  }
}
