package dev.beckon.delivery.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One stored delivery, as a backend keeps it: a few indexed columns and the activity document. Read
 * back from a backend, every field is untrusted: the base class validates it before use.
 *
 * @param keyHash the lowercase hex SHA-256 of the delivery key (64 characters): the row's key
 * @param deliveryKey the application's key
 * @param channelId the conversation's channel
 * @param conversationId the conversation's id
 * @param payload the activity's JSON
 * @param state a {@link dev.beckon.delivery.DeliveryState} name
 * @param attempts sends started
 * @param notBefore when it is due, epoch ms
 * @param firstDue when it was first due, epoch ms
 * @param createdAt epoch ms
 * @param updatedAt epoch ms
 * @param leaseToken the token of the claim holding it (or that held it and expired), or {@code
 *     null} when no claim is outstanding
 * @param leaseUntil when that claim's lease ends, epoch ms, or 0
 * @param lastOutcome the last outcome in words, or {@code null}
 * @param activityId the delivered activity's id, or {@code null}
 */
public record QueueRow(
    String keyHash,
    String deliveryKey,
    String channelId,
    String conversationId,
    String payload,
    String state,
    int attempts,
    long notBefore,
    long firstDue,
    long createdAt,
    long updatedAt,
    @Nullable String leaseToken,
    long leaseUntil,
    @Nullable String lastOutcome,
    @Nullable String activityId) {

  /**
   * Requires the non-null fields.
   *
   * @param keyHash the row's key
   * @param deliveryKey the application's key
   * @param channelId the channel
   * @param conversationId the conversation
   * @param payload the activity's JSON
   * @param state a state name
   * @param attempts sends started
   * @param notBefore when due, epoch ms
   * @param firstDue when first due, epoch ms
   * @param createdAt epoch ms
   * @param updatedAt epoch ms
   * @param leaseToken the claim's token, or {@code null}
   * @param leaseUntil the claim's end, epoch ms, or 0
   * @param lastOutcome the last outcome, or {@code null}
   * @param activityId the activity id, or {@code null}
   */
  public QueueRow {
    Objects.requireNonNull(keyHash, "keyHash");
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(channelId, "channelId");
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(state, "state");
  }
}
