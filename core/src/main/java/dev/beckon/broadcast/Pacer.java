package dev.beckon.broadcast;

import dev.beckon.reference.ReferenceKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Hands out send times that respect a {@link RateProfile}: a rate per tenant and an optional global
 * cap (each evenly spaced, each dropping on 429s and recovering with time), and exact sliding
 * windows per conversation. Thread-safe.
 *
 * <p>What the server counts: the server receives a send at some moment between its {@link #admit
 * admission} and its {@link #answered answer}, and how long after the admission is not known (the
 * connection, the network, the server's own queue). So the hard cap at the moment of sending counts
 * every send of a tenant (and of the global cap) from its admission until one window after its
 * answer: then no window of the limit, placed anywhere on the server's clock, can hold more sends
 * than its permits, however the sends were delayed on their way. The cost is the round trip: a rate
 * of {@code permits} per {@code window} sustains at most {@code permits / (window + round trip)}.
 *
 * <p>Tenants are independent: a tenant's sends wait only for that tenant's earlier reservations
 * (and for the global cap, if one is set), never behind another tenant's backlog, and a reservation
 * pushed into the future by its conversation's limits leaves the earlier slots to the others. A
 * {@code null} tenant is one more tenant: references without one share its bucket.
 *
 * <p>Memory: per-conversation state lives only while a conversation has sends in flight or pending
 * retries ({@link #release}); a tenant's state is dropped once it has nothing in flight, has been
 * idle for its window and is no longer slowed down, swept lazily whenever the number of tenants
 * doubles. Both are bounded by the concurrency and the recent send rate, not by the number of
 * references or tenants.
 *
 * <p>As the in-process {@link SendLimiter} ({@link #tryAcquire}), it admits a send only when the
 * conversation's windows, the tenant's window and the global cap's window all have room now: exact
 * sliding windows, in this process only; that path counts a send in the tenant's and the cap's
 * windows at admission (it learns of no answer), as the fleet buckets do. Conversations admitted
 * that way are forgotten once their windows are idle, swept whenever their number doubles.
 */
public final class Pacer implements SendLimiter {

  /** The slowest an adaptive rate goes, as a fraction of the configured rate. */
  static final double MIN_FACTOR = 1.0 / 64;

  /** A slowed-down rate recovers by this fraction of the configured rate ... */
  static final double RECOVERY_STEP = 0.02;

  /** ... every this many nanoseconds without a 429 (+10% a second). */
  static final long RECOVERY_STEP_NANOS = 200_000_000L;

  /** A 429 slows a rate down at most once in this many nanoseconds. */
  static final long DECREASE_GAP_NANOS = 1_000_000_000L;

  private static final int SWEEP_MIN = 64;
  private static final String NO_TENANT = "";

  private final RateProfile profile;
  private final LongSupplier nanoClock;
  private final Map<String, Conversation> conversations = new HashMap<>();
  private final @Nullable Bucket global;
  private final Map<String, Bucket> tenants = new HashMap<>();
  private int sweepAt = SWEEP_MIN;
  private int conversationSweepAt = SWEEP_MIN;

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

    boolean idle(long now) {
      if (holds > 0) {
        return false;
      }
      for (SlidingWindow w : windows) {
        if (!w.idle(now)) {
          return false;
        }
      }
      return true;
    }

    long earliest(long from) {
      long t = Math.max(from, last);
      boolean moved = true;
      while (moved) {
        moved = false;
        for (SlidingWindow w : windows) {
          long e = w.earliest(t);
          if (e > t) {
            t = e;
            moved = true;
          }
        }
      }
      return t;
    }
  }

  /**
   * The hard cap over actual sends: a send holds one of the permits from its admission until one
   * window after its answer. Not thread-safe; the pacer synchronizes.
   */
  private static final class Occupancy {
    final int permits;
    final long windowNanos;
    int open;
    // answer times, in order (the pacer's clock is monotonic), of the last window
    final ArrayDeque<Long> answered = new ArrayDeque<>();

    Occupancy(RateLimit limit) {
      this.permits = limit.permits();
      this.windowNanos = limit.window().toNanos();
    }

    private void prune(long now) {
      while (!answered.isEmpty() && answered.peekFirst() <= now - windowNanos) {
        answered.pollFirst();
      }
    }

    /**
     * The earliest time at which one more send may start: {@code now} when a permit is free; else
     * when the oldest answer leaves the window; else (every permit held by a send not answered yet)
     * a window from now, the earliest an answer could free one.
     */
    long earliest(long now) {
      prune(now);
      if (open + answered.size() < permits) {
        return now;
      }
      return answered.isEmpty() ? now + windowNanos : answered.peekFirst() + windowNanos;
    }

    void admit() {
      open++;
    }

    void answer(long now) {
      if (open > 0) {
        open--;
        answered.addLast(now);
      }
    }

    boolean idle(long now) {
      prune(now);
      return open == 0 && answered.isEmpty();
    }
  }

  /**
   * One rate: reservations at least one gap apart (the window over the permits, rounded up, over
   * the adaptive factor), the hard cap over the actual sends, and the adaptive factor: dropped on a
   * 429, then recovering with time.
   */
  private static final class Bucket {
    final long windowNanos;
    final long baseGap;
    final Occupancy sent;
    final TreeSet<Long> reserved = new TreeSet<>();
    // the factor at the last 429 (lowered by a fifth if that 429 slowed it down); it recovers from
    // there with the time since
    double slowed = 1.0;
    boolean decreased;
    long lastDecrease;
    long lastThrottle;
    int holds;
    long lastUse;
    // [noRoomFrom, noRoomTo) has no room for a reservation at a gap of noRoomGap or more
    long noRoomFrom = Long.MIN_VALUE;
    long noRoomTo = Long.MIN_VALUE;
    long noRoomGap;

    Bucket(RateLimit limit, long now) {
      windowNanos = limit.window().toNanos();
      baseGap = Math.max(1, (windowNanos + limit.permits() - 1) / limit.permits());
      sent = new Occupancy(limit);
      lastUse = now;
    }

    /**
     * The current fraction of the configured rate: the last slowdown's, plus the recovery since.
     */
    double factor(long now) {
      if (!decreased) {
        return 1.0;
      }
      long steps = Math.max(0, now - lastThrottle) / RECOVERY_STEP_NANOS;
      double f = slowed + steps * RECOVERY_STEP;
      return f > 0.999 ? 1.0 : f;
    }

    long gap(long now) {
      double factor = factor(now);
      return factor >= 1.0 ? baseGap : (long) Math.ceil(baseGap / factor);
    }

    /** Forgets reservations too old to constrain any reservation from now on. */
    void prune(long now) {
      long horizon = now - (long) Math.ceil(baseGap / MIN_FACTOR);
      while (!reserved.isEmpty() && reserved.first() < horizon) {
        reserved.pollFirst();
      }
    }

    /**
     * The earliest time at or after {@code from} at least one gap from every reservation. A backlog
     * is a dense run of reservations: the last scan's stretch, known to have no room, is skipped
     * (it stays without room while reservations are only added and the gap does not shrink; the
     * ones pruned lie too far in the past to matter), so a reservation costs O(1) amortized. A
     * stretch that ends before {@code now} is stale and replaced.
     */
    long fit(long from, long now) {
      long gap = gap(now);
      boolean valid = gap >= noRoomGap && noRoomTo > now;
      boolean skip = valid && from >= noRoomFrom && from < noRoomTo;
      long t = skip ? noRoomTo : from;
      while (true) {
        Long p = reserved.floor(t);
        if (p != null && t - p < gap) {
          t = p + gap;
          continue;
        }
        Long s = reserved.ceiling(t);
        if (s != null && s - t < gap) {
          t = s + gap;
          continue;
        }
        if (skip) {
          noRoomTo = t;
          noRoomGap = gap;
        } else if (!valid || from < noRoomFrom) {
          // a scan beyond a valid stretch (a reservation pushed far ahead by its conversation)
          // keeps the stretch, where the backlog's next scans start
          noRoomFrom = from;
          noRoomTo = t;
          noRoomGap = gap;
        }
        return t;
      }
    }

    void record(long t) {
      reserved.add(t);
      lastUse = Math.max(lastUse, t);
    }

    boolean idle(long now) {
      return holds <= 0 && now - lastUse >= windowNanos && factor(now) >= 1.0 && sent.idle(now);
    }

    /**
     * A 429: the rate drops by a fifth, unless it dropped less than a second ago (a burst of 429s
     * counts once); either way its recovery starts again from now.
     */
    void throttled(long now) {
      double current = factor(now);
      if (!decreased || now - lastDecrease >= DECREASE_GAP_NANOS) {
        current = Math.max(MIN_FACTOR, current * 0.8);
        lastDecrease = now;
      }
      slowed = current;
      decreased = true;
      lastThrottle = now;
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
    this.global = g == null ? null : new Bucket(g, nanoClock.getAsLong());
  }

  private static String key(@Nullable String tenant) {
    return tenant == null ? NO_TENANT : tenant;
  }

  /** The tenant's bucket, created when missing; null without a per-tenant rate. */
  private @Nullable Bucket tenant(@Nullable String tenant, long now) {
    RateLimit limit = profile.perTenant();
    if (limit == null) {
      return null;
    }
    String k = key(tenant);
    Bucket b = tenants.get(k);
    if (b == null) {
      if (tenants.size() >= sweepAt) {
        sweep(now);
      }
      b = new Bucket(limit, now);
      tenants.put(k, b);
    }
    return b;
  }

  private void sweep(long now) {
    tenants.values().removeIf(b -> b.idle(now));
    sweepAt = Math.max(SWEEP_MIN, 2 * tenants.size());
  }

  /**
   * Reserves the next send to a conversation of the bucket of references without a tenant; the same
   * as {@code reserve(conversation, null)}.
   *
   * @param conversation the conversation's identity (e.g. its key hash)
   * @return the monotonic nanos at which the send may start (now or later)
   */
  public long reserve(String conversation) {
    return reserve(conversation, null);
  }

  /**
   * Reserves the next send to a conversation of a tenant. Every reservation holds the conversation
   * and the tenant until {@link #release released}.
   *
   * @param conversation the conversation's identity (e.g. its key hash)
   * @param tenant the conversation's tenant, or {@code null} for the shared bucket of references
   *     without one
   * @return the monotonic nanos at which the send may start (now or later)
   */
  public synchronized long reserve(String conversation, @Nullable String tenant) {
    long now = nanoClock.getAsLong();
    Conversation c = null;
    if (!profile.perConversation().isEmpty()) {
      c =
          conversations.computeIfAbsent(
              conversation, k -> new Conversation(profile.perConversation()));
      c.holds++;
    }
    Bucket b = tenant(tenant, now);
    if (b != null) {
      b.holds++;
      b.prune(now);
    }
    Bucket g = global;
    if (g != null) {
      g.prune(now);
    }
    long t = now;
    long before;
    do {
      before = t;
      if (c != null) {
        t = c.earliest(t);
      }
      if (b != null) {
        t = b.fit(t, now);
      }
      if (g != null) {
        t = g.fit(t, now);
      }
    } while (t != before);
    if (c != null) {
      for (SlidingWindow w : c.windows) {
        w.record(t);
      }
      c.last = t;
    }
    if (b != null) {
      b.record(t);
    }
    if (g != null) {
      g.record(t);
    }
    return t;
  }

  /**
   * The hard cap at the moment of sending, for references without a tenant; the same as {@code
   * admit(null)}.
   *
   * @return 0 when admitted, else nanoseconds to wait before asking again
   */
  public long admit() {
    return admit(null);
  }

  /**
   * The hard cap at the moment of sending: admits a send now if the tenant's limit and the global
   * cap both have a free permit (and takes one of each), else says how long to wait. A send holds
   * its permits until one window after its {@link #answered answer}, so that no window on the
   * server's clock holds more sends than the limit, however long each send took to reach the
   * server. Reservations space sends evenly; this keeps late timers, slow connections and a slow
   * server from bunching them above a limit. Every admitted send must be answered exactly once.
   *
   * @param tenant the tenant, or {@code null} for the shared bucket of references without one
   * @return 0 when admitted, else nanoseconds to wait before asking again
   */
  public synchronized long admit(@Nullable String tenant) {
    long now = nanoClock.getAsLong();
    Bucket b = tenant(tenant, now);
    Bucket g = global;
    long wait = 0;
    if (b != null) {
      wait = Math.max(wait, b.sent.earliest(now) - now);
    }
    if (g != null) {
      wait = Math.max(wait, g.sent.earliest(now) - now);
    }
    if (wait > 0) {
      return wait;
    }
    if (b != null) {
      b.sent.admit();
      b.lastUse = Math.max(b.lastUse, now);
    }
    if (g != null) {
      g.sent.admit();
    }
    return 0;
  }

  /**
   * An admitted send without a tenant was answered; the same as {@code answered(null)}.
   *
   * @see #answered(String)
   */
  public void answered() {
    answered(null);
  }

  /**
   * An {@link #admit admitted} send has ended: its answer arrived (whatever it says), or it ended
   * without one (a timeout, a failure to connect, or no request made at all). From now on its
   * permits are held for one more window only. Call it once per admitted send, as soon as the
   * answer is known.
   *
   * @param tenant the send's tenant, or {@code null}
   */
  public synchronized void answered(@Nullable String tenant) {
    long now = nanoClock.getAsLong();
    if (profile.perTenant() != null) {
      Bucket b = tenants.get(key(tenant));
      if (b != null) {
        b.sent.answer(now);
        b.lastUse = Math.max(b.lastUse, now);
      }
    }
    if (global != null) {
      global.sent.answer(now);
    }
  }

  /**
   * The in-process {@link SendLimiter}: admits one send now if the conversation's windows, the
   * tenant's window and the global cap's window all have room, and records it in all of them; else
   * records nothing. Independent of {@link #reserve}'s reservations (use one style per pacer).
   *
   * @param conversation the conversation
   * @param tenant its tenant id, or {@code null} for the shared bucket of references without one
   * @return {@link Duration#ZERO} when admitted, else how long to wait before asking again
   */
  @Override
  public synchronized Duration tryAcquire(ReferenceKey conversation, @Nullable String tenant) {
    long now = nanoClock.getAsLong();
    Conversation c = null;
    if (!profile.perConversation().isEmpty()) {
      String k = conversation.hash();
      c = conversations.get(k);
      if (c == null) {
        if (conversations.size() >= conversationSweepAt) {
          conversations.values().removeIf(x -> x.idle(now));
          conversationSweepAt = Math.max(SWEEP_MIN, 2 * conversations.size());
        }
        c = new Conversation(profile.perConversation());
        conversations.put(k, c);
      }
    }
    Bucket b = tenant(tenant, now);
    Bucket g = global;
    long wait = 0;
    if (c != null) {
      for (SlidingWindow w : c.windows) {
        wait = Math.max(wait, w.earliest(now) - now);
      }
    }
    if (b != null) {
      wait = Math.max(wait, b.sent.earliest(now) - now);
    }
    if (g != null) {
      wait = Math.max(wait, g.sent.earliest(now) - now);
    }
    if (wait > 0) {
      return Duration.ofNanos(wait);
    }
    if (c != null) {
      for (SlidingWindow w : c.windows) {
        w.record(now);
      }
    }
    // no answer reaches this path: the send's permit is held for one window from now
    if (b != null) {
      b.sent.admit();
      b.sent.answer(now);
      b.lastUse = Math.max(b.lastUse, now);
    }
    if (g != null) {
      g.sent.admit();
      g.sent.answer(now);
    }
    return Duration.ZERO;
  }

  /** Slows the throttled send's tenant down ({@link #throttled(String)}). */
  @Override
  public void throttled(
      ReferenceKey conversation, @Nullable String tenant, @Nullable Duration retryAfter) {
    throttled(tenant);
  }

  /**
   * Forgets one reservation of a conversation without a tenant; the same as {@code
   * release(conversation, null)}.
   *
   * @param conversation the conversation
   */
  public void release(String conversation) {
    release(conversation, null);
  }

  /**
   * Forgets one reservation of a conversation and its tenant; the conversation's state is dropped
   * when none is left, the tenant's once it is also idle.
   *
   * @param conversation the conversation
   * @param tenant its tenant, or {@code null}
   */
  public synchronized void release(String conversation, @Nullable String tenant) {
    Conversation c = conversations.get(conversation);
    if (c != null && --c.holds <= 0) {
      conversations.remove(conversation);
    }
    if (profile.perTenant() != null) {
      Bucket b = tenants.get(key(tenant));
      if (b != null && b.holds > 0) {
        b.holds--;
      }
    }
  }

  /** The bucket a throttle of this tenant slows down: its own, else the global one. */
  private @Nullable Bucket adaptive(@Nullable String tenant, long now) {
    return profile.perTenant() != null ? tenant(tenant, now) : global;
  }

  /**
   * A send without a tenant was throttled; the same as {@code throttled(null)}.
   *
   * @see #throttled(String)
   */
  public void throttled() {
    throttled(null);
  }

  /**
   * A send was throttled: its tenant slows down — or, without a per-tenant rate, the whole
   * broadcast. The rate drops by a fifth, at most once a second, so a burst of 429s counts once,
   * and never below 1/64 of the configured rate. It recovers with time: by 2% of the configured
   * rate every 200 ms without a 429 (10% a second, so from the floor back to the full rate within
   * 10 s of the last 429), however few sends the slowed rate makes. The throttled send itself waits
   * its Retry-After before it reserves again.
   *
   * @param tenant the throttled send's tenant, or {@code null}
   */
  public synchronized void throttled(@Nullable String tenant) {
    long now = nanoClock.getAsLong();
    Bucket b = adaptive(tenant, now);
    if (b != null) {
      b.throttled(now);
    }
  }

  /**
   * The slowest current fraction of a configured rate, over the global cap and every tenant.
   *
   * @return 1.0 when nothing is slowed down
   */
  public synchronized double factor() {
    long now = nanoClock.getAsLong();
    double f = global == null ? 1.0 : global.factor(now);
    for (Bucket b : tenants.values()) {
      f = Math.min(f, b.factor(now));
    }
    return f;
  }

  /**
   * The current fraction of the configured rate of one tenant (of the global rate without a
   * per-tenant rate).
   *
   * @param tenant the tenant, or {@code null}
   * @return 1.0 when not slowed down
   */
  public synchronized double factor(@Nullable String tenant) {
    Bucket b = profile.perTenant() != null ? tenants.get(key(tenant)) : global;
    return b == null ? 1.0 : b.factor(nanoClock.getAsLong());
  }

  /**
   * How many conversations have state.
   *
   * @return the count
   */
  public synchronized int trackedConversations() {
    return conversations.size();
  }

  /** How many tenants have state now, without sweeping (for tests). */
  synchronized int tenantStates() {
    return tenants.size();
  }

  /**
   * How many tenants have state, after dropping the idle ones.
   *
   * @return the count
   */
  public synchronized int trackedTenants() {
    sweep(nanoClock.getAsLong());
    return tenants.size();
  }
}
