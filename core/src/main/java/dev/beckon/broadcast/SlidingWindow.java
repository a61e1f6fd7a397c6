package dev.beckon.broadcast;

import java.util.ArrayDeque;

/**
 * Exact sliding-window limiter: at most {@code permits} events in any {@code windowNanos}. Not
 * thread-safe; callers synchronize.
 */
final class SlidingWindow {
  private final int permits;
  private final long windowNanos;
  private final ArrayDeque<Long> events = new ArrayDeque<>();

  SlidingWindow(int permits, long windowNanos) {
    this.permits = permits;
    this.windowNanos = windowNanos;
  }

  /** Earliest time (nanos) at which one more event fits; {@code now} if it fits now. */
  long earliest(long now) {
    while (!events.isEmpty() && events.peekFirst() <= now - windowNanos) {
      events.pollFirst();
    }
    if (events.size() < permits) {
      return now;
    }
    // the oldest event of the last `permits` must leave the window
    return events.peekFirst() + windowNanos;
  }

  void record(long at) {
    events.addLast(at);
    if (events.size() > permits) {
      events.pollFirst();
    }
  }

  /** Whether no event is left in the window at {@code now}. */
  boolean idle(long now) {
    return events.isEmpty() || events.peekLast() <= now - windowNanos;
  }
}
