package dev.beckon.delivery;

import dev.beckon.reference.ReferenceKey;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a queue knows of one delivery, as {@link DeliveryQueue#status} reports it.
 *
 * @param deliveryKey the application's key
 * @param to the conversation it goes to
 * @param state where it is
 * @param attempts how many sends were started (a send interrupted by a dead worker counts)
 * @param notBefore when it is due next (its first due time once it is final)
 * @param inFlight whether a worker holds it right now (a claim whose lease has not expired)
 * @param lastOutcome the last attempt's outcome in words (e.g. {@code THROTTLED 429 Throttled}), or
 *     {@code null} before the first attempt
 * @param activityId the new activity's id once {@link DeliveryState#DELIVERED}, else {@code null}
 * @param createdAt when it was first scheduled
 * @param updatedAt when its row last changed
 */
public record DeliveryStatus(
    String deliveryKey,
    ReferenceKey to,
    DeliveryState state,
    int attempts,
    Instant notBefore,
    boolean inFlight,
    @Nullable String lastOutcome,
    @Nullable String activityId,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Validates.
   *
   * @param deliveryKey the application's key
   * @param to the conversation it goes to
   * @param state where it is
   * @param attempts how many sends were started
   * @param notBefore when it is due next
   * @param inFlight whether a worker holds it right now
   * @param lastOutcome the last attempt's outcome in words, or {@code null}
   * @param activityId the new activity's id, or {@code null}
   * @param createdAt when it was first scheduled
   * @param updatedAt when its row last changed
   */
  public DeliveryStatus {
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative but was " + attempts);
    }
  }
}
