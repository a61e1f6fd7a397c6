package dev.beckon.micrometer;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.SendOutcome;
import io.micrometer.observation.Observation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link SendObservationConvention} sees of one send: what was asked, and at the end its
 * outcome. Not thread-safe; written by the observed sender only.
 */
public final class SendContext extends Observation.Context {

  /** The sender's operations, with their tag values (the Agents SDK's words). */
  public enum Operation {
    /** {@link dev.beckon.send.Sender#sendAsync}. */
    SEND_ACTIVITY("send_activity"),
    /** {@link dev.beckon.send.Sender#replyAsync}. */
    REPLY_TO_ACTIVITY("reply_to_activity"),
    /** {@link dev.beckon.send.Sender#updateAsync}. */
    UPDATE_ACTIVITY("update_activity"),
    /** {@link dev.beckon.send.Sender#deleteAsync}. */
    DELETE_ACTIVITY("delete_activity"),
    /** {@link dev.beckon.send.Sender#createConversationAsync}. */
    CREATE_CONVERSATION("create_conversation");

    private final String value;

    Operation(String value) {
      this.value = value;
    }

    /**
     * The tag value.
     *
     * @return e.g. {@code send_activity}
     */
    public String value() {
      return value;
    }
  }

  private final Operation operation;
  private final ConversationReference reference;
  private final @Nullable Activity activity;
  private final @Nullable String targetActivityId;
  private @Nullable SendOutcome outcome;

  /**
   * Creates the context of a send about to start.
   *
   * @param operation which call
   * @param reference where to
   * @param activity what, or {@code null} for a delete or a conversation created without one
   * @param targetActivityId the activity replied to, updated or deleted, or {@code null}
   */
  public SendContext(
      Operation operation,
      ConversationReference reference,
      @Nullable Activity activity,
      @Nullable String targetActivityId) {
    this.operation = Objects.requireNonNull(operation, "operation");
    this.reference = Objects.requireNonNull(reference, "reference");
    this.activity = activity;
    this.targetActivityId = targetActivityId;
  }

  /**
   * Which call.
   *
   * @return the operation
   */
  public Operation operation() {
    return operation;
  }

  /**
   * Where to.
   *
   * @return the reference
   */
  public ConversationReference reference() {
    return reference;
  }

  /**
   * What was sent.
   *
   * @return the activity, or {@code null} for a delete or a conversation created without one
   */
  public @Nullable Activity activity() {
    return activity;
  }

  /**
   * The activity replied to, updated or deleted.
   *
   * @return its id, or {@code null} for a send or a created conversation
   */
  public @Nullable String targetActivityId() {
    return targetActivityId;
  }

  /**
   * The outcome, once the send ended with one.
   *
   * @return the outcome, or {@code null} while running or when the sender threw
   */
  public @Nullable SendOutcome outcome() {
    return outcome;
  }

  /**
   * Records the outcome (the observed sender does, before stopping the observation).
   *
   * @param value the outcome
   */
  public void outcome(SendOutcome value) {
    this.outcome = Objects.requireNonNull(value, "outcome");
  }
}
