package dev.beckon.delivery.spi;

import dev.beckon.delivery.DeliveryQueue;
import dev.beckon.store.spi.AbstractOpened;
import java.util.function.Function;

/**
 * A delivery queue a {@link DeliveryQueueProvider} opened from a URI: the queue, a description for
 * logs, and the clients the provider created for it, which {@link #close()} closes, last created
 * first. Whoever asked for it owns it; closing twice is harmless.
 */
public final class OpenedQueue extends AbstractOpened<DeliveryQueue> {

  private OpenedQueue(DeliveryQueue queue, String description, AutoCloseable... resources) {
    super(queue, "queue", description, resources);
  }

  /**
   * A queue and the clients it owns.
   *
   * @param queue the queue
   * @param description what was opened, e.g. {@code jdbc table beckon_deliveries}; never a
   *     password, key or token (do not echo the URI)
   * @param resources the clients created for it, in the order they were created
   * @return the opened queue
   * @throws NullPointerException when an argument or a resource is {@code null}
   */
  public static OpenedQueue of(
      DeliveryQueue queue, String description, AutoCloseable... resources) {
    return new OpenedQueue(queue, description, resources);
  }

  /**
   * A queue over one client the provider created: builds the queue over it, and closes the client
   * when that fails.
   *
   * @param <C> the client's type
   * @param client the client, owned from now on
   * @param description what was opened, as for {@link #of}
   * @param queue builds the queue over the client (and may create its table)
   * @return the opened queue, which closes the client
   * @throws RuntimeException what {@code queue} raised, after the client was closed
   */
  public static <C extends AutoCloseable> OpenedQueue over(
      C client, String description, Function<? super C, DeliveryQueue> queue) {
    return over(client, c -> of(queue.apply(c), description, c));
  }

  /**
   * The queue.
   *
   * @return the queue
   */
  public DeliveryQueue queue() {
    return value();
  }
}
