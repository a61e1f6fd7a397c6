package dev.beckon.examples.bots;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The seed article's bot: "I'll work on that and let you know". When a user asks for a report,
 * the bot answers at once, starts a background job, and when the job is done it speaks first —
 * from the reference in the store, found by its key alone, as a separate worker process would.
 *
 * <p>Plug it into a {@link dev.beckon.inbound.CaptureHandler} (which saves the reference before
 * calling it): {@code .onActivity((a, ref, outcome) -> bot.onActivity(a, ref))}. The README demo
 * runs it against a local channel simulator; {@link #main} runs it for the Bot Framework
 * Emulator, on the store {@code BECKON_STORE} names ({@link dev.beckon.examples.config.BotConfig}).
 */
public final class NotifyWhenDoneBot implements AutoCloseable {

  private final ReferenceRepository repository;
  private final Sender sender;
  private final Duration jobTime;
  private final Consumer<String> log;
  private final ScheduledExecutorService jobs = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "report-jobs");
    t.setDaemon(true);
    return t;
  });

  /**
   * Creates the bot.
   *
   * @param repository where references are kept
   * @param sender how it speaks
   * @param jobTime how long the "report" takes
   * @param log where it narrates what it does
   */
  public NotifyWhenDoneBot(ReferenceRepository repository, Sender sender, Duration jobTime, Consumer<String> log) {
    this.repository = repository;
    this.sender = sender;
    this.jobTime = jobTime;
    this.log = log;
  }

  /**
   * Handles an incoming activity whose reference was already saved.
   *
   * @param activity the activity
   * @param reference its reference, or {@code null}
   */
  public void onActivity(Activity activity, ConversationReference reference) {
    if (reference == null || !"message".equals(activity.type()) || activity.text() == null) {
      return;
    }
    if (!activity.text().toLowerCase(Locale.ROOT).contains("report")) {
      sender.send(reference, Activity.message("Ask me to \"prepare my report\" and I'll let you know when it's ready."));
      return;
    }
    SendOutcome ack = activity.id() == null
        ? sender.send(reference, Activity.message("Gotcha — I'll let you know when it's ready"))
        : sender.reply(reference, activity.id(), Activity.message("Gotcha — I'll let you know when it's ready"));
    log.accept("bot answered (" + ack.kind() + "), background job started");
    ReferenceKey key = reference.key(); // all a worker needs to keep
    jobs.schedule(() -> reportReady(key), jobTime.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void reportReady(ReferenceKey key) {
    ConversationReference stored = repository.find(key).orElseThrow().reference();
    SendOutcome o = sender.send(stored, Activity.message("Your report is ready"));
    log.accept("job done; proactive message " + o.kind() + (o.id() == null ? "" : " (activity " + o.id() + ")"));
  }

  /**
   * Runs the bot on {@code http://127.0.0.1:3978/api/messages} (see {@link BotHost}); the report
   * takes {@code BECKON_JOB_SECONDS} seconds (default 5).
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    Duration job = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BECKON_JOB_SECONDS", "5")));
    BotHost.runUntilStopped("Beckon example: notify when done", host -> {
      NotifyWhenDoneBot bot = new NotifyWhenDoneBot(host.repository(), host.sender(), job, System.out::println);
      return (activity, reference, outcome) -> bot.onActivity(activity, reference);
    }, System.out);
  }

  /** Stops the background jobs. */
  @Override
  public void close() {
    jobs.shutdownNow();
  }
}
