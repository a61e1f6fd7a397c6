package dev.beckon.cli;

import dev.beckon.delivery.Delivery;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.spi.ForwardingDeliveryQueue;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The queue {@code beckon worker} hands its {@link dev.beckon.delivery.DeliveryWorker}: the opened
 * queue itself, counting what the worker claims and how it settles each claim, for the progress
 * line and the summary. Every call goes to the queue unchanged ({@link ForwardingDeliveryQueue}).
 */
final class CountingQueue extends ForwardingDeliveryQueue {

  private final AtomicLong claimed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong released = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final Map<DeliveryState, AtomicLong> ended = new EnumMap<>(DeliveryState.class);

  CountingQueue(DeliveryQueue queue) {
    super(queue);
    for (DeliveryState s : DeliveryState.values()) {
      ended.put(s, new AtomicLong());
    }
  }

  /** What the worker did so far. */
  record Counts(
      long claimed,
      long delivered,
      long gone,
      long failed,
      long unknown,
      long dead,
      long retried,
      long released,
      long lost) {

    /** Claims not settled yet (sends in flight). */
    long inFlight() {
      return Math.max(
          0, claimed - delivered - gone - failed - unknown - dead - retried - released - lost);
    }
  }

  Counts progress() {
    return new Counts(
        claimed.get(),
        ended.get(DeliveryState.DELIVERED).get(),
        ended.get(DeliveryState.GONE).get(),
        ended.get(DeliveryState.FAILED).get(),
        ended.get(DeliveryState.UNKNOWN).get(),
        ended.get(DeliveryState.DEAD).get(),
        retried.get(),
        released.get(),
        lost.get());
  }

  @Override
  public List<Delivery> claim(String worker, int max, Duration lease) {
    List<Delivery> c = super.claim(worker, max, lease);
    claimed.addAndGet(c.size());
    return c;
  }

  @Override
  public boolean complete(
      Delivery claim,
      DeliveryState state,
      int attempts,
      String outcome,
      @Nullable String activityId) {
    boolean done = super.complete(claim, state, attempts, outcome, activityId);
    (done ? ended.get(state) : lost).incrementAndGet();
    return done;
  }

  @Override
  public boolean reschedule(Delivery claim, Duration delay, int attempts, String outcome) {
    boolean done = super.reschedule(claim, delay, attempts, outcome);
    (done ? retried : lost).incrementAndGet();
    return done;
  }

  @Override
  public boolean release(Delivery claim) {
    boolean done = super.release(claim);
    (done ? released : lost).incrementAndGet();
    return done;
  }
}
