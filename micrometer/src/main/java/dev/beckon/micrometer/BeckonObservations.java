package dev.beckon.micrometer;

import dev.beckon.auth.TokenProvider;
import dev.beckon.broadcast.BroadcastListener;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.retry.RetryListener;
import dev.beckon.send.Sender;
import dev.beckon.store.PurgeableRepository;
import dev.beckon.store.ReferenceRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * Beckon's observability, without Spring: decorators that make every send, store call and token
 * request a Micrometer {@code Observation}, and listeners that keep meters for retries and
 * broadcasts. What an Observation becomes is the registry's business: with a {@link
 * DefaultMeterObservationHandler}, a timer; with micrometer-tracing's handler (OpenTelemetry or
 * Brave bridge), a span. Names and keys: {@link BeckonObservationDocumentation}, {@link
 * BeckonMeters}, {@code docs/observability.md}.
 *
 * <pre>{@code
 * ObservationRegistry observations = ObservationRegistry.create();
 * observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
 * BeckonObservations beckon = BeckonObservations.of(observations, meters);
 *
 * TokenProvider tokens = beckon.tokenProvider(ClientCredentials.builder(appId, secret).build());
 * BotConnectorSender connector = BotConnectorSender.builder()
 *     .credentials(tokens)
 *     .retry(RetryStrategy.defaults().toBuilder().listener(beckon.retryListener()).build())
 *     .build();
 * Sender sender = beckon.sender(connector);               // close connector when done
 * ReferenceRepository repository = beckon.repository(jdbcRepository);
 * Broadcast.builder(repository, sender)
 *     .retry(Broadcast.defaultRetry().toBuilder().listener(beckon.retryListener()).build())
 *     .listener(beckon.broadcastListener("release-notes"))
 *     .build().start();
 * }</pre>
 *
 * <p><b>Correlation.</b> While a send completes, the connector's {@code MS-CV} (as validated into
 * {@link dev.beckon.send.SendOutcome#correlationId()}) is in the SLF4J MDC under {@value
 * #MDC_CORRELATION_ID}: for the observation's handlers, Beckon's DEBUG line about the send, and the
 * stages the caller attached to the future before it completed ({@code thenAccept(o ->
 * log.info(…))}). The previous value, if any, is restored afterwards. It is on the span as {@code
 * beckon.correlation_id} too, and on the outcome.
 *
 * <p><b>Delivery queue (seam).</b> The durable delivery queue (issue #19) is not observed here yet:
 * its metric names are reserved in {@link BeckonMeters} ({@code beckon.delivery.*}); a {@code
 * deliveryListener(String queue)} beside {@link #broadcastListener} is where it will plug in.
 *
 * <p>Immutable and thread-safe; share one per registry. The decorators are thread-safe as their
 * delegates are.
 */
public final class BeckonObservations {

  /** The MDC key holding the connector's correlation id while a send completes. */
  public static final String MDC_CORRELATION_ID = "beckon.correlationId";

  private final ObservationRegistry registry;
  private final @Nullable MeterRegistry meters;
  private final @Nullable SendObservationConvention sendConvention;
  private final @Nullable StoreObservationConvention storeConvention;
  private final @Nullable TokenObservationConvention tokenConvention;
  private final DefaultSendObservationConvention sendDefaults;
  private final DefaultStoreObservationConvention storeDefaults =
      new DefaultStoreObservationConvention();
  private final DefaultTokenObservationConvention tokenDefaults =
      new DefaultTokenObservationConvention();
  private final @Nullable MeteredRetryListener retries;
  private final Duration deliveryCountsMaxAge;
  private final ConcurrentMap<String, MeteredBroadcastListener.Gauges> broadcasts =
      new ConcurrentHashMap<>();

  private BeckonObservations(Builder b) {
    this.registry = b.registry;
    this.meters = b.meters;
    this.sendConvention = b.sendConvention;
    this.storeConvention = b.storeConvention;
    this.tokenConvention = b.tokenConvention;
    this.sendDefaults = new DefaultSendObservationConvention(b.highCardinalityIds);
    this.retries = b.meters == null ? null : new MeteredRetryListener(b.meters);
    this.deliveryCountsMaxAge = b.deliveryCountsMaxAge;
  }

  /**
   * Observations into a registry, without meters of Beckon's own: {@link #retryListener()} and
   * {@link #broadcastListener} need {@link #of(ObservationRegistry, MeterRegistry)}.
   *
   * @param registry the registry (its handlers decide what the observations become)
   * @return the observations
   */
  public static BeckonObservations of(ObservationRegistry registry) {
    return builder(registry).build();
  }

  /**
   * Observations into a registry, and meters into another.
   *
   * @param registry the observations' registry
   * @param meters where retry and broadcast meters go
   * @return the observations
   */
  public static BeckonObservations of(ObservationRegistry registry, MeterRegistry meters) {
    return builder(registry).meterRegistry(meters).build();
  }

  /**
   * Meters only, for an application without an {@code ObservationRegistry}: the observations go to
   * a registry of their own whose one handler is a {@link DefaultMeterObservationHandler} on {@code
   * meters}, so every observation is a timer there (and never a span).
   *
   * @param meters the meter registry
   * @return the observations
   */
  public static BeckonObservations of(MeterRegistry meters) {
    Objects.requireNonNull(meters, "meters");
    ObservationRegistry own = ObservationRegistry.create();
    own.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    return builder(own).meterRegistry(meters).build();
  }

  /**
   * Starts a builder, for high-cardinality ids or conventions of your own.
   *
   * @param registry the observations' registry
   * @return the builder
   */
  public static Builder builder(ObservationRegistry registry) {
    return new Builder(registry);
  }

  /**
   * The observations' registry.
   *
   * @return the registry
   */
  public ObservationRegistry observationRegistry() {
    return registry;
  }

  /**
   * The registry of Beckon's own meters.
   *
   * @return it, or empty when built without one (then {@link #retryListener()} and {@link
   *     #broadcastListener} refuse)
   */
  public Optional<MeterRegistry> meterRegistry() {
    return Optional.ofNullable(meters);
  }

  /**
   * A sender whose every call is a {@code beckon.send} observation (span {@code
   * beckon.send_activity}, …). Its {@link Sender#withoutRetries()} is observed too, so a broadcast
   * through it is. Closing stays with the sender you wrap.
   *
   * @param sender the sender
   * @return the observed sender
   */
  public Sender sender(Sender sender) {
    return new ObservedSender(sender, registry, sendConvention, sendDefaults);
  }

  /**
   * A repository whose every call is a {@code beckon.store} observation, tagged with a store name
   * after its class ({@code memory}, {@code jdbc}, {@code redis}, {@code azuretable}, {@code
   * dynamodb}). A purgeable repository stays purgeable: cast, or use {@link
   * #repository(PurgeableRepository)}.
   *
   * @param repository the repository
   * @return the observed repository
   */
  public ReferenceRepository repository(ReferenceRepository repository) {
    return repository(repository, TagValues.storeOf(repository.getClass()));
  }

  /**
   * A repository whose every call is a {@code beckon.store} observation, tagged {@code store}.
   *
   * @param repository the repository
   * @param store the tag value, 1 to 64 characters of {@code A-Z a-z 0-9 _ . -} (e.g. {@code
   *     postgresql-eu})
   * @return the observed repository
   * @throws IllegalArgumentException when {@code store} is not such a name
   */
  public ReferenceRepository repository(ReferenceRepository repository, String store) {
    if (repository instanceof PurgeableRepository purgeable) {
      return repository(purgeable, store);
    }
    return new ObservedRepository(
        repository, TagValues.name(store, "store"), registry, storeConvention, storeDefaults);
  }

  /**
   * A purgeable repository, observed, {@code purgeExpired} included.
   *
   * @param repository the repository
   * @return the observed repository
   */
  public PurgeableRepository repository(PurgeableRepository repository) {
    return repository(repository, TagValues.storeOf(repository.getClass()));
  }

  /**
   * A purgeable repository, observed and tagged {@code store}.
   *
   * @param repository the repository
   * @param store the tag value, 1 to 64 characters of {@code A-Z a-z 0-9 _ . -}
   * @return the observed repository
   * @throws IllegalArgumentException when {@code store} is not such a name
   */
  public PurgeableRepository repository(PurgeableRepository repository, String store) {
    return new ObservedRepository.Purgeable(
        repository, TagValues.name(store, "store"), registry, storeConvention, storeDefaults);
  }

  /**
   * A token provider whose every call is a {@code beckon.token} observation, the child of the send
   * that asked (give it to the sender you then observe). The token is never in a key, a tag or a
   * log line.
   *
   * @param tokens the provider
   * @return the observed provider
   */
  public TokenProvider tokenProvider(TokenProvider tokens) {
    return new ObservedTokenProvider(tokens, registry, tokenConvention, tokenDefaults);
  }

  /**
   * A retry listener counting {@value BeckonMeters#RETRIES}: give it to every {@link
   * dev.beckon.retry.RetryStrategy} you build (the sender's, a broadcast's). One listener for all
   * of them; thread-safe.
   *
   * @return the listener
   * @throws IllegalStateException when built without a {@link MeterRegistry}
   */
  public RetryListener retryListener() {
    if (retries == null) {
      throw noMeters("retryListener()");
    }
    return retries;
  }

  /**
   * A broadcast listener keeping the {@code beckon.broadcast.*} gauges (sent, remaining, rate, rate
   * factor) and outcome counters of {@link BeckonMeters}, tagged {@code beckon.broadcast=name}. A
   * later broadcast of the same name moves the same gauges; give broadcasts running at the same
   * time (segments in one process) names of their own.
   *
   * @param name the tag value, 1 to 64 characters of {@code A-Z a-z 0-9 _ . -}: a kind of broadcast
   *     (e.g. {@code release-notes}), not a unique id, which would grow the series
   * @return the listener
   * @throws IllegalArgumentException when {@code name} is not such a name
   * @throws IllegalStateException when built without a {@link MeterRegistry}
   */
  public BroadcastListener broadcastListener(String name) {
    return broadcastListener(name, new BroadcastListener() {});
  }

  /**
   * A broadcast listener as {@link #broadcastListener(String)} that then calls {@code next}.
   *
   * @param name the tag value, 1 to 64 characters of {@code A-Z a-z 0-9 _ . -}
   * @param next your own listener, called after the meters
   * @return the listener
   * @throws IllegalArgumentException when {@code name} is not such a name
   * @throws IllegalStateException when built without a {@link MeterRegistry}
   */
  public BroadcastListener broadcastListener(String name, BroadcastListener next) {
    Objects.requireNonNull(next, "next");
    MeterRegistry m = meters;
    if (m == null) {
      throw noMeters("broadcastListener(...)");
    }
    String tag = TagValues.name(name, "the broadcast name");
    return new MeteredBroadcastListener(
        broadcasts.computeIfAbsent(tag, n -> new MeteredBroadcastListener.Gauges(m, n)), next);
  }

  /**
   * A delivery queue that keeps the {@code beckon.delivery.*} meters of {@link BeckonMeters},
   * tagged {@code beckon.queue=name}: give it to the {@link dev.beckon.delivery.DeliveryWorker}
   * (schedule through either, they are the same queue).
   *
   * <ul>
   *   <li>{@value BeckonMeters#DELIVERY_ATTEMPTS}: the attempts of each delivery a worker settles
   *       through it, tagged with the final state ({@code beckon.outcome}: {@code DELIVERED},
   *       {@code GONE}, {@code FAILED}, {@code UNKNOWN}, {@code DEAD});
   *   <li>gauges {@value BeckonMeters#DELIVERY_DEPTH} (pending deliveries), {@value
   *       BeckonMeters#DELIVERY_LAG} (how long the oldest due delivery no worker holds has waited)
   *       and {@value BeckonMeters#DELIVERY_DEAD} (dead deliveries not purged), from {@link
   *       DeliveryQueue#counts()}, read at most once per {@link Builder#deliveryCountsMaxAge} (10 s
   *       by default) however often they are scraped; NaN while the queue fails. A queue that
   *       cannot count (SQS in this version) gets no gauges. The queue is counted once here, to
   *       find out.
   * </ul>
   *
   * <p>One call per queue and registry: a second call with the same name shares the attempts
   * summaries, and its gauges are ignored by the registry (the first ones stay).
   *
   * @param queue the queue
   * @param name the tag value, 1 to 64 characters of {@code A-Z a-z 0-9 _ . -} (for example {@code
   *     deliveries})
   * @return the metered queue
   * @throws IllegalArgumentException when {@code name} is not such a name
   * @throws IllegalStateException when built without a {@link MeterRegistry}
   */
  public DeliveryQueue deliveryQueue(DeliveryQueue queue, String name) {
    Objects.requireNonNull(queue, "queue");
    MeterRegistry m = meters;
    if (m == null) {
      throw noMeters("deliveryQueue(...)");
    }
    String tag = TagValues.name(name, "the queue name");
    return new MeteredDeliveryQueue(queue, tag, m, deliveryCountsMaxAge, System::nanoTime);
  }

  private static IllegalStateException noMeters(String what) {
    return new IllegalStateException(
        what
            + " keeps meters: build with BeckonObservations.of(observationRegistry, meterRegistry)"
            + " or of(meterRegistry)");
  }

  /** Builder of {@link BeckonObservations}; not thread-safe. */
  public static final class Builder {
    private final ObservationRegistry registry;
    private @Nullable MeterRegistry meters;
    private boolean highCardinalityIds;
    private @Nullable SendObservationConvention sendConvention;
    private @Nullable StoreObservationConvention storeConvention;
    private @Nullable TokenObservationConvention tokenConvention;
    private Duration deliveryCountsMaxAge = Duration.ofSeconds(10);

    private Builder(ObservationRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Where retry and broadcast meters go (default none: their listeners refuse).
     *
     * @param value the meter registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry value) {
      this.meters = Objects.requireNonNull(value, "meterRegistry");
      return this;
    }

    /**
     * Whether a send's span carries the conversation id ({@code activity.conversation_id}) and the
     * activity id ({@code activity.id}) as high-cardinality keys. Off by default: they identify
     * users' conversations, and whoever reads traces may not be allowed to see them. They never
     * become metric tags either way.
     *
     * @param value true to add them
     * @return this builder
     */
    public Builder highCardinalityIds(boolean value) {
      this.highCardinalityIds = value;
      return this;
    }

    /**
     * A convention of your own for sends, used instead of the default one (a global convention
     * registered on the registry still wins, as Micrometer decides).
     *
     * @param value the convention
     * @return this builder
     */
    public Builder sendConvention(SendObservationConvention value) {
      this.sendConvention = Objects.requireNonNull(value, "sendConvention");
      return this;
    }

    /**
     * A convention of your own for store calls.
     *
     * @param value the convention
     * @return this builder
     */
    public Builder storeConvention(StoreObservationConvention value) {
      this.storeConvention = Objects.requireNonNull(value, "storeConvention");
      return this;
    }

    /**
     * A convention of your own for token requests.
     *
     * @param value the convention
     * @return this builder
     */
    public Builder tokenConvention(TokenObservationConvention value) {
      this.tokenConvention = Objects.requireNonNull(value, "tokenConvention");
      return this;
    }

    /**
     * How old the counts behind the delivery gauges may be before a scrape reads them again
     * (default 10 s): each read is a query of the queue's backend. Zero reads at every scrape.
     *
     * @param value zero or more
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder deliveryCountsMaxAge(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("deliveryCountsMaxAge must not be negative");
      }
      this.deliveryCountsMaxAge = value;
      return this;
    }

    /**
     * Builds.
     *
     * @return the observations
     */
    public BeckonObservations build() {
      return new BeckonObservations(this);
    }
  }
}
