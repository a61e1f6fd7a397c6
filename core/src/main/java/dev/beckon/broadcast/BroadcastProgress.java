package dev.beckon.broadcast;

import java.time.Duration;

/**
 * A snapshot of a running broadcast, as given to {@link BroadcastListener#onProgress}.
 *
 * @param listed references read from the store so far
 * @param delivered delivered so far
 * @param gone gone so far
 * @param failed failed so far
 * @param skipped skipped so far (after cancellation)
 * @param inFlight sends started but not finished
 * @param elapsed time since the start
 * @param rateFactor the adaptive slowdown of the slowest bucket (a tenant, or the global cap), 1.0
 *     when every one runs at the profile's full rate
 */
public record BroadcastProgress(
    long listed,
    long delivered,
    long gone,
    long failed,
    long skipped,
    long inFlight,
    Duration elapsed,
    double rateFactor) {

  /**
   * References with a final outcome.
   *
   * @return delivered + gone + failed + skipped
   */
  public long done() {
    return delivered + gone + failed + skipped;
  }

  /**
   * Final outcomes per second since the start.
   *
   * @return the rate
   */
  public double perSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : done() / s;
  }
}
