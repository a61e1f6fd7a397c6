package dev.beckon.spring.boot;

import dev.beckon.auth.TokenProvider;
import dev.beckon.broadcast.BroadcastListener;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;

/**
 * Wraps Beckon's beans as they are created: the seam for instrumentation (metrics, tracing, MDC),
 * applied to every {@link Sender}, {@link ReferenceRepository} and {@link TokenProvider} bean of
 * the context — auto-configured or your own — before anything is injected with them, and to what
 * the starter builds itself: the retry strategies of its sender and of the {@link
 * BroadcastFactory}'s broadcasts, and those broadcasts' listeners. Declare one as a bean; several
 * apply in their {@link org.springframework.core.annotation.Order} (the last one wraps outermost).
 *
 * <p>With {@code beckon-micrometer} on the classpath (the starter brings it) and an {@code
 * ObservationRegistry} or {@code MeterRegistry} bean, the starter declares one itself ({@code
 * beckonObservationsDecorator}); the example below is what it does, and what you would write
 * without the starter's auto-configuration.
 *
 * <pre>{@code
 * @Bean
 * BeckonDecorator observations(ObservationRegistry registry, MeterRegistry meters) {
 *   BeckonObservations o = BeckonObservations.of(registry, meters);   // beckon-micrometer
 *   return new BeckonDecorator() {
 *     public Sender sender(Sender s) { return o.sender(s); }
 *     public ReferenceRepository repository(ReferenceRepository r) { return o.repository(r); }
 *     public TokenProvider tokenProvider(TokenProvider t) { return o.tokenProvider(t); }
 *     public RetryStrategy retryStrategy(RetryStrategy s) {
 *       return s.toBuilder().listener(o.retryListener()).build();
 *     }
 *     public BroadcastListener broadcastListener(String name, BroadcastListener next) {
 *       return o.broadcastListener(name, next);
 *     }
 *   };
 * }
 * }</pre>
 *
 * <p>Each method returns its argument by default. A wrapper must implement the same interface
 * faithfully (a sender's {@code withoutRetries()} included); the container still closes the
 * original bean on shutdown. A bean wrapped here is injected as the interface only: inject {@code
 * Sender}, not {@code BotConnectorSender}.
 */
public interface BeckonDecorator {

  /**
   * Wraps a sender bean.
   *
   * @param sender the bean
   * @return the sender to expose (default: the same)
   */
  default Sender sender(Sender sender) {
    return sender;
  }

  /**
   * Wraps a repository bean.
   *
   * @param repository the bean
   * @return the repository to expose (default: the same)
   */
  default ReferenceRepository repository(ReferenceRepository repository) {
    return repository;
  }

  /**
   * Wraps a token provider bean.
   *
   * @param tokens the bean
   * @return the provider to expose (default: the same)
   */
  default TokenProvider tokenProvider(TokenProvider tokens) {
    return tokens;
  }

  /**
   * Wraps a retry strategy the starter builds: the auto-configured sender's (from {@link
   * RetryStrategy#defaults()}) and the default of each broadcast the {@link BroadcastFactory}
   * starts (from {@code Broadcast.defaultRetry()}). Strategies of a sender bean of your own are
   * yours to build.
   *
   * @param strategy the strategy
   * @return the strategy to use (default: the same), typically with a listener added
   */
  default RetryStrategy retryStrategy(RetryStrategy strategy) {
    return strategy;
  }

  /**
   * Wraps the listener of a broadcast the {@link BroadcastFactory} starts.
   *
   * @param name the broadcast's name as given to {@link BroadcastFactory#builder(String)}: a kind
   *     of broadcast, 1 to 64 characters of {@code A-Z a-z 0-9 _ . -}
   * @param listener the listener so far (yours, or one that does nothing)
   * @return the listener to use (default: the same); it must call {@code listener}
   */
  default BroadcastListener broadcastListener(String name, BroadcastListener listener) {
    return listener;
  }

  /**
   * Wraps the delivery queue the auto-configured delivery worker claims from ({@code
   * beckon.delivery.enabled=true}). The {@code DeliveryQueue} bean itself is not wrapped: schedule
   * through it as it is.
   *
   * @param name the queue's name, {@code beckon.delivery.name} (default {@code deliveries})
   * @param queue the queue so far
   * @return the queue the worker uses (default: the same)
   */
  default DeliveryQueue deliveryQueue(String name, DeliveryQueue queue) {
    return queue;
  }
}
