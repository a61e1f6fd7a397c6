package dev.beckon.examples.bots;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import java.util.Locale;

/**
 * One incoming message and how to answer it: in the same thread (a reply to it when it has an id),
 * with the bot's own {@code <at>…</at>} mention removed from the text (Teams channels deliver it in
 * the text).
 *
 * @param sender how the bot speaks
 * @param activity the incoming message
 * @param reference its conversation
 */
record Turn(Sender sender, Activity activity, ConversationReference reference) {

  /** The text without mentions, with runs of white space collapsed ("" when none). */
  String text() {
    String t = activity.text() == null ? "" : activity.text();
    return t.replaceAll("(?s)<at>.*?</at>", " ").strip().replaceAll("\\s+", " ");
  }

  /** {@link #text()} lower-cased, for matching commands. */
  String command() {
    return text().toLowerCase(Locale.ROOT);
  }

  /** Answers the message. */
  SendOutcome answer(String text) {
    return activity.id() == null
        ? sender.send(reference, Activity.message(text))
        : sender.reply(reference, activity.id(), Activity.message(text));
  }
}
