package dev.beckon.delivery;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ReferenceKey;
import java.time.Instant;
import java.util.Objects;

/**
 * A delivery a worker has claimed: it holds it until {@link #leaseUntil()}, and settles it with
 * {@link DeliveryQueue#complete}, {@link DeliveryQueue#reschedule} or {@link DeliveryQueue#release}
 * (each refused once the claim is lost). Only {@link DeliveryWorker} needs this type.
 *
 * @param deliveryKey the application's key
 * @param to the conversation it goes to
 * @param activity what to send
 * @param attempts how many sends were started before this claim
 * @param firstDue when it was first due (its {@code notBefore} when scheduled); deadlines count
 *     from it
 * @param claimedAt the queue's time of the claim
 * @param leaseUntil when the claim expires and another worker may take it
 * @param interrupted whether an earlier claim expired without being settled: a worker died or
 *     stalled, perhaps during its send, so the message may already have been delivered
 * @param claimToken what proves this claim to the queue; opaque
 */
public record Delivery(
    String deliveryKey,
    ReferenceKey to,
    Activity activity,
    int attempts,
    Instant firstDue,
    Instant claimedAt,
    Instant leaseUntil,
    boolean interrupted,
    String claimToken) {

  /**
   * Validates.
   *
   * @param deliveryKey the application's key
   * @param to the conversation it goes to
   * @param activity what to send
   * @param attempts how many sends were started before this claim
   * @param firstDue when it was first due
   * @param claimedAt the queue's time of the claim
   * @param leaseUntil when the claim expires
   * @param interrupted whether an earlier claim expired without being settled
   * @param claimToken what proves this claim to the queue
   */
  public Delivery {
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(activity, "activity");
    Objects.requireNonNull(firstDue, "firstDue");
    Objects.requireNonNull(claimedAt, "claimedAt");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    Objects.requireNonNull(claimToken, "claimToken");
  }

  @Override
  public String toString() {
    return "Delivery[" + deliveryKey + " to " + to + ", attempts=" + attempts + "]";
  }
}
