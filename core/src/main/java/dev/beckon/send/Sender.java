package dev.beckon.send;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import java.util.concurrent.CompletableFuture;

/**
 * Posts into the conversation of a stored reference. Every method returns a {@link SendOutcome} —
 * protocol failures are outcomes, not exceptions — in an async form and a blocking one.
 * Implementations are thread-safe.
 *
 * <p>A send is a <b>new message</b>: the reference's stored {@code activityId} never turns it into
 * a reply. Reply explicitly with {@link #replyAsync}.
 *
 * <pre>{@code
 * SendOutcome o = sender.send(reference, Activity.message("Your report is ready"));
 * switch (o.kind()) {
 *   case DELIVERED -> log.info("sent {}", o.id());
 *   case CONVERSATION_GONE -> repository.delete(reference.key());
 *   default -> log.warn("not sent: {} {}", o.kind(), o.message());
 * }
 * }</pre>
 */
public interface Sender {

  /**
   * Sends a new message into the reference's conversation.
   *
   * @param to where
   * @param activity what; addressed to the reference ({@link Activity#addressedTo})
   * @return the outcome
   */
  CompletableFuture<SendOutcome> sendAsync(ConversationReference to, Activity activity);

  /**
   * Replies to an activity of the conversation (a Teams thread reply, for instance).
   *
   * @param to where
   * @param replyToId the activity replied to
   * @param activity what
   * @return the outcome
   */
  CompletableFuture<SendOutcome> replyAsync(
      ConversationReference to, String replyToId, Activity activity);

  /**
   * Replaces an activity the bot sent.
   *
   * @param to where
   * @param activityId the activity to update
   * @param activity its new content
   * @return the outcome
   */
  CompletableFuture<SendOutcome> updateAsync(
      ConversationReference to, String activityId, Activity activity);

  /**
   * Deletes an activity the bot sent.
   *
   * @param to where
   * @param activityId the activity to delete
   * @return the outcome
   */
  CompletableFuture<SendOutcome> deleteAsync(ConversationReference to, String activityId);

  /**
   * Creates a conversation on the reference's channel and service (Teams 1:1 with a member, a new
   * channel thread). The outcome's {@link SendOutcome#conversation()} is a reference to the new
   * conversation, ready to save and send to.
   *
   * @param from a reference on the same channel, service and bot (e.g. a team's)
   * @param parameters what to create
   * @return the outcome
   */
  CompletableFuture<SendOutcome> createConversationAsync(
      ConversationReference from, ConversationParameters parameters);

  /**
   * This sender without retries of its own: one request per send. A caller that retries by itself —
   * a {@link dev.beckon.broadcast.Broadcast} — sends through it, so that its retries never multiply
   * the sender's. {@link BotConnectorSender} returns a view on the same connections; the default
   * returns this sender, which suits a sender that does not retry (a sender of your own that
   * retries must override it).
   *
   * @return a sender that makes one attempt per send
   */
  default Sender withoutRetries() {
    return this;
  }

  /**
   * Blocking {@link #sendAsync}.
   *
   * @param to where
   * @param activity what
   * @return the outcome
   */
  default SendOutcome send(ConversationReference to, Activity activity) {
    return sendAsync(to, activity).join();
  }

  /**
   * Blocking {@link #replyAsync}.
   *
   * @param to where
   * @param replyToId the activity replied to
   * @param activity what
   * @return the outcome
   */
  default SendOutcome reply(ConversationReference to, String replyToId, Activity activity) {
    return replyAsync(to, replyToId, activity).join();
  }

  /**
   * Blocking {@link #updateAsync}.
   *
   * @param to where
   * @param activityId the activity to update
   * @param activity its new content
   * @return the outcome
   */
  default SendOutcome update(ConversationReference to, String activityId, Activity activity) {
    return updateAsync(to, activityId, activity).join();
  }

  /**
   * Blocking {@link #deleteAsync}.
   *
   * @param to where
   * @param activityId the activity to delete
   * @return the outcome
   */
  default SendOutcome delete(ConversationReference to, String activityId) {
    return deleteAsync(to, activityId).join();
  }

  /**
   * Blocking {@link #createConversationAsync}.
   *
   * @param from a reference on the same channel and service
   * @param parameters what to create
   * @return the outcome
   */
  default SendOutcome createConversation(
      ConversationReference from, ConversationParameters parameters) {
    return createConversationAsync(from, parameters).join();
  }
}
