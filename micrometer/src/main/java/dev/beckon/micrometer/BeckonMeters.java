package dev.beckon.micrometer;

/**
 * The names and tag keys of the meters Beckon keeps itself, besides the timers its Observations
 * become ({@link BeckonObservationDocumentation}). One place for every name, so dashboards, the
 * docs and the Spring Boot starter agree; {@code docs/observability.md} gives each one's meaning.
 */
public final class BeckonMeters {

  private BeckonMeters() {}

  /**
   * Counter: retries a {@link dev.beckon.retry.RetryStrategy} allowed, before their wait. Tags
   * {@value #OPERATION} (the retried operation: {@code send}, {@code broadcast}, …; {@code other}
   * for a name outside {@code A-Z a-z 0-9 _ . -}) and {@value #RETRY_CAUSE} ({@code THROTTLED},
   * {@code TRANSIENT}).
   */
  public static final String RETRIES = "beckon.retries";

  /**
   * Gauge: references of a broadcast sent so far with a final answer (delivered, gone or failed;
   * not the skipped ones). Tag {@value #BROADCAST}.
   */
  public static final String BROADCAST_SENT = "beckon.broadcast.sent";

  /**
   * Gauge: references a broadcast has listed but not finished yet (in flight or waiting for their
   * turn). The listing is streamed, so references not listed yet are not counted. Tag {@value
   * #BROADCAST}.
   */
  public static final String BROADCAST_REMAINING = "beckon.broadcast.remaining";

  /** Gauge: a broadcast's final outcomes per second, since it started. Tag {@value #BROADCAST}. */
  public static final String BROADCAST_RATE = "beckon.broadcast.rate";

  /**
   * Gauge: a broadcast's adaptive slowdown, 1.0 at the rate profile's full speed, lower after
   * throttling. Tag {@value #BROADCAST}.
   */
  public static final String BROADCAST_RATE_FACTOR = "beckon.broadcast.rate.factor";

  /**
   * Counter: references of a broadcast by final outcome. Tags {@value #BROADCAST} and {@value
   * #OUTCOME} ({@code DELIVERED}, {@code GONE}, {@code FAILED}, {@code SKIPPED}).
   */
  public static final String BROADCAST_OUTCOMES = "beckon.broadcast.outcomes";

  /**
   * Reserved for the durable delivery queue (issue #19), not kept yet: gauge of the messages due or
   * scheduled. Tag {@value #QUEUE}.
   */
  public static final String DELIVERY_DEPTH = "beckon.delivery.depth";

  /**
   * Reserved for the delivery queue: timer of how late a message was claimed after it was due. Tag
   * {@value #QUEUE}.
   */
  public static final String DELIVERY_LAG = "beckon.delivery.lag";

  /**
   * Reserved for the delivery queue: distribution of the attempts a message took. Tags {@value
   * #QUEUE} and {@value #OUTCOME}.
   */
  public static final String DELIVERY_ATTEMPTS = "beckon.delivery.attempts";

  /**
   * Reserved for the delivery queue: gauge of the messages given up on (dead letters). Tag {@value
   * #QUEUE}.
   */
  public static final String DELIVERY_DEAD = "beckon.delivery.dead";

  /** Tag key: what is retried, or what a send or store call did. */
  public static final String OPERATION = "beckon.operation";

  /** Tag key: why a retry happened. */
  public static final String RETRY_CAUSE = "beckon.retry.cause";

  /** Tag key: the broadcast's name, as given to {@link BeckonObservations#broadcastListener}. */
  public static final String BROADCAST = "beckon.broadcast";

  /** Tag key: how something ended. */
  public static final String OUTCOME = "beckon.outcome";

  /** Tag key, reserved for the delivery queue: the queue's name. */
  public static final String QUEUE = "beckon.queue";
}
