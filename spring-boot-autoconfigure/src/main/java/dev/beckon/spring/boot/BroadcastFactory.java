package dev.beckon.spring.boot;

import dev.beckon.broadcast.Broadcast;
import dev.beckon.broadcast.BroadcastListener;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Starts broadcasts over the application's {@link ReferenceRepository} and {@link Sender} beans.
 *
 * <pre>{@code
 * BroadcastReport report = broadcasts.builder("service-status")
 *     .query(ListQuery.channel("msteams"))
 *     .message(Activity.message("The service is back"))
 *     .build()
 *     .start()
 *     .join();
 * }</pre>
 *
 * <p>Each builder comes with the {@link BeckonDecorator} beans applied: its retry strategy is
 * {@link #retry()} (with the starter's observations, {@code beckon.retries} counts its retries) and
 * its listener is the decorators' around yours ({@code beckon.broadcast.*} meters under the
 * broadcast's name). Calling {@code listener(...)} or {@code retry(...)} on the builder replaces
 * them: pass your listener to {@link #builder(String, BroadcastListener)} instead, and derive a
 * strategy from {@code retry().toBuilder()}, which keeps the listener.
 *
 * <p>Thread-safe; each builder is a new, independent builder.
 */
public final class BroadcastFactory {

  /** The name of a broadcast started with {@link #builder()}. */
  public static final String DEFAULT_NAME = "broadcast";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final ReferenceRepository repository;
  private final Sender sender;
  private final List<BeckonDecorator> decorators;
  private final RetryStrategy retry;

  /**
   * Creates the factory, without decorators.
   *
   * @param repository where the references are listed
   * @param sender what sends each message
   */
  public BroadcastFactory(ReferenceRepository repository, Sender sender) {
    this(repository, sender, List.of());
  }

  /**
   * Creates the factory; the decorators apply to each broadcast's retry strategy and listener, in
   * order.
   *
   * @param repository where the references are listed
   * @param sender what sends each message
   * @param decorators the decorators, in order (the last wraps outermost)
   * @throws NullPointerException when a decorator returns null
   */
  public BroadcastFactory(
      ReferenceRepository repository, Sender sender, List<BeckonDecorator> decorators) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.decorators = List.copyOf(decorators);
    RetryStrategy r = Broadcast.defaultRetry();
    for (BeckonDecorator d : this.decorators) {
      r = Objects.requireNonNull(d.retryStrategy(r), "a BeckonDecorator returned a null strategy");
    }
    this.retry = r;
  }

  /**
   * A broadcast builder named {@value #DEFAULT_NAME}.
   *
   * @return a new builder; choose the query and the message, then {@code build()}
   */
  public Broadcast.Builder builder() {
    return builder(DEFAULT_NAME);
  }

  /**
   * A broadcast builder under a name: the {@code beckon.broadcast} tag of its meters.
   *
   * @param name a kind of broadcast (e.g. {@code release-notes}), 1 to 64 characters of {@code A-Z
   *     a-z 0-9 _ . -}; not a unique id, which would grow the meters' series. Broadcasts that run
   *     at the same time in one process each need a name of their own
   * @return a new builder
   * @throws IllegalArgumentException when {@code name} is not such a name
   */
  public Broadcast.Builder builder(String name) {
    return builder(name, new BroadcastListener() {});
  }

  /**
   * A broadcast builder under a name, with a listener of yours (called after the decorators'
   * listeners, such as the meters).
   *
   * @param name a kind of broadcast, 1 to 64 characters of {@code A-Z a-z 0-9 _ . -}
   * @param listener your listener
   * @return a new builder
   * @throws IllegalArgumentException when {@code name} is not such a name
   */
  public Broadcast.Builder builder(String name, BroadcastListener listener) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a broadcast name is 1 to 64 characters of A-Z a-z 0-9 _ . - (a kind of broadcast)");
    }
    BroadcastListener l = Objects.requireNonNull(listener, "listener");
    for (BeckonDecorator d : decorators) {
      l =
          Objects.requireNonNull(
              d.broadcastListener(name, l), "a BeckonDecorator returned a null listener");
    }
    return Broadcast.builder(repository, sender).retry(retry).listener(l);
  }

  /**
   * The retry strategy each broadcast starts with: {@link Broadcast#defaultRetry()} with the
   * decorators applied. Derive yours from it ({@code retry().toBuilder().maxAttempts(8).build()})
   * to keep its listener.
   *
   * @return the strategy
   */
  public RetryStrategy retry() {
    return retry;
  }

  /**
   * The repository the broadcasts list.
   *
   * @return the repository bean
   */
  public ReferenceRepository repository() {
    return repository;
  }

  /**
   * The sender the broadcasts send through.
   *
   * @return the sender bean
   */
  public Sender sender() {
    return sender;
  }
}
