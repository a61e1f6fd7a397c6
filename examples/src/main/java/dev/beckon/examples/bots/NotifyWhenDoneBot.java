package dev.beckon.examples.bots;

import dev.beckon.activity.Activity;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The seed article's bot: "I'll work on that and let you know". When a user asks for a report, the
 * bot answers at once and starts the report as a background task; a scheduled check looks at the
 * task every {@link #CHECK_EVERY} and, once it is done, the bot speaks first — from the reference
 * in the store, found by its key alone, as a separate worker process would.
 *
 * <p>Plug it into a {@link dev.beckon.inbound.CaptureHandler} (which saves the reference before
 * calling it): {@code .onActivity((a, ref, outcome) -> bot.onActivity(a, ref))}. The README demo
 * runs it against a local channel simulator; {@link #main} runs it for the Bot Framework Emulator,
 * on the store {@code BECKON_STORE} names ({@link dev.beckon.examples.config.BotConfig}).
 */
public final class NotifyWhenDoneBot implements AutoCloseable {

  private final Proactive proactive;
  private final Sender sender;
  private final Duration jobTime;
  private final Consumer<String> log;

  /** How often the scheduled check looks at a running report. */
  public static final Duration CHECK_EVERY = Duration.ofMillis(250);

  private final ScheduledExecutorService checks = BotHost.daemonTimer("report-checks");
  private final ExecutorService work =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "report-work");
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
  public NotifyWhenDoneBot(
      ReferenceRepository repository, Sender sender, Duration jobTime, Consumer<String> log) {
    this.proactive = new Proactive(repository, sender);
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
    if (reference == null || !"message".equals(activity.type())) {
      return;
    }
    Turn turn = new Turn(sender, activity, reference);
    if (!turn.command().contains("report")) {
      turn.answer("Ask me to \"prepare my report\" and I'll let you know when it's ready.");
      return;
    }
    SendOutcome ack = turn.answer("Gotcha — I'll let you know when it's ready");
    log.accept("bot answered (" + ack.kind() + "), background job started");
    ReferenceKey key = reference.key(); // all a worker needs to keep
    CompletableFuture<String> report = CompletableFuture.supplyAsync(this::prepareReport, work);
    AtomicReference<ScheduledFuture<?>> check = new AtomicReference<>();
    AtomicBoolean notified = new AtomicBoolean();
    check.set(
        checks.scheduleWithFixedDelay(
            () -> {
              if (report.isDone() && notified.compareAndSet(false, true)) {
                ScheduledFuture<?> self = check.get();
                if (self != null) {
                  self.cancel(false);
                }
                reportReady(key, report);
              }
            },
            CHECK_EVERY.toMillis(),
            CHECK_EVERY.toMillis(),
            TimeUnit.MILLISECONDS));
  }

  /** The background task: stands for the real work (a query, a build, a render). */
  private String prepareReport() {
    try {
      Thread.sleep(jobTime.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("bot stopped");
    }
    return "Your report is ready";
  }

  private void reportReady(ReferenceKey key, CompletableFuture<String> report) {
    String text =
        report.isCompletedExceptionally()
            ? "Sorry — your report could not be prepared"
            : report.join();
    Optional<SendOutcome> sent = proactive.sendTo(key, Activity.message(text));
    if (sent.isEmpty()) {
      log.accept("job done, but the conversation is no longer stored: nobody to tell");
      return;
    }
    SendOutcome o = sent.get();
    log.accept(
        "job done; proactive message "
            + o.kind()
            + (o.id() == null ? "" : " (activity " + o.id() + ")"));
  }

  /**
   * Runs the bot on {@code http://127.0.0.1:3978/api/messages} (see {@link BotHost}); the report
   * takes {@code BECKON_JOB_SECONDS} seconds (default 5).
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    Duration job =
        Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("BECKON_JOB_SECONDS", "5")));
    BotHost.runUntilStopped(
        "Beckon example: notify when done",
        host -> {
          NotifyWhenDoneBot bot =
              new NotifyWhenDoneBot(host.repository(), host.sender(), job, System.out::println);
          return (activity, reference, outcome) -> bot.onActivity(activity, reference);
        },
        System.out);
  }

  /** Stops the background jobs. */
  @Override
  public void close() {
    checks.shutdownNow();
    work.shutdownNow();
  }
}
