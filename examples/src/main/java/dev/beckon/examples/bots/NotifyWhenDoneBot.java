package dev.beckon.examples.bots;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryWorker;
import dev.beckon.reference.ConversationReference;
import dev.beckon.reference.ReferenceKey;
import dev.beckon.send.SendOutcome;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The seed article's bot: "I'll work on that and let you know". When a user asks for a report, the
 * bot keeps its promise in a durable {@link DeliveryQueue} — "Your report is ready", to this
 * conversation, not before the report is done, under a delivery key — and only then answers
 * "Gotcha". A {@link DeliveryWorker} in the same process (or any other) sends the promise when it
 * is due, from the reference in the store, found by its key alone.
 *
 * <p>Nothing of the promise lives in memory: kill the process after "Gotcha", start it again on the
 * same store and queue, and the message still arrives, once. The delivery key is derived from the
 * incoming activity, so a channel that redelivers the same request schedules nothing twice. The
 * "report" here is a fixed {@code jobTime}; a real job that finishes later would schedule the
 * message in the transaction that records it done ({@code JdbcDeliveryQueue.schedule(Connection,
 * …)}, the transactional outbox).
 *
 * <p>Plug it into a {@link dev.beckon.inbound.CaptureHandler} (which saves the reference before
 * calling it): {@code .onActivity((a, ref, outcome) -> bot.onActivity(a, ref))}. The README demo
 * runs it against a local channel simulator; {@link #main} runs it for the Bot Framework Emulator,
 * on the store {@code BECKON_STORE} names and a queue in the same database ({@link
 * BotHost#openQueue()}).
 */
public final class NotifyWhenDoneBot implements AutoCloseable {

  /** The answer given at once. */
  public static final String GOTCHA = "Gotcha — I'll let you know when it's ready";

  /** The promise kept later. */
  public static final String READY = "Your report is ready";

  /** How often the worker looks for due deliveries. */
  public static final Duration POLL_EVERY = Duration.ofMillis(100);

  private final DeliveryQueue queue;
  private final Sender sender;
  private final Duration jobTime;
  private final Consumer<String> log;
  private final Clock clock;
  private final DeliveryWorker worker;

  /**
   * Creates the bot and starts its delivery worker.
   *
   * @param repository where references are kept (the worker reads them at send time)
   * @param sender how it speaks
   * @param queue where its promises are kept
   * @param jobTime how long the "report" takes
   * @param log where it narrates what it does
   */
  public NotifyWhenDoneBot(
      ReferenceRepository repository,
      Sender sender,
      DeliveryQueue queue,
      Duration jobTime,
      Consumer<String> log) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.sender = sender;
    this.jobTime = jobTime;
    this.log = log;
    this.clock = Clock.systemUTC();
    this.worker =
        DeliveryWorker.builder(queue, repository, sender)
            .name("notify-when-done")
            .concurrency(4)
            .pollInterval(POLL_EVERY)
            .build()
            .start();
  }

  /**
   * Handles an incoming activity whose reference was already saved.
   *
   * @param activity the activity
   * @param reference its reference, or {@code null}
   */
  public void onActivity(Activity activity, @Nullable ConversationReference reference) {
    if (reference == null || !"message".equals(activity.type())) {
      return;
    }
    Turn turn = new Turn(sender, activity, reference);
    if (!turn.command().contains("report")) {
      turn.answer("Ask me to \"prepare my report\" and I'll let you know when it's ready.");
      return;
    }
    ReferenceKey key = reference.key(); // all a worker needs to keep
    String deliveryKey = deliveryKey(key, activity.id());
    Instant ready = clock.instant().plus(jobTime);
    // the promise first: once "Gotcha" is said, the message is already on the durable queue
    boolean scheduled = queue.schedule(key, Activity.message(READY), ready, deliveryKey);
    if (!scheduled) {
      log.accept("request seen before (delivery " + deliveryKey + "): nothing scheduled again");
      return;
    }
    SendOutcome ack = turn.answer(GOTCHA);
    log.accept(
        "bot answered ("
            + ack.kind()
            + "); \""
            + READY
            + "\" scheduled as delivery "
            + deliveryKey
            + ", due "
            + ready);
  }

  /**
   * The delivery key of a report request: the same incoming activity always gives the same key.
   *
   * @param conversation the conversation
   * @param activityId the incoming activity's id ({@code null}: every request is new)
   * @return {@code report-} and 32 hex digits
   */
  public static String deliveryKey(ReferenceKey conversation, @Nullable String activityId) {
    String id = activityId == null ? java.util.UUID.randomUUID().toString() : activityId;
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  (conversation.channelId() + '\n' + conversation.conversationId() + '\n' + id)
                      .getBytes(StandardCharsets.UTF_8));
      return "report-" + HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * Runs the bot on {@code http://127.0.0.1:3978/api/messages} (see {@link BotHost}); the report
   * takes {@code BECKON_JOB_SECONDS} seconds (default 5).
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    Duration job =
        Duration.ofMillis(
            (long)
                (Double.parseDouble(System.getenv().getOrDefault("BECKON_JOB_SECONDS", "5"))
                    * 1000));
    BotHost.runUntilStopped(
        "Beckon example: notify when done",
        host -> {
          BotHost.OpenedQueue q = host.openQueue();
          System.out.println("queue: " + q.description());
          NotifyWhenDoneBot bot =
              new NotifyWhenDoneBot(
                  host.repository(), host.sender(), q.queue(), job, System.out::println);
          host.onClose(bot);
          return (activity, reference, outcome) -> bot.onActivity(activity, reference);
        },
        System.out);
  }

  /** Stops the worker: a send in flight finishes (up to 5 s); claims not yet sent are released. */
  @Override
  public void close() {
    worker.stop(Duration.ofSeconds(5));
  }
}
