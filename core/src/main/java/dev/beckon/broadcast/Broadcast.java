package dev.beckon.broadcast;

import dev.beckon.activity.Activity;
import dev.beckon.retry.Backoff;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.Sender;
import dev.beckon.store.ListQuery;
import dev.beckon.store.ReferenceRepository;
import dev.beckon.store.Segment;
import dev.beckon.store.StoredReference;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Sends one message — or one per reference — to every reference a repository query yields, paced
 * below the channel's limits, page by page (memory does not grow with the store), with retries,
 * stale-reference cleanup, progress, cancellation, checkpoints to resume, and a report that
 * accounts for every reference.
 *
 * <pre>{@code
 * BotConnectorSender sender = BotConnectorSender.builder().credentials(creds).build();
 * BroadcastReport report = Broadcast.builder(repository, sender)
 *     .id("release-2026-11")                   // resumable under this id
 *     .query(ListQuery.channel("msteams").withTenant(tenantId))
 *     .message(Activity.message("Beckon 1.0 is out"))
 *     .profile(RateProfile.teams())
 *     .removeGone(true)
 *     .checkpoints(Checkpoints.directory(Path.of("broadcasts")))
 *     .build()
 *     .start()
 *     .join();
 * }</pre>
 *
 * <p>Scale out: N workers (threads or processes) start the same broadcast with {@link
 * #start(Segment)} for segments {@code 0..N-1} of N; every reference is sent by exactly one of
 * them.
 *
 * <p>Retries: the broadcast retries each reference itself, per its {@link Builder#retry
 * RetryStrategy} (default {@link #defaultRetry()}), so that one throttle slows the whole broadcast
 * down. It sends through {@link Sender#withoutRetries()}: the sender's own strategy never applies,
 * so retries cannot multiply whatever the sender was built with.
 */
public final class Broadcast {

  private final Sender sender;
  private final String id;
  private final ReferenceRepository repository;
  private final ListQuery query;
  private final Function<StoredReference, Activity> message;
  private final RateProfile profile;
  private final SendLimiter limiter;
  private final RetryStrategy retry;
  private final boolean removeGone;
  private final BroadcastCheckpoints checkpoints;
  private final BroadcastListener listener;
  private final int notDeliveredCap;
  private final Duration progressInterval;

  private Broadcast(Builder b, Function<StoredReference, Activity> message) {
    this.sender = b.sender.withoutRetries();
    this.id = b.id;
    this.repository = b.repository;
    this.query = b.query;
    this.message = message;
    this.profile = b.profile;
    this.limiter = b.limiter;
    this.retry = b.retry;
    this.removeGone = b.removeGone;
    this.checkpoints = b.checkpoints;
    this.listener = b.listener;
    this.notDeliveredCap = b.notDeliveredCap;
    this.progressInterval = b.progressInterval;
  }

  /**
   * A broadcast's default retries: 5 attempts per reference; transient failures (412, 502, 503,
   * 504, connection failures) wait 250 ms doubling up to 30 s; throttles wait 1 s doubling up to 30
   * s, or their {@code Retry-After} when longer, honoured up to 1 minute (a longer one ends that
   * reference as FAILED, "still throttled"). Derive your own from it with {@link
   * RetryStrategy#toBuilder()}.
   *
   * @return the strategy
   */
  public static RetryStrategy defaultRetry() {
    return DEFAULT_RETRY;
  }

  private static final RetryStrategy DEFAULT_RETRY =
      RetryStrategy.builder()
          .maxAttempts(5)
          .backoff(Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(30)))
          .throttlingBackoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30)))
          .maxRetryAfter(Duration.ofMinutes(1))
          .build();

  /**
   * Starts a builder.
   *
   * @param repository where the references come from
   * @param sender how each message is sent
   * @return the builder
   */
  public static Builder builder(ReferenceRepository repository, Sender sender) {
    return new Builder(repository, sender);
  }

  /**
   * Starts the whole broadcast on background threads.
   *
   * @return the run
   */
  public BroadcastRun start() {
    return run(null);
  }

  /**
   * Starts one worker's share of the broadcast.
   *
   * @param segment which share
   * @return the run
   */
  public BroadcastRun start(Segment segment) {
    return run(Objects.requireNonNull(segment, "segment"));
  }

  private BroadcastRun run(@Nullable Segment segment) {
    BroadcastRunner runner = new BroadcastRunner(this, sender, segment);
    return new BroadcastRun(runner, runner.start());
  }

  // the settings, as the runner reads them

  String id() {
    return id;
  }

  ReferenceRepository repository() {
    return repository;
  }

  ListQuery query() {
    return query;
  }

  Function<StoredReference, Activity> message() {
    return message;
  }

  RateProfile profile() {
    return profile;
  }

  SendLimiter limiter() {
    return limiter;
  }

  RetryStrategy retry() {
    return retry;
  }

  boolean removeGone() {
    return removeGone;
  }

  BroadcastCheckpoints checkpoints() {
    return checkpoints;
  }

  BroadcastListener listener() {
    return listener;
  }

  int notDeliveredCap() {
    return notDeliveredCap;
  }

  Duration progressInterval() {
    return progressInterval;
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    private final ReferenceRepository repository;
    private final Sender sender;
    private String id = "broadcast-" + UUID.randomUUID();
    private ListQuery query = ListQuery.all();
    private @Nullable Function<StoredReference, Activity> message;
    private RateProfile profile = RateProfile.teams();
    private SendLimiter limiter = SendLimiter.unlimited();
    private RetryStrategy retry = DEFAULT_RETRY;
    private boolean removeGone;
    private BroadcastCheckpoints checkpoints = Checkpoints.inMemory();
    private BroadcastListener listener = new BroadcastListener() {};
    private int notDeliveredCap = 1000;
    private Duration progressInterval = Duration.ofSeconds(1);

    private Builder(ReferenceRepository repository, Sender sender) {
      this.repository = Objects.requireNonNull(repository, "repository");
      this.sender = Objects.requireNonNull(sender, "sender");
    }

    /**
     * The broadcast's id: runs with the same id and checkpoints resume each other.
     *
     * @param value 1-100 characters of {@code [A-Za-z0-9._-]}
     * @return this builder
     */
    public Builder id(String value) {
      if (value == null || !value.matches("[A-Za-z0-9._-]{1,100}")) {
        throw new IllegalArgumentException(
            "broadcast id must be 1-100 characters of [A-Za-z0-9._-] but was '" + value + "'");
      }
      this.id = value;
      return this;
    }

    /**
     * Which references (default: all). Its page size is the listing page size.
     *
     * @param value the query
     * @return this builder
     */
    public Builder query(ListQuery value) {
      this.query = Objects.requireNonNull(value, "query");
      return this;
    }

    /**
     * The same message for everyone.
     *
     * @param value the activity
     * @return this builder
     */
    public Builder message(Activity value) {
      Objects.requireNonNull(value, "message");
      this.message = s -> value;
      return this;
    }

    /**
     * A message per reference (a function that fails marks that reference FAILED).
     *
     * @param value the function
     * @return this builder
     */
    public Builder messageFor(Function<StoredReference, Activity> value) {
      this.message = Objects.requireNonNull(value, "messageFor");
      return this;
    }

    /**
     * Pacing (default {@link RateProfile#teams()}).
     *
     * @param value the profile
     * @return this builder
     */
    public Builder profile(RateProfile value) {
      this.profile = Objects.requireNonNull(value, "profile");
      return this;
    }

    /**
     * A limiter asked before every send, after the run's own {@link #profile pacing} (default
     * {@link SendLimiter#unlimited()}). Give it the fleet-wide limiter the delivery workers use
     * ({@link SendLimiter#fleet}) so that broadcasts, segments on other instances and deliveries
     * share one set of limits. A denied send waits as long as the limiter says, holding its place
     * (its concurrency slot), and asks again. A limiter that fails (a {@code StoreException} from
     * its backend, or any other runtime exception) sends nothing for that reference: it is asked
     * again 1 s later, as often as it takes, and no attempt is counted. A send the limiter granted
     * that is throttled anyway (429) is reported to it ({@link SendLimiter#throttled}). A run
     * cancelled while a reference waits for the limiter ends that reference as SKIPPED.
     *
     * @param value the limiter
     * @return this builder
     */
    public Builder limiter(SendLimiter value) {
      this.limiter = Objects.requireNonNull(value, "limiter");
      return this;
    }

    /**
     * How each reference is retried (default {@link #defaultRetry()}). Whatever the sender's own
     * strategy, the broadcast's sends go through {@link Sender#withoutRetries()}: only this one
     * applies.
     *
     * <pre>{@code
     * .retry(Broadcast.defaultRetry().toBuilder().maxAttempts(8).listener(metrics::retried).build())
     * }</pre>
     *
     * @param value the strategy
     * @return this builder
     */
    public Builder retry(RetryStrategy value) {
      this.retry = Objects.requireNonNull(value, "retry");
      return this;
    }

    /**
     * Whether to delete references whose conversation is gone (403 blocked/removed, 404). The
     * delete is version-checked: a reference refreshed meanwhile is kept. Default false.
     *
     * @param value whether to
     * @return this builder
     */
    public Builder removeGone(boolean value) {
      this.removeGone = value;
      return this;
    }

    /**
     * Where progress is checkpointed (default in memory: resumes a cancelled run in this process).
     *
     * @param value the checkpoint store
     * @return this builder
     */
    public Builder checkpoints(BroadcastCheckpoints value) {
      this.checkpoints = Objects.requireNonNull(value, "checkpoints");
      return this;
    }

    /**
     * Receives every outcome and periodic progress.
     *
     * @param value the listener
     * @return this builder
     */
    public Builder listener(BroadcastListener value) {
      this.listener = Objects.requireNonNull(value, "listener");
      return this;
    }

    /**
     * How many non-delivered outcomes the report lists (default 1000; all go to the listener).
     *
     * @param value 0 or more
     * @return this builder
     */
    public Builder notDeliveredCap(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("notDeliveredCap must not be negative");
      }
      this.notDeliveredCap = value;
      return this;
    }

    /**
     * How often progress is reported (default 1 s).
     *
     * @param value the interval
     * @return this builder
     */
    public Builder progressInterval(Duration value) {
      this.progressInterval = Objects.requireNonNull(value, "progressInterval");
      return this;
    }

    /**
     * Builds the broadcast; nothing is listed or sent until {@code start}.
     *
     * @return the broadcast
     * @throws IllegalStateException when neither {@code message(...)} nor {@code messageFor(...)}
     *     was set
     */
    public Broadcast build() {
      Function<StoredReference, Activity> m = message;
      if (m == null) {
        throw new IllegalStateException("set message(...) or messageFor(...)");
      }
      return new Broadcast(this, m);
    }
  }
}
