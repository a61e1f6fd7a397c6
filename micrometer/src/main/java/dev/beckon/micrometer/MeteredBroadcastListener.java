package dev.beckon.micrometer;

import dev.beckon.broadcast.BroadcastListener;
import dev.beckon.broadcast.BroadcastOutcome;
import dev.beckon.broadcast.BroadcastProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * A broadcast's progress as gauges and its outcomes as counters, tagged with the broadcast's name;
 * then the listener it wraps, if any. Thread-safe.
 */
final class MeteredBroadcastListener implements BroadcastListener {

  /**
   * The latest snapshot of every broadcast of one name: the gauges read it. Kept by {@link
   * BeckonObservations} per name, so a second broadcast of a name moves the same gauges.
   */
  static final class Gauges {
    volatile BroadcastProgress latest =
        new BroadcastProgress(0, 0, 0, 0, 0, 0, java.time.Duration.ZERO, 1.0);
    private final Map<BroadcastOutcome.Kind, Counter> outcomes =
        new EnumMap<>(BroadcastOutcome.Kind.class);

    Gauges(MeterRegistry meters, String name) {
      Gauge.builder(
              BeckonMeters.BROADCAST_SENT,
              this,
              g -> g.latest.delivered() + g.latest.gone() + g.latest.failed())
          .description("References of the broadcast sent with a final answer")
          .tag(BeckonMeters.BROADCAST, name)
          .register(meters);
      Gauge.builder(
              BeckonMeters.BROADCAST_REMAINING,
              this,
              g -> Math.max(0, g.latest.listed() - g.latest.done()))
          .description("References listed and not finished yet")
          .tag(BeckonMeters.BROADCAST, name)
          .register(meters);
      Gauge.builder(BeckonMeters.BROADCAST_RATE, this, g -> g.latest.perSecond())
          .description("Final outcomes per second since the broadcast started")
          .tag(BeckonMeters.BROADCAST, name)
          .register(meters);
      Gauge.builder(BeckonMeters.BROADCAST_RATE_FACTOR, this, g -> g.latest.rateFactor())
          .description("Adaptive slowdown: 1.0 at the profile's full rate")
          .tag(BeckonMeters.BROADCAST, name)
          .register(meters);
      for (BroadcastOutcome.Kind kind : BroadcastOutcome.Kind.values()) {
        outcomes.put(
            kind,
            Counter.builder(BeckonMeters.BROADCAST_OUTCOMES)
                .description("References of the broadcast by final outcome")
                .tag(BeckonMeters.BROADCAST, name)
                .tag(BeckonMeters.OUTCOME, kind.name())
                .register(meters));
      }
    }

    void outcome(BroadcastOutcome.Kind kind) {
      Counter c = outcomes.get(kind);
      if (c != null) {
        c.increment();
      }
    }
  }

  private final Gauges gauges;
  private final BroadcastListener next;

  MeteredBroadcastListener(Gauges gauges, BroadcastListener next) {
    this.gauges = gauges;
    this.next = next;
  }

  @Override
  public void onOutcome(BroadcastOutcome outcome) {
    gauges.outcome(outcome.kind());
    next.onOutcome(outcome);
  }

  @Override
  public void onProgress(BroadcastProgress progress) {
    gauges.latest = progress;
    next.onProgress(progress);
  }
}
