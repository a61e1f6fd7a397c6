package dev.beckon.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When and how long to wait before trying a failed operation again: an attempt cap, an optional
 * deadline, a {@link Backoff} for {@link RetryCause#TRANSIENT transient} failures kept apart from
 * the one for {@link RetryCause#THROTTLED throttling}, the longest {@code Retry-After} honoured,
 * and a {@link RetryListener}. Immutable and thread-safe; share one.
 *
 * <pre>{@code
 * RetryStrategy strategy = RetryStrategy.builder()
 *     .maxAttempts(5)
 *     .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5)))
 *     .throttlingBackoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)))
 *     .maxRetryAfter(Duration.ofMinutes(1))
 *     .deadline(Duration.ofSeconds(90))
 *     .listener(event -> log.debug("retrying {}", event))
 *     .build();
 * }</pre>
 *
 * <p>Each operation takes its own {@link Retry} from {@link #start(String)} and, after every failed
 * attempt worth retrying, asks it {@link Retry#next} for the wait (asynchronous callers) or calls
 * {@link Retry#await} (blocking callers). The wait is the cause's backoff; for a throttle with a
 * {@code Retry-After}, the longer of that and the backoff (a {@code Retry-After} of zero or in the
 * past never retries at once). The retry stops when the attempts are used up, when the wait would
 * end past the deadline, or when the {@code Retry-After} is longer than {@link #maxRetryAfter()}.
 */
public final class RetryStrategy {

  private static final Logger LOG = LoggerFactory.getLogger(RetryStrategy.class);

  /** The most attempts a strategy allows. */
  public static final int MAX_ATTEMPTS = 20;

  /**
   * The longest {@code Retry-After} anything honours: 1 hour (the longest Teams rate-limit window).
   * Longer values are read as 1 hour.
   */
  public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  private static final RetryStrategy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Backoff backoff;
  private final Backoff throttlingBackoff;
  private final Duration maxRetryAfter;
  private final @Nullable Duration deadline;
  private final RetryListener listener;
  private final LongSupplier nanoTime;
  private final @Nullable RandomGenerator random;

  private RetryStrategy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.throttlingBackoff = b.throttlingBackoff;
    this.maxRetryAfter = b.maxRetryAfter;
    this.deadline = b.deadline;
    this.listener = b.listener;
    this.nanoTime = b.nanoTime;
    this.random = b.random;
  }

  /**
   * The sender's default: 4 attempts; transient failures wait 250 ms doubling up to 8 s; throttles
   * wait 1 s doubling up to 30 s, or their {@code Retry-After} when longer, honoured up to 30 s; no
   * deadline of its own (the sender's overall timeout bounds it).
   *
   * @return the defaults
   */
  public static RetryStrategy defaults() {
    return builder().build();
  }

  /**
   * One attempt, never a retry.
   *
   * @return the strategy
   */
  public static RetryStrategy none() {
    return NONE;
  }

  /**
   * Starts a builder with the {@link #defaults()}.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this strategy's settings, to derive another.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.backoff = backoff;
    b.throttlingBackoff = throttlingBackoff;
    b.maxRetryAfter = maxRetryAfter;
    b.deadline = deadline;
    b.listener = listener;
    b.nanoTime = nanoTime;
    b.random = random;
    return b;
  }

  /**
   * Attempts per operation, the first included (1 = never retry).
   *
   * @return 1 to {@link #MAX_ATTEMPTS}
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The wait after a transient failure.
   *
   * @return the backoff
   */
  public Backoff backoff() {
    return backoff;
  }

  /**
   * The wait after a throttle (at least; a longer {@code Retry-After} wins).
   *
   * @return the backoff
   */
  public Backoff throttlingBackoff() {
    return throttlingBackoff;
  }

  /**
   * The longest {@code Retry-After} waited; a longer one stops the retries.
   *
   * @return 0 to 1 hour
   */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /**
   * The longest an operation may spend retrying, from {@link #start(String)}: no retry is started
   * whose wait would end later. {@code null} when only the attempt cap bounds it.
   *
   * @return the deadline, or {@code null}
   */
  public @Nullable Duration deadline() {
    return deadline;
  }

  /**
   * Who hears every retry.
   *
   * @return the listener
   */
  public RetryListener listener() {
    return listener;
  }

  /**
   * Starts one operation's retries, bounded by this strategy's deadline.
   *
   * @param operation a short name for listeners and logs, e.g. {@code "send"}
   * @return the operation's retry state
   */
  public Retry start(String operation) {
    return new Retry(operation, deadline);
  }

  /**
   * Starts one operation's retries within a budget of the caller's (the sender's overall timeout,
   * say): the earlier of it and this strategy's deadline applies.
   *
   * @param operation a short name for listeners and logs, e.g. {@code "send"}
   * @param budget the time the caller allows, from now
   * @return the operation's retry state
   */
  public Retry start(String operation, Duration budget) {
    Objects.requireNonNull(budget, "budget");
    return new Retry(
        operation, deadline == null || budget.compareTo(deadline) < 0 ? budget : deadline);
  }

  @Override
  public String toString() {
    return "RetryStrategy[maxAttempts="
        + maxAttempts
        + ", backoff="
        + backoff
        + ", throttlingBackoff="
        + throttlingBackoff
        + ", maxRetryAfter="
        + maxRetryAfter
        + ", deadline="
        + deadline
        + "]";
  }

  private static long nanos(Duration d) {
    try {
      return Math.min(d.toNanos(), Long.MAX_VALUE / 4);
    } catch (ArithmeticException huge) {
      return Long.MAX_VALUE / 4;
    }
  }

  /**
   * The retries of one operation: counts its attempts and decides each wait. Use it from one
   * operation at a time (its methods are synchronized, so handing it from thread to thread between
   * attempts is safe).
   */
  public final class Retry {
    private final String operation;
    private final long startNanos;
    private final @Nullable Duration budget;
    private int attempt = 1;

    private Retry(String operation, @Nullable Duration budget) {
      this.operation = Objects.requireNonNull(operation, "operation");
      this.budget = budget;
      this.startNanos = nanoTime.getAsLong();
    }

    /**
     * The number of the attempt being made, from 1.
     *
     * @return the attempt number
     */
    public synchronized int attempt() {
      return attempt;
    }

    /**
     * Whether another attempt is allowed at all (the cap is not reached and time is left), before
     * any wait is computed.
     *
     * @return true when {@link #next} may still return a wait
     */
    public synchronized boolean canRetry() {
      return attempt < maxAttempts && (budget == null || elapsedNanos() < nanos(budget));
    }

    /**
     * The attempt that just failed is worth retrying: how long to wait before the next one. When a
     * wait is returned, the attempt count moves on and the listener has been told.
     *
     * @param cause why it failed
     * @param retryAfter the service's {@code Retry-After}, or {@code null}; only a throttle's is
     *     honoured, at most {@link #MAX_RETRY_AFTER}
     * @param reason a short description for the listener (an HTTP status, an error code), never a
     *     secret; or {@code null}
     * @return the wait, or {@code null} to stop: the attempts are used up, the wait would end past
     *     the deadline, or the {@code Retry-After} is longer than {@link #maxRetryAfter()}
     */
    public synchronized @Nullable Duration next(
        RetryCause cause, @Nullable Duration retryAfter, @Nullable String reason) {
      Objects.requireNonNull(cause, "cause");
      if (attempt >= maxAttempts) {
        return null;
      }
      Duration wait =
          (cause == RetryCause.THROTTLED ? throttlingBackoff : backoff)
              .delay(attempt, random == null ? ThreadLocalRandom.current() : random);
      if (cause == RetryCause.THROTTLED && retryAfter != null) {
        Duration asked = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        if (asked.compareTo(maxRetryAfter) > 0) {
          return null; // honouring it would wait longer than allowed; sending earlier is rude
        }
        if (asked.compareTo(wait) > 0) {
          wait = asked; // a Retry-After never shortens the backoff
        }
      }
      if (budget != null && elapsedNanos() + nanos(wait) >= nanos(budget)) {
        return null;
      }
      RetryEvent event = new RetryEvent(operation, attempt, cause, wait, reason);
      attempt++;
      try {
        listener.onRetry(event);
      } catch (RuntimeException e) {
        LOG.warn("retry listener failed on {}: {}", event, e.toString());
      }
      return wait;
    }

    /**
     * Blocking form of {@link #next}: waits before the next attempt on this thread.
     *
     * @param cause why the attempt failed
     * @param retryAfter the service's {@code Retry-After}, or {@code null}
     * @param reason a short description for the listener, never a secret; or {@code null}
     * @return true after the wait (try again), false to stop now (rethrow or report the failure);
     *     false too when the thread is interrupted while waiting (the interrupt is kept)
     */
    public boolean await(RetryCause cause, @Nullable Duration retryAfter, @Nullable String reason) {
      Duration wait = next(cause, retryAfter, reason);
      if (wait == null) {
        return false;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(nanos(wait));
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    private long elapsedNanos() {
      return nanoTime.getAsLong() - startNanos;
    }
  }

  /** Builder; not thread-safe. Starts from the {@link #defaults()}. */
  public static final class Builder {
    private int maxAttempts = 4;
    private Backoff backoff = Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(8));
    private Backoff throttlingBackoff =
        Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private Duration maxRetryAfter = Duration.ofSeconds(30);
    private @Nullable Duration deadline;
    private RetryListener listener = RetryListener.NONE;
    private LongSupplier nanoTime = System::nanoTime;
    private @Nullable RandomGenerator random;

    private Builder() {}

    /**
     * Attempts per operation, the first included (default 4).
     *
     * @param value 1 (never retry) to {@link #MAX_ATTEMPTS}
     * @return this builder
     */
    public Builder maxAttempts(int value) {
      if (value < 1 || value > MAX_ATTEMPTS) {
        throw new IllegalArgumentException(
            "maxAttempts must be between 1 and " + MAX_ATTEMPTS + " but was " + value);
      }
      this.maxAttempts = value;
      return this;
    }

    /**
     * The wait after a transient failure (default 250 ms doubling up to 8 s).
     *
     * @param value the backoff
     * @return this builder
     */
    public Builder backoff(Backoff value) {
      this.backoff = Objects.requireNonNull(value, "backoff");
      return this;
    }

    /**
     * The wait after a throttle, unless its {@code Retry-After} is longer (default 1 s doubling up
     * to 30 s).
     *
     * @param value the backoff
     * @return this builder
     */
    public Builder throttlingBackoff(Backoff value) {
      this.throttlingBackoff = Objects.requireNonNull(value, "throttlingBackoff");
      return this;
    }

    /**
     * The longest {@code Retry-After} waited (default 30 s); a longer one stops the retries.
     *
     * @param value 0 to 1 hour
     * @return this builder
     */
    public Builder maxRetryAfter(Duration value) {
      Objects.requireNonNull(value, "maxRetryAfter");
      if (value.isNegative() || value.compareTo(MAX_RETRY_AFTER) > 0) {
        throw new IllegalArgumentException("maxRetryAfter must be 0 to 1 h but was " + value);
      }
      this.maxRetryAfter = value;
      return this;
    }

    /**
     * The longest an operation may spend retrying, from its start (default none).
     *
     * @param value a positive duration, or {@code null} for none
     * @return this builder
     */
    public Builder deadline(@Nullable Duration value) {
      if (value != null && (value.isNegative() || value.isZero())) {
        throw new IllegalArgumentException("deadline must be positive but was " + value);
      }
      this.deadline = value;
      return this;
    }

    /**
     * Who hears every retry (default none).
     *
     * @param value the listener
     * @return this builder
     */
    public Builder listener(RetryListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /**
     * The monotonic clock the deadline is measured with (default {@link System#nanoTime()}); for
     * tests.
     *
     * @param value nanoseconds, as {@link System#nanoTime()}
     * @return this builder
     */
    public Builder nanoTime(LongSupplier value) {
      this.nanoTime = Objects.requireNonNull(value, "nanoTime");
      return this;
    }

    /**
     * The source of jitter (default {@link ThreadLocalRandom}); a seeded one for tests. It must be
     * thread-safe when the strategy is shared.
     *
     * @param value the generator
     * @return this builder
     */
    public Builder random(RandomGenerator value) {
      this.random = Objects.requireNonNull(value, "random");
      return this;
    }

    /**
     * Builds the strategy.
     *
     * @return the strategy
     */
    public RetryStrategy build() {
      return new RetryStrategy(this);
    }
  }
}
