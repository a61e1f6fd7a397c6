package dev.beckon.spring.boot.autoconfigure;

import dev.beckon.auth.TokenProvider;
import dev.beckon.broadcast.BroadcastListener;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.micrometer.BeckonObservations;
import dev.beckon.retry.RetryListener;
import dev.beckon.retry.RetryStrategy;
import dev.beckon.send.Sender;
import dev.beckon.spring.boot.BeckonDecorator;
import dev.beckon.store.ReferenceRepository;

/**
 * {@link BeckonObservations} as a {@link BeckonDecorator}: observed sender, repository (a purgeable
 * one stays purgeable) and token provider; the retry listener added to a strategy's own; the
 * broadcast meters before the broadcast's listener; the delivery meters on the worker's queue.
 * Without a meter registry, strategies and listeners are left as they are.
 */
final class ObservationsDecorator implements BeckonDecorator {

  private final BeckonObservations observations;
  private final boolean metered;

  ObservationsDecorator(BeckonObservations observations) {
    this.observations = observations;
    this.metered = observations.meterRegistry().isPresent();
  }

  @Override
  public Sender sender(Sender sender) {
    return observations.sender(sender);
  }

  @Override
  public ReferenceRepository repository(ReferenceRepository repository) {
    return observations.repository(repository); // keeps PurgeableRepository (checked there)
  }

  @Override
  public TokenProvider tokenProvider(TokenProvider tokens) {
    return observations.tokenProvider(tokens);
  }

  @Override
  public RetryStrategy retryStrategy(RetryStrategy strategy) {
    if (!metered) {
      return strategy;
    }
    RetryListener meters = observations.retryListener();
    RetryListener before = strategy.listener();
    RetryListener both =
        before == RetryListener.NONE
            ? meters
            : event -> {
              meters.onRetry(event); // never throws; the strategy logs what the other throws
              before.onRetry(event);
            };
    return strategy.toBuilder().listener(both).build();
  }

  @Override
  public BroadcastListener broadcastListener(String name, BroadcastListener listener) {
    return metered ? observations.broadcastListener(name, listener) : listener;
  }

  @Override
  public DeliveryQueue deliveryQueue(String name, DeliveryQueue queue) {
    return metered ? observations.deliveryQueue(queue, name) : queue;
  }
}
