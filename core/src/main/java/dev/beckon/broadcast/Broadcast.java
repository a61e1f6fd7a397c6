package dev.beckon.broadcast;

import dev.beckon.activity.Activity;
import dev.beckon.internal.broadcast.BroadcastRunner;
import dev.beckon.internal.broadcast.Dispatch;
import dev.beckon.send.SendOutcome;
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
 * BotConnectorSender sender = BotConnectorSender.builder().credentials(creds)
 *     .retryPolicy(RetryPolicy.none())          // the broadcast paces and retries itself
 *     .build();
 * BroadcastReport report = Broadcast.builder(repository, sender)
 *     .id("release-2026-11")                   // resumable under this id
 *     .query(ListQuery.channel("msteams").withTenant(tenantId))
 *     .message(Activity.message("Beckon 1.0 is out"))
 *     .profile(RateProfile.teams())
 *     .removeGone(true)
 *     .checkpoints(BroadcastCheckpoints.directory(Path.of("broadcasts")))
 *     .build()
 *     .start()
 *     .join();
 * }</pre>
 *
 * <p>Scale out: N workers (threads or processes) start the same broadcast with {@link
 * #start(Segment)} for segments {@code 0..N-1} of N; every reference is sent by exactly one of
 * them. Use a sender with {@link dev.beckon.send.RetryPolicy#none()}: the broadcast handles 429s
 * itself so that one throttle slows the whole broadcast down.
 */
public final class Broadcast {

  private final Builder b;

  private Broadcast(Builder b) {
    this.b = b;
  }

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
    BroadcastRunner runner =
        new BroadcastRunner(
            new BroadcastRunner.Config(
                b.id,
                b.repository,
                b.query,
                Objects.requireNonNull(b.message, "message: build() checks it"),
                b.profile,
                b.maxAttempts,
                b.maxRetryAfter,
                b.removeGone,
                b.checkpoints,
                b.listener,
                b.notDeliveredCap,
                b.progressInterval),
            dispatch(b.sender),
            segment);
    return new BroadcastRun(runner, runner.start());
  }

  static Dispatch dispatch(Sender sender) {
    return (reference, activity) ->
        sender.sendAsync(reference, activity).thenApply(Broadcast::reduce);
  }

  static Dispatch.Result reduce(SendOutcome o) {
    Dispatch.Kind kind =
        switch (o.kind()) {
          case DELIVERED -> Dispatch.Kind.DELIVERED;
          case THROTTLED -> Dispatch.Kind.THROTTLED;
          case CONVERSATION_GONE -> Dispatch.Kind.GONE;
          // 5xx other than 500 and connection failures are transient; 500 and UNKNOWN are not
          // retried
          case FAILED -> o.status() == 500 ? Dispatch.Kind.FAILED : Dispatch.Kind.RETRYABLE;
          default -> Dispatch.Kind.FAILED;
        };
    String reason =
        o.delivered() ? null : o.kind() + (o.message() == null ? "" : ": " + o.message());
    return new Dispatch.Result(kind, o.id(), o.errorCode(), reason, o.retryAfter());
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    private final ReferenceRepository repository;
    private final Sender sender;
    private String id = "broadcast-" + UUID.randomUUID();
    private ListQuery query = ListQuery.all();
    private @Nullable Function<StoredReference, Activity> message;
    private RateProfile profile = RateProfile.teams();
    private int maxAttempts = 5;
    private Duration maxRetryAfter = Duration.ofMinutes(1);
    private boolean removeGone;
    private BroadcastCheckpoints checkpoints = BroadcastCheckpoints.inMemory();
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
     * Attempts per reference for throttles and transient failures (default 5).
     *
     * @param value 1 to 20
     * @return this builder
     */
    public Builder maxAttempts(int value) {
      if (value < 1 || value > 20) {
        throw new IllegalArgumentException("maxAttempts must be 1..20 but was " + value);
      }
      this.maxAttempts = value;
      return this;
    }

    /**
     * The longest Retry-After honoured (default 1 minute; longer ones are capped).
     *
     * @param value the cap
     * @return this builder
     */
    public Builder maxRetryAfter(Duration value) {
      this.maxRetryAfter = Objects.requireNonNull(value, "maxRetryAfter");
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
      if (message == null) {
        throw new IllegalStateException("set message(...) or messageFor(...)");
      }
      return new Broadcast(this);
    }
  }
}
