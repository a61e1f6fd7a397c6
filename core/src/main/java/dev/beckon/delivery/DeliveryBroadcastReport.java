package dev.beckon.delivery;

import java.util.Locale;
import java.util.Objects;

/**
 * The account of a {@link DeliveryBroadcasts distributed broadcast}, aggregated from its segments
 * and, once finished, stored on the queue: every reference listed is in exactly one count, {@code
 * listed == pending + delivered + gone + failed + unknown + dead + cancelled + unreadable +
 * missing}, always.
 *
 * <p>While it runs, the counts are those of the pages its segments have listed so far: {@code
 * pending} are listed references whose delivery is not final yet (or is final but not counted yet:
 * a segment counts its pages in order).
 *
 * @param broadcastId the broadcast's id
 * @param segments how many segment tasks it was split into
 * @param segmentsDone segments listed, scheduled and counted
 * @param segmentsFailed segments that ended without counts: their task or one of their page records
 *     was unreadable (an edited row); their references are not in the counts
 * @param listed references listed so far, readable or not
 * @param pending listed references not counted yet
 * @param delivered deliveries {@link DeliveryState#DELIVERED}
 * @param gone {@link DeliveryState#GONE} (the stale reference was deleted)
 * @param failed {@link DeliveryState#FAILED}, an unreadable delivery row included
 * @param unknown {@link DeliveryState#UNKNOWN}: may or may not have arrived, never sent twice
 * @param dead {@link DeliveryState#DEAD}
 * @param cancelled {@link DeliveryState#CANCELLED} (someone cancelled that reference's delivery)
 * @param unreadable stored references the listing could not read: never sent
 * @param missing deliveries not found when counted (purged before they were counted)
 */
public record DeliveryBroadcastReport(
    String broadcastId,
    int segments,
    int segmentsDone,
    int segmentsFailed,
    long listed,
    long pending,
    long delivered,
    long gone,
    long failed,
    long unknown,
    long dead,
    long cancelled,
    long unreadable,
    long missing) {

  /**
   * Checks the accounting.
   *
   * @param broadcastId the broadcast's id
   * @param segments how many segment tasks
   * @param segmentsDone segments counted
   * @param segmentsFailed segments that ended without counts
   * @param listed references listed so far
   * @param pending listed references not counted yet
   * @param delivered DELIVERED
   * @param gone GONE
   * @param failed FAILED
   * @param unknown UNKNOWN
   * @param dead DEAD
   * @param cancelled CANCELLED
   * @param unreadable unreadable stored references
   * @param missing deliveries not found when counted
   * @throws IllegalStateException when a count is negative or the counts do not add up to {@code
   *     listed}
   */
  public DeliveryBroadcastReport {
    Objects.requireNonNull(broadcastId, "broadcastId");
    long[] all = {
      listed, pending, delivered, gone, failed, unknown, dead, cancelled, unreadable, missing
    };
    for (long n : all) {
      if (n < 0) {
        throw new IllegalStateException("broadcast " + broadcastId + " has a negative count");
      }
    }
    if (segmentsDone < 0 || segmentsFailed < 0 || segmentsDone + segmentsFailed > segments) {
      throw new IllegalStateException("broadcast " + broadcastId + " has inconsistent segments");
    }
    long sum =
        pending + delivered + gone + failed + unknown + dead + cancelled + unreadable + missing;
    if (sum != listed) {
      throw new IllegalStateException(
          "broadcast "
              + broadcastId
              + " does not account for every reference: listed "
              + listed
              + " != "
              + sum);
    }
  }

  /**
   * Whether every segment ended (counted or failed) and no listed reference is pending: the report
   * is final and stored.
   *
   * @return true when finished
   */
  public boolean finished() {
    return segmentsDone + segmentsFailed == segments && pending == 0;
  }

  /**
   * The report in one line, in the style of the {@code beckon broadcast} command, e.g. {@code
   * listed 30: delivered 28, gone 1, failed 1, unknown 0, dead 0, cancelled 0, unreadable 0,
   * missing 0, pending 0; segments 4 of 4 done}.
   *
   * @return the summary
   */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "listed %d: delivered %d, gone %d, failed %d, unknown %d, dead %d, cancelled %d,"
            + " unreadable %d, missing %d, pending %d; segments %d of %d done%s",
        listed,
        delivered,
        gone,
        failed,
        unknown,
        dead,
        cancelled,
        unreadable,
        missing,
        pending,
        segmentsDone,
        segments,
        segmentsFailed == 0 ? "" : ", " + segmentsFailed + " failed");
  }
}
