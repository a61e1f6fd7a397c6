package dev.beckon.broadcast;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The final account of a broadcast: {@code listed == delivered + gone + failed + skipped}, always.
 * The outcomes that were not deliveries are listed up to a cap ({@code notDeliveredTruncated} tells
 * whether the list is complete); every outcome also went to the {@link BroadcastListener} and, with
 * a checkpoint store, to the checkpoint.
 *
 * @param broadcastId the broadcast's id
 * @param listed references read from the store in this run (resumed runs count what they read)
 * @param alreadyDone references skipped because a previous run of the same id finished them
 * @param delivered delivered
 * @param gone conversation gone (stale references)
 * @param removed gone references deleted from the store
 * @param failed failed after the retries allowed, or not sent because the stored row is unreadable
 *     (reason "stored reference unreadable: …")
 * @param skipped not attempted because of cancellation
 * @param notDelivered outcomes other than DELIVERED, up to the cap
 * @param notDeliveredTruncated whether more such outcomes exist than listed
 * @param elapsed wall time of this run
 * @param cancelled whether the run was cancelled
 */
public record BroadcastReport(
    String broadcastId,
    long listed,
    long alreadyDone,
    long delivered,
    long gone,
    long removed,
    long failed,
    long skipped,
    List<BroadcastOutcome> notDelivered,
    boolean notDeliveredTruncated,
    Duration elapsed,
    boolean cancelled) {

  /**
   * Freezes the list and checks the accounting.
   *
   * @param broadcastId the broadcast's id
   * @param listed references read from the store in this run (resumed runs count what they read)
   * @param alreadyDone references skipped because a previous run of the same id finished them
   * @param delivered delivered
   * @param gone conversation gone (stale references)
   * @param removed gone references deleted from the store
   * @param failed failed after the retries allowed, or not sent because the stored row is
   *     unreadable (reason "stored reference unreadable: …")
   * @param skipped not attempted because of cancellation
   * @param notDelivered outcomes other than DELIVERED, up to the cap
   * @param notDeliveredTruncated whether more such outcomes exist than listed
   * @param elapsed wall time of this run
   * @param cancelled whether the run was cancelled
   */
  public BroadcastReport {
    notDelivered = List.copyOf(notDelivered);
    if (listed != alreadyDone + delivered + gone + failed + skipped) {
      throw new IllegalStateException(
          "broadcast "
              + broadcastId
              + " does not account for every reference: listed "
              + listed
              + " != "
              + alreadyDone
              + " already done + "
              + delivered
              + " delivered + "
              + gone
              + " gone + "
              + failed
              + " failed + "
              + skipped
              + " skipped");
    }
  }

  /**
   * The report in one line, as the {@code beckon broadcast} command prints it: every count and the
   * elapsed time, never the outcomes themselves (they went to the listener). For example {@code
   * listed 30: delivered 29, gone 1 (removed 1), failed 0, skipped 0, already done 0, in 1.2 s}; a
   * cancelled run ends with {@code , cancelled}.
   *
   * @return the one-line summary
   */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "listed %d: delivered %d, gone %d (removed %d), failed %d, skipped %d, already done %d, in %.1f s%s",
        listed,
        delivered,
        gone,
        removed,
        failed,
        skipped,
        alreadyDone,
        elapsed.toMillis() / 1000.0,
        cancelled ? ", cancelled" : "");
  }

  /**
   * A short form for logs: the id and the counts, not the {@code notDelivered} list (which holds up
   * to thousands of outcomes).
   *
   * @return e.g. {@code BroadcastReport[nightly: listed 30: delivered 29, …, 1 not delivered
   *     listed]}
   */
  @Override
  public String toString() {
    return "BroadcastReport["
        + broadcastId
        + ": "
        + summary()
        + "; "
        + notDelivered.size()
        + " not delivered listed"
        + (notDeliveredTruncated ? ", truncated" : "")
        + "]";
  }
}
