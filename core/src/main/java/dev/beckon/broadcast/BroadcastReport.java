package dev.beckon.broadcast;

import java.time.Duration;
import java.util.List;

/**
 * The final account of a broadcast: {@code listed == delivered + gone + failed + skipped},
 * always. The outcomes that were not deliveries are listed up to a cap
 * ({@code notDeliveredTruncated} tells whether the list is complete); every outcome also went
 * to the {@link BroadcastListener} and, with a checkpoint store, to the checkpoint.
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
    String broadcastId, long listed, long alreadyDone, long delivered, long gone, long removed,
    long failed, long skipped, List<BroadcastOutcome> notDelivered, boolean notDeliveredTruncated,
    Duration elapsed, boolean cancelled) {

  /**
   * Freezes the list and checks the accounting.
   *
   * @param broadcastId the broadcast's id
   * @param listed references read from the store in this run (resumed runs count what they read)
   * @param alreadyDone references skipped because a previous run of the same id finished them
   * @param delivered delivered
   * @param gone conversation gone (stale references)
   * @param removed gone references deleted from the store
   * @param failed failed after the retries allowed, or not sent because the stored row is unreadable (reason "stored reference unreadable: …")
   * @param skipped not attempted because of cancellation
   * @param notDelivered outcomes other than DELIVERED, up to the cap
   * @param notDeliveredTruncated whether more such outcomes exist than listed
   * @param elapsed wall time of this run
   * @param cancelled whether the run was cancelled
   */
  public BroadcastReport {
    notDelivered = List.copyOf(notDelivered);
    if (listed != alreadyDone + delivered + gone + failed + skipped) {
      throw new IllegalStateException("broadcast " + broadcastId + " does not account for every reference: listed "
          + listed + " != " + alreadyDone + " already done + " + delivered + " delivered + " + gone
          + " gone + " + failed + " failed + " + skipped + " skipped");
    }
  }
}
