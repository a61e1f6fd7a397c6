package dev.beckon.broadcast;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Hands out send times that respect a {@link RateProfile}: a global rate (evenly spaced, so no
 * window of the global limit is ever exceeded) that drops on 429s and recovers additively, exact
 * sliding windows per conversation. Thread-safe.
 *
 * <p>Per-conversation state lives only while a conversation has sends in flight or pending retries
 * ({@link #release}), so memory is bounded by concurrency, not by the number of references.
 */
public final class Pacer {

  /** The slowest the adaptive global rate goes, as a fraction of the configured rate. */
  static final double MIN_FACTOR = 1.0 / 64;

  private final RateProfile profile;
  private final LongSupplier nanoClock;
  private final long baseIntervalNanos;
  private final Map<String, Conversation> conversations = new HashMap<>();
  private final @org.jspecify.annotations.Nullable SlidingWindow globalWindow;
  private double factor = 1.0;
  private long nextGlobal;
  private int successesSinceThrottle;
  private long lastDecrease = Long.MIN_VALUE / 2;

  private static final class Conversation {
    final SlidingWindow[] windows;
    long last = Long.MIN_VALUE;
    int holds;

    Conversation(List<RateLimit> limits) {
      windows = new SlidingWindow[limits.size()];
      for (int i = 0; i < windows.length; i++) {
        windows[i] = new SlidingWindow(limits.get(i).permits(), limits.get(i).window().toNanos());
      }
    }
  }

  /**
   * Creates a pacer.
   *
   * @param profile the limits
   * @param nanoClock monotonic nanos (System::nanoTime in production)
   */
  public Pacer(RateProfile profile, LongSupplier nanoClock) {
    this.profile = profile;
    this.nanoClock = nanoClock;
    RateLimit g = profile.global();
    this.baseIntervalNanos = g == null ? 0 : g.window().toNanos() / g.permits();
    this.globalWindow = g == null ? null : new SlidingWindow(g.permits(), g.window().toNanos());
    this.nextGlobal = nanoClock.getAsLong();
  }

  /**
   * Reserves the next send to a conversation.
   *
   * @param conversation the conversation's identity (e.g. its key hash)
   * @return the monotonic nanos at which the send may start (now or later)
   */
  public synchronized long reserve(String conversation) {
    long now = nanoClock.getAsLong();
    long t = now;
    Conversation c = null;
    if (!profile.perConversation().isEmpty()) {
      c =
          conversations.computeIfAbsent(
              conversation, k -> new Conversation(profile.perConversation()));
      c.holds++;
      t = Math.max(t, c.last);
      boolean moved = true;
      while (moved) {
        moved = false;
        for (SlidingWindow w : c.windows) {
          long e = w.earliest(t);
          if (e > t) {
            t = e;
            moved = true;
          }
        }
      }
    }
    if (baseIntervalNanos > 0) {
      t = Math.max(t, nextGlobal);
      nextGlobal = t + (long) (baseIntervalNanos / factor);
    }
    if (c != null) {
      for (SlidingWindow w : c.windows) {
        w.record(t);
      }
      c.last = t;
    }
    return t;
  }

  /**
   * The hard cap at the moment of sending: admits a send now if the global limit's window has room
   * (and records it), else says how long to wait. Reservations space sends evenly; this keeps a
   * late timer from bunching them above the limit.
   *
   * @return 0 when admitted, else nanoseconds to wait before asking again
   */
  public synchronized long admit() {
    if (globalWindow == null) {
      return 0;
    }
    long now = nanoClock.getAsLong();
    long earliest = globalWindow.earliest(now);
    if (earliest > now) {
      return earliest - now;
    }
    globalWindow.record(now);
    return 0;
  }

  /**
   * Forgets one reservation of a conversation; its state is dropped when none is left.
   *
   * @param conversation the conversation
   */
  public synchronized void release(String conversation) {
    Conversation c = conversations.get(conversation);
    if (c != null && --c.holds <= 0) {
      conversations.remove(conversation);
    }
  }

  /**
   * A send was throttled: the whole broadcast slows down — the global rate drops by a fifth, at
   * most once a second, so a burst of 429s counts once (multiplicative decrease; successes bring it
   * back additively). The throttled send itself waits its Retry-After before it reserves again.
   */
  public synchronized void throttled() {
    long now = nanoClock.getAsLong();
    if (now - lastDecrease >= 1_000_000_000L) {
      factor = Math.max(MIN_FACTOR, factor * 0.8);
      lastDecrease = now;
    }
    successesSinceThrottle = 0;
  }

  /** A send succeeded: after every 10 successes the global rate recovers by 2% of its base. */
  public synchronized void succeeded() {
    if (factor < 1.0 && ++successesSinceThrottle >= 10) {
      successesSinceThrottle = 0;
      factor = factor + 0.02 > 0.999 ? 1.0 : factor + 0.02;
    }
  }

  /**
   * The current fraction of the configured global rate.
   *
   * @return 1.0 when not slowed down
   */
  public synchronized double factor() {
    return factor;
  }

  /**
   * How many conversations have state.
   *
   * @return the count
   */
  public synchronized int trackedConversations() {
    return conversations.size();
  }
}
