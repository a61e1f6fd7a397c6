package dev.beckon.delivery;

import dev.beckon.broadcast.SendLimiter;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryCause;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoredReference;
import dev.beckon.store.UnreadableReferenceException;
import dev.beckon.store.VersionConflictException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due deliveries of a {@link DeliveryQueue}: run one in every process that should send, as
 * many as you like; they share the queue's work. Each claims only as many deliveries as it has free
 * sending slots ({@link Builder#concurrency}), so a claim is the start of an attempt.
 *
 * <pre>{@code
 * DeliveryWorker worker = DeliveryWorker.builder(queue, references, sender)
 *     .concurrency(16)
 *     .build()
 *     .start();
 * ...
 * worker.stop(Duration.ofSeconds(30)); // claims finish or are released
 * }</pre>
 *
 * <p>For each claimed delivery it reads the reference <b>at send time</b> (a reference saved again
 * since the delivery was scheduled is the one used), asks the {@link Builder#limiter limiter} for a
 * send (every attempt does, retries after a 429 included: a fleet-wide limiter ({@link
 * SendLimiter#fleet}) makes per-tenant and per-conversation limits hold across all workers) and
 * sends through {@link Sender#withoutRetries()}: retries are not made in the process but persisted
 * in the queue, so a worker that restarts loses none of them.
 *
 * <table>
 *   <caption>Outcomes and what the worker records</caption>
 *   <tr><th>outcome</th><th>recorded</th></tr>
 *   <tr><td>{@code DELIVERED}</td><td>{@link DeliveryState#DELIVERED} with the activity id</td></tr>
 *   <tr><td>{@code THROTTLED}, or any outcome with a {@link SendOutcome#retryCause()}</td><td>pending
 *       again after the {@link RetryStrategy}'s backoff for that cause (a {@code Retry-After} longer
 *       than it wins); {@link DeliveryState#DEAD} when the attempts are used up, the {@code
 *       Retry-After} exceeds {@link RetryStrategy#maxRetryAfter()}, or the retry would start past
 *       the strategy's deadline counted from the delivery's first due time</td></tr>
 *   <tr><td>{@code CONVERSATION_GONE}, or no reference stored</td><td>the reference is deleted
 *       (unless it was saved again meanwhile) and the delivery ends {@link
 *       DeliveryState#GONE}</td></tr>
 *   <tr><td>{@code UNKNOWN} (may have been delivered), an exception from the sender, a claim
 *       interrupted by a dead worker</td><td>{@link DeliveryState#UNKNOWN}, never sent again; with
 *       {@link Builder#resendUnknown(boolean)} retried like a transient failure instead</td></tr>
 *   <tr><td>any other ({@code REJECTED}, {@code FORBIDDEN}, {@code UNAUTHORIZED}, a 500), an
 *       unreadable reference</td><td>{@link DeliveryState#FAILED}</td></tr>
 * </table>
 *
 * <p>A failure of the queue or the reference store is logged and retried at the next poll; a
 * delivery whose outcome could not be recorded stays claimed until its lease expires and is then
 * recorded {@link DeliveryState#UNKNOWN} by whichever worker takes it. The {@link Builder#lease
 * lease} must therefore be longer than a send can take (the sender's overall timeout).
 *
 * <p><b>Broadcasts.</b> A worker also runs the segment tasks of {@link DeliveryBroadcasts}
 * submitted to its queue: it lists the segment in its reference store, page by page, and schedules
 * one delivery per reference, which any worker then sends like any other. A segment task takes one
 * sending slot while it lists (at most a third of the lease, 30 s, per claim).
 *
 * <p>Thread-safe. {@link #start()} runs one polling thread; sends run on the sender's own threads,
 * segment tasks on threads of the worker.
 */
public final class DeliveryWorker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

  /**
   * The default persisted retry model: 10 attempts; transient failures wait 1 s doubling up to 5
   * min; throttles 5 s doubling up to 10 min, or their {@code Retry-After} up to 1 hour; DEAD 24
   * hours after the first due time.
   */
  public static final RetryStrategy DEFAULT_RETRY =
      RetryStrategy.builder()
          .maxAttempts(10)
          .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5)))
          .throttlingBackoff(Backoff.exponential(Duration.ofSeconds(5), Duration.ofMinutes(10)))
          .maxRetryAfter(RetryStrategy.MAX_RETRY_AFTER)
          .deadline(Duration.ofHours(24))
          .build();

  /** The longest a worker spends on one step of a broadcast's segment task. */
  private static final Duration SEGMENT_BUDGET = Duration.ofSeconds(30);

  private final DeliveryQueue queue;
  private final ReferenceRepository references;
  private final Sender sender;
  private final String name;
  private final int concurrency;
  private final Duration lease;
  private final Duration pollInterval;
  private final RetryStrategy retry;
  private final boolean resendUnknown;
  private final SendLimiter limiter;
  private final long paceBudgetNanos;
  private final Semaphore slots;
  private final SegmentRunner segments;
  private final ExecutorService segmentThreads;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile @Nullable Thread poller;

  private DeliveryWorker(Builder b) {
    this.queue = b.queue;
    this.references = b.references;
    this.sender = b.sender.withoutRetries();
    this.name = b.name;
    this.concurrency = b.concurrency;
    this.lease = b.lease;
    this.pollInterval = b.pollInterval;
    this.retry = b.retry;
    this.resendUnknown = b.resendUnknown;
    this.limiter = b.limiter;
    this.paceBudgetNanos = b.lease.toNanos() / 4;
    this.slots = new Semaphore(b.concurrency);
    this.segments = new SegmentRunner(b.queue, b.references, b.name);
    AtomicInteger n = new AtomicInteger();
    this.segmentThreads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "beckon-broadcast-" + b.name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts a builder.
   *
   * @param queue the queue to work on
   * @param references where the references are looked up at send time
   * @param sender how to send; its {@link Sender#withoutRetries()} view is used
   * @return the builder
   */
  public static Builder builder(
      DeliveryQueue queue, ReferenceRepository references, Sender sender) {
    return new Builder(queue, references, sender);
  }

  /**
   * This worker's name (in logs and claims).
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Starts polling the queue on a thread of its own. Call once.
   *
   * @return this worker
   * @throws IllegalStateException when started before
   */
  public DeliveryWorker start() {
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("worker " + name + " was started already");
    }
    Thread t = new Thread(this::loop, "beckon-delivery-" + name);
    t.setDaemon(true);
    poller = t;
    t.start();
    return this;
  }

  /**
   * One round, on the calling thread: claims up to {@code concurrency} due deliveries, sends them
   * and records their outcomes, and returns when all are recorded. For tests and for callers that
   * schedule work themselves; do not mix it with {@link #start()}.
   *
   * @return how many deliveries were claimed
   */
  public int runOnce() {
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    int n = poll(sends);
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    return n;
  }

  /**
   * Stops claiming, lets the sends in flight finish and record their outcomes for up to {@code
   * grace}, and returns. A delivery claimed but not yet sent is released at once. Idempotent.
   *
   * @param grace how long to wait for sends in flight
   * @return true when every send in flight was recorded within the grace
   */
  public boolean stop(Duration grace) {
    stopping.set(true);
    Thread t = poller;
    if (t != null) {
      t.interrupt();
    }
    try {
      if (t != null) {
        t.join(Math.max(1, grace.toMillis()));
      }
      boolean idle = slots.tryAcquire(concurrency, grace.toMillis(), TimeUnit.MILLISECONDS);
      if (idle) {
        slots.release(concurrency);
      }
      segmentThreads.shutdown();
      return idle;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@link #stop(Duration)} with the lease as the grace. */
  @Override
  public void close() {
    stop(lease);
  }

  private void loop() {
    List<CompletableFuture<Void>> ignored = new ArrayList<>();
    while (!stopping.get()) {
      int claimed;
      try {
        slots.acquire(); // wait for one free slot at least
        slots.release();
        claimed = poll(ignored);
        ignored.clear();
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        LOG.warn("delivery worker {}: polling failed, trying again: {}", name, e.toString());
        claimed = 0;
      }
      if (claimed == 0 && !stopping.get()) {
        try {
          Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
          break;
        }
      }
    }
    LOG.debug("delivery worker {} stopped polling", name);
  }

  /** Claims as many deliveries as there are free slots and starts their sends. */
  private int poll(List<CompletableFuture<Void>> sends) {
    int free = slots.drainPermits();
    if (free == 0) {
      return 0;
    }
    List<Delivery> claimed;
    try {
      claimed = queue.claim(name, free, lease);
    } catch (RuntimeException e) {
      slots.release(free);
      throw e;
    }
    slots.release(free - claimed.size());
    for (Delivery d : claimed) {
      CompletableFuture<Void> f;
      try {
        f = stopping.get() ? CompletableFuture.runAsync(() -> release(d)) : handle(d);
      } catch (RuntimeException e) {
        LOG.warn("delivery worker {}: {} failed: {}", name, d, e.toString());
        f = CompletableFuture.completedFuture(null);
      }
      sends.add(f.whenComplete((v, e) -> slots.release()));
    }
    return claimed.size();
  }

  private void release(Delivery d) {
    try {
      queue.release(d);
    } catch (RuntimeException e) {
      LOG.warn("delivery worker {}: could not release {}: {}", name, d, e.toString());
    }
  }

  private CompletableFuture<Void> handle(Delivery d) {
    if (SegmentRunner.isTask(d)) {
      // a distributed broadcast's segment task: listed and scheduled off the polling thread
      Duration third = lease.dividedBy(3);
      Duration budget = third.compareTo(SEGMENT_BUDGET) < 0 ? third : SEGMENT_BUDGET;
      return CompletableFuture.runAsync(
          () -> segments.step(d, budget, stopping::get), segmentThreads);
    }
    // an interrupted claim's send may have been made: it counts as an attempt
    int before = d.attempts() + (d.interrupted() ? 1 : 0);
    if (d.interrupted() && !resendUnknown) {
      settle(
          d,
          DeliveryState.UNKNOWN,
          before,
          "WorkerLost: an earlier claim's lease expired during its send",
          null);
      return CompletableFuture.completedFuture(null);
    }
    Optional<StoredReference> found;
    try {
      found = references.find(d.to());
    } catch (UnreadableReferenceException e) {
      settle(d, DeliveryState.FAILED, before, "UnreadableReference: " + e.getMessage(), null);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      // the store is down: try again soon, no attempt was made
      LOG.warn("delivery worker {}: reference lookup failed for {}: {}", name, d, e.toString());
      reschedule(d, Duration.ofSeconds(1), before, "StoreUnavailable: " + e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    if (found.isEmpty()) {
      settle(d, DeliveryState.GONE, before, "ReferenceMissing: no reference stored", null);
      return CompletableFuture.completedFuture(null);
    }
    return paced(d, found.get(), before, System.nanoTime());
  }

  /**
   * Sends once the limiter grants it. A short wait (within a quarter of the lease since the claim)
   * is spent holding the claim; a longer one puts the delivery back in the queue, due when the
   * limiter said, without counting an attempt.
   */
  private CompletableFuture<Void> paced(
      Delivery d, StoredReference ref, int before, long claimedNanos) {
    String tenant = ref.reference().conversation().tenantId();
    Duration wait;
    try {
      wait = limiter.tryAcquire(d.to(), tenant);
    } catch (RuntimeException e) {
      LOG.warn("delivery worker {}: the rate limiter failed for {}: {}", name, d, e.toString());
      reschedule(d, Duration.ofSeconds(1), before, "LimiterUnavailable: " + e.getMessage());
      return CompletableFuture.completedFuture(null);
    }
    if (wait.isZero() || wait.isNegative()) {
      return send(d, ref, before);
    }
    if (stopping.get()) {
      release(d);
      return CompletableFuture.completedFuture(null);
    }
    if (System.nanoTime() - claimedNanos + wait.toNanos() > paceBudgetNanos) {
      reschedule(d, wait, before, "Paced: waiting for the rate limits");
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(
            () -> {}, CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS))
        .thenCompose(v -> paced(d, ref, before, claimedNanos));
  }

  private CompletableFuture<Void> send(Delivery d, StoredReference ref, int before) {
    int attempt = before + 1;
    CompletableFuture<SendOutcome> send;
    try {
      send = sender.sendAsync(ref.reference(), d.activity());
    } catch (RuntimeException e) {
      send = CompletableFuture.failedFuture(e);
    }
    return send.handle(
        (outcome, error) -> {
          try {
            if (error != null) {
              onUnknown(d, attempt, "SenderError: " + error);
            } else {
              onOutcome(d, attempt, ref, outcome);
            }
          } catch (RuntimeException e) {
            LOG.warn("delivery worker {}: recording {} failed: {}", name, d, e.toString());
          }
          return null;
        });
  }

  private void onOutcome(Delivery d, int attempt, StoredReference ref, SendOutcome o) {
    String words = describe(o);
    switch (o.kind()) {
      case DELIVERED -> settle(d, DeliveryState.DELIVERED, attempt, words, o.id());
      case CONVERSATION_GONE -> {
        deleteStale(ref);
        settle(d, DeliveryState.GONE, attempt, words, null);
      }
      case UNKNOWN -> onUnknown(d, attempt, words);
      default -> {
        RetryCause cause = o.retryCause();
        if (cause == null) {
          settle(d, DeliveryState.FAILED, attempt, words, null);
        } else {
          if (cause == RetryCause.THROTTLED) {
            throttled(d, ref, o.retryAfter());
          }
          retryOrDie(d, attempt, cause, o.retryAfter(), words);
        }
      }
    }
  }

  private void onUnknown(Delivery d, int attempt, String words) {
    if (resendUnknown) {
      retryOrDie(d, attempt, RetryCause.TRANSIENT, null, words);
    } else {
      settle(d, DeliveryState.UNKNOWN, attempt, words, null);
    }
  }

  private void retryOrDie(
      Delivery d, int attempt, RetryCause cause, @Nullable Duration retryAfter, String words) {
    Duration wait = waitBefore(attempt, cause, retryAfter);
    Duration deadline = retry.deadline();
    Instant next = d.claimedAt().plus(wait == null ? Duration.ZERO : wait);
    if (wait == null || (deadline != null && next.isAfter(d.firstDue().plus(deadline)))) {
      settle(d, DeliveryState.DEAD, attempt, words, null);
    } else {
      reschedule(d, wait, attempt, words);
    }
  }

  /** The one retry model's wait before attempt {@code attempt + 1}, or null to stop. */
  private @Nullable Duration waitBefore(
      int attempt, RetryCause cause, @Nullable Duration retryAfter) {
    if (attempt >= retry.maxAttempts()) {
      return null;
    }
    Backoff b = cause == RetryCause.THROTTLED ? retry.throttlingBackoff() : retry.backoff();
    Duration wait = b.delay(attempt, ThreadLocalRandom.current());
    if (cause == RetryCause.THROTTLED && retryAfter != null) {
      Duration asked =
          retryAfter.compareTo(RetryStrategy.MAX_RETRY_AFTER) > 0
              ? RetryStrategy.MAX_RETRY_AFTER
              : retryAfter;
      if (asked.compareTo(retry.maxRetryAfter()) > 0) {
        return null;
      }
      if (asked.compareTo(wait) > 0) {
        wait = asked;
      }
    }
    return wait;
  }

  private void throttled(Delivery d, StoredReference ref, @Nullable Duration retryAfter) {
    try {
      limiter.throttled(d.to(), ref.reference().conversation().tenantId(), retryAfter);
    } catch (RuntimeException e) {
      LOG.warn("delivery worker {}: the rate limiter failed for {}: {}", name, d, e.toString());
    }
  }

  private void deleteStale(StoredReference ref) {
    ReferenceKey key = ref.reference().key();
    try {
      references.delete(key, ref.version());
    } catch (VersionConflictException saved) {
      LOG.debug("delivery worker {}: {} was saved again; kept", name, key);
    } catch (RuntimeException e) {
      LOG.warn("delivery worker {}: deleting the stale {} failed: {}", name, key, e.toString());
    }
  }

  private void settle(
      Delivery d, DeliveryState state, int attempts, String words, @Nullable String activityId) {
    if (!queue.complete(d, state, attempts, words, activityId)) {
      LOG.warn("delivery worker {}: {} ended {} but its claim was lost", name, d, state);
    }
  }

  private void reschedule(Delivery d, Duration wait, int attempts, String words) {
    if (!queue.reschedule(d, wait, attempts, words)) {
      LOG.warn("delivery worker {}: {} could not be rescheduled: its claim was lost", name, d);
    }
  }

  private static String describe(SendOutcome o) {
    StringBuilder s = new StringBuilder(o.kind().name());
    if (o.status() != 0) {
      s.append(' ').append(o.status());
    }
    if (o.errorCode() != null) {
      s.append(' ').append(o.errorCode());
    }
    if (o.message() != null && o.kind() != SendOutcome.Kind.DELIVERED) {
      s.append(": ").append(o.message());
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return "DeliveryWorker[" + name + " on " + queue + ", concurrency=" + concurrency + "]";
  }

  /** Configures a {@link DeliveryWorker}; not thread-safe. */
  public static final class Builder {
    private final DeliveryQueue queue;
    private final ReferenceRepository references;
    private final Sender sender;
    private String name = "worker-" + UUID.randomUUID().toString().substring(0, 8);
    private int concurrency = 16;
    private Duration lease = Duration.ofMinutes(5);
    private Duration pollInterval = Duration.ofMillis(500);
    private RetryStrategy retry = DEFAULT_RETRY;
    private boolean resendUnknown;
    private SendLimiter limiter = SendLimiter.unlimited();

    private Builder(DeliveryQueue queue, ReferenceRepository references, Sender sender) {
      this.queue = Objects.requireNonNull(queue, "queue");
      this.references = Objects.requireNonNull(references, "references");
      this.sender = Objects.requireNonNull(sender, "sender");
    }

    /**
     * The worker's name in logs (default {@code worker-} and 8 random hex characters).
     *
     * @param value 1 to 64 characters
     * @return this builder
     */
    public Builder name(String value) {
      if (value == null || value.isBlank() || value.length() > 64) {
        throw new IllegalArgumentException("name must be 1 to 64 characters");
      }
      this.name = value;
      return this;
    }

    /**
     * How many sends this worker has in flight at most (default 16).
     *
     * @param value 1 to {@value dev.beckon.delivery.spi.AbstractDeliveryQueue#MAX_CLAIM}
     * @return this builder
     */
    public Builder concurrency(int value) {
      if (value < 1 || value > 1000) {
        throw new IllegalArgumentException("concurrency must be 1 to 1000 but was " + value);
      }
      this.concurrency = value;
      return this;
    }

    /**
     * How long a claim is exclusive (default 5 minutes): longer than a send can take (the sender's
     * overall timeout, 60 s by default), shorter than you are willing to wait for a dead worker's
     * claims to be taken over.
     *
     * @param value 1 s to 1 h
     * @return this builder
     */
    public Builder lease(Duration value) {
      if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("lease must be 1 s to 1 h but was " + value);
      }
      this.lease = value;
      return this;
    }

    /**
     * How long the worker waits before polling again when nothing was due (default 500 ms).
     *
     * @param value 1 ms to 1 minute
     * @return this builder
     */
    public Builder pollInterval(Duration value) {
      if (value.toMillis() < 1 || value.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("pollInterval must be 1 ms to 1 min but was " + value);
      }
      this.pollInterval = value;
      return this;
    }

    /**
     * The persisted retry model (default {@link #DEFAULT_RETRY}): its attempt cap, its backoffs by
     * cause, its longest {@code Retry-After}, and its deadline, counted from the delivery's first
     * due time.
     *
     * @param value the strategy
     * @return this builder
     */
    public Builder retry(RetryStrategy value) {
      this.retry = Objects.requireNonNull(value, "retry");
      return this;
    }

    /**
     * Whether a delivery that may have been delivered (an {@code UNKNOWN} outcome, a worker lost
     * during its send) is sent again like a transient failure (default false: it ends {@link
     * DeliveryState#UNKNOWN}). Opting in trades a possible duplicate message for a possible lost
     * one.
     *
     * @param value true to resend
     * @return this builder
     */
    public Builder resendUnknown(boolean value) {
      this.resendUnknown = value;
      return this;
    }

    /**
     * The rate limiter asked before every attempt (default {@link SendLimiter#unlimited()}). Give
     * every worker of a fleet the same fleet-wide limiter ({@link SendLimiter#fleet}) to hold
     * per-tenant and per-conversation limits across all of them; {@link SendLimiter#local} holds
     * them in this process only. A denied send waits while it holds its claim for up to a quarter
     * of the lease, else goes back to the queue, due when the limiter said, without counting an
     * attempt. A limiter that fails puts the delivery back for 1 s.
     *
     * @param value the limiter
     * @return this builder
     */
    public Builder limiter(SendLimiter value) {
      this.limiter = Objects.requireNonNull(value, "limiter");
      return this;
    }

    /**
     * Builds the worker (not started).
     *
     * @return the worker
     */
    public DeliveryWorker build() {
      return new DeliveryWorker(this);
    }
  }
}
