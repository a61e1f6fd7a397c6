package dev.beckon.internal.broadcast;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** One send as the broadcast runner sees it: the sender's outcome, reduced to what pacing needs. */
@FunctionalInterface
public interface Dispatch {

  /**
   * Sends one activity, without retrying throttles itself (the runner paces and retries).
   *
   * @param reference where
   * @param activity what
   * @return the result; never completes exceptionally for protocol failures
   */
  CompletableFuture<Result> send(ConversationReference reference, Activity activity);

  /** Reduced outcome kinds. */
  enum Kind {
    /** Delivered. */
    DELIVERED,
    /** 429: slow down, retry after {@code retryAfter}. */
    THROTTLED,
    /** 403/404 with a conversation-gone code: stale reference. */
    GONE,
    /** Transient (5xx, 412, connection): may be retried with backoff. */
    RETRYABLE,
    /** Final failure; retrying cannot help (or it may already have been delivered). */
    FAILED
  }

  /**
   * A reduced outcome.
   *
   * @param kind the kind
   * @param activityId the new activity id when delivered
   * @param code error code or status
   * @param reason human-readable reason
   * @param retryAfter the service's Retry-After when throttled, or {@code null}
   */
  record Result(
      Kind kind,
      @Nullable String activityId,
      @Nullable String code,
      @Nullable String reason,
      @Nullable Duration retryAfter) {}
}
