package dev.beckon.micrometer;

import dev.beckon.delivery.Delivery;
import dev.beckon.delivery.DeliveryCounts;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.spi.ForwardingDeliveryQueue;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DeliveryQueue} that keeps the {@code beckon.delivery.*} meters: the attempts of every
 * delivery a worker settles through it, and gauges of the queue's {@link DeliveryQueue#counts()},
 * read at most once per {@code maxAge} whatever the number of scrapes. Every call goes to the queue
 * unchanged ({@link ForwardingDeliveryQueue}).
 */
final class MeteredDeliveryQueue extends ForwardingDeliveryQueue {

  private static final Logger LOG = LoggerFactory.getLogger(MeteredDeliveryQueue.class);

  private final Map<DeliveryState, DistributionSummary> attempts =
      new EnumMap<>(DeliveryState.class);
  private final Counts counts;

  MeteredDeliveryQueue(
      DeliveryQueue queue, String name, MeterRegistry meters, Duration maxAge, LongSupplier nanos) {
    super(queue);
    for (DeliveryState s : DeliveryState.values()) {
      if (s.terminal()) {
        attempts.put(
            s,
            DistributionSummary.builder(BeckonMeters.DELIVERY_ATTEMPTS)
                .description("Sends a delivery took, by the state it ended in")
                .baseUnit("attempts")
                .tag(BeckonMeters.QUEUE, name)
                .tag(BeckonMeters.OUTCOME, s.name())
                .register(meters));
      }
    }
    this.counts = new Counts(queue, name, maxAge.toNanos(), nanos);
    if (counts.supported()) {
      gauge(meters, BeckonMeters.DELIVERY_DEPTH, name, "Deliveries pending", c -> c.pending());
      gauge(meters, BeckonMeters.DELIVERY_DEAD, name, "Deliveries given up on", c -> c.dead());
      TimeGauge.builder(
              BeckonMeters.DELIVERY_LAG,
              counts,
              TimeUnit.MILLISECONDS,
              c -> c.read(n -> n.lag().toMillis()))
          .description("How long the oldest due delivery no worker holds has waited")
          .tag(BeckonMeters.QUEUE, name)
          .strongReference(true)
          .register(meters);
    }
  }

  private void gauge(
      MeterRegistry meters,
      String metric,
      String name,
      String what,
      ToDoubleFunction<DeliveryCounts> f) {
    Gauge.builder(metric, counts, c -> c.read(f))
        .description(what)
        .tag(BeckonMeters.QUEUE, name)
        .strongReference(true)
        .register(meters);
  }

  @Override
  public boolean complete(
      Delivery claim,
      DeliveryState state,
      int attempts,
      String outcome,
      @Nullable String activityId) {
    boolean done = super.complete(claim, state, attempts, outcome, activityId);
    DistributionSummary summary = this.attempts.get(state);
    if (done && summary != null) {
      summary.record(attempts);
    }
    return done;
  }

  @Override
  public String toString() {
    return "Metered" + delegate();
  }

  /** The last counts, read again when older than the maximum age; NaN while the queue fails. */
  private static final class Counts {
    private final DeliveryQueue queue;
    private final String name;
    private final long maxAgeNanos;
    private final LongSupplier nanos;
    private final boolean supported;
    private @Nullable DeliveryCounts last;
    private long readAt;
    private boolean read;

    Counts(DeliveryQueue queue, String name, long maxAgeNanos, LongSupplier nanos) {
      this.queue = queue;
      this.name = name;
      this.maxAgeNanos = maxAgeNanos;
      this.nanos = nanos;
      boolean s;
      try {
        s = queue.counts().isPresent(); // the first scrape reads them afresh

      } catch (RuntimeException e) {
        LOG.debug("delivery queue {}: counting failed: {}", name, e.getClass().getName());
        s = true; // it counts, it failed this time: the gauges read NaN until it answers
      }
      this.supported = s;
    }

    boolean supported() {
      return supported;
    }

    synchronized double read(ToDoubleFunction<DeliveryCounts> f) {
      long now = nanos.getAsLong();
      if (!read || now - readAt >= maxAgeNanos) {
        readAt = now;
        read = true;
        try {
          last = queue.counts().orElse(null);
        } catch (RuntimeException e) {
          LOG.debug("delivery queue {}: counting failed: {}", name, e.getClass().getName());
          last = null;
        }
      }
      DeliveryCounts c = last;
      return c == null ? Double.NaN : f.applyAsDouble(c);
    }
  }
}
