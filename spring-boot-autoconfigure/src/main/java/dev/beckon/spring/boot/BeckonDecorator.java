package dev.beckon.spring.boot;

import dev.beckon.auth.TokenProvider;
import dev.beckon.send.Sender;
import dev.beckon.store.ReferenceRepository;

/**
 * Wraps Beckon's beans as they are created: the seam for instrumentation (metrics, tracing, MDC),
 * applied to every {@link Sender}, {@link ReferenceRepository} and {@link TokenProvider} bean of
 * the context — auto-configured or your own — before anything is injected with them. Declare one as
 * a bean; several apply in their {@link org.springframework.core.annotation.Order}.
 *
 * <pre>{@code
 * @Bean
 * BeckonDecorator observations(ObservationRegistry registry) {
 *   BeckonObservations o = BeckonObservations.of(registry);   // beckon-micrometer
 *   return new BeckonDecorator() {
 *     public Sender sender(Sender s) { return o.sender(s); }
 *     public ReferenceRepository repository(ReferenceRepository r) { return o.repository(r); }
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
}
