package dev.beckon.spring.boot;

import dev.beckon.activity.Activity;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.reference.ConversationReference;
import org.jspecify.annotations.Nullable;

/**
 * Your bot's handling of an inbound activity, as a bean: the endpoint calls it after the token was
 * validated and the reference captured (saved, or removed when the bot was removed), and answers
 * the Bot Connector with the status it returns.
 *
 * <pre>{@code
 * @Bean
 * ActivityHandler bot(Sender sender) {
 *   return (activity, reference, outcome) -> {
 *     if (reference != null && "message".equals(activity.type())) {
 *       sender.send(reference, Activity.message("Noted: I will tell you when it is done."));
 *     }
 *     return 200;
 *   };
 * }
 * }</pre>
 *
 * <p>Without such a bean the endpoint still captures references and answers 200. An exception
 * propagates to Spring MVC (a 500, and the channel retries); a status outside 200..599 is answered
 * as 500. Called on the servlet request thread, concurrently: implementations must be thread-safe.
 */
@FunctionalInterface
public interface ActivityHandler {

  /**
   * Handles one activity.
   *
   * @param activity the activity, as posted
   * @param reference its reference, or {@code null} when the activity has no conversation
   * @param outcome what the endpoint did with the reference ({@code SAVED}, {@code REMOVED} or
   *     {@code IGNORED})
   * @return the HTTP status to answer with (200 or 202 usually)
   */
  int handle(
      Activity activity, @Nullable ConversationReference reference, CaptureHandler.Outcome outcome);
}
