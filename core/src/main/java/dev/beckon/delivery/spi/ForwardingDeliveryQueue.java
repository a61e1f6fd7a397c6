package dev.beckon.delivery.spi;

import dev.beckon.activity.Activity;
import dev.beckon.delivery.Delivery;
import dev.beckon.delivery.DeliveryCounts;
import dev.beckon.delivery.DeliveryPage;
import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.delivery.DeliveryState;
import dev.beckon.delivery.DeliveryStatus;
import dev.beckon.reference.ReferenceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The base of a decorator of a {@link DeliveryQueue}: every method, {@link #counts()} included,
 * goes to the {@link #delegate()} unchanged, so a decorator overrides only the calls it watches or
 * changes (meters, counts, injected failures) and keeps compiling when the interface grows.
 *
 * <pre>{@code
 * final class CountingClaims extends ForwardingDeliveryQueue {
 *   final AtomicLong claimed = new AtomicLong();
 *
 *   CountingClaims(DeliveryQueue queue) {
 *     super(queue);
 *   }
 *
 *   public List<Delivery> claim(String worker, int max, Duration lease) {
 *     List<Delivery> c = super.claim(worker, max, lease);
 *     claimed.addAndGet(c.size());
 *     return c;
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe as far as the delegate and the subclass are; it adds no state of its own. A
 * decorator is not a backend: a new queue extends {@link AbstractDeliveryQueue} instead.
 */
public abstract class ForwardingDeliveryQueue implements DeliveryQueue {

  private final DeliveryQueue delegate;

  /**
   * A decorator of a queue.
   *
   * @param delegate the queue every call goes to
   * @throws NullPointerException when {@code delegate} is {@code null}
   */
  protected ForwardingDeliveryQueue(DeliveryQueue delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * The queue every call goes to.
   *
   * @return the delegate
   */
  protected final DeliveryQueue delegate() {
    return delegate;
  }

  /** {@inheritDoc} */
  @Override
  public boolean schedule(ReferenceKey to, Activity what, Instant notBefore, String deliveryKey) {
    return delegate.schedule(to, what, notBefore, deliveryKey);
  }

  /** {@inheritDoc} */
  @Override
  public boolean cancel(String deliveryKey) {
    return delegate.cancel(deliveryKey);
  }

  /** {@inheritDoc} */
  @Override
  public Optional<DeliveryStatus> status(String deliveryKey) {
    return delegate.status(deliveryKey);
  }

  /** {@inheritDoc} */
  @Override
  public Optional<Activity> activity(String deliveryKey) {
    return delegate.activity(deliveryKey);
  }

  /** {@inheritDoc} */
  @Override
  public DeliveryPage list(@Nullable DeliveryState state, @Nullable String cursor, int limit) {
    return delegate.list(state, cursor, limit);
  }

  /** {@inheritDoc} */
  @Override
  public boolean retry(String deliveryKey, Instant notBefore) {
    return delegate.retry(deliveryKey, notBefore);
  }

  /** {@inheritDoc} */
  @Override
  public long purge(Instant finishedBefore) {
    return delegate.purge(finishedBefore);
  }

  /** {@inheritDoc} */
  @Override
  public List<Delivery> claim(String worker, int max, Duration lease) {
    return delegate.claim(worker, max, lease);
  }

  /** {@inheritDoc} */
  @Override
  public boolean complete(
      Delivery claim,
      DeliveryState state,
      int attempts,
      String outcome,
      @Nullable String activityId) {
    return delegate.complete(claim, state, attempts, outcome, activityId);
  }

  /** {@inheritDoc} */
  @Override
  public boolean reschedule(Delivery claim, Duration delay, int attempts, String outcome) {
    return delegate.reschedule(claim, delay, attempts, outcome);
  }

  /** {@inheritDoc} */
  @Override
  public boolean release(Delivery claim) {
    return delegate.release(claim);
  }

  /** {@inheritDoc} */
  @Override
  public Optional<DeliveryCounts> counts() {
    return delegate.counts();
  }

  /**
   * The delegate's description, so that logs name the queue underneath.
   *
   * @return the delegate's {@code toString()}
   */
  @Override
  public String toString() {
    return delegate.toString();
  }
}
