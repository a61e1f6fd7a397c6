package dev.beckon.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link DeliveryQueue} holds right now, for monitoring ({@link DeliveryQueue#counts()}):
 * the numbers behind the {@code beckon.delivery.depth}, {@code beckon.delivery.lag} and {@code
 * beckon.delivery.dead} gauges of {@code beckon-micrometer}.
 *
 * @param pending deliveries {@link DeliveryState#PENDING}: scheduled, due, or being sent
 * @param dead deliveries {@link DeliveryState#DEAD} (given up on) and not purged yet
 * @param lag how long the oldest due delivery that no worker holds has been due, by the queue's
 *     clock; {@link Duration#ZERO} when none is waiting. It grows while no worker keeps up.
 */
public record DeliveryCounts(long pending, long dead, Duration lag) {

  /**
   * Validates.
   *
   * @param pending pending deliveries, zero or more
   * @param dead dead deliveries, zero or more
   * @param lag the oldest due delivery's wait, zero or more
   * @throws IllegalArgumentException for a negative count or lag
   */
  public DeliveryCounts {
    Objects.requireNonNull(lag, "lag");
    if (pending < 0 || dead < 0 || lag.isNegative()) {
      throw new IllegalArgumentException("counts and lag must not be negative");
    }
  }
}
