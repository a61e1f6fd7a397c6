package dev.beckon.broadcast;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.ConversationParameters;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/** An in-process sender whose sends answer from a function, off the caller's thread. */
public class FakeSender implements Sender {

  private final BiFunction<ConversationReference, Activity, SendOutcome> answer;

  /**
   * A sender answering with a function.
   *
   * @param answer the outcome of each send
   */
  public FakeSender(BiFunction<ConversationReference, Activity, SendOutcome> answer) {
    this.answer = answer;
  }

  /**
   * A delivered outcome.
   *
   * @param id the activity id
   * @return the outcome
   */
  public static SendOutcome delivered(String id) {
    return SendOutcome.builder(SendOutcome.Kind.DELIVERED).status(201).id(id).attempts(1).build();
  }

  /**
   * A 429.
   *
   * @param retryAfter its Retry-After
   * @return the outcome
   */
  public static SendOutcome throttled(Duration retryAfter) {
    return SendOutcome.builder(SendOutcome.Kind.THROTTLED)
        .status(429)
        .errorCode("429")
        .message("throttled")
        .retryAfter(retryAfter)
        .attempts(1)
        .build();
  }

  /**
   * An error answer of some kind and status.
   *
   * @param kind the kind
   * @param status the status
   * @param code the error code
   * @return the outcome
   */
  public static SendOutcome failed(SendOutcome.Kind kind, int status, String code) {
    return SendOutcome.builder(kind)
        .status(status)
        .errorCode(code)
        .message("HTTP " + status)
        .attempts(1)
        .build();
  }

  @Override
  public CompletableFuture<SendOutcome> sendAsync(ConversationReference to, Activity activity) {
    return CompletableFuture.supplyAsync(() -> answer.apply(to, activity));
  }

  @Override
  public CompletableFuture<SendOutcome> replyAsync(
      ConversationReference to, String replyToId, Activity activity) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<SendOutcome> updateAsync(
      ConversationReference to, String activityId, Activity activity) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<SendOutcome> deleteAsync(ConversationReference to, String activityId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public CompletableFuture<SendOutcome> createConversationAsync(
      ConversationReference from, ConversationParameters parameters) {
    throw new UnsupportedOperationException();
  }
}
