package dev.beckon.broadcast;

import dev.beckon.activity.Activity;
import dev.beckon.retry.RetryCause;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.Segment;
import dev.beckon.store.StoredReference;
import dev.beckon.store.UnreadableReference;
import dev.beckon.store.VersionConflictException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one partition of a broadcast: lists page by page (never more than the concurrency bound of
 * references in flight, so memory does not grow with the store), paces every send, retries
 * throttles and transient failures per the broadcast's {@link RetryStrategy} (through a sender that
 * never retries by itself), removes gone references per policy, checkpoints, and accounts for every
 * reference listed.
 */
final class BroadcastRunner {

  private static final Logger LOG = LoggerFactory.getLogger(BroadcastRunner.class);

  private final Broadcast config;
  private final Sender sender;
  private final @Nullable Segment segment;
  private final String partition;
  private final Pacer pacer;
  private final Semaphore slots;
  private final ScheduledExecutorService timer;
  private final ExecutorService workers;
  private final CompletableFuture<BroadcastReport> result = new CompletableFuture<>();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicLong listed = new AtomicLong();
  private final AtomicLong alreadyDone = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong gone = new AtomicLong();
  private final AtomicLong removed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final List<BroadcastOutcome> notDelivered = new ArrayList<>();
  private final ArrayDeque<PageTracker> pages = new ArrayDeque<>();
  private volatile boolean listingDone;
  private volatile @Nullable Throwable listingFailure;
  private boolean committing = true;
  private long startNanos;

  private static final class PageTracker {
    final long number;
    final @Nullable String next;
    int remaining;
    boolean hasSkips;

    PageTracker(long number, @Nullable String next, int remaining) {
      this.number = number;
      this.next = next;
      this.remaining = remaining;
    }
  }

  /**
   * Prepares a run.
   *
   * @param config the broadcast
   * @param sender how one send is made: one attempt per send, never a retry of its own
   * @param segment the segment this run covers, or {@code null} for the whole query
   */
  BroadcastRunner(Broadcast config, Sender sender, @Nullable Segment segment) {
    this.config = config;
    this.sender = sender;
    this.segment = segment;
    this.partition = segment == null ? "all" : segment.index() + "-of-" + segment.count();
    this.pacer = new Pacer(config.profile(), System::nanoTime);
    this.slots = new Semaphore(config.profile().maxConcurrency());
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("beckon-broadcast-timer"));
    this.workers = Executors.newFixedThreadPool(2, daemon("beckon-broadcast-worker"));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Starts listing and sending on a background thread.
   *
   * @return the final report, completed when every listed reference has an outcome
   */
  CompletableFuture<BroadcastReport> start() {
    startNanos = System.nanoTime();
    long every = config.progressInterval().toMillis();
    // a timer/stage handle, not awaited: the task itself records its outcome
    var unused =
        timer.scheduleAtFixedRate(this::reportProgress, every, every, TimeUnit.MILLISECONDS);
    Thread lister =
        new Thread(this::listLoop, "beckon-broadcast-list-" + config.id() + "-" + partition);
    lister.setDaemon(true);
    lister.start();
    return result;
  }

  /** Stops listing and sending; references not yet sent end as SKIPPED. */
  void cancel() {
    cancelled.set(true);
  }

  /**
   * A progress snapshot.
   *
   * @return the snapshot
   */
  BroadcastProgress progress() {
    return new BroadcastProgress(
        listed.get(),
        delivered.get(),
        gone.get(),
        failed.get(),
        skipped.get(),
        inFlight.get(),
        Duration.ofNanos(System.nanoTime() - startNanos),
        pacer.factor());
  }

  private void reportProgress() {
    try {
      config.listener().onProgress(progress());
    } catch (RuntimeException e) {
      LOG.warn("Broadcast {} progress listener failed: {}", config.id(), e.toString());
    }
  }

