package dev.beckon.internal.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sweep's contract: expire once, never after removal, everything at close. */
class DeadlinesTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Deadlines deadlines = new Deadlines(timer, Duration.ofMillis(10));

  @AfterEach
  void stop() {
    deadlines.close();
    timer.shutdownNow();
  }

  /** Counts its expiries; may throw. */
  private static final class Counting extends Deadlines.Entry {
    final AtomicInteger expired = new AtomicInteger();
    final AtomicInteger closing = new AtomicInteger();
    final CountDownLatch done;
    final boolean fail;

    Counting(long deadline, CountDownLatch done, boolean fail) {
      super(deadline);
      this.done = done;
      this.fail = fail;
    }

    @Override
    protected void expire(boolean closed) {
      expired.incrementAndGet();
      if (closed) {
        closing.incrementAndGet();
      }
      done.countDown();
      if (fail) {
        throw new IllegalStateException("callback failure");
      }
    }
  }

  @Test
  void dueEntriesExpireOnceEvenWhenACallbackThrowsAndRemovedOnesNever() throws Exception {
    long now = System.nanoTime();
    CountDownLatch due = new CountDownLatch(20);
    List<Counting> expiring = new ArrayList<>();
    List<Counting> removed = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Counting e = new Counting(now + TimeUnit.MILLISECONDS.toNanos(i), due, i % 3 == 0);
      expiring.add(e);
      assertThat(deadlines.add(e)).isTrue();
      Counting r =
          new Counting(now + TimeUnit.MILLISECONDS.toNanos(i), new CountDownLatch(1), false);
      removed.add(r);
      assertThat(deadlines.add(r)).isTrue();
      deadlines.remove(r);
    }
    assertThat(due.await(20, TimeUnit.SECONDS)).as("every due entry expired").isTrue();
    assertThat(deadlines.size()).isZero();
    Thread.sleep(50); // a few more sweeps: nothing expires twice
    assertThat(expiring).allSatisfy(e -> assertThat(e.expired).hasValue(1));
    assertThat(expiring).allSatisfy(e -> assertThat(e.closing).hasValue(0));
    assertThat(removed).allSatisfy(e -> assertThat(e.expired).hasValue(0));
  }

  @Test
  void closeExpiresWhatIsLeftAsClosingAndRefusesNewEntries() {
    long far = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
    List<Counting> entries = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Counting e = new Counting(far, new CountDownLatch(1), false);
      entries.add(e);
      deadlines.add(e);
    }
    deadlines.close();
    assertThat(entries).allSatisfy(e -> assertThat(e.closing).hasValue(1));
    assertThat(deadlines.size()).isZero();
    Counting late = new Counting(far, new CountDownLatch(1), false);
    assertThat(deadlines.add(late)).as("closed: the caller ends the work").isFalse();
    assertThat(deadlines.size()).isZero();
    assertThat(late.expired).hasValue(0);
  }

  @Test
  void aTimerThatIsGoneEndsEverythingRatherThanLeavingItWaiting() {
    timer.shutdownNow();
    Counting e =
        new Counting(System.nanoTime() + TimeUnit.HOURS.toNanos(1), new CountDownLatch(1), false);
    assertThat(deadlines.add(e)).isTrue();
    assertThat(e.closing).as("no sweep can come: expired at once").hasValue(1);
    assertThat(deadlines.add(e)).isFalse();
  }

  @Test
  void theTickIsAFractionOfTheShortestTimeoutWithinBounds() {
    assertThat(Deadlines.tickFor(Duration.ofSeconds(30))).isEqualTo(Deadlines.MAX_TICK);
    assertThat(Deadlines.tickFor(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(50));
    assertThat(Deadlines.tickFor(Duration.ofMillis(20))).isEqualTo(Deadlines.MIN_TICK);
  }
}
