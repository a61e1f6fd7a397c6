package dev.beckon.internal.send;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of work in flight (sends, exchanges), swept by one periodic task instead of a timer
 * per item: registering and removing an item is a concurrent-set insert and remove, with no timer
 * queue, no wake-up of the timer thread and no cancelled task left behind. A sender used to
 * schedule and cancel two timers per message, which cost a context switch per message at low
 * concurrency.
 *
 * <p>Guarantees: an item still registered at its deadline is expired at most {@link #tick()} later,
 * exactly once; an item removed first is never expired and nothing keeps a reference to it; {@link
 * #close()} expires every item still registered (with {@code closing} set) and refuses new ones, so
 * nothing waits for a sweep that will not come. The sweep runs only while something is registered
 * (it stops after about a second with nothing to watch, and the next registration starts it again),
 * on the given timer, which the caller owns and shuts down.
 *
 * <p>Thread-safe. Expiry callbacks run on the timer thread (or the closing thread) and must not
 * block.
 */
public final class Deadlines implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);

  /** The shortest sweep interval. */
  static final Duration MIN_TICK = Duration.ofMillis(10);

  /** The longest sweep interval. */
  static final Duration MAX_TICK = Duration.ofMillis(100);

  /** How long a sweep with nothing to watch keeps ticking before it stops. */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Something with a deadline: registered while in flight, expired at most once. */
  public abstract static class Entry {
    private final long deadline;

    /**
     * Creates an entry.
     *
     * @param deadline the {@link System#nanoTime()} at which it expires
     */
    protected Entry(long deadline) {
      this.deadline = deadline;
    }

    /**
     * The deadline.
     *
     * @return the {@link System#nanoTime()} at which it expires
     */
    public final long deadline() {
      return deadline;
    }

    /**
     * Ends the work: called at most once, and only while it was registered. Must not block.
     *
     * @param closing true when the registry was closed before the deadline
     */
    protected abstract void expire(boolean closing);
  }

  private final ScheduledExecutorService timer;
  private final long tickNanos;
  private final long idleTicks;
  private final Set<Entry> live = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile boolean closed;
  private long idle; // only the one running sweep touches it

  /**
   * Creates a registry swept on {@code timer}.
   *
   * @param timer runs the sweep (owned by the caller)
   * @param tick how often the sweep runs while anything is registered: the most an expiry is late
   */
  public Deadlines(ScheduledExecutorService timer, Duration tick) {
    this.timer = timer;
    this.tickNanos = Math.max(1, tick.toNanos());
    this.idleTicks = Math.max(1, IDLE_NANOS / tickNanos);
  }

  /**
   * The sweep interval for timeouts no shorter than {@code shortest}: a twentieth of it, between
   * {@link #MIN_TICK} and {@link #MAX_TICK}.
   *
   * @param shortest the shortest timeout the registry will watch
   * @return the interval
   */
  public static Duration tickFor(Duration shortest) {
    Duration t = shortest.dividedBy(20);
    if (t.compareTo(MIN_TICK) < 0) {
      return MIN_TICK;
    }
    return t.compareTo(MAX_TICK) > 0 ? MAX_TICK : t;
  }

  /**
   * The sweep interval: the most an expiry can be late.
   *
   * @return the interval
   */
  public Duration tick() {
    return Duration.ofNanos(tickNanos);
  }

  /**
   * Registers an entry until its deadline or {@link #remove}.
   *
   * @param e the entry (registered once)
   * @return false when the registry is closed: the entry is not registered, and the caller ends the
   *     work itself
   */
  public boolean add(Entry e) {
    if (closed) {
      return false;
    }
    live.add(e);
    if (closed) {
      // close() ran meanwhile: either it took the entry (and expires it) or it is still ours
      return !live.remove(e);
    }
    if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
      schedule();
    }
    return true;
  }

  /**
   * Unregisters an entry (its work completed): it will not expire and is no longer referenced.
   * Harmless when the entry is not registered.
   *
   * @param e the entry
   */
  public void remove(Entry e) {
    live.remove(e);
  }

  /**
   * How many entries are registered.
   *
   * @return the count
   */
  public int size() {
    return live.size();
  }

  /**
   * Whether the sweep is scheduled or running.
   *
   * @return true while it ticks
   */
  public boolean sweeping() {
    return sweeping.get();
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return true when closed
   */
  public boolean closed() {
    return closed;
  }

  private void schedule() {
    try {
      // a handle we do not keep: the sweep reschedules itself, or stops
      var unused = timer.schedule(this::sweep, tickNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException shutDown) {
      sweeping.set(false);
      close(); // the timer is gone: nothing would ever expire, so end everything now
    }
  }

  // a concurrent set's iterator is weakly consistent: removing while iterating is safe, and
  // remove's answer decides which of sweep, close and the work itself ends an entry
  @SuppressWarnings("ModifyCollectionInEnhancedForLoop")
  private void sweep() {
    if (closed) {
      sweeping.set(false);
      return;
    }
    long now = System.nanoTime();
    for (Entry e : live) {
      if (now - e.deadline >= 0 && live.remove(e)) {
        expire(e, false);
      }
    }
    if (!live.isEmpty()) {
      idle = 0;
    } else if (++idle >= idleTicks) {
      idle = 0;
      sweeping.set(false);
      // an add() that saw the sweep still running relies on it: take over again if one came in
      if (live.isEmpty() || !sweeping.compareAndSet(false, true)) {
        return;
      }
    }
    schedule();
  }

  private static void expire(Entry e, boolean closing) {
    try {
      e.expire(closing);
    } catch (RuntimeException x) {
      // one failing callback must not stop the sweep for the others
      LOG.warn("a deadline callback failed: {}", x.toString());
    }
  }

  /** Refuses new entries and expires every registered one now, with {@code closing} set. */
  @Override
  @SuppressWarnings("ModifyCollectionInEnhancedForLoop") // as in sweep()
  public void close() {
    closed = true;
    for (Entry e : live) {
      if (live.remove(e)) {
        expire(e, true);
      }
    }
  }
}
