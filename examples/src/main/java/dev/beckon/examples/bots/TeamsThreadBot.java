package dev.beckon.examples.bots;

import dev.beckon.activity.Activity;
import dev.beckon.inbound.CaptureHandler;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.ConversationParameters;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.StoredReference;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Posting into Teams channel threads, later and from the store (PROTOCOL.md §6.6: "posting into an
 * existing channel thread; {@code replyToId} ignored").
 *
 * <ul>
 *   <li>{@code @bot watch} in a channel thread: the thread's reference is saved (its conversation
 *       id ends in {@code ;messageid=<root>}, which is what routes a post into that thread), and a
 *       moment later the bot posts an update <i>into that thread</i> from the stored reference.
 *   <li>{@code @bot new thread <topic>}: the bot starts a new thread in the same channel ({@code
 *       POST /v3/conversations} with {@code channelData.channel.id}), saves the new thread's
 *       reference, and posts a follow-up into it later.
 * </ul>
 *
 * <p>Run: {@code scripts/example.sh teams-thread}. Outside a Teams channel (the Emulator) only
 * {@code watch} applies: the "thread" is the whole conversation.
 */
public final class TeamsThreadBot implements CaptureHandler.ActivityListener, AutoCloseable {

  private final ReferenceRepository repository;
  private final Proactive proactive;
  private final Sender sender;
  private final Duration followUp;
  private final Consumer<String> log;
  private final ScheduledExecutorService timer = BotHost.daemonTimer("thread-updates");

  /**
   * Creates the bot.
   *
   * @param repository where references are kept
   * @param sender how it speaks
   * @param followUp how long after a command the proactive post comes
   * @param log where it narrates what it does
   */
  public TeamsThreadBot(
      ReferenceRepository repository, Sender sender, Duration followUp, Consumer<String> log) {
    this.repository = repository;
    this.proactive = new Proactive(repository, sender);
    this.sender = sender;
    this.followUp = followUp;
    this.log = log;
  }

  @Override
  public void onActivity(
      Activity activity,
      @Nullable ConversationReference reference,
      CaptureHandler.Outcome outcome) {
    if (reference == null || !"message".equals(activity.type())) {
      return;
    }
    Turn turn = new Turn(sender, activity, reference);
    String command = turn.command();
    if (command.equals("watch")) {
      turn.answer("Watching this thread: updates will be posted here.");
      later(reference.key(), "Update: the deployment you are watching finished.");
    } else if (command.startsWith("new thread ")) {
      newThread(turn, turn.text().substring("new thread ".length()).strip());
    } else {
      turn.answer("Mention me with \"watch\" in a thread, or \"new thread <topic>\" in a channel.");
    }
  }

  private void newThread(Turn turn, String topic) {
    String channel = teamsChannelId(turn.activity());
    if (channel == null) {
      turn.answer("\"new thread\" needs a Teams channel conversation.");
      return;
    }
    ConversationReference from = turn.reference();
    SendOutcome created =
        sender.createConversation(
            from,
            ConversationParameters.channelThread(
                channel, Activity.message("📌 " + topic), from.conversation().tenantId()));
    if (!created.delivered() || created.conversation() == null) {
      turn.answer(
          "I could not start the thread: "
              + created.kind()
              + (created.errorCode() == null ? "" : " " + created.errorCode()));
      return;
    }
    StoredReference saved = repository.save(created.conversation());
    log.accept("new thread " + saved.reference().conversation().id() + " saved");
    turn.answer("Started a new thread: " + topic);
    later(saved.reference().key(), "First update on \"" + topic + "\".");
  }

  /** Posts into a conversation later, found by its key in the store (as another process would). */
  private void later(ReferenceKey key, String text) {
    // the update logs its own outcome: the timer handle is not needed
    var unused =
        timer.schedule(
            () -> {
              Optional<SendOutcome> sent = proactive.sendTo(key, Activity.message(text));
              log.accept(
                  sent.isEmpty()
                      ? "update dropped: " + key.conversationId() + " is no longer stored"
                      : "update posted to " + key.conversationId() + ": " + sent.get().kind());
            },
            followUp.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /**
   * The channel of a Teams channel message: {@code channelData.channel.id} or {@code
   * teamsChannelId}.
   */
  static @Nullable String teamsChannelId(Activity activity) {
    if (activity.channelData() instanceof Map<?, ?> data) {
      if (data.get("channel") instanceof Map<?, ?> channel
          && channel.get("id") instanceof String id
          && !id.isBlank()) {
        return id;
      }
      if (data.get("teamsChannelId") instanceof String id && !id.isBlank()) {
        return id;
      }
    }
    return null;
  }

  /** Cancels pending updates. */
  @Override
  public void close() {
    timer.shutdownNow();
  }

  /**
   * Runs the bot on {@code 127.0.0.1:3978} (see {@link BotHost}); updates follow a command after
   * {@code BECKON_FOLLOW_UP_SECONDS} seconds (default 5).
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    Duration followUp =
        Duration.ofSeconds(
            Long.parseLong(System.getenv().getOrDefault("BECKON_FOLLOW_UP_SECONDS", "5")));
    BotHost.runUntilStopped(
        "Beckon example: Teams channel threads",
        host -> new TeamsThreadBot(host.repository(), host.sender(), followUp, System.out::println),
        System.out);
  }
}
