package dev.beckon.delivery;

import dev.beckon.activity.Activity;
import dev.beckon.codec.ActivityJson;
import dev.beckon.delivery.BroadcastRecords.Checkpoint;
import dev.beckon.delivery.BroadcastRecords.PageRecord;
import dev.beckon.delivery.BroadcastRecords.SegmentTask;
import dev.beckon.delivery.BroadcastRecords.Spec;
import dev.beckon.delivery.BroadcastRecords.Tally;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Page;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoreException;
import dev.beckon.store.StoredReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's bounded step on a claimed segment task of a {@link DeliveryBroadcasts broadcast}:
 * resumes from the task's checkpoint, lists and schedules pages (each page record written before
 * its deliveries), then counts the pages whose deliveries are all final, and settles the claim:
 * rescheduled with the new checkpoint, or completed with the segment's counts.
 */
final class SegmentRunner {

  private static final Logger LOG = LoggerFactory.getLogger(SegmentRunner.class);

  /** How long a segment waits before counting again while some of its deliveries are pending. */
  static final Duration RECOUNT = Duration.ofSeconds(1);

  private static final Duration RETRY = Duration.ofSeconds(1);

  /** Most pages one step lists (it also stops at its time budget). */
  static final int PAGES_PER_STEP = 20;

  private final DeliveryQueue queue;
  private final ReferenceRepository references;
  private final String worker;

  SegmentRunner(DeliveryQueue queue, ReferenceRepository references, String worker) {
    this.queue = queue;
    this.references = references;
    this.worker = worker;
  }

  /** Whether a claimed delivery is a broadcast's task or record rather than a message. */
  static boolean isTask(Delivery d) {
    if (!d.deliveryKey().startsWith(BroadcastRecords.PREFIX)) {
      return false;
    }
    String type = d.activity().type();
    return BroadcastRecords.SEGMENT_TYPE.equals(type) || BroadcastRecords.RECORD_TYPE.equals(type);
  }

