package dev.beckon.delivery;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.BroadcastRecords.Checkpoint;
import dev.beckon.delivery.BroadcastRecords.Spec;
import dev.beckon.delivery.BroadcastRecords.Tally;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.store.ListQuery;
import dev.beckon.store.Segment;
import dev.beckon.store.StoreException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broadcasts that run on a {@link DeliveryQueue}, across every {@link DeliveryWorker} of the fleet:
 * submitted once from any process, split into segment tasks on the same queue, taken by any worker,
 * resumed from their checkpoints when a worker dies, and reported from any process.
 *
 * <pre>{@code
 * DeliveryBroadcasts broadcasts = DeliveryBroadcasts.on(queue);
 * broadcasts.submit("release-2026-11", ListQuery.channel("msteams"),
 *     Activity.message("Beckon 1.0 is out"), 8);        // again with the same id: nothing new
 * ...                                                   // the workers do the rest
 * broadcasts.report("release-2026-11")                   // from any instance
 *     .filter(DeliveryBroadcastReport::finished)
 *     .ifPresent(r -> log.info(r.summary()));
 * }</pre>
 *
 * <p><b>How it runs.</b> Segment task {@code i} of {@code n} lists {@link Segment} {@code i} of the
 * query over the worker's reference store, page by page. Each page is first written as a record on
 * the queue (the references and the cursor after them: the checkpoint), then each reference gets an
 * ordinary delivery, keyed by the broadcast and the reference ({@link #deliveryKey}): the delivery
 * queue's own semantics then hold for every reference (sent once per key, retries persisted, {@code
 * GONE} removes the stale reference, {@code UNKNOWN} never resent). A worker that dies mid-segment
 * loses nothing: its lease expires, another worker takes the task and resumes after the last page
 * record, scheduling that page's deliveries again (once per key: no reference is sent twice). When
 * a segment's deliveries are all final, it counts them (page by page, checkpointed) and ends; the
 * last one stores the aggregated report.
 *
 * <p><b>Memory</b> is one page per running segment, whatever the size of the store. <b>Cost</b> per
 * reference: one delivery (schedule, claim, settle) and one status read to count it; per page, one
 * record (schedule and cancel) and one read.
 *
 * <p>Records are delivery rows: {@link DeliveryQueue#purge} removes a finished broadcast's records
 * with the other final deliveries (its id may then be submitted again). Thread-safe.
 */
public final class DeliveryBroadcasts {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryBroadcasts.class);

  private final DeliveryQueue queue;

  private DeliveryBroadcasts(DeliveryQueue queue) {
    this.queue = Objects.requireNonNull(queue, "queue");
  }

  /**
   * Broadcasts on a queue. The workers of that queue run them: every {@link DeliveryWorker} takes
   * segment tasks, listing the references of its own {@link dev.beckon.store.ReferenceRepository}.
   *
   * @param queue the queue
   * @return the broadcasts
   */
  public static DeliveryBroadcasts on(DeliveryQueue queue) {
    return new DeliveryBroadcasts(queue);
  }

  /**
   * Submits a broadcast, once per id: when a broadcast of this id was submitted already (and not
   * purged), nothing new is scheduled, and its own query and message stay; the segment tasks of a
   * submission that was interrupted halfway are scheduled now.
   *
   * @param broadcastId 1-100 characters of {@code [A-Za-z0-9._-]}
   * @param query which references: its channel and tenant filters and its page size (no segment, no
   *     cursor)
   * @param message what every reference gets, as a new message
   * @param segments how many segment tasks (1 to {@value Segment#MAX_COUNT}): at most that many
   *     workers list at once
   * @return true when this call submitted it, false when the id existed
   * @throws IllegalArgumentException when an argument breaks these rules or the message's JSON is
   *     too long for a delivery
   * @throws StoreException when the queue fails (submit again: it is idempotent)
   */
  public boolean submit(String broadcastId, ListQuery query, Activity message, int segments) {
    BroadcastRecords.requireId(broadcastId);
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(message, "message");
    if (query.segment() != null || query.cursor() != null) {
      throw new IllegalArgumentException("a broadcast's query has no segment and no cursor");
    }
    if (segments < 1 || segments > Segment.MAX_COUNT) {
      throw new IllegalArgumentException(
          "segments must be 1 to " + Segment.MAX_COUNT + " but was " + segments);
    }
    Spec spec =
        new Spec(
            broadcastId, segments, query.channelId(), query.tenantId(), query.pageSize(), message);
    String head = BroadcastRecords.headKey(broadcastId);
    boolean created = writeRecord(queue, spec.id(), head, spec.toHead(), BroadcastRecords.FAR);
    if (!created) {
      Activity stored =
          queue
              .activity(head)
              .orElseThrow(
                  () ->
                      new StoreException(
                          "broadcast " + broadcastId + " vanished while read", null));
      try {
        spec = BroadcastRecords.head(stored);
      } catch (IllegalArgumentException e) {
        throw new StoreException(
            "the head record of broadcast " + broadcastId + " is unreadable: " + e.getMessage(), e);
      }
    }
    for (int i = 0; i < spec.segments(); i++) {
      // due at once on any clock, and before the deliveries they make (oldest due first)
      queue.schedule(
          BroadcastRecords.recordKey(broadcastId),
          spec.toSegment(i),
          Instant.EPOCH,
          BroadcastRecords.segmentKey(broadcastId, i));
    }
    return created;
  }

  /**
   * The broadcast's report, from any process: the stored one once finished, else aggregated now
   * from its segments' checkpoints (and stored when that finds it finished).
   *
   * @param broadcastId the id
   * @return the report, or empty when no broadcast has this id (never submitted, or purged)
   * @throws StoreException when the queue fails, or the broadcast's head record is unreadable
   */
  public Optional<DeliveryBroadcastReport> report(String broadcastId) {
    BroadcastRecords.requireId(broadcastId);
    return aggregate(queue, broadcastId, true);
  }

  /**
   * The delivery key of one reference's delivery in a broadcast, for {@link DeliveryQueue#status}
   * ("did Alice get it?") or {@link DeliveryQueue#cancel}.
   *
   * @param broadcastId the broadcast's id
   * @param to the reference
   * @return the key
   */
  public static String deliveryKey(String broadcastId, ReferenceKey to) {
    return BroadcastRecords.deliveryKey(BroadcastRecords.requireId(broadcastId), to);
  }

  @Override
  public String toString() {
    return "DeliveryBroadcasts[" + queue + "]";
  }

  // ------------------------------------------------------------------ shared with the workers

  /**
   * Writes a record once: scheduled far in the future, then cancelled (also when it existed: a
   * record left pending by a crash between the two steps is cancelled now).
   */
  static boolean writeRecord(
      DeliveryQueue queue, String broadcastId, String key, Activity record, Instant far) {
    boolean inserted = queue.schedule(BroadcastRecords.recordKey(broadcastId), record, far, key);
    queue.cancel(key);
    return inserted;
  }

  static Optional<DeliveryBroadcastReport> aggregate(
      DeliveryQueue queue, String id, boolean store) {
    String reportKey = BroadcastRecords.reportKey(id);
    Optional<Activity> stored = queue.activity(reportKey);
    if (stored.isPresent()) {
      try {
        return Optional.of(BroadcastRecords.report(stored.get(), id));
      } catch (IllegalArgumentException e) {
        LOG.warn(
            "broadcast {}: the stored report is unreadable ({}); aggregating", id, e.getMessage());
        store = false;
      }
    }
    Optional<Activity> head = queue.activity(BroadcastRecords.headKey(id));
    if (head.isEmpty()) {
      return Optional.empty();
    }
    Spec spec;
    try {
      spec = BroadcastRecords.head(head.get());
    } catch (IllegalArgumentException e) {
      throw new StoreException(
          "the head record of broadcast " + id + " is unreadable: " + e.getMessage(), e);
    }
    Tally total = Tally.ZERO;
    int done = 0;
    int failedSegments = 0;
    for (int i = 0; i < spec.segments(); i++) {
      Optional<DeliveryStatus> s;
      try {
        s = queue.status(BroadcastRecords.segmentKey(id, i));
      } catch (StoreException e) {
        if (!(e.getCause() instanceof IllegalArgumentException)) {
          throw e;
        }
        failedSegments++;
        continue;
      }
      if (s.isEmpty()) {
        continue; // not scheduled yet (a submission interrupted halfway: submit again)
      }
      Checkpoint c = Checkpoint.parse(s.get().lastOutcome());
      DeliveryState state = s.get().state();
      if (state == DeliveryState.DELIVERED && c.done()) {
        done++;
        total = total.plus(c.tally());
      } else if (state == DeliveryState.PENDING) {
        total = total.plus(c.tally());
      } else {
        failedSegments++;
      }
    }
    long pending = total.listed() - total.accounted();
    DeliveryBroadcastReport r =
        new DeliveryBroadcastReport(
            id,
            spec.segments(),
            done,
            failedSegments,
            total.listed(),
            pending,
            total.delivered(),
            total.gone(),
            total.failed(),
            total.unknown(),
            total.dead(),
            total.cancelled(),
            total.unreadable(),
            total.missing());
    if (store && r.finished()) {
      try {
        writeRecord(queue, id, reportKey, BroadcastRecords.toActivity(r), BroadcastRecords.FAR);
      } catch (RuntimeException e) {
        LOG.warn("broadcast {}: storing its report failed: {}", id, e.toString());
      }
    }
    return Optional.of(r);
  }
}
