package dev.beckon.send;

import dev.beckon.reference.ConversationReference;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one send. Protocol failures are outcomes, never exceptions, so a caller (or a
 * broadcast) can account for every send.
 *
 * @param kind the category
 * @param status the last HTTP status, or 0 when no response was received
 * @param id the new activity id (or, for a created conversation, the conversation id), when
 *     delivered
 * @param errorCode the service's error code ({@code ConversationBlockedByUser}, Teams sub-codes
 *     such as {@code MessageWritesBlocked}, …) or a Beckon code ({@code UntrustedServiceUrl},
 *     {@code Timeout}, …), or {@code null}
 * @param message a human-readable explanation, or {@code null} when delivered with nothing to note
 *     (a delivered answer whose body was too large to read says so here); never a token
 * @param correlationId the service's {@code MS-CV} or {@code X-Correlating-OperationId}, for
 *     Microsoft support, or {@code null}
 * @param retryAfter the service's {@code Retry-After} on a 429, at most 1 hour (larger values are
 *     read as 1 hour; a date in the past as zero; an unreadable one as absent), or {@code null}
 * @param attempts how many requests were made
 * @param conversation for a created conversation: a ready-to-save reference to it, else {@code
 *     null}
 */
public record SendOutcome(
    Kind kind,
    int status,
    @Nullable String id,
    @Nullable String errorCode,
    @Nullable String message,
    @Nullable String correlationId,
    @Nullable Duration retryAfter,
    int attempts,
    @Nullable ConversationReference conversation) {

  /** The categories of PROTOCOL.md §3. */
  public enum Kind {
    /** Delivered; {@link #id()} holds the new activity id. */
    DELIVERED,
    /** 429 and still throttled after the retries allowed. Retry later. */
    THROTTLED,
    /** 403 blocked/removed or 404: the conversation is gone and the reference is stale. */
    CONVERSATION_GONE,
    /** 403 not allowed now (disabled by admin, permissions). Retrying will not help. */
    FORBIDDEN,
    /** 401: the bot's credentials are wrong. Retrying will not help. */
    UNAUTHORIZED,
    /**
     * 400/413, an untrusted service URL, a government tenant on the public host. Fix the request.
     */
    REJECTED,
    /** 5xx or connection failures after the retries allowed. */
    FAILED,
    /**
     * The request may or may not have been delivered (a timeout or reset after it was sent). Never
     * used for a request that certainly did not leave: that is {@link #FAILED} (could not connect)
     * or {@link #REJECTED} (the HTTP client refused the request itself), with the cause named.
     */
    UNKNOWN
  }

  /**
   * Validates.
   *
   * @param kind the category
   * @param status the last HTTP status, or 0 when no response was received
   * @param id the new activity id (or, for a created conversation, the conversation id), when
   *     delivered
   * @param errorCode the service's error code ({@code ConversationBlockedByUser}, Teams sub-codes
   *     such as {@code MessageWritesBlocked}, …) or a Beckon code ({@code UntrustedServiceUrl},
   *     {@code Timeout}, …), or {@code null}
   * @param message a human-readable explanation, or {@code null} when delivered with nothing to
   *     note (a delivered answer whose body was too large to read says so here); never a token
   * @param correlationId the service's {@code MS-CV} or {@code X-Correlating-OperationId}, for
   *     Microsoft support, or {@code null}
   * @param retryAfter the service's {@code Retry-After} on a 429, at most 1 hour (larger values are
   *     read as 1 hour; a date in the past as zero; an unreadable one as absent), or {@code null}
   * @param attempts how many requests were made
   * @param conversation for a created conversation: a ready-to-save reference to it, else {@code
   *     null}
   */
  public SendOutcome {
    Objects.requireNonNull(kind, "kind");
  }

  /**
   * Whether it was delivered.
   *
   * @return {@code kind == DELIVERED}
   */
  public boolean delivered() {
    return kind == Kind.DELIVERED;
  }

  /**
   * Whether sending the same thing again later can help: throttled or failed. Not for {@code
   * UNKNOWN} (it may duplicate the message) nor for refusals.
   *
   * @return true when a later retry may succeed
   */
  public boolean retryable() {
    return kind == Kind.THROTTLED || kind == Kind.FAILED;
  }
}