  /** Marker: a record of this broadcast is unreadable; the segment cannot go on. */
  private static final class UnreadableRecord extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnreadableRecord(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Runs one step and settles the claim.
   *
   * @param d the claimed task
   * @param budget how long the step may list and count (well inside the lease)
   * @param stopping whether the worker is stopping (the step then ends early)
   */
  void step(Delivery d, Duration budget, BooleanSupplier stopping) {
    if (BroadcastRecords.RECORD_TYPE.equals(d.activity().type())) {
      // a record left pending (a crash between its schedule and its cancel): cancel it now
      settle(d, DeliveryState.CANCELLED, "broadcast record");
      return;
    }
    SegmentTask task;
    try {
      task = BroadcastRecords.segment(d.activity());
    } catch (IllegalArgumentException e) {
      settle(d, DeliveryState.FAILED, "UnreadableSegment: " + e.getMessage());
      return;
    }
    Spec spec = task.spec();
    int segment = task.segment();
    if (!d.deliveryKey().equals(BroadcastRecords.segmentKey(spec.id(), segment))) {
      settle(d, DeliveryState.FAILED, "UnreadableSegment: its key is not its segment's");
      return;
    }
    long endAt = System.nanoTime() + budget.toNanos();
    BooleanSupplier timeUp = () -> System.nanoTime() - endAt > 0 || stopping.getAsBoolean();
    Checkpoint at = Checkpoint.START;
    try {
      at = resume(d, spec, segment);
      // records after the checkpoint may be partly scheduled (a worker died): schedule them again
      PageRecord last = at.pages() == 0 ? null : readPage(spec, segment, at.pages() - 1);
      while (true) {
        Optional<PageRecord> next = findPage(spec, segment, at.pages());
        if (next.isEmpty()) {
          break;
        }
        last = next.get();
        scheduleAll(spec, last, d.claimedAt());
        at = advance(at, last);
      }
      int listedNow = 0;
      while ((last == null || last.next() != null)
          && listedNow < PAGES_PER_STEP
          && !timeUp.getAsBoolean()) {
        PageRecord page = list(spec, segment, last == null ? null : last.next());
        String key = BroadcastRecords.pageKey(spec.id(), segment, at.pages());
        if (!DeliveryBroadcasts.writeRecord(
            queue, spec.id(), key, page.toActivity(spec.id()), BroadcastRecords.FAR)) {
          page = readPage(spec, segment, at.pages()); // another worker wrote it: follow its page
        }
        scheduleAll(spec, page, d.claimedAt());
        last = page;
        at = advance(at, page);
        listedNow++;
      }
      boolean listed = last != null && last.next() == null;
      while (listed && at.counted() < at.pages() && !timeUp.getAsBoolean()) {
        Tally t = count(spec, readPage(spec, segment, at.counted()));
        if (t == null) {
          break;
        }
        at = new Checkpoint(at.pages(), at.counted() + 1, at.tally().plus(t), false);
      }
      if (listed && at.counted() == at.pages()) {
        Checkpoint done = new Checkpoint(at.pages(), at.counted(), at.tally(), true);
        if (settle(d, DeliveryState.DELIVERED, done.text())) {
          LOG.debug("broadcast {} segment {} done: {}", spec.id(), segment, done.text());
          DeliveryBroadcasts.aggregate(queue, spec.id(), true);
        }
      } else {
        reschedule(d, listed ? RECOUNT : Duration.ZERO, at);
      }
    } catch (UnreadableRecord e) {
      settle(d, DeliveryState.FAILED, "UnreadableRecord: " + e.getMessage());
    } catch (RuntimeException e) {
      // the store or the queue failed: keep what is checkpointed, try again soon
      LOG.warn(
          "delivery worker {}: broadcast {} segment {} failed, retrying: {}",
          worker,
          spec.id(),
          segment,
          e.toString());
      try {
        reschedule(d, RETRY, at);
      } catch (RuntimeException again) {
        LOG.warn("delivery worker {}: could not reschedule {}: {}", worker, d, again.toString());
      }
    }
  }

  private Checkpoint resume(Delivery d, Spec spec, int segment) {
    Checkpoint c =
        Checkpoint.parse(
            queue.status(d.deliveryKey()).map(DeliveryStatus::lastOutcome).orElse(null));
    if (c.done()) {
      c = Checkpoint.START; // a done checkpoint on a pending task (retried): count again
    }
    if (c.pages() > 0 && findPage(spec, segment, c.pages() - 1).isEmpty()) {
      LOG.warn(
          "broadcast {} segment {}: its checkpoint names a page that is not stored; from the start",
          spec.id(),
          segment);
      c = Checkpoint.START;
    }
    return c;
  }

  private static Checkpoint advance(Checkpoint at, PageRecord page) {
    return new Checkpoint(
        at.pages() + 1, at.counted(), at.tally().withListed(page.listed()), false);
  }

  /** Lists one page, halving the page size while its record would be too long. */
  private PageRecord list(Spec spec, int segment, @Nullable String cursor) {
    ListQuery q = spec.query(segment).withCursor(cursor);
    int size = q.pageSize();
    while (true) {
      Page page = references.list(q.withPageSize(size));
      List<ReferenceKey> keys = new ArrayList<>(page.items().size());
      for (StoredReference r : page.items()) {
        keys.add(r.key());
      }
      PageRecord record = new PageRecord(keys, page.unreadable().size(), page.next());
      if (size == 1
          || ActivityJson.write(record.toActivity(spec.id())).length()
              <= BroadcastRecords.MAX_RECORD_CHARS) {
        return record;
      }
      size = Math.max(1, size / 2);
    }
  }

  private void scheduleAll(Spec spec, PageRecord page, Instant now) {
    for (ReferenceKey to : page.refs()) {
      queue.schedule(to, spec.message(), now, BroadcastRecords.deliveryKey(spec.id(), to));
    }
  }

  /** The page's counts, or null when one of its deliveries is not final yet. */
  private @Nullable Tally count(Spec spec, PageRecord page) {
    Tally t = Tally.ZERO.withUnreadable(page.unreadable());
    for (ReferenceKey to : page.refs()) {
      Optional<DeliveryStatus> s;
      try {
        s = queue.status(BroadcastRecords.deliveryKey(spec.id(), to));
      } catch (StoreException e) {
        if (!(e.getCause() instanceof IllegalArgumentException)) {
          throw e;
        }
        t = t.with(DeliveryState.FAILED); // an unreadable delivery row is never sent
        continue;
      }
      if (s.isEmpty()) {
        t = t.withMissing();
      } else if (s.get().state() == DeliveryState.PENDING) {
        return null;
      } else {
        t = t.with(s.get().state());
      }
    }
    return t;
  }

  private Optional<PageRecord> findPage(Spec spec, int segment, long n) {
    Optional<Activity> a;
    try {
      a = queue.activity(BroadcastRecords.pageKey(spec.id(), segment, n));
    } catch (StoreException e) {
      if (e.getCause() instanceof IllegalArgumentException) {
        throw new UnreadableRecord("page " + n + " is unreadable");
      }
      throw e;
    }
    if (a.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(BroadcastRecords.page(a.get(), spec.id()));
    } catch (IllegalArgumentException e) {
      throw new UnreadableRecord("page " + n + ": " + e.getMessage());
    }
  }

  private PageRecord readPage(Spec spec, int segment, long n) {
    return findPage(spec, segment, n)
        .orElseThrow(() -> new UnreadableRecord("page " + n + " is missing"));
  }

  private boolean settle(Delivery d, DeliveryState state, String words) {
    boolean ok = queue.complete(d, state, d.attempts(), words, null);
    if (!ok) {
      LOG.debug("delivery worker {}: {} ended {} but its claim was lost", worker, d, state);
    }
    return ok;
  }

  private void reschedule(Delivery d, Duration wait, Checkpoint at) {
    if (!queue.reschedule(d, wait, d.attempts(), at.text())) {
      LOG.debug("delivery worker {}: {} could not be rescheduled: its claim was lost", worker, d);
    }
  }
}
