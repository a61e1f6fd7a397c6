package dev.beckon.examples.bots;

import dev.beckon.activity.Activity;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A scheduled reminder: "remind me in 10 minutes to stretch". The bot confirms at once; when the
 * time comes it looks the conversation up in the store <i>by its key alone</i> and speaks first. A
 * reminder whose conversation is gone (the user removed the bot, the store lost it, the channel
 * answers 403/404) is dropped, and a stale reference is deleted.
 *
 * <p>Only the {@link ReferenceKey} travels with the scheduled job — what a real job store (Quartz,
 * db-scheduler, a queue with a delay) would keep. This example schedules in memory, so reminders do
 * not survive a restart; the references do.
 *
 * <p>Run: {@code scripts/example.sh reminder} (see {@link BotHost} for the configuration).
 */
public final class ReminderBot implements CaptureHandler.ActivityListener, AutoCloseable {

  private static final Pattern ASK =
      Pattern.compile(
          "remind me in (\\d{1,6}) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|h)\\b(?: to)? (.+)",
          Pattern.CASE_INSENSITIVE);

  /** The longest reminder accepted. */
  public static final Duration MAX_DELAY = Duration.ofDays(1);

  private final Proactive proactive;
  private final Sender sender;
  private final Consumer<String> log;
  private final ScheduledExecutorService timer = BotHost.daemonTimer("reminders");

  /**
   * Creates the bot.
   *
   * @param repository where references are kept
   * @param sender how it speaks
   * @param log where it narrates what it does
   */
  public ReminderBot(ReferenceRepository repository, Sender sender, Consumer<String> log) {
    this.proactive = new Proactive(repository, sender);
    this.sender = sender;
    this.log = log;
  }

  /**
   * Parses "remind me in N unit [to] what".
   *
   * @param text the message text
   * @return the delay and what to remind of, or empty when the text is not a reminder request
   */
  static Optional<Reminder> parse(@Nullable String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = ASK.matcher(text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    ChronoUnit u =
        unit.startsWith("h")
            ? ChronoUnit.HOURS
            : unit.startsWith("m") ? ChronoUnit.MINUTES : ChronoUnit.SECONDS;
    return Optional.of(new Reminder(Duration.of(n, u), m.group(3).strip()));
  }

  /** A parsed request. */
  record Reminder(Duration delay, String what) {}

  @Override
  public void onActivity(
      Activity activity,
      @Nullable ConversationReference reference,
      CaptureHandler.Outcome outcome) {
    if (reference == null || !"message".equals(activity.type())) {
      return;
    }
    Turn turn = new Turn(sender, activity, reference);
    Optional<Reminder> asked = parse(turn.text());
    if (asked.isEmpty()) {
      turn.answer("Tell me \"remind me in 10 minutes to stretch\" and I'll come back to you.");
      return;
    }
    Reminder r = asked.get();
    if (r.delay().compareTo(MAX_DELAY) > 0 || r.delay().isZero()) {
      turn.answer("I can remind you from 1 second up to 24 hours ahead.");
      return;
    }
    ReferenceKey key = reference.key();
    // the reminder logs its own outcome: the timer handle is not needed
    var unused =
        timer.schedule(() -> remind(key, r.what()), r.delay().toMillis(), TimeUnit.MILLISECONDS);
    turn.answer("OK — in " + describe(r.delay()) + " I'll remind you to " + r.what() + ".");
    log.accept("reminder scheduled in " + describe(r.delay()) + " for " + key.conversationId());
  }

  private void remind(ReferenceKey key, String what) {
    Optional<SendOutcome> sent = proactive.sendTo(key, Activity.message("⏰ Reminder: " + what));
    if (sent.isEmpty()) {
      log.accept("reminder dropped: " + key.conversationId() + " is no longer in the store");
    } else if (sent.get().kind() == SendOutcome.Kind.CONVERSATION_GONE) {
      log.accept(
          "reminder dropped: the conversation is gone ("
              + sent.get().errorCode()
              + "); reference deleted");
    } else {
      log.accept("reminder sent: " + sent.get().kind());
    }
  }

  private static String describe(Duration d) {
    long s = d.toSeconds();
    if (s % 3600 == 0) {
      return plural(s / 3600, "hour");
    }
    return s % 60 == 0 ? plural(s / 60, "minute") : plural(s, "second");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  /** Cancels the pending reminders. */
  @Override
  public void close() {
    timer.shutdownNow();
  }

  /**
   * Runs the bot on {@code http://127.0.0.1:3978/api/messages}, on the store {@code BECKON_STORE}
   * names (see {@link dev.beckon.examples.config.BotConfig}).
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    BotHost.runUntilStopped(
        "Beckon example: reminder bot",
        host -> new ReminderBot(host.repository(), host.sender(), System.out::println),
        System.out);
  }
}