  private void listLoop() {
    try {
      BroadcastCheckpoints.Resume resume = config.checkpoints().load(config.id(), partition);
      if (!resume.finished()) {
        ListQuery q = config.query().withSegment(segment).withCursor(resume.cursor());
        long pageNumber = resume.nextPage();
        while (!cancelled.get()) {
          Page page = config.repository().list(q);
          PageTracker tracker = new PageTracker(pageNumber++, page.next(), page.items().size());
          synchronized (pages) {
            pages.addLast(tracker);
          }
          for (UnreadableReference u : page.unreadable()) {
            listed.incrementAndGet();
            unreadable(u);
          }
          for (StoredReference item : page.items()) {
            listed.incrementAndGet();
            if (resume.finishedKeyHashes().contains(item.key().hash())) {
              alreadyDone.incrementAndGet();
              pageItemDone(tracker, false);
              continue;
            }
            if (slot(tracker, item)) {
              inFlight.incrementAndGet();
              attempt(tracker, item, config.retry().start("broadcast"), false);
            }
          }
          commitFinishedPages();
          if (page.next() == null) {
            break;
          }
          q = q.withCursor(page.next());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      listingFailure = e;
    } catch (RuntimeException e) {
      LOG.warn("Broadcast {} stopped listing: {}", config.id(), e.toString());
      listingFailure = e;
    } finally {
      listingDone = true;
      maybeFinish();
    }
  }

  /**
   * A row of the listing that cannot be read: never sent, counted as failed, reported with its key.
   * It is not checkpointed (nothing was sent): a resumed run that lists its page again reports it
   * again, until the row is repaired or deleted.
   */
  private void unreadable(UnreadableReference u) {
    failed.incrementAndGet();
    String reason = "stored reference unreadable: " + u.reason();
    if (u.key() == null) {
      // no key to build an outcome with: counted, and logged with the key hash
      LOG.warn("Broadcast {}: {} ({})", config.id(), reason, u.describe());
      return;
    }
    BroadcastOutcome outcome =
        new BroadcastOutcome(u.key(), BroadcastOutcome.Kind.FAILED, null, null, reason, false);
    synchronized (notDelivered) {
      if (notDelivered.size() <= config.notDeliveredCap()) {
        notDelivered.add(outcome);
      }
    }
    try {
      config.listener().onOutcome(outcome);
    } catch (RuntimeException e) {
      LOG.warn("Broadcast {} outcome listener failed: {}", config.id(), e.toString());
    }
  }

  private void attempt(
      PageTracker tracker, StoredReference item, RetryStrategy.Retry retry, boolean again) {
    String conv = item.key().hash();
    String tenant = tenant(item);
    long at = pacer.reserve(conv, tenant);
    if (again) {
      pacer.release(conv, tenant); // the retry's reservation replaces the previous one
    }
    long delay = Math.max(0, at - System.nanoTime());
    // a timer/stage handle, not awaited: the task itself records its outcome
    var unused = timer.schedule(() -> send(tracker, item, retry), delay, TimeUnit.NANOSECONDS);
  }

  /**
   * Takes a send slot for a listed reference, waiting for one unless the run is cancelled.
   *
   * @return true when it holds one; false when the run was cancelled before it had one or while it
   *     waited (it then ended SKIPPED without waiting any longer)
   */
  private boolean slot(PageTracker tracker, StoredReference item) throws InterruptedException {
    if (!cancelled.get()) {
      slots.acquire();
      if (!cancelled.get()) {
        return true;
      }
      slots.release();
    }
    skip(tracker, item, false);
    return false;
  }

  /**
   * Ends a reference the cancel caught waiting for its send (for a slot, its turn or the limiter):
   * SKIPPED, nothing sent. What it waited for never holds the run open, not even a limiter that
   * never grants (or answers only with failures).
   *
   * @param held whether it holds a slot (and a pacer reservation): then it ends on a worker (the
   *     caller is the timer); else on the listing thread, which counts it before the run can end
   */
  private void skip(PageTracker tracker, StoredReference item, boolean held) {
    BroadcastOutcome outcome =
        new BroadcastOutcome(
            item.key(),
            BroadcastOutcome.Kind.SKIPPED,
            null,
            null,
            "broadcast cancelled before this reference was sent",
            false);
    if (held) {
      workers.execute(() -> finalOutcome(tracker, item, outcome, true));
    } else {
      finalOutcome(tracker, item, outcome, false);
    }
  }

  /**
   * The one way the limiter is called: asked for a send, or told of a 429. A limiter that fails
   * (its backend raised {@code StoreException}, or anything else) is logged and answers 1 s: an ask
   * then sends nothing now and asks again in 1 s, no attempt counted, so a limiter outage never
   * fails a reference; a 429 it was not told of is still retried.
   *
   * @return the wait in nanos the limiter asks for (0: granted)
   */
  private long limiter(ToLongFunction<SendLimiter> call) {
    try {
      return Math.max(0, call.applyAsLong(config.limiter()));
    } catch (RuntimeException e) {
      LOG.warn("Broadcast {}: the rate limiter failed: {}", config.id(), e.toString());
      return TimeUnit.SECONDS.toNanos(1);
    }
  }

  /** The pacing tenant: the conversation's tenant id; references without one share a bucket. */
  private static @Nullable String tenant(StoredReference item) {
    return item.reference().conversation().tenantId();
  }

  private void send(PageTracker tracker, StoredReference item, RetryStrategy.Retry retry) {
    String tenant = tenant(item);
    long wait = pacer.admit(tenant);
    if (wait == 0) {
      wait = limiter(l -> l.tryAcquire(item.key(), tenant).toNanos());
      if (wait > 0) {
        pacer.answered(tenant); // admitted here, but the fleet said not yet: nothing sent
      }
    }
    if (wait > 0) {
      if (cancelled.get()) {
        skip(tracker, item, true);
        return;
      }
      // a timer/stage handle, not awaited: the task itself records its outcome
      var unused = timer.schedule(() -> send(tracker, item, retry), wait, TimeUnit.NANOSECONDS);
      return;
    }
    Activity activity;
    try {
      activity =
          Objects.requireNonNull(config.message().apply(item), "message function returned null");
    } catch (RuntimeException e) {
      pacer.answered(tenant); // admitted, but nothing sent
      workers.execute(
          () ->
              finalOutcome(
                  tracker,
                  item,
                  new BroadcastOutcome(
                      item.key(),
                      BroadcastOutcome.Kind.FAILED,
                      null,
                      null,
                      "message function failed: " + e,
                      false),
                  true));
      return;
    }
    CompletableFuture<SendOutcome> f;
    try {
      f = sender.sendAsync(item.reference(), activity);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    // the send holds its tenant's permit until a window after its answer (whatever the answer):
    // released on the thread that completes it, before the outcome is handled (and before any
    // retry of it asks for a permit again)
    // a timer/stage handle, not awaited: the task itself records its outcome
    var unused =
        f.whenComplete(
            (res, ex) -> {
              pacer.answered(tenant);
              workers.execute(() -> handle(tracker, item, retry, res, ex));
            });
  }

  private void handle(
      PageTracker tracker,
      StoredReference item,
      RetryStrategy.Retry retry,
      @Nullable SendOutcome res,
      @Nullable Throwable ex) {
    try {
      if (ex != null || res == null) {
        finalOutcome(tracker, item, failedOutcome(item, null, "send failed: " + ex), true);
        return;
      }
      if (res.delivered()) {
        finalOutcome(
            tracker,
            item,
            new BroadcastOutcome(
                item.key(), BroadcastOutcome.Kind.DELIVERED, res.id(), null, null, false),
            true);
        return;
      }
      if (res.kind() == SendOutcome.Kind.CONVERSATION_GONE) {
        finalOutcome(tracker, item, goneOutcome(item, res), true);
        return;
      }
      // the one classifier: 429 throttles; 412, 502, 503, 504 and connection failures are
      // transient; anything else (500 and UNKNOWN included) is final
      RetryCause cause = res.retryCause();
      if (cause == RetryCause.THROTTLED) {
        pacer.throttled(tenant(item));
        limiter(
            l -> {
              l.throttled(item.key(), tenant(item), res.retryAfter());
              return 0; // nothing to wait for: the retry below waits as the strategy says
            });
      }
      int failedAttempt = retry.attempt();
      Duration wait = cause == null ? null : retry.next(cause, res.retryAfter(), res.errorCode());
      if (wait != null) {
        // this conversation waits, then queues for a slot again
        // a timer/stage handle, not awaited: the task itself records its outcome
        var unused =
            timer.schedule(
                () -> attempt(tracker, item, retry, true), wait.toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
      String reason = reason(res);
      if (cause == RetryCause.THROTTLED) {
        reason = "still throttled after " + failedAttempt + " attempts: " + reason;
      } else if (cause == RetryCause.TRANSIENT) {
        reason = "still failing after " + failedAttempt + " attempts: " + reason;
      }
      finalOutcome(tracker, item, failedOutcome(item, res.errorCode(), reason), true);
    } catch (RuntimeException e) {
      LOG.warn("Broadcast {}: unexpected error handling an outcome: {}", config.id(), e.toString());
      finalOutcome(tracker, item, failedOutcome(item, null, "internal error: " + e), true);
    }
  }

  private static String reason(SendOutcome o) {
    return o.kind() + (o.message() == null ? "" : ": " + o.message());
  }

  private BroadcastOutcome failedOutcome(
      StoredReference item, @Nullable String code, @Nullable String reason) {
    return new BroadcastOutcome(
        item.key(),
        BroadcastOutcome.Kind.FAILED,
        null,
        code,
        reason == null ? "failed" : reason,
        false);
  }

  private BroadcastOutcome goneOutcome(StoredReference item, SendOutcome res) {
    boolean wasRemoved = false;
    String reason = reason(res);
    if (config.removeGone()) {
      try {
        // version-checked: a reference refreshed since it was listed is live again; keep it
        wasRemoved = config.repository().delete(item.key(), item.version());
      } catch (VersionConflictException e) {
        reason = reason + " (not removed: the reference was refreshed meanwhile)";
      } catch (RuntimeException e) {
        reason = reason + " (not removed: " + e.getMessage() + ")";
      }
    }
    return new BroadcastOutcome(
        item.key(), BroadcastOutcome.Kind.GONE, null, res.errorCode(), reason, wasRemoved);
  }

  private void finalOutcome(
      PageTracker tracker, StoredReference item, BroadcastOutcome outcome, boolean held) {
    switch (outcome.kind()) {
      case DELIVERED -> delivered.incrementAndGet();
      case GONE -> {
        gone.incrementAndGet();
        if (outcome.removed()) {
          removed.incrementAndGet();
        }
      }
      case FAILED -> failed.incrementAndGet();
      case SKIPPED -> skipped.incrementAndGet();
    }
    if (outcome.kind() != BroadcastOutcome.Kind.DELIVERED) {
      synchronized (notDelivered) {
        if (notDelivered.size() <= config.notDeliveredCap()) {
          notDelivered.add(outcome);
        }
      }
    }
    try {
      config.checkpoints().recordOutcome(config.id(), partition, tracker.number, outcome);
    } catch (RuntimeException e) {
      LOG.warn("Broadcast {}: checkpoint failed: {}", config.id(), e.toString());
    }
    try {
      config.listener().onOutcome(outcome);
    } catch (RuntimeException e) {
      LOG.warn("Broadcast {} outcome listener failed: {}", config.id(), e.toString());
    }
    // the page learns of the outcome before the send stops counting as in flight: otherwise the
    // listing thread could see nothing in flight and finish while this page is still uncommitted
    pageItemDone(tracker, outcome.kind() == BroadcastOutcome.Kind.SKIPPED);
    if (held) {
      pacer.release(item.key().hash(), tenant(item));
      inFlight.decrementAndGet();
      slots.release();
    }
    commitFinishedPages();
    maybeFinish();
  }

  private void pageItemDone(PageTracker tracker, boolean skippedItem) {
    synchronized (pages) {
      tracker.remaining--;
      tracker.hasSkips |= skippedItem;
    }
  }

  private void commitFinishedPages() {
    synchronized (pages) {
      while (committing && !pages.isEmpty() && pages.peekFirst().remaining == 0) {
        PageTracker head = pages.peekFirst();
        if (head.hasSkips) {
          committing = false; // everything from here on must be sent on resume
          break;
        }
        pages.pollFirst();
        try {
          config
              .checkpoints()
              .commitCursor(config.id(), partition, head.number, head.next, head.next == null);
        } catch (RuntimeException e) {
          LOG.warn("Broadcast {}: checkpoint commit failed: {}", config.id(), e.toString());
        }
      }
    }
  }

  private void maybeFinish() {
    if (!listingDone || inFlight.get() > 0 || result.isDone()) {
      return;
    }
    synchronized (this) {
      if (result.isDone()) {
        return;
      }
      // the last outcome's thread may not have committed its page yet: commit here, under the
      // pages lock, so a finished broadcast's checkpoint says so before anyone sees the report
      commitFinishedPages();
      reportProgress();
      timer.shutdownNow();
      workers.shutdown();
      Throwable failure = listingFailure;
      List<BroadcastOutcome> nd;
      synchronized (notDelivered) {
        nd =
            new ArrayList<>(
                notDelivered.subList(0, Math.min(notDelivered.size(), config.notDeliveredCap())));
      }
      boolean truncated = notDelivered.size() > config.notDeliveredCap();
      if (failure != null && !(failure instanceof InterruptedException)) {
        result.completeExceptionally(
            new dev.beckon.store.StoreException(
                "Broadcast "
                    + config.id()
                    + " stopped: listing failed after "
                    + listed.get()
                    + " references (every one of them has an outcome; resume with the same id): "
                    + failure.getMessage(),
                failure));
        return;
      }
      result.complete(
          new BroadcastReport(
              config.id(),
              listed.get(),
              alreadyDone.get(),
              delivered.get(),
              gone.get(),
              removed.get(),
              failed.get(),
              skipped.get(),
              nd,
              truncated,
              Duration.ofNanos(System.nanoTime() - startNanos),
              cancelled.get() || failure != null));
    }
  }
}
