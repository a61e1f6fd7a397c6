package dev.beckon.broadcast;

import dev.beckon.reference.ReferenceKey;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one reference in a broadcast. Every reference listed ends in exactly one {@link
 * Kind}.
 *
 * @param key the reference
 * @param kind the final category
 * @param activityId the new activity id when delivered, else {@code null}
 * @param code the service's error code (e.g. {@code ConversationBlockedByUser}) or HTTP status, or
 *     {@code null}
 * @param reason a human-readable reason when not delivered, else {@code null}
 * @param removed whether a gone reference was deleted from the store (per policy)
 */
public record BroadcastOutcome(
    ReferenceKey key,
    Kind kind,
    @Nullable String activityId,
    @Nullable String code,
    @Nullable String reason,
    boolean removed) {

  /**
   * The final categories: coarser than {@link dev.beckon.send.SendOutcome.Kind}, since a broadcast
   * accounts for references rather than requests. {@code DELIVERED} is the send's {@code
   * DELIVERED}; {@code GONE} its {@code CONVERSATION_GONE}; {@code FAILED} any other send kind once
   * the broadcast's retries are spent ({@code code} and {@code reason} keep the send's error code,
   * kind and message), or an unreadable stored row; {@code SKIPPED} has no send counterpart.
   */
  public enum Kind {
    /** The message was delivered; {@code activityId} is set. */
    DELIVERED,
    /** The conversation is gone (403 blocked/removed, 404): the reference is stale. */
    GONE,
    /** Sending failed for another reason, after the retries allowed; {@code reason} says why. */
    FAILED,
    /** Not attempted: the broadcast was cancelled first. */
    SKIPPED
  }

  /**
   * Validates.
   *
   * @param key the reference
   * @param kind the final category
   * @param activityId the new activity id when delivered, else {@code null}
   * @param code the service's error code (e.g. {@code ConversationBlockedByUser}) or HTTP status,
   *     or {@code null}
   * @param reason a human-readable reason when not delivered, else {@code null}
   * @param removed whether a gone reference was deleted from the store (per policy)
   */
  public BroadcastOutcome {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    if (removed && kind != Kind.GONE) {
      throw new IllegalArgumentException("only a GONE reference can be removed");
    }
  }
}
